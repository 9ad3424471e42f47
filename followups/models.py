"""What should happen next: one FollowUp row per step the advice recommends."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        REJECTION_THANKS = "rejection_thanks", "Thank-you after a rejection"
        INTERVIEW_THANKS = "interview_thanks", "Thank-you after an interview"
        FEEDBACK_NUDGE = "feedback_nudge", "Feedback follow-up"
        CHECK_IN = "check_in", "90-day check-in"
        KEEP_IN_TOUCH = "keep_in_touch", "Keep in touch"
        LINKEDIN = "linkedin", "LinkedIn connection"
        RECRUITER_NOTE = "recruiter_note", "Note to the recruiter on reapplying"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    # Idempotency: the rule that made this row, the event it came from and which
    # repeat it is ("rejection_thanks:rejection-12:1"). Unique per owner, so
    # re-saving an event can never create a second row of the same kind.
    key = models.CharField(max_length=120)
    sequence = models.PositiveSmallIntegerField(default=1)

    company = models.ForeignKey(
        "applications.Company", on_delete=models.CASCADE, related_name="followups"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True,
        related_name="followups",
    )
    rejection = models.ForeignKey(
        "applications.Rejection", on_delete=models.CASCADE, null=True, blank=True,
        related_name="followups",
    )
    interview = models.ForeignKey(
        "applications.Interview", on_delete=models.CASCADE, null=True, blank=True,
        related_name="followups",
    )
    contact = models.ForeignKey(
        "applications.Contact", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="followups",
    )

    due_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)
    # What the person finally sent, kept when they mark it done.
    sent_text = models.TextField(max_length=20_000, blank=True)
    asked_for_feedback = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="followup_key_unique_per_owner"),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("followups:followup-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_due(self, now) -> bool:
        return self.is_pending and self.due_at <= now

    def is_overdue(self, now) -> bool:
        return self.is_pending and self.deadline_at < now
