"""Improvement goals: feedback turned into something the person does, and their progress."""

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

    def is_overdue(self, today) -> bool:
        return not self.is_complete and self.target_date < today
