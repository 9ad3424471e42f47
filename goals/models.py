"""Improvement goals: feedback turned into something the person does, and their progress."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from applications.models import Feedback, OwnedModel


class ImprovementGoal(OwnedModel):
    """A SMART goal that turns one feedback theme into something the person does."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    theme = models.CharField(max_length=20, choices=Feedback.Theme, default=Feedback.Theme.OTHER)
    what = models.CharField(max_length=200)
    how_measured = models.CharField(max_length=300, blank=True)
    target_date = models.DateField()
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    notes = models.TextField(max_length=5_000, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["completed_on", "target_date", "pk"]

    def __str__(self) -> str:
        return self.what

    def get_absolute_url(self) -> str:
        return reverse("goals:goal-detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    def clean(self) -> None:
        # A goal answers feedback: aiming to finish it before the feedback came makes no sense.
        if self.feedback_id and self.target_date and self.target_date < self.feedback.received_on:
            raise ValidationError({"target_date": target_date_message(self.feedback)})

    def is_overdue(self, today) -> bool:
        return not self.is_complete and self.target_date < today


def target_date_message(feedback: Feedback) -> str:
    return (
        f"The feedback came on {feedback.received_on:%d %b %Y}: pick a target date on or "
        "after that day."
    )
