"""Workflows of the "your data" pages: the calendar feed's address and closing the account."""

from django.db import transaction
from django.utils import timezone

from followups.models import FollowUp, Reminder
from mydata.models import CalendarFeed, new_feed_token


def calendar_feed_for(*, owner) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(owner=owner)
    return feed


def rotate_calendar_feed(*, owner) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_for(owner=owner)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed


def delete_account(*, user) -> None:
    """Remove the person and everything they own.

    1. Cancel every reminder still waiting or being claimed, and commit that on its own: a
       dispatcher re-checks each reminder just before sending, so from this commit on
       nothing more goes out, even if deleting the rows below took a while. The rows are
       locked first (PostgreSQL), so a claim under way finishes before we cancel.
    2. Delete the user; every record they own goes with it (owner foreign keys cascade).
    """
    now = timezone.now()
    with transaction.atomic():
        active = list(
            Reminder.objects.select_for_update()
            .filter(owner=user, status__in=Reminder.ACTIVE_STATUSES)
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=active).update(
            status=Reminder.Status.CANCELLED,
            last_error="The account was deleted.",
            updated_at=now,
        )
        FollowUp.objects.filter(owner=user, status=FollowUp.Status.PENDING).update(
            status=FollowUp.Status.CANCELLED, updated_at=now
        )
    with transaction.atomic():
        user.delete()
