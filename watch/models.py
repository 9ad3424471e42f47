"""A company's public job board, watched once a day for the door reopening."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class BoardWatch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.OneToOneField(
        "applications.Company", on_delete=models.CASCADE, related_name="board_watch"
    )
    # As the person typed it (the board's page, its API or a feed); fetched through
    # watch.fetch only, which refuses anything internal.
    url = models.URLField("job board address", max_length=500)
    provider = models.CharField(max_length=20, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # One request per board per day at most; later after errors (back-off).
    next_check_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    gone_since = models.DateTimeField(null=True, blank=True)  # the board answered 404/410
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["next_check_at"])]

    def __str__(self) -> str:
        return f"Board of {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("watch:board", args=[self.company_id])


class Opening(models.Model):
    """A posting seen on a watched board."""

    watch = models.ForeignKey(BoardWatch, on_delete=models.CASCADE, related_name="openings")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    first_seen_at = models.DateTimeField()
    listed = models.BooleanField(default=True)  # still on the board at the last check
    # The rejection whose role it matches (normalised, fuzzy): the door may be reopening.
    rejection = models.ForeignKey(
        "applications.Rejection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="openings",
    )
    # The recruiter note made for it once the cooldown ended.
    followup = models.ForeignKey(
        "followups.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["watch", "key"], name="opening_key_unique_per_board")
        ]

    def __str__(self) -> str:
        return self.title
