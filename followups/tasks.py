import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followups.outbox import dispatch_due_reminders

log = logging.getLogger(__name__)


@shared_task(bind=True, name="followups.tasks.dispatch")
def dispatch(self, helper: bool = False) -> str:
    """Beat rings this every DISPATCH_INTERVAL_SECONDS (a minute by default): send what the outbox says is due, return a summary.

    The time budget ends the run before the next tick is due; whatever is left is still
    due in the database and the next tick takes it. When more is due than one batch (a
    backlog after an outage, a busy morning), the tick asks DISPATCH_CONCURRENCY - 1 helpers
    to join it: the same task on the worker's other pool processes. Claims skip rows another
    dispatcher holds, so each reminder still goes out once; helpers never ask for help.
    """
    # Stop claiming new batches a little before the next tick is due (the batch in hand is
    # finished: its rows are leased to this run).
    interval = settings.DISPATCH_INTERVAL_SECONDS
    budget = max(interval - 10, interval / 2)
    # Helpers go where this tick came from, so that the same workers take them.
    queue = (self.request.delivery_info or {}).get("routing_key")
    return str(
        dispatch_due_reminders(
            now=timezone.now(),
            time_budget=budget,
            on_backlog=None if helper else lambda: call_for_help(queue=queue, expires=budget),
        )
    )


def call_for_help(*, queue: str | None, expires: float) -> None:
    try:
        for _ in range(settings.DISPATCH_CONCURRENCY - 1):
            dispatch.apply_async(kwargs={"helper": True}, queue=queue, expires=expires)
    except Exception:  # the broker went away: this tick carries on alone
        log.warning("dispatch: could not start helpers", exc_info=True)
