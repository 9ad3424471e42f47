"""What should happen next: one FollowUp row per step the advice recommends."""

from django.conf import settings
from django.db import models

from accounts.routes import pk_url


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        REJECTION_THANKS = "rejection_thanks", "Thank-you after a rejection"
        INTERVIEW_THANKS = "interview_thanks", "Thank-you after an interview"
        FEEDBACK_NUDGE = "feedback_nudge", "Feedback follow-up"
        CHECK_IN = "check_in", "90-day check-in"
        KEEP_IN_TOUCH = "keep_in_touch", "Keep in touch"
        LINKEDIN = "linkedin", "LinkedIn connection"
        RECRUITER_NOTE = "recruiter_note", "Note to the recruiter on reapplying"
        CLOSE_THE_LOOP = "close_the_loop", "Closing the loop"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"
        # Its deadline passed before anything was done: when the event was recorded too late,
        # or the person dismissed it from the dashboard's "Missed" list. Never emailed.
        MISSED = "missed", "Missed"

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
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followups",
    )
    rejection = models.ForeignKey(
        "applications.Rejection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followups",
    )
    interview = models.ForeignKey(
        "applications.Interview",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followups",
    )
    contact = models.ForeignKey(
        "applications.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
    )

    # The event time the rule counted from (received, interview, marked done). Re-saving an
    # event moves a pending follow-up only when this changed, so a snooze survives a re-save.
    anchor_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)
    # The draft as the person edited it (saved as they type); empty: the drafted one.
    draft_subject = models.CharField(max_length=300, blank=True)
    draft_body = models.TextField(max_length=20_000, blank=True)
    # What the person finally sent, kept when they mark it done.
    sent_text = models.TextField(max_length=20_000, blank=True)
    asked_for_feedback = models.BooleanField(default=False)
    # A recruiter note for an opening found on the company's watched board (watch app): the
    # posting's title and link, as the board listed them.
    opening_title = models.CharField(max_length=200, blank=True)
    opening_url = models.CharField(max_length=500, blank=True)
    # Keep-in-touch stops after a few check-ins nobody answered (the rule's cap);
    # the person ticks this when marking one sent if the contact wrote back.
    got_reply = models.BooleanField(default=False)
    # Why it ended without being sent, for the timeline ("No longer needed: the application
    # was rejected.").
    ended_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="followup_key_unique_per_owner"),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"]),
            # The open doors' next check-in: a company's pending follow-ups, soonest first.
            # Not a partial index: a prepared statement's generic plan has the status as a
            # parameter and could not use one.
            models.Index(fields=["company", "status", "due_at"], name="followup_company_next_idx"),
            # The habits card's counts (sent, skipped, asked for feedback, on time), read from
            # the index alone: a person with years of follow-ups is not read row by row.
            models.Index(
                fields=["owner", "status", "kind"],
                include=["asked_for_feedback", "done_at", "rejection"],
                name="followup_figures_idx",
            ),
            # Thank-yous where the person asked for feedback: counted from the index's own
            # entries (the figures index would read every sent follow-up to find them).
            models.Index(
                fields=["owner", "asked_for_feedback", "status"],
                name="followup_feedback_asked_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.company}"

    def get_absolute_url(self) -> str:
        return pk_url("followups:followup-detail", self.pk)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def can_be_marked_sent(self) -> bool:
        """Pending, or missed: it is too late for a reminder, not for sending it anyway."""
        return self.status in (self.Status.PENDING, self.Status.MISSED)

    def is_overdue(self, now) -> bool:
        return self.is_pending and self.deadline_at < now

    @property
    def rule(self):
        """This follow-up's row of the rule table (why, action, what it asks)."""
        # Imported here: followups.rules imports this module (FollowUp.Kind keys the table).
        from followups.rules import rule_for

        return rule_for(self.kind)

    @property
    def why_text(self) -> str:
        """Why the advice says to do it, in one sentence (the page, the dashboard, emails)."""
        return self.rule.why_for(self.contact if self.contact_id else None)

    @property
    def action_text(self) -> str:
        """What to do, in one line: "Thank Dana at Acme" (the page, the dashboard, emails)."""
        who = self.contact.first_name if self.contact_id else ""
        return self.rule.action_for(who=who, company=self.company.name)


class Reply(models.Model):
    """The contact wrote back: the relationship answered, not the clock.

    Recorded with "They replied" on a follow-up (its page, the dashboard, a reminder email's
    signed link), pending or already sent. One per follow-up and day, so a second click or a
    scanner replaying the POST adds nothing. `followups.replies.record_reply` is the one writer.
    """

    class Source(models.TextChoices):
        PERSON = "person", "You recorded it"
        INBOX = "inbox", "Found in your inbox, confirmed by you"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="replies")
    company = models.ForeignKey(
        "applications.Company", on_delete=models.CASCADE, related_name="replies"
    )
    rejection = models.ForeignKey(
        "applications.Rejection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    contact = models.ForeignKey(
        "applications.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    replied_on = models.DateField()
    # Optional, in the person's words ("Dana: they'll keep me in mind for Q3"). Private like
    # notes: never put in a draft.
    words = models.TextField(max_length=2_000, blank=True)
    source = models.CharField(max_length=10, choices=Source, default=Source.PERSON)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "replied_on"], name="reply_one_per_followup_and_day"
            ),
        ]
        indexes = [models.Index(fields=["owner", "replied_on"])]

    def __str__(self) -> str:
        return f"Reply on {self.replied_on} for {self.followup_id}"


class Digest(models.Model):
    """One daily email listing several reminders; each reminder belongs to at most one.

    The row exists so the digest has an identity before it is sent: its Message-ID, and the
    exact set of reminders it carries when a retry or a lease expiry sends it again.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Digest {self.pk} for {self.owner}"


class Reminder(models.Model):
    """The outbox: one row per email the engine owes the person about one follow-up.

    The database is the source of truth; the beat tick only rings the doorbell. A row is
    claimed (pending -> sending, with a lease) by a conditional UPDATE before anything is
    sent, so two dispatchers never send the same reminder; retries and backoff live here.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be delivered"
        CANCELLED = "cancelled", "Not needed any more"

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "On its own"
        DIGEST = "digest", "In the daily digest"

    ACTIVE_STATUSES = (Status.PENDING, Status.SENDING)

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode, default=Mode.IMMEDIATE)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # When it was planned to go out (inside the person's hours); kept for display.
    send_at = models.DateTimeField()
    # When dispatch may next try: send_at at first, later the retry backoff.
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim: whoever holds claim_token owns the row until claimed_until; after that a
    # crashed dispatcher's row is picked up again.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(max_length=2_000, blank=True)
    # Derived from the pk at the first attempt, so a resend after a crash is recognisable.
    message_id = models.CharField(max_length=200, blank=True)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["send_at", "pk"]
        constraints = [
            # At most one reminder in flight per follow-up: re-planning moves it, never adds one.
            models.UniqueConstraint(
                fields=["followup"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="reminder_one_active_per_followup",
            ),
        ]
        indexes = [
            # The tick's two questions, each a range scan over a small partial index, so an
            # idle tick costs the same at 1,000 or 1,000,000 rows (sent rows are not in them).
            # The id is in the key because the claims order by it: when thousands of rows
            # share one instant (everyone's reminders placed at the start of their hours) the
            # scan stops after a batch instead of sorting them all (12.6 ms -> 0.14 ms a
            # claim with 40,000 rows due at one instant, EXPLAIN ANALYZE).
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due_idx",
            ),
            models.Index(
                fields=["claimed_until", "id"],
                condition=models.Q(status="sending"),
                name="reminder_sending_lease_idx",
            ),
            # "Some reminders could not be delivered" banner, per person.
            models.Index(
                fields=["owner"], condition=models.Q(status="failed"), name="reminder_failed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk} ({self.status}) for {self.followup_id}"
