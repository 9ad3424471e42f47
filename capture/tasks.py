from celery import shared_task
from django.conf import settings
from django.utils import timezone

from capture.imap import poll_due_mailboxes


@shared_task(
    name="capture.tasks.poll_mailboxes",
    # Its own queue (CELERY_TASK_ROUTES) and its own limits: a slow or failing mail server
    # ends this task, never the reminder dispatch.
    time_limit=settings.CAPTURE_POLL_TIME_LIMIT,
    soft_time_limit=settings.CAPTURE_POLL_TIME_LIMIT - 5,
)
def poll_mailboxes() -> str:
    """Beat rings this every few minutes: scan the watched mailboxes whose turn it is."""
    return poll_due_mailboxes(
        now=timezone.now(), budget=max(settings.CAPTURE_POLL_TIME_LIMIT - 15, 5)
    )
