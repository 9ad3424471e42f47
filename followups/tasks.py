from celery import shared_task


@shared_task(name="followups.tasks.dispatch")
def dispatch() -> str:
    """Beat rings this every minute; the follow-up engine sends what is due."""
    return "nothing to dispatch yet"
