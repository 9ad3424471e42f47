"""What capture keeps: the review queue and the one watched mailbox per person.

A review item stores what the person needs to decide (sender, subject, date, a short
excerpt, the fields the reader found and why) and the Message-ID that makes each message
count once. Never the body.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for you"
        CONFIRMED = "confirmed", "Logged as a rejection"
        DISMISSED = "dismissed", "Not a rejection"

    class Source(models.TextChoices):
        IMPORT = "import", "import_email"
        MAILBOX = "mailbox", "Watched mailbox"

    class Kind(models.TextChoices):
        REJECTION = "rejection", "A rejection?"
        REPLY = "reply", "They replied?"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.REJECTION)
    # "Dana replied?": the follow-up the person had sent to the address this came from.
    followup = models.ForeignKey(
        "followups.FollowUp", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.IMPORT)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    excerpt = models.TextField(max_length=400, blank=True)
    # What the reader found: the prefill for the person's own confirmation.
    company_name = models.CharField(max_length=120, blank=True)
    role_title = models.CharField(max_length=160, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.CharField(max_length=254, blank=True)
    reason = models.TextField(max_length=400, blank=True)
    decided_by = models.JSONField(default=list, blank=True)
    open_door_phrases = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            # Each message is handled once, however often it is piped in or scanned.
            models.UniqueConstraint(fields=["owner", "message_id"], name="review_item_once"),
        ]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} from {self.sender or 'unknown'}"

    def decide(self, status: str) -> bool:
        """Pending -> decided, once: a conditional update, so two clicks count once."""
        now = timezone.now()
        done = ReviewItem.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=status, decided_at=now
        )
        if done:
            self.status, self.decided_at = status, now
        return bool(done)


class MailboxWatch(models.Model):
    """One IMAP mailbox a person asked Open Doors to read (read-only) for rejections."""

    class Security(models.TextChoices):
        TLS = "tls", "TLS (port 993)"
        STARTTLS = "starttls", "STARTTLS (port 143)"
        PLAIN = "plain", "No encryption (only on your own network)"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox_watch"
    )
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security, default=Security.TLS)
    username = models.CharField(max_length=254)
    password_encrypted = models.TextField()
    folder = models.CharField(max_length=200, default="INBOX")
    # Checkpoint: the folder's UIDVALIDITY and the highest UID read under it.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    # What the page shows.
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_scan_read = models.PositiveIntegerField(default=0)
    messages_read = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Back-off: a failing mailbox waits longer each time, up to a few hours.
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.username} at {self.host}"

    def backoff(self) -> dt.timedelta:
        """5 minutes after the first failure, doubling, at most 6 hours."""
        return min(
            dt.timedelta(minutes=5) * (2 ** max(self.failures - 1, 0)), dt.timedelta(hours=6)
        )
