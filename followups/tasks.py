from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followups.services import dispatch_due_reminders


@shared_task(name="followups.tasks.dispatch")
def dispatch() -> str:
    """Beat rings this every minute: send what the outbox says is due, return a summary.

    The time budget ends the run before the next tick is due; whatever is left is still
    due in the database and the next tick takes it.
    """
    budget = max(settings.DISPATCH_INTERVAL_SECONDS - 10, 5)
    return str(dispatch_due_reminders(now=timezone.now(), time_budget=budget))
