from celery import shared_task
from django.utils import timezone

from watch.services import check_due_boards


@shared_task(name="watch.tasks.check_boards")
def check_boards() -> str:
    """Beat runs this once a day: each watched board is asked once (watch.services)."""
    return str(check_due_boards(now=timezone.now()))
