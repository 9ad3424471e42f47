"""The dashboard and its htmx actions. The project includes this at "dashboard/"; `/` shows
the same page through `dashboard.views.landing_or_dashboard` ("home")."""

from django.urls import path

from dashboard import scorecard
from dashboard import views as dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.dashboard, name="index"),
    path("scorecard/", scorecard.scorecard_page, name="scorecard"),
    path("followups/<int:pk>/sent/", dashboard_views.followup_done, name="followup-done"),
    path("followups/<int:pk>/snooze/", dashboard_views.followup_snooze, name="followup-snooze"),
    path("followups/<int:pk>/skip/", dashboard_views.followup_skip, name="followup-skip"),
    path("followups/<int:pk>/replied/", dashboard_views.followup_replied, name="followup-replied"),
    path("missed/dismiss/", dashboard_views.dismiss_missed, name="dismiss-missed"),
    path("companies/<int:pk>/close-door/", dashboard_views.close_door, name="close-door"),
    path("companies/<int:pk>/reopen-door/", dashboard_views.reopen_door, name="reopen-door"),
]
