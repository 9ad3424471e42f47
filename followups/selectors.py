"""Read-side queries of the follow-up engine, for forms and pages."""

from django.db.models import QuerySet

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


def followup_for(*, owner, pk: int) -> FollowUp:
    """One follow-up of `owner`, with what its page shows (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    from followups.drafts import with_draft_data

    return get_object_or_404(with_draft_data(FollowUp.objects.filter(owner=owner)), pk=pk)
