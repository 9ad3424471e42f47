"""They replied: the relationship answered, so the engine reacts to it, not to the clock.

`record_reply` is the one writer of `Reply` rows. The person calls it through "They replied"
(the follow-up page, the dashboard, a reminder email's signed link); the inbox watch (the
`capture` app) calls it with `source=Reply.Source.INBOX` once the person has confirmed a
"Dana replied?" suggestion, never on its own.

What a reply does is in the rule table (`followups.rules`):
1. `ended_by_reply`: pending follow-ups that chase an answer (the feedback nudge) are cancelled.
2. `moved_by_reply`: the next check-in counts from the reply: due = reply day + the rule's
   cadence (the person's keep-in-touch days), only ever later than it was.
3. `counts_replies`: a sent check-in that got the reply is marked answered, so the cap of
   unanswered check-ins counts from the last reply (`services.unanswered_streak`); a chain
   the cap had stopped starts again from the reply.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.dates import day_text, when_text
from applications.models import Contact
from followups import rules, services
from followups.hours import ReminderHours, localize
from followups.models import FollowUp, Reply

Status = FollowUp.Status


@dataclass
class ReplyOutcome:
    followup: FollowUp
    reply: Reply
    created: bool
    cancelled: list[str] = field(default_factory=list)  # action texts
    moved: list[FollowUp] = field(default_factory=list)
    scheduled: list[FollowUp] = field(default_factory=list)

    def message(self) -> str:
        """One sentence for the page, the dashboard and the email-link page."""
        who = self.followup.contact.first_name if self.followup.contact_id else "They"
        if not self.created:
            return f"Already recorded: {who} replied on {day_text(self.reply.replied_on)}."
        parts = [f"Recorded: {who} replied on {day_text(self.reply.replied_on)}."]
        parts += [
            f"Next {step.rule.label.lower()} now due {when_text(step.due_at)}."
            for step in [*self.moved, *self.scheduled]
        ]
        parts += [f"No need any more: {text}." for text in self.cancelled]
        return " ".join(parts)


def reply_moment(replied_on: dt.date, *, zone, now: dt.datetime) -> dt.datetime:
    """The time a reply counts from: now for today's, midday on the person's clock otherwise."""
    if replied_on >= now.astimezone(zone).date():
        return now
    return min(localize(dt.datetime.combine(replied_on, dt.time(12)), zone), now)


def in_scope(followup: FollowUp, queryset: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """The follow-ups a reply to `followup` speaks for: the same rejection, or (an interview
    thank-you has none) the same company."""
    if followup.rejection_id:
        return queryset.filter(rejection_id=followup.rejection_id)
    return queryset.filter(company_id=followup.company_id)


def record_reply(
    *,
    followup: FollowUp,
    replied_on: dt.date,
    words: str = "",
    source: str = Reply.Source.PERSON,
    now: dt.datetime | None = None,
) -> ReplyOutcome:
    """Record that the contact wrote back after `followup` (pending or sent), and react.

    1. One Reply per follow-up and day (a double click or a replayed link adds nothing).
    2. A sent follow-up that counts replies is marked answered; the contact's last touch moves.
    3. Pending follow-ups the rules end on a reply are cancelled.
    4. Pending check-ins move to the reply day + their cadence, when that is later.
    5. A keep-in-touch chain the cap had ended starts again from the reply.
    """
    now = now or timezone.now()
    profile = followup.owner.profile
    zone = profile.zone
    moment = reply_moment(replied_on, zone=zone, now=now)
    words = words.replace("\r\n", "\n").strip()
    with transaction.atomic():
        try:
            with transaction.atomic():
                reply, created = Reply.objects.get_or_create(
                    followup=followup,
                    replied_on=replied_on,
                    defaults={
                        "owner_id": followup.owner_id,
                        "company_id": followup.company_id,
                        "rejection_id": followup.rejection_id,
                        "contact_id": followup.contact_id,
                        "words": words,
                        "source": source,
                    },
                )
        except IntegrityError:  # the same reply recorded at the same moment elsewhere
            reply, created = Reply.objects.get(followup=followup, replied_on=replied_on), False
        outcome = ReplyOutcome(followup=followup, reply=reply, created=created)
        if not created:
            return outcome
        if followup.status == Status.DONE and followup.rule.counts_replies:
            FollowUp.objects.filter(pk=followup.pk).update(got_reply=True, updated_at=now)
            followup.got_reply = True
        if followup.contact_id:
            Contact.objects.filter(pk=followup.contact_id).filter(
                Q(last_touch_at__isnull=True) | Q(last_touch_at__lt=moment)
            ).update(last_touch_at=moment)
        pending = in_scope(followup, FollowUp.objects.filter(owner_id=followup.owner_id))
        pending = pending.filter(status=Status.PENDING).select_related("company", "contact")
        ended = list(pending.filter(kind__in=rules.kinds_where("ended_by_reply")))
        outcome.cancelled = [step.action_text for step in ended]
        services.cancel_followups(
            FollowUp.objects.filter(pk__in=[step.pk for step in ended]),
            reason=f"They replied on {replied_on:%Y-%m-%d}.",
        )
        hours = ReminderHours.of(profile)
        rejection = followup.rejection if followup.rejection_id else None
        strength = services.door_strength(rejection=rejection).strength if rejection else None
        movable = list(pending.filter(kind__in=rules.kinds_where("moved_by_reply")))
        for step in movable:
            window = rules.schedule(
                step.rule, anchor=moment, hours=hours, profile=profile, strength=strength
            )
            if window.due_at <= step.due_at:
                continue  # already later than the reply's clock: a reply never hurries one
            FollowUp.objects.filter(pk=step.pk, status=Status.PENDING).update(
                due_at=window.due_at, deadline_at=window.deadline_at, updated_at=now
            )
            step.due_at, step.deadline_at = window.due_at, window.deadline_at
            services.plan_reminder(step, profile=profile, now=now)
            outcome.moved.append(step)
        if not movable and followup.status == Status.DONE and followup.rule.counts_replies:
            outcome.scheduled = services.start_next_steps(followup, anchor=moment, now=now)
    return outcome


def last_reply_on(*, owner, rejection_id: int) -> dt.date | None:
    """The day of the latest reply about a rejection (the cap of unanswered check-ins counts
    from it)."""
    return (
        Reply.objects.filter(owner=owner, rejection_id=rejection_id)
        .order_by("-replied_on")
        .values_list("replied_on", flat=True)
        .first()
    )
