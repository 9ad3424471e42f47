"""Read-side queries of the follow-up engine, for forms and pages."""

from django.db.models import QuerySet

from followups.drafts import with_draft_data
from followups.models import FollowUp, Reminder


def failed_reminders(*, owner) -> QuerySet[Reminder]:
    """Reminders that could not be delivered, for follow-ups that still matter."""
    return (
        Reminder.objects.filter(
            owner=owner, status=Reminder.Status.FAILED, followup__status=FollowUp.Status.PENDING
        )
        .select_related("followup__company", "followup__contact")
        .order_by("-updated_at", "-pk")
    )


def followups_for_pages(*, owner) -> QuerySet[FollowUp]:
    """`owner`'s follow-ups, with what their pages show; the view turns a miss into a 404."""
    return with_draft_data(FollowUp.objects.filter(owner=owner))
