"""Workflows of the follow-up engine.

Events come in through the sync_* functions (called by applications.services inside the
event's own transaction); the rule table (`followups.rules`) turns them into FollowUp rows,
each with one Reminder row in the outbox. The person acts with mark_done / snooze / skip /
reschedule (from the dashboard or a signed email link), which may start the next step.
dispatch_due_reminders() is the only sender: beat rings it every minute.
"""

import contextlib
import datetime as dt
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.mail import BadHeaderError, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Delivery, Profile
from accounts.services import profile_for
from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from followups import emails, rules
from followups.hours import ReminderHours, place_in_hours
from followups.models import Digest, FollowUp, Reminder

log = logging.getLogger(__name__)

Kind = FollowUp.Kind


# --- Events -> follow-ups -------------------------------------------------------------------------


def sync_rejection(*, rejection: Rejection) -> None:
    """Create the rejection's follow-ups if missing; move pending ones if its date changed.

    Idempotent: the (owner, key) constraint makes a second row impossible, so re-saving a
    rejection only moves what is still pending (and only when the received time moved, so a
    snoozed thank-you stays snoozed).
    """
    application = rejection.application
    company = application.company
    if company.door_is_closed:
        return
    now = timezone.now()
    profile = profile_for(rejection.owner)
    contact = _contact_for_rejection(rejection)
    for rule in rules.rules_triggered_by(rules.Trigger.REJECTION_LOGGED):
        _ensure_followup(
            rule,
            owner=rejection.owner,
            scope_pk=rejection.pk,
            anchor=rejection.received_at,
            profile=profile,
            now=now,
            links={
                "company": company,
                "application": application,
                "rejection": rejection,
                "contact": contact,
            },
        )


def sync_interview(*, interview: Interview) -> None:
    """Create or move the interview thank-you."""
    application = interview.application
    if application.company.door_is_closed:
        return
    profile = profile_for(interview.owner)
    contact = interview.interviewers.order_by("name", "pk").first()
    for rule in rules.rules_triggered_by(rules.Trigger.INTERVIEW_LOGGED):
        _ensure_followup(
            rule,
            owner=interview.owner,
            scope_pk=interview.pk,
            anchor=interview.when,
            profile=profile,
            now=timezone.now(),
            links={
                "company": application.company,
                "application": application,
                "interview": interview,
                "contact": contact,
            },
        )


def sync_application(*, application: Application) -> None:
    """A new application at a company that rejected the person: the recruiter note.

    An accepted offer ends the keep-in-touch check-ins at that company ("stops when hired").
    """
    company = application.company
    owner = application.owner
    if application.status == Application.Status.ACCEPTED:
        _cancel_followups(
            FollowUp.objects.filter(
                owner=owner, company=company, kind__in=[Kind.CHECK_IN, Kind.KEEP_IN_TOUCH]
            ),
            reason="You were hired there.",
        )
        return
    if company.door_is_closed or not application.is_active:
        # An application logged together with its own rejection is not a new try.
        return
    now = timezone.now()
    logged_at = application.created_at or now
    previous = (
        # Only a "no" that came before this application makes it a new try (this also runs
        # when an older application's status changes).
        Rejection.objects.filter(
            owner=owner, application__company=company, received_at__lte=logged_at
        )
        .exclude(application=application)
        .select_related("contact")
        .order_by("-received_at", "-pk")
        .first()
    )
    if previous is None:
        return
    contact = previous.contact or _company_contact(company)
    for rule in rules.rules_triggered_by(rules.Trigger.APPLIED_AFTER_REJECTION):
        _ensure_followup(
            rule,
            owner=owner,
            scope_pk=application.pk,
            anchor=logged_at,
            profile=profile_for(owner),
            now=now,
            links={
                "company": company,
                "application": application,
                "rejection": previous,
                "contact": contact,
            },
        )


def feedback_logged(*, feedback: Feedback) -> None:
    """Feedback arrived: the nudge asking for it is no longer needed."""
    _cancel_followups(
        FollowUp.objects.filter(
            owner=feedback.owner, rejection_id=feedback.rejection_id, kind=Kind.FEEDBACK_NUDGE
        ),
        reason="The feedback arrived.",
    )


def close_door(*, company: Company, now: dt.datetime) -> int:
    """The person closes the door at a company: everything pending there is cancelled.

    Returns how many follow-ups were cancelled. Closing twice keeps the first date.
    """
    with transaction.atomic():
        Company.objects.filter(pk=company.pk, door_closed_at__isnull=True).update(
            door_closed_at=now, updated_at=now
        )
        company.refresh_from_db(fields=["door_closed_at"])
        return _cancel_followups(
            FollowUp.objects.filter(owner_id=company.owner_id, company=company),
            reason="You closed the door at this company.",
        )


# --- The person acts ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an action did: whether it changed anything, and what it started."""

    followup: FollowUp
    changed: bool
    scheduled: list[FollowUp] = field(default_factory=list)
    suggest_closing_door: bool = False


def mark_done(
    *,
    followup: FollowUp,
    sent_text: str = "",
    asked_for_feedback: bool = True,
    done_at: dt.datetime,
    got_reply: bool = False,
) -> Outcome:
    """The person sent the message.

    1. Pending -> done, by a conditional UPDATE: a double click or a second email link
       changes nothing the second time.
    2. Its reminder is cancelled; the contact's last touch is recorded.
    3. The rule table's next steps start: the feedback nudge (if feedback was asked for and
       has not arrived), the LinkedIn note (if the contact is on LinkedIn), the next
       keep-in-touch check-in (until 4 went unanswered: then suggest closing the door).
    """
    now = timezone.now()
    asked = bool(asked_for_feedback) and followup.kind == Kind.REJECTION_THANKS
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.PENDING).update(
            status=FollowUp.Status.DONE,
            done_at=done_at,
            sent_text=sent_text or "",
            asked_for_feedback=asked,
            got_reply=got_reply,
            updated_at=now,
        )
        followup.refresh_from_db()
        if not changed:
            return Outcome(followup=followup, changed=False)
        _cancel_reminders([followup.pk], reason="You marked it sent.")
        if followup.contact_id:
            Contact.objects.filter(pk=followup.contact_id).filter(
                Q(last_touch_at__isnull=True) | Q(last_touch_at__lt=done_at)
            ).update(last_touch_at=done_at)
        scheduled, suggest = _start_next_steps(followup, anchor=done_at, skipped=False, now=now)
    return Outcome(
        followup=followup, changed=True, scheduled=scheduled, suggest_closing_door=suggest
    )


def skip(*, followup: FollowUp) -> Outcome:
    """The person will not do this one. A repeating check-in still starts the next."""
    now = timezone.now()
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.PENDING).update(
            status=FollowUp.Status.SKIPPED, done_at=now, updated_at=now
        )
        followup.refresh_from_db()
        if not changed:
            return Outcome(followup=followup, changed=False)
        _cancel_reminders([followup.pk], reason="You skipped it.")
        scheduled, suggest = _start_next_steps(followup, anchor=now, skipped=True, now=now)
    return Outcome(
        followup=followup, changed=True, scheduled=scheduled, suggest_closing_door=suggest
    )


def snooze(*, followup: FollowUp, until: dt.datetime) -> Outcome:
    """Remind me later: the due time moves to `until`, placed in the person's hours."""
    return _move(followup=followup, due_at=until, place=True)


def reschedule(*, followup: FollowUp, due_at: dt.datetime) -> Outcome:
    """The person picks the due time themselves; the reminder still goes out in their hours."""
    return _move(followup=followup, due_at=due_at, place=False)


def resume_reminders(*, owner, now: dt.datetime | None = None) -> int:
    """Re-plan the reminders of `owner`'s pending follow-ups after their settings changed
    (emails turned back on, hours, zone or delivery). Returns how many were planned.

    Only where the latest reminder is still waiting, was cancelled, or never existed: one that
    was sent (or failed, or is being sent) is not sent again.
    """
    now = now or timezone.now()
    profile = profile_for(owner)
    planned = 0
    followups = FollowUp.objects.filter(
        owner=owner, status=FollowUp.Status.PENDING, deadline_at__gt=now
    ).prefetch_related("reminders")
    for followup in followups:
        latest = max(followup.reminders.all(), key=lambda r: r.pk, default=None)
        if latest is None or latest.status in (Reminder.Status.PENDING, Reminder.Status.CANCELLED):
            planned += _plan_reminder(followup, profile=profile, now=now) is not None
    return planned


def turn_off_reminders(*, user) -> None:
    """One-click unsubscribe: no more reminder emails (the dashboard still shows everything)."""
    with transaction.atomic():
        profile = profile_for(user)
        Profile.objects.filter(pk=profile.pk).update(reminders_enabled=False)
        Reminder.objects.filter(owner=user, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED,
            last_error="Reminders were turned off.",
            updated_at=timezone.now(),
        )


def retry_reminder(*, reminder: Reminder, now: dt.datetime) -> bool:
    """The person asks to try a failed reminder again (after fixing their address)."""
    if not reminder.followup.is_pending:
        return False
    if Reminder.objects.filter(
        followup=reminder.followup_id, status__in=Reminder.ACTIVE_STATUSES
    ).exists():
        return False  # a newer reminder is already on its way
    with transaction.atomic():
        return bool(
            Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
                status=Reminder.Status.PENDING,
                next_attempt_at=now,
                attempts=0,
                digest=None,
                mode=Reminder.Mode.IMMEDIATE,
                updated_at=now,
            )
        )


# --- Scheduling internals ------------------------------------------------------------------------


def _ensure_followup(
    rule: rules.Rule,
    *,
    owner,
    scope_pk: int,
    anchor: dt.datetime,
    profile: Profile,
    now: dt.datetime,
    links: dict,
    sequence: int = 1,
    move: bool = True,
) -> tuple[FollowUp, bool]:
    """The follow-up of `rule` for this event, and whether it is new: created once, moved
    while pending (unless `move` is off: a next step that an earlier action already started
    stays where it is).

    get_or_create relies on the (owner, key) unique constraint: two requests saving the same
    event at once end with one row.
    """
    hours = ReminderHours.of(profile)
    window = rules.schedule(rule, anchor=anchor, hours=hours, profile=profile)
    followup, created = FollowUp.objects.get_or_create(
        owner=owner,
        key=rule.key(scope_pk, sequence),
        defaults={
            "kind": rule.kind,
            "sequence": sequence,
            "anchor_at": anchor,
            "due_at": window.due_at,
            "deadline_at": window.deadline_at,
            **links,
        },
    )
    if created:
        _plan_reminder(followup, profile=profile, now=now)
        return followup, True
    if not followup.is_pending or not move:
        return followup, False
    changed = []
    contact = links.get("contact")
    if contact is not None and followup.contact_id != contact.pk:
        followup.contact = contact
        changed.append("contact")
    if followup.anchor_at != anchor:
        # The event's time was edited: move the pending follow-up with it.
        followup.anchor_at, followup.due_at, followup.deadline_at = (
            anchor,
            window.due_at,
            window.deadline_at,
        )
        changed += ["anchor_at", "due_at", "deadline_at"]
    if changed:
        followup.save(update_fields=[*changed, "updated_at"])
        if "due_at" in changed:
            _plan_reminder(followup, profile=profile, now=now)
    return followup, False


def _start_next_steps(
    followup: FollowUp, *, anchor: dt.datetime, skipped: bool, now: dt.datetime
) -> tuple[list[FollowUp], bool]:
    """The rules that `followup` ending starts; and whether to suggest closing the door."""
    company = followup.company
    if company.door_is_closed:
        return [], False
    profile = profile_for(followup.owner)
    scheduled: list[FollowUp] = []
    suggest = False
    for rule in rules.rules_after(followup.kind, skipped=skipped):
        sequence = followup.sequence + 1 if rule.kind == followup.kind else 1
        holds = _conditions_hold(rule, previous=followup)
        if (
            not holds
            and rules.Condition.UNDER_CAP in rule.conditions
            and _hit_cap(rule, previous=followup)
        ):
            suggest = True
        if not holds:
            continue
        scope_pk = (
            followup.contact_id if rule.scope == rules.Scope.CONTACT else followup.rejection_id
        )
        if scope_pk is None:
            continue
        step, created = _ensure_followup(
            rule,
            owner=followup.owner,
            scope_pk=scope_pk,
            anchor=anchor,
            profile=profile,
            now=now,
            sequence=sequence,
            move=False,
            links={
                "company": company,
                "application": followup.application,
                "rejection": followup.rejection,
                "interview": followup.interview,
                "contact": followup.contact,
            },
        )
        if created:  # not one this contact already had
            scheduled.append(step)
    return scheduled, suggest


def _conditions_hold(rule: rules.Rule, *, previous: FollowUp) -> bool:
    C = rules.Condition
    for condition in rule.conditions:
        if condition == C.ASKED_FOR_FEEDBACK and not previous.asked_for_feedback:
            return False
        if condition == C.NO_FEEDBACK_YET and (
            previous.rejection_id is None
            or Feedback.objects.filter(rejection_id=previous.rejection_id).exists()
        ):
            return False
        if condition == C.CONTACT_ON_LINKEDIN and not (
            previous.contact_id and previous.contact.linkedin_url
        ):
            return False
        if (
            condition == C.NOT_HIRED_THERE
            and Application.objects.filter(
                company_id=previous.company_id, status=Application.Status.ACCEPTED
            ).exists()
        ):
            return False
        if condition == C.UNDER_CAP and _hit_cap(rule, previous=previous):
            return False
    return True


def unanswered_streak(*, owner, rejection_id: int, kind: str = Kind.KEEP_IN_TOUCH) -> int:
    """How many check-ins in a row were sent with no reply (skipped ones don't count)."""
    streak = 0
    for status, got_reply in (
        FollowUp.objects.filter(owner=owner, rejection_id=rejection_id, kind=kind)
        .order_by("-sequence")
        .values_list("status", "got_reply")
    ):
        if got_reply:
            break
        streak += status == FollowUp.Status.DONE
    return streak


def _hit_cap(rule: rules.Rule, *, previous: FollowUp) -> bool:
    if rule.cap is None or previous.rejection_id is None:
        return False
    return unanswered_streak(owner=previous.owner, rejection_id=previous.rejection_id) >= rule.cap


def _move(*, followup: FollowUp, due_at: dt.datetime, place: bool) -> Outcome:
    now = timezone.now()
    profile = profile_for(followup.owner)
    hours = ReminderHours.of(profile)
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update()
            .filter(pk=followup.pk, status=FollowUp.Status.PENDING)
            .first()
        )
        if current is None:
            followup.refresh_from_db()
            return Outcome(followup=followup, changed=False)
        old = rules.Window(due_at=current.due_at, deadline_at=current.deadline_at)
        window = rules.moved_window(due_at=due_at, old=old, hours=hours, place=place)
        current.due_at, current.deadline_at = window.due_at, window.deadline_at
        current.save(update_fields=["due_at", "deadline_at", "updated_at"])
        _plan_reminder(current, profile=profile, now=now)
    followup.refresh_from_db()
    return Outcome(followup=followup, changed=True)


def _plan_reminder(followup: FollowUp, *, profile: Profile, now: dt.datetime) -> Reminder | None:
    """Give a pending follow-up its one reminder in the outbox, at the right time.

    A pending reminder is moved in place; one being sent right now is cancelled (the
    dispatcher re-checks before sending) and a new one made. No reminder when reminders are
    off or the deadline has already passed (the dashboard shows it as overdue).
    """
    if not followup.is_pending or not profile.reminders_enabled or followup.deadline_at <= now:
        _cancel_reminders([followup.pk], reason="Not needed any more.")
        return None
    send_at, digest = rules.reminder_time(
        due_at=followup.due_at,
        deadline_at=followup.deadline_at,
        hours=ReminderHours.of(profile),
        digest=profile.delivery == Delivery.DIGEST,
        now=now,
    )
    mode = Reminder.Mode.DIGEST if digest else Reminder.Mode.IMMEDIATE
    fields = {
        "send_at": send_at,
        "next_attempt_at": send_at,
        "mode": mode,
        "attempts": 0,
        "last_error": "",
        "digest": None,
    }
    pending = Reminder.objects.filter(followup=followup, status=Reminder.Status.PENDING)
    if pending.update(**fields, updated_at=now):
        return pending.first()
    Reminder.objects.filter(followup=followup, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.CANCELLED, last_error="Re-planned.", updated_at=now
    )
    reminder = Reminder.objects.create(followup=followup, owner_id=followup.owner_id, **fields)
    reminder.message_id = emails.message_id("reminder", reminder.pk)
    Reminder.objects.filter(pk=reminder.pk).update(message_id=reminder.message_id)
    return reminder


def _cancel_followups(queryset, *, reason: str) -> int:
    now = timezone.now()
    ids = list(queryset.filter(status=FollowUp.Status.PENDING).values_list("pk", flat=True))
    if not ids:
        return 0
    count = FollowUp.objects.filter(pk__in=ids, status=FollowUp.Status.PENDING).update(
        status=FollowUp.Status.CANCELLED, updated_at=now
    )
    _cancel_reminders(ids, reason=reason)
    return count


def _cancel_reminders(followup_ids: Iterable[int], *, reason: str) -> None:
    Reminder.objects.filter(
        followup_id__in=list(followup_ids), status__in=Reminder.ACTIVE_STATUSES
    ).update(status=Reminder.Status.CANCELLED, last_error=reason, updated_at=timezone.now())


def _contact_for_rejection(rejection: Rejection) -> Contact | None:
    """Who the thank-you goes to: who sent the rejection, else the last interviewer, else the
    company's recruiter."""
    if rejection.contact_id:
        return rejection.contact
    interview = rejection.application.interviews.order_by("-when", "-pk").first()
    if interview is not None:
        interviewer = interview.interviewers.order_by("name", "pk").first()
        if interviewer is not None:
            return interviewer
    return _company_contact(rejection.application.company)


def _company_contact(company: Company) -> Contact | None:
    contacts = Contact.objects.filter(company=company)
    return (
        contacts.filter(role=Contact.Role.RECRUITER).order_by("pk").first()
        or contacts.order_by("pk").first()
    )


# --- Dispatch: the outbox -> SMTP ------------------------------------------------------------------

# Longer than CELERY_TASK_TIME_LIMIT (300 s): a live dispatcher never loses its claim, and a
# dead one's rows go out again at most this long after it died.
LEASE = dt.timedelta(minutes=10)
# Transient refusals (4xx) retry with this backoff, then the reminder is marked failed.
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60)
MAX_ATTEMPTS = 10
# Rows are re-checked (still ours, follow-up still pending) and marked sent per chunk: one
# query and one commit per CHUNK emails, not per email. A crash inside a chunk resends at
# most that chunk once, with the same Message-IDs.
CHUNK = 25
DEFAULT_BATCH_SIZE = 200


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1])


@dataclass
class DispatchSummary:
    claimed: int = 0
    emails: int = 0  # emails accepted by the SMTP server
    sent: int = 0  # reminders delivered (a digest carries several)
    digests: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    deferred: int = 0
    released: int = 0
    outage: str = ""

    def __str__(self) -> str:
        text = (
            f"claimed {self.claimed}, sent {self.sent} reminder(s) in {self.emails} email(s) "
            f"({self.digests} digest(s)), retrying {self.retrying}, failed {self.failed}, "
            f"cancelled {self.cancelled}, deferred {self.deferred}"
        )
        if self.outage:
            text += (
                f"; SMTP unavailable ({self.outage}), {self.released} released for the next tick"
            )
        return text


def dispatch_due_reminders(
    *,
    now: dt.datetime,
    batch_size: int = DEFAULT_BATCH_SIZE,
    time_budget: float | None = None,
    max_batches: int = 10_000,
    connection=None,
    on_backlog: Callable[[], object] | None = None,
) -> DispatchSummary:
    """Send every reminder due at `now`, each exactly once.

    1. Claim a batch: due rows (pending and due, or sending past their lease) become
       "sending" with this run's token, by a conditional UPDATE (and FOR UPDATE SKIP LOCKED
       on PostgreSQL, so parallel dispatchers take different rows instead of waiting).
    2. Deliver the batch over one SMTP connection: re-check each chunk, send, record the
       outcome in the rows (sent, retry with backoff, failed, cancelled, deferred).
    3. Repeat until nothing is due, the SMTP server is unreachable (the rows are released
       untouched for the next tick) or the time budget is spent.

    `on_backlog` is called once, when a claimed batch comes back full (more is probably due):
    the beat task uses it to start helpers, which claim other rows in parallel.
    """
    summary = DispatchSummary()
    mailer = _Mailer(connection)
    started = time.monotonic()
    try:
        for _ in range(max_batches):
            token = uuid.uuid4().hex
            reminders = _claim_batch(now=now, token=token, limit=batch_size)
            if not reminders:
                break
            summary.claimed += len(reminders)
            if on_backlog is not None and len(reminders) >= batch_size:
                on_backlog()
                on_backlog = None
            if not _deliver(reminders, now=now, token=token, mailer=mailer, summary=summary):
                break
            if time_budget is not None and time.monotonic() - started > time_budget:
                break
    finally:
        mailer.close()
    return summary


def _claim_batch(*, now: dt.datetime, token: str, limit: int) -> list[Reminder]:
    """Claim up to `limit` due reminders for this run, and build digests from them.

    Each question is a range scan of one partial index (pending by next_attempt_at, sending
    by claimed_until), so an idle tick costs the same however many rows there are.
    A person in digest mode is claimed as a whole (all their due digest rows at once) under
    a lock on their profile row, so one digest carries everything due and no follow-up is
    in two digests.
    """
    skip_locked = db_connection.features.has_select_for_update_skip_locked
    pending_due = Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    lease_over = Q(status=Reminder.Status.SENDING, claimed_until__lt=now)

    def locked(qs):
        return qs.select_for_update(skip_locked=True) if skip_locked else qs

    claim = {
        "status": Reminder.Status.SENDING,
        "claim_token": token,
        "claimed_until": now + LEASE,
        "attempts": F("attempts") + 1,
        "updated_at": now,
    }
    with transaction.atomic():
        stale = list(
            locked(Reminder.objects.filter(lease_over).order_by("claimed_until", "pk")).values_list(
                "pk", "owner_id", "mode"
            )[:limit]
        )
        fresh = list(
            locked(
                Reminder.objects.filter(pending_due).order_by("next_attempt_at", "pk")
            ).values_list("pk", "owner_id", "mode")[: max(limit - len(stale), 0)]
        )
        candidates = stale + fresh
        if not candidates:
            return []
        immediate = [pk for pk, _owner, mode in candidates if mode == Reminder.Mode.IMMEDIATE]
        digest_owners = {owner for _pk, owner, mode in candidates if mode == Reminder.Mode.DIGEST}
        if digest_owners and skip_locked:
            # Another dispatcher already building this person's digest holds the lock: skip.
            digest_owners = set(
                Profile.objects.select_for_update(skip_locked=True)
                .filter(user_id__in=digest_owners)
                .values_list("user_id", flat=True)
            )
        digest_pks: list[int] = []
        if digest_owners:
            digest_pks = list(
                Reminder.objects.select_for_update()
                .filter(owner_id__in=digest_owners, mode=Reminder.Mode.DIGEST)
                .filter(pending_due | lease_over)
                .values_list("pk", flat=True)
            )
        claimable = immediate + digest_pks
        Reminder.objects.filter(pk__in=claimable).filter(pending_due | lease_over).update(**claim)
        _assemble_digests(token=token, pks=digest_pks, now=now)
    return list(
        Reminder.objects.filter(pk__in=claimable, claim_token=token, status=Reminder.Status.SENDING)
        .select_related("digest")
        .order_by("next_attempt_at", "pk")
    )


def _assemble_digests(*, token: str, pks: list[int], now: dt.datetime) -> None:
    """Claimed digest rows not yet in a digest join one new digest per person. Rows already
    in one (a retry, a lease that ran out) go out again as that same digest."""
    if not pks:
        return
    # A set, not .distinct(): the default ordering would make DISTINCT return duplicates.
    loose = set(
        Reminder.objects.filter(pk__in=pks, claim_token=token, digest__isnull=True).values_list(
            "owner_id", flat=True
        )
    )
    for owner_id in sorted(loose):
        digest = Digest.objects.create(owner_id=owner_id, created_at=now)
        digest.message_id = emails.message_id("digest", digest.pk)
        digest.save(update_fields=["message_id"])
        Reminder.objects.filter(
            pk__in=pks, claim_token=token, owner_id=owner_id, digest__isnull=True
        ).update(digest=digest)


class _Outage(Exception):
    """The SMTP server cannot be reached: not the reminder's fault, nothing is charged."""


class _NoRecipient(Exception):
    pass


class _Mailer:
    """One SMTP connection for a whole dispatch run, opened on first use, reopened after a
    dropped connection."""

    def __init__(self, connection=None):
        self._given = connection
        self.connection = None

    def send(self, message) -> None:
        if self.connection is None:
            connection = self._given or get_connection(fail_silently=False)
            try:
                connection.open()
            except Exception as exc:
                raise _Outage(_describe(exc)) from exc
            self.connection = connection
        if not self.connection.send_messages([message]):
            raise _NoRecipient("no recipient address")

    def reset(self) -> None:
        if self.connection is not None:
            # A dead connection may fail to close; it is dropped either way.
            with contextlib.suppress(Exception):
                self.connection.close()
        self.connection = None

    def close(self) -> None:
        self.reset()


TRANSIENT, PERMANENT, DISCONNECTED = "transient", "permanent", "disconnected"


def classify(exc: BaseException) -> str:
    """Transient (retry later), permanent (fail now) or disconnected (retry, reconnect)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return TRANSIENT if codes and all(400 <= code < 500 for code in codes) else PERMANENT
    if isinstance(exc, smtplib.SMTPResponseException):
        if exc.smtp_code == 421:
            return DISCONNECTED
        return TRANSIENT if 400 <= exc.smtp_code < 500 else PERMANENT
    if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
        return DISCONNECTED
    if isinstance(exc, (BadHeaderError, ValueError, UnicodeError, _NoRecipient)):
        return PERMANENT
    return TRANSIENT


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(msg)}" for code, msg in exc.recipients.values()]
        return "Recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"[:500]


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


class _Ledger:
    """Outcomes of one chunk, written to the rows in one transaction."""

    def __init__(self, *, token: str, now: dt.datetime, summary: DispatchSummary):
        self.token, self.now, self.summary = token, now, summary
        self.sent: list[int] = []
        self.digests: list[int] = []
        self.other: list[tuple[list[int], dict]] = []

    def mine(self, pks):
        return Reminder.objects.filter(pk__in=pks, claim_token=self.token)

    def record_sent(self, unit: list[Reminder]) -> None:
        self.sent += [r.pk for r in unit]
        if unit[0].digest_id:
            self.digests.append(unit[0].digest_id)
            self.summary.digests += 1
        self.summary.emails += 1
        self.summary.sent += len(unit)

    def cancel(self, unit: list[Reminder], reason: str) -> None:
        self.summary.cancelled += len(unit)
        fields = {"status": Reminder.Status.CANCELLED, "last_error": reason}
        # Only rows still sending under our token: a re-plan may have cancelled it already.
        self.other.append(([r.pk for r in unit], {**fields, "_sending_only": True}))

    def defer(self, unit: list[Reminder], when: dt.datetime, mode: str | None = None) -> None:
        self.summary.deferred += len(unit)
        fields = {
            "status": Reminder.Status.PENDING,
            "send_at": when,
            "next_attempt_at": when,
            "attempts": F("attempts") - 1,
        }
        if mode:
            fields["mode"] = mode
        self.other.append(([r.pk for r in unit], fields))

    def release(self, unit: list[Reminder], reason: str) -> None:
        """Not tried (the server is down): back to pending, same place in the queue."""
        self.summary.released += len(unit)
        self.other.append(
            (
                [r.pk for r in unit],
                {
                    "status": Reminder.Status.PENDING,
                    "attempts": F("attempts") - 1,
                    "last_error": reason,
                },
            )
        )

    def fail_or_retry(self, unit: list[Reminder], error: str, *, permanent: bool) -> None:
        attempts = max(r.attempts for r in unit)
        if permanent or attempts >= MAX_ATTEMPTS:
            self.summary.failed += len(unit)
            if not permanent:
                error = f"Gave up after {attempts} attempts. Last error: {error}"
            self.other.append(
                ([r.pk for r in unit], {"status": Reminder.Status.FAILED, "last_error": error})
            )
        else:
            self.summary.retrying += len(unit)
            self.other.append(
                (
                    [r.pk for r in unit],
                    {
                        "status": Reminder.Status.PENDING,
                        "next_attempt_at": self.now + backoff(attempts),
                        "last_error": error,
                    },
                )
            )

    def flush(self) -> None:
        done = {"claim_token": "", "claimed_until": None, "updated_at": self.now}
        with transaction.atomic():
            if self.sent:
                # No status filter: if a re-plan cancelled the row while its email was on
                # the wire, the truth is still that it was sent.
                self.mine(self.sent).update(
                    status=Reminder.Status.SENT, sent_at=self.now, last_error="", **done
                )
            if self.digests:
                Digest.objects.filter(pk__in=self.digests, sent_at__isnull=True).update(
                    sent_at=self.now
                )
            for pks, fields in self.other:
                fields = dict(fields)
                rows = self.mine(pks)
                if fields.pop("_sending_only", False):
                    rows = rows.filter(status=Reminder.Status.SENDING)
                rows.update(**fields, **done)
        self.sent, self.digests, self.other = [], [], []


def _units(reminders: list[Reminder]) -> list[list[Reminder]]:
    """One email each: a lone reminder, or all the reminders of one digest."""
    units: dict[tuple[str, int], list[Reminder]] = {}
    for reminder in reminders:
        key = ("digest", reminder.digest_id) if reminder.digest_id else ("reminder", reminder.pk)
        units.setdefault(key, []).append(reminder)
    return list(units.values())


def _profile(reminder: Reminder) -> Profile:
    # The follow-up came with its owner and profile (with_draft_data).
    owner = reminder.followup.owner
    try:
        return owner.profile
    except Profile.DoesNotExist:
        return profile_for(owner)


def _deliver(
    reminders: list[Reminder],
    *,
    now: dt.datetime,
    token: str,
    mailer: _Mailer,
    summary: DispatchSummary,
) -> bool:
    """Send one claimed batch, chunk by chunk. False when the SMTP server is unreachable."""
    from followups.drafts import completed_goals_by_owner, reads_goals, with_draft_data

    units = _units(reminders)
    # What the drafts read, for the whole batch in a fixed number of queries. Whether each
    # follow-up is still pending is asked again just before its chunk is sent.
    followups = {
        f.pk: f
        for f in with_draft_data(FollowUp.objects.filter(pk__in={r.followup_id for r in reminders}))
    }
    goals = completed_goals_by_owner({f.owner_id for f in followups.values() if reads_goals(f)})
    for start in range(0, len(units), CHUNK):
        chunk = units[start : start + CHUNK]
        ledger = _Ledger(token=token, now=now, summary=summary)
        ids = [r.pk for unit in chunk for r in unit]
        # The re-check at send time: still ours, and the follow-up still pending.
        live = {
            r.followup_id: r.pk
            for r in Reminder.objects.filter(
                pk__in=ids,
                claim_token=token,
                status=Reminder.Status.SENDING,
                followup__status=FollowUp.Status.PENDING,
            ).only("pk", "followup_id")
        }
        for index, unit in enumerate(chunk):
            for r in unit:
                if r.followup_id in live:
                    r.followup = followups[r.followup_id]
            try:
                _deliver_unit(
                    unit,
                    live=live,
                    now=now,
                    mailer=mailer,
                    ledger=ledger,
                    goals=goals.get(unit[0].owner_id, []),
                )
            except _Outage as exc:
                summary.outage = str(exc)
                for rest in chunk[index:] + units[start + CHUNK :]:
                    ledger.release(rest, f"The mail server was unreachable: {exc}")
                ledger.flush()
                log.warning("dispatch: SMTP unavailable, %s reminder(s) released", summary.released)
                return False
        ledger.flush()
    return True


def _deliver_unit(
    unit: list[Reminder],
    *,
    live: dict[int, int],
    now: dt.datetime,
    mailer: _Mailer,
    ledger: _Ledger,
    goals: list,
) -> None:
    """Decide for one email (cancel, defer, send) and send it. `goals`: the owner's completed
    goals, for the drafts that mention them."""
    gone = [r for r in unit if live.get(r.followup_id) != r.pk]
    unit = [r for r in unit if live.get(r.followup_id) == r.pk]
    if gone:
        ledger.cancel(gone, "The follow-up was no longer pending when its reminder was due.")
    if not unit:
        return
    first = unit[0]
    profile = _profile(first)
    if not profile.reminders_enabled:
        ledger.cancel(unit, "Reminders are turned off.")
        return
    if not profile.email_address:
        ledger.fail_or_retry(unit, "No email address: add one in your settings.", permanent=True)
        return
    hours = ReminderHours.of(profile)
    if first.digest_id:
        # A digest goes out inside the hours (they may have changed since it was planned).
        if not hours.contains(now):
            ledger.defer(unit, hours.next_start_from(now))
            return
        build = lambda: emails.digest_message(  # noqa: E731
            first.digest, unit, profile=profile, completed_goals=goals, now=now
        )
    else:
        followup = first.followup
        if profile.delivery == Delivery.DIGEST:
            # The person switched to the digest since this was planned: it joins the next one.
            when, digest = rules.reminder_time(
                due_at=followup.due_at,
                deadline_at=followup.deadline_at,
                hours=hours,
                digest=True,
                now=now,
            )
            if digest:
                ledger.defer(unit, when, mode=Reminder.Mode.DIGEST)
                return
        # Re-check the hours at send time (they, or the zone, may have changed; a retry may
        # have landed at night), keeping the deadline exception.
        target = place_in_hours(now, hours, deadline=followup.deadline_at)
        if target > now:
            ledger.defer(unit, target)
            return
        build = lambda: emails.reminder_message(  # noqa: E731
            first, profile=profile, completed_goals=goals, now=now
        )
    try:
        message = build()
        mailer.send(message)
    except _Outage:
        raise
    except Exception as exc:
        kind = classify(exc)
        if kind == TRANSIENT and not isinstance(exc, smtplib.SMTPException):
            log.exception("dispatch: could not build or send reminder %s", first.pk)
        if kind == DISCONNECTED:
            mailer.reset()
        ledger.fail_or_retry(unit, _describe(exc), permanent=kind == PERMANENT)
        return
    ledger.record_sent(unit)
