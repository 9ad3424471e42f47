from django.urls import path

from capture import views

app_name = "capture"

urlpatterns = [
    path("from-email/", views.FromEmail.as_view(), name="from-email"),
    path("review/", views.ReviewList.as_view(), name="review-list"),
    path("review/<int:pk>/confirm/", views.ReviewConfirm.as_view(), name="review-confirm"),
    path("review/<int:pk>/dismiss/", views.ReviewDismiss.as_view(), name="review-dismiss"),
    path("review/<int:pk>/replied/", views.ReviewReply.as_view(), name="review-reply"),
    path("mailbox/", views.MailboxPage.as_view(), name="mailbox"),
    path("mailbox/disconnect/", views.MailboxDisconnect.as_view(), name="mailbox-disconnect"),
    path("mailbox/scan/", views.MailboxScanNow.as_view(), name="mailbox-scan"),
]
