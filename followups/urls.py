from django.urls import path

from followups import list_views, tone_views, views

app_name = "followups"

urlpatterns = [
    path("", list_views.FollowUpList.as_view(), name="followup-list"),
    path("<int:pk>/", views.FollowUpDetail.as_view(), name="followup-detail"),
    path("<int:pk>/done/", views.MarkDone.as_view(), name="followup-done"),
    path("<int:pk>/snooze/", views.Snooze.as_view(), name="followup-snooze"),
    path("<int:pk>/skip/", views.Skip.as_view(), name="followup-skip"),
    path("<int:pk>/replied/", views.Replied.as_view(), name="followup-replied"),
    path("<int:pk>/reschedule/", views.Reschedule.as_view(), name="followup-reschedule"),
    path("<int:pk>/draft/", views.save_draft, name="draft-save"),
    path("reminders/failed/", views.FailedReminders.as_view(), name="reminder-failed-list"),
    path("reminders/<int:pk>/retry/", views.retry_reminder, name="reminder-retry"),
    path("tone-check/", tone_views.tone_check, name="tone-check"),
    # From reminder emails, no login: signed, bound to one follow-up and one action.
    path("a/<str:token>/", views.action, name="action"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
