"""Workflows of the follow-up engine.

Events come in through the sync_* functions (called by applications.services inside the
event's own transaction); the rule table (`followups.rules`) turns them into FollowUp rows,
each with one Reminder row in the outbox. The person acts with mark_done / snooze / skip /
reschedule (from the dashboard or a signed email link), which may start the next step.
dispatch_due_reminders() is the only sender: beat rings it every minute.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from accounts.dates import day_text, when_text
from accounts.models import Delivery, Profile
from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from followups import outbox, rules
from followups.hours import ReminderHours
from followups.models import FollowUp, Reminder, Reply

log = logging.getLogger(__name__)

Kind = FollowUp.Kind

MISSED_ON_ARRIVAL = "Its deadline had already passed when this was recorded."


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
    _cancel_followups(
        FollowUp.objects.filter(
            owner=rejection.owner,
            application=application,
            kind__in=rules.kinds_where("ended_by_rejection"),
        ),
        reason="The application was rejected.",
        note="No longer needed: the application was rejected.",
    )
    profile = rejection.owner.profile
    contact = _contact_for_rejection(rejection)
    # A message fits what happened: the channel and the stage decide what is planned.
    situation = rules.Situation.of(rejection, contact)
    for rule in rules.rules_triggered_by(rules.Trigger.REJECTION_LOGGED):
        if not situation.allows(rule):
            # Edited since (say "never heard back" after all): what no longer fits goes.
            _cancel_followups(
                FollowUp.objects.filter(owner=rejection.owner, rejection=rejection, kind=rule.kind),
                reason="It no longer fits what happened (the rejection was edited).",
            )
            continue
        _ensure_followup(
            rule,
            owner=rejection.owner,
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


def rejection_logged_text(*, rejection: Rejection, now: dt.datetime) -> str:
    """The flash after a rejection is logged, worded from its first step's own state.

    A rejection logged days after it came (back-dated) may already be past its first
    step's window: say so and offer the step, rather than promise a reminder that will
    never come. HTML-safe: the one link is built with format_html, which escapes the rest.
    """
    # Every step not yet acted on or called off: pending ones, and any state a step can be
    # in when its window had passed before it was made.
    ended = (FollowUp.Status.DONE, FollowUp.Status.SKIPPED, FollowUp.Status.CANCELLED)
    steps = rejection.followups.exclude(status__in=ended).order_by("due_at", "pk")
    first = steps.select_related("company", "contact").first()
    if first is None:
        return "Rejection logged."
    label = first.rule.label.lower()
    if not first.is_pending or first.is_overdue(now):
        return format_html(
            "Rejection logged. It came on {}, so the window for the {} has passed (it was by "
            '{}): <a href="{}" class="alert-link">send it anyway?</a>',
            day_text(rejection.received_at),
            label,
            when_text(first.deadline_at),
            first.get_absolute_url(),
        )
    if first.due_at <= now:
        return format_html(
            'Rejection logged. The {} is due now, by {}: <a href="{}" class="alert-link">'
            "write it</a> when you are ready.",
            label,
            when_text(first.deadline_at),
            first.get_absolute_url(),
        )
    return (
        f"Rejection logged. Take a breath: Open Doors will remind you on "
        f"{when_text(first.due_at)} ({label}), once the sting has passed."
    )


def sync_interview(*, interview: Interview) -> None:
    """Create or move the interview thank-you."""
    application = interview.application
    if application.company.door_is_closed:
        return
    profile = interview.owner.profile
    contact = interview.interviewers.order_by("name", "pk").first()
    for rule in rules.rules_triggered_by(rules.Trigger.INTERVIEW_LOGGED):
        _ensure_followup(
            rule,
            owner=interview.owner,
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
                owner=owner, company=company, kind__in=rules.kinds_where("ends_when_hired")
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
    situation = rules.Situation.of(previous, contact)
    for rule in rules.rules_triggered_by(rules.Trigger.APPLIED_AFTER_REJECTION):
        if not situation.allows(rule):
            continue
        _ensure_followup(
            rule,
            owner=owner,
            anchor=logged_at,
            profile=owner.profile,
            now=now,
            links={
                "company": company,
                "application": application,
                "rejection": previous,
                "contact": contact,
            },
        )


def opening_found(
    *, rejection: Rejection, title: str, url: str, key: str, now: dt.datetime
) -> FollowUp | None:
    """A posting matching a role the person was turned down for appeared on the company's
    watched board, after the cooldown: the note to the old recruiter, with the posting's title
    and link in its draft (004: apply, and write to the recruiter you know).

    One per posting (`key`, the board's id for it). None when the door is closed, or there is
    nobody to write to."""
    company = rejection.application.company
    if company.door_is_closed:
        return None
    rule = rules.rule_for(Kind.RECRUITER_NOTE)
    contact = rejection.contact or _company_contact(company)
    if not rules.Situation.of(rejection, contact).allows(rule):
        return None
    profile = rejection.owner.profile
    window = rules.schedule(rule, anchor=now, hours=ReminderHours.of(profile), profile=profile)
    followup, created = FollowUp.objects.get_or_create(
        owner=rejection.owner,
        key=f"{rule.kind}:opening-{key}"[:120],
        defaults={
            "kind": rule.kind,
            "company": company,
            "rejection": rejection,
            "contact": contact,
            "anchor_at": now,
            "due_at": window.due_at,
            "deadline_at": window.deadline_at,
            "opening_title": title[:200],
            "opening_url": url[:500],
        },
    )
    if created:
        _plan_reminder(followup, profile=profile, now=now)
    return followup


def feedback_logged(*, feedback: Feedback) -> None:
    """Feedback arrived: the nudge asking for it is no longer needed."""
    _cancel_followups(
        FollowUp.objects.filter(
            owner=feedback.owner,
            rejection_id=feedback.rejection_id,
            kind__in=rules.kinds_where("ended_by_feedback"),
        ),
        reason="The feedback arrived.",
    )


def follow_application_move(*, application: Application, contacts: dict[int, int]) -> int:
    """An application moved to another company: its pending follow-ups (from the
    application, its interviews and its rejection) name the new company, and the contacts
    that moved with it (old id -> new id). Done ones stay as they happened."""
    pending = FollowUp.objects.filter(
        Q(application=application)
        | Q(rejection__application=application)
        | Q(interview__application=application),
        owner_id=application.owner_id,
        status=FollowUp.Status.PENDING,
    )
    moved = pending.update(company=application.company)
    for old, new in contacts.items():
        pending.filter(contact_id=old).update(contact_id=new)
    return moved


def door_closing_plan(*, company: Company) -> tuple[list[FollowUp], list[FollowUp]]:
    """What closing the door at `company` would cancel, and what it keeps unless asked: the
    notes about an application there that is still in progress (a live re-application)."""
    pending = list(
        FollowUp.objects.filter(
            owner_id=company.owner_id, company=company, status=FollowUp.Status.PENDING
        )
        .select_related("company", "contact", "application")
        .order_by("due_at", "pk")
    )
    live = set(rules.kinds_where("serves_live_application"))
    kept = [f for f in pending if f.kind in live and f.application and f.application.is_active]
    return [f for f in pending if f not in kept], kept


def close_door(*, company: Company, now: dt.datetime, include_live: bool = False) -> int:
    """The person closes the door at a company: what is pending there is cancelled, except
    the notes about an application still in progress, unless `include_live`.

    Returns how many follow-ups were cancelled. Closing twice keeps the first date.
    """
    with transaction.atomic():
        Company.objects.filter(pk=company.pk, door_closed_at__isnull=True).update(
            door_closed_at=now, updated_at=now
        )
        company.refresh_from_db(fields=["door_closed_at"])
        cancel, kept = door_closing_plan(company=company)
        if include_live:
            cancel += kept
        return _cancel_followups(
            FollowUp.objects.filter(pk__in=[f.pk for f in cancel]),
            reason="You closed the door at this company.",
        )


def reopen_door(*, company: Company, now: dt.datetime) -> bool:
    """The person reopens a closed door: new events there plan follow-ups again (what was
    cancelled when it closed stays cancelled). Returns whether it was closed."""
    return bool(
        Company.objects.filter(pk=company.pk, door_closed_at__isnull=False).update(
            door_closed_at=None, updated_at=now
        )
    )


# --- Door strength --------------------------------------------------------------------------------


def door_strength(*, rejection: Rejection) -> rules.DoorStrength:
    """How strong the door a rejection left is (rules.door_strength): its stage, feedback
    given, open-door words in it, and any reply from someone at the company."""
    return rules.door_strength(
        stage=rejection.stage_reached,
        feedback=Feedback.objects.filter(rejection_id=rejection.pk).exists(),
        open_door=bool(rejection.open_door_signals),
        replied=Reply.objects.filter(
            owner_id=rejection.owner_id, company_id=rejection.application.company_id
        ).exists(),
    )


def record_open_door_signals(*, rejection: Rejection, phrases: Iterable[str]) -> list[str]:
    """Keep the open-door phrases the person confirmed in a rejection ("keep you in mind").

    The inbox reader (the capture app) finds them and asks; this stores what was confirmed,
    trimmed, without duplicates, at most 10 of 200 characters. Returns what is kept."""
    kept: list[str] = list(rejection.open_door_signals or [])
    for phrase in phrases:
        phrase = " ".join(str(phrase).split())[:200]
        if phrase and phrase.casefold() not in {k.casefold() for k in kept} and len(kept) < 10:
            kept.append(phrase)
    Rejection.objects.filter(pk=rejection.pk).update(open_door_signals=kept)
    rejection.open_door_signals = kept
    return kept


# --- The person acts ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an action did: whether it changed anything, what it started, and one sentence
    for the person (the follow-up page, the dashboard and the email-link page all show it)."""

    followup: FollowUp
    changed: bool
    verb: str = ""  # "done", "skip", "snooze", "reschedule"
    scheduled: list[FollowUp] = field(default_factory=list)
    # The rule whose cap of unanswered check-ins was reached: suggest closing the door.
    capped_by: rules.Rule | None = None
    # A snooze or reschedule past the follow-up's deadline moved it: the old deadline.
    passed_deadline: dt.datetime | None = None

    @property
    def suggest_closing_door(self) -> bool:
        return self.capped_by is not None

    @property
    def cap_text(self) -> str:
        """ "Four check-ins went unanswered: consider closing the door at Acme." """
        if self.capped_by is None:
            return ""
        count = self.capped_by.cap_words.capitalize()
        return (
            f"{count} check-ins went unanswered: consider closing the door at "
            f"{self.followup.company.name}."
        )

    def message(self) -> str:
        followup = self.followup
        if not self.changed:
            return f"Nothing changed: this one is already {followup.get_status_display().lower()}."
        action = followup.action_text
        if self.verb == "done":
            parts = [f"Marked as sent: {action}."]
            parts += [
                f"Next: {step.rule.label}, due {when_text(step.due_at)}." for step in self.scheduled
            ]
            if self.capped_by is not None:
                parts.append(self.cap_text)
            return " ".join(parts)
        if self.verb == "skip":
            return " ".join(filter(None, [f"Skipped: {action}.", self.cap_text]))
        if self.verb == "snooze":
            text = f"Snoozed until {when_text(followup.due_at)}: {action}."
        else:
            text = f"Now due {when_text(followup.due_at)}: {action}."
        if self.passed_deadline is not None:
            text += (
                f" That is after its deadline ({when_text(self.passed_deadline)}): it is now "
                f"due by {when_text(followup.deadline_at)}."
            )
        return text


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
    rule = followup.rule
    asked = bool(asked_for_feedback) and rule.asks_for_feedback
    got_reply = bool(got_reply) and rule.counts_replies
    with transaction.atomic():
        changed = FollowUp.objects.filter(
            pk=followup.pk, status__in=(FollowUp.Status.PENDING, FollowUp.Status.MISSED)
        ).update(
            status=FollowUp.Status.DONE,
            done_at=done_at,
            sent_text=sent_text or "",
            asked_for_feedback=asked,
            got_reply=got_reply,
            updated_at=now,
        )
        followup.refresh_from_db()
        if not changed:
            return Outcome(followup=followup, changed=False, verb="done")
        _cancel_reminders([followup.pk], reason="You marked it sent.")
        if followup.contact_id:
            Contact.objects.filter(pk=followup.contact_id).filter(
                Q(last_touch_at__isnull=True) | Q(last_touch_at__lt=done_at)
            ).update(last_touch_at=done_at)
        scheduled, capped_by = _start_next_steps(followup, anchor=done_at, skipped=False, now=now)
    return Outcome(
        followup=followup, changed=True, verb="done", scheduled=scheduled, capped_by=capped_by
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
            return Outcome(followup=followup, changed=False, verb="skip")
        _cancel_reminders([followup.pk], reason="You skipped it.")
        scheduled, capped_by = _start_next_steps(followup, anchor=now, skipped=True, now=now)
    return Outcome(
        followup=followup, changed=True, verb="skip", scheduled=scheduled, capped_by=capped_by
    )


def save_draft(*, followup: FollowUp, subject: str, body: str) -> bool:
    """Keep the draft as the person edited it, while the follow-up is pending. An empty body
    brings the drafted one back. Returns whether it was saved."""
    body = body.replace("\r\n", "\n").strip()
    subject = " ".join(subject.split()) if body else ""
    saved = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.PENDING).update(
        draft_subject=subject, draft_body=body, updated_at=timezone.now()
    )
    if saved:
        followup.draft_subject, followup.draft_body = subject, body
    return bool(saved)


def snooze(*, followup: FollowUp, until: dt.datetime) -> Outcome:
    """Remind me later: the due time moves to `until`, placed in the person's hours."""
    return _move(followup=followup, due_at=until, place=True)


def reschedule(*, followup: FollowUp, due_at: dt.datetime) -> Outcome:
    """The person picks the due time themselves; the reminder still goes out in their hours."""
    return _move(followup=followup, due_at=due_at, place=False)


def missed_cutoff(now: dt.datetime) -> dt.datetime:
    """Pending follow-ups whose deadline is before this are past their grace (MISSED_GRACE_DAYS):
    the dashboard lists them under "Missed" instead of "Due now"."""
    return now - dt.timedelta(days=settings.MISSED_GRACE_DAYS)


def dismiss_missed(*, owner, now: dt.datetime, ids: Iterable[int] | None = None) -> int:
    """The person dismisses follow-ups it is too late for: pending -> missed.

    Without `ids`: every pending one past its grace (the dashboard's "Dismiss all"). With
    `ids`: those of them, whatever their deadline (the follow-ups page's bulk action).
    Returns how many were dismissed. Nothing starts after a dismissed one.
    """
    queryset = FollowUp.objects.filter(owner=owner, status=FollowUp.Status.PENDING)
    queryset = (
        queryset.filter(deadline_at__lt=missed_cutoff(now))
        if ids is None
        else queryset.filter(pk__in=list(ids))
    )
    with transaction.atomic():
        pks = list(queryset.values_list("pk", flat=True))
        count = FollowUp.objects.filter(pk__in=pks, status=FollowUp.Status.PENDING).update(
            status=FollowUp.Status.MISSED,
            done_at=now,
            ended_note="You dismissed it.",
            updated_at=now,
        )
        _cancel_reminders(pks, reason="You dismissed it.")
    return count


def resume_reminders(*, owner, now: dt.datetime | None = None) -> int:
    """Re-plan the reminders of `owner`'s pending follow-ups after their settings changed
    (emails turned back on, hours, zone or delivery). Returns how many were planned.

    Only where the latest reminder is still waiting, was cancelled, or never existed: one that
    was sent (or failed, or is being sent) is not sent again.
    """
    now = now or timezone.now()
    profile = owner.profile
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
        profile = user.profile
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
    anchor: dt.datetime,
    profile: Profile,
    now: dt.datetime,
    links: dict,
    sequence: int = 1,
    move: bool = True,
    strength: rules.Strength | None = None,
) -> tuple[FollowUp | None, bool]:
    """The follow-up of `rule` for this event, and whether it is new: created once, moved
    while pending (unless `move` is off: a next step that an earlier action already started
    stays where it is).

    get_or_create relies on the (owner, key) unique constraint: two requests saving the same
    event at once end with one row.
    """
    scope_pk = rule.scope_pk(links)
    if scope_pk is None:  # e.g. a rule one per contact, for an event with no contact
        return None, False
    hours = ReminderHours.of(profile)
    window = rules.schedule(rule, anchor=anchor, hours=hours, profile=profile, strength=strength)
    # An event recorded after the follow-up's deadline (an interview logged two weeks late):
    # the step is on the record as missed, never emailed and never "due now".
    missed = window.deadline_at <= now
    followup, created = FollowUp.objects.get_or_create(
        owner=owner,
        key=rule.key(scope_pk, sequence),
        defaults={
            "kind": rule.kind,
            "sequence": sequence,
            "anchor_at": anchor,
            "due_at": window.due_at,
            "deadline_at": window.deadline_at,
            "status": FollowUp.Status.MISSED if missed else FollowUp.Status.PENDING,
            "ended_note": MISSED_ON_ARRIVAL if missed else "",
            **links,
        },
    )
    if created and missed:
        # What a skipped one would start (the next keep-in-touch), counted from now.
        _start_next_steps(followup, anchor=now, skipped=True, now=now)
        return followup, True
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
) -> tuple[list[FollowUp], rules.Rule | None]:
    """The rules that `followup` ending starts; and the rule whose cap was reached, if any
    (then the person is told to consider closing the door)."""
    company = followup.company
    if company.door_is_closed:
        return [], None
    profile = followup.owner.profile
    scheduled: list[FollowUp] = []
    capped_by = None
    # How strong the door is decides which next steps it is worth and their cadence.
    strength = (
        door_strength(rejection=followup.rejection).strength if followup.rejection_id else None
    )
    for rule in rules.rules_after(followup.kind, skipped=skipped):
        if not rule.worth_it(strength):
            continue
        sequence = followup.sequence + 1 if rule.kind == followup.kind else 1
        holds = _conditions_hold(rule, previous=followup)
        if (
            not holds
            and rules.Condition.UNDER_CAP in rule.conditions
            and _hit_cap(rule, previous=followup)
        ):
            capped_by = rule
        if not holds:
            continue
        step, created = _ensure_followup(
            rule,
            owner=followup.owner,
            anchor=anchor,
            profile=profile,
            now=now,
            sequence=sequence,
            move=False,
            strength=strength,
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
    return scheduled, capped_by


def _conditions_hold(rule: rules.Rule, *, previous: FollowUp) -> bool:
    C = rules.Condition
    for condition in rule.conditions:
        if condition in rules.EVENT_CONDITIONS:
            continue  # checked when the event was recorded (rules.Situation)
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


def unanswered_streak(*, owner, rejection_id: int, kind: str) -> int:
    """How many check-ins in a row were sent with no reply (skipped ones don't count).

    The count starts after the last reply: one ticked "they wrote back", or a "They replied"
    recorded on or after the day a check-in was sent (followups.replies)."""
    last_reply = (
        Reply.objects.filter(owner=owner, rejection_id=rejection_id)
        .order_by("-replied_on")
        .values_list("replied_on", flat=True)
        .first()
    )
    zone = owner.profile.zone if last_reply else None
    streak = 0
    for status, got_reply, done_at in (
        FollowUp.objects.filter(owner=owner, rejection_id=rejection_id, kind=kind)
        .order_by("-sequence")
        .values_list("status", "got_reply", "done_at")
    ):
        if got_reply:
            break
        if last_reply and done_at and done_at.astimezone(zone).date() <= last_reply:
            break
        streak += status == FollowUp.Status.DONE
    return streak


def _hit_cap(rule: rules.Rule, *, previous: FollowUp) -> bool:
    if rule.cap is None or previous.rejection_id is None:
        return False
    streak = unanswered_streak(
        owner=previous.owner, rejection_id=previous.rejection_id, kind=rule.kind
    )
    return streak >= rule.cap


def _move(*, followup: FollowUp, due_at: dt.datetime, place: bool) -> Outcome:
    verb = "snooze" if place else "reschedule"
    now = timezone.now()
    profile = followup.owner.profile
    hours = ReminderHours.of(profile)
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update()
            .filter(pk=followup.pk, status=FollowUp.Status.PENDING)
            .first()
        )
        if current is None:
            followup.refresh_from_db()
            return Outcome(followup=followup, changed=False, verb=verb)
        old = rules.Window(due_at=current.due_at, deadline_at=current.deadline_at)
        window = rules.moved_window(due_at=due_at, old=old, hours=hours, place=place)
        current.due_at, current.deadline_at = window.due_at, window.deadline_at
        current.save(update_fields=["due_at", "deadline_at", "updated_at"])
        _plan_reminder(current, profile=profile, now=now)
    followup.refresh_from_db()
    passed = old.deadline_at if window.deadline_at > old.deadline_at else None
    return Outcome(followup=followup, changed=True, verb=verb, passed_deadline=passed)


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
    reminder.message_id = outbox.message_id("reminder", reminder.pk)
    Reminder.objects.filter(pk=reminder.pk).update(message_id=reminder.message_id)
    return reminder


def cancel_followups(queryset, *, reason: str) -> int:
    """Cancel what is still pending in `queryset`, with its reminders (followups.replies)."""
    return _cancel_followups(queryset, reason=reason)


def plan_reminder(followup: FollowUp, *, profile: Profile, now: dt.datetime) -> Reminder | None:
    """Re-plan a moved follow-up's one reminder (followups.replies)."""
    return _plan_reminder(followup, profile=profile, now=now)


def start_next_steps(followup: FollowUp, *, anchor: dt.datetime, now: dt.datetime) -> list:
    """Start what a sent `followup` leads to, counted from `anchor` (followups.replies)."""
    return _start_next_steps(followup, anchor=anchor, skipped=False, now=now)[0]


def _cancel_followups(queryset, *, reason: str, note: str = "") -> int:
    now = timezone.now()
    ids = list(queryset.filter(status=FollowUp.Status.PENDING).values_list("pk", flat=True))
    if not ids:
        return 0
    count = FollowUp.objects.filter(pk__in=ids, status=FollowUp.Status.PENDING).update(
        status=FollowUp.Status.CANCELLED, ended_note=note or reason, updated_at=now
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
