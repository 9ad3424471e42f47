from django.urls import path

from mydata import import_views, views

app_name = "mydata"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.download, name="export"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("calendar/new-link/", views.calendar_rotate, name="calendar-rotate"),
    path("interviews/<int:pk>.ics", views.interview_ics, name="interview-ics"),
    path("contacts.vcf", views.contacts_vcf, name="contacts-vcf"),
    path("activity/", views.activity_log, name="activity"),
    path("activity/print/", views.activity_print, name="activity-print"),
    path("activity.csv", views.activity_csv, name="activity-csv"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:pk>/", import_views.review, name="import-review"),
    path("delete-account/", views.delete_account, name="delete-account"),
    path("account-deleted/", views.account_deleted, name="account-deleted"),
]
