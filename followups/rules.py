"""The follow-up rules: what the advice says to do after each event, and when.

One declarative table, read by the scheduler (`followups.services`), the reminder emails
and the drafts (`followups.drafts`). Each number names the article in the project's advice
folder it comes from (see docs/ENGINE.md):

    000_d137bdb0f9bd072e.txt  act classy, keep the contact, reach out after some time
    001_397169c1f284575e.txt  thank promptly, "same as the thank-you after an interview"
    002_415a15f6726579d9.txt  check back after 90 days, a typical probation period
    003_9bb60b33349fcefa.txt  24-48 h; a week or two, then one polite follow-up; LinkedIn;
                              every few months; don't be too persistent
    004_8a069ece5158a530.txt  not in the heat of the moment; don't reapply over and over;
                              the note to the old recruiter

Times are computed by `schedule()` below and `followups.hours`: nowhere else.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import apnumber

from accounts.models import CADENCE_BOUNDS
from followups.hours import Offset, ReminderHours, place_in_hours
from followups.models import FollowUp

Kind = FollowUp.Kind


class Trigger(StrEnum):
    REJECTION_LOGGED = "rejection_logged"  # anchor: when the rejection was received
    INTERVIEW_LOGGED = "interview_logged"  # anchor: when the interview took place
    APPLIED_AFTER_REJECTION = "applied_after_rejection"  # anchor: when the application was logged
    FOLLOWUP_ENDED = "followup_ended"  # anchor: when an earlier follow-up (`after`) was done


class Condition(StrEnum):
    """Named checks a rule needs before it fires; services.py evaluates them."""

    ASKED_FOR_FEEDBACK = "asked_for_feedback"  # the thank-you asked for feedback
    NO_FEEDBACK_YET = "no_feedback_yet"  # no feedback logged on the rejection
    CONTACT_ON_LINKEDIN = "contact_on_linkedin"  # the contact has a LinkedIn URL
    NOT_HIRED_THERE = "not_hired_there"  # no accepted offer at the company
    UNDER_CAP = "under_cap"  # fewer unanswered repeats than the rule's cap
    # What happened (a `Situation`), checked when the event is recorded:
    DECISION_GIVEN = "decision_given"  # the employer said no (not "never heard back")
    NEVER_HEARD_BACK = "never_heard_back"  # silence: the person gave up waiting
    SOMEONE_TO_ADDRESS = "someone_to_address"  # a contact, or a reply-to address


# A message fits what happened: silence is not a decision, a portal is not a person, and a
# CV-screen "no" is not a final-round one. These are what the rules below may ask of it.
EVENT_CONDITIONS = frozenset(
    {Condition.DECISION_GIVEN, Condition.NEVER_HEARD_BACK, Condition.SOMEONE_TO_ADDRESS}
)


@dataclass(frozen=True)
class Situation:
    """A rejection as the rules see it."""

    decided: bool  # the employer told the person; False for "never heard back"
    someone: bool  # there is someone to write to: a contact or a reply-to address
    early: bool  # turned down at the application / CV screen: a brief thank-you, no request
    stage: str = ""
    channel: str = ""

    @classmethod
    def of(cls, rejection, contact=None) -> "Situation":
        Channel, Stage = type(rejection).Channel, type(rejection).Stage
        return cls(
            decided=rejection.channel != Channel.NEVER_HEARD,
            someone=contact is not None or bool(rejection.reply_to),
            # 003 asks for feedback after interviews; after a CV screen, companies rarely give
            # it, so the thank-you stays two lines unless the person adds a request.
            early=rejection.stage_reached == Stage.APPLICATION,
            stage=rejection.stage_reached,
            channel=rejection.channel,
        )

    def allows(self, rule: "Rule") -> bool:
        checks = {
            Condition.DECISION_GIVEN: self.decided,
            Condition.NEVER_HEARD_BACK: not self.decided,
            Condition.SOMEONE_TO_ADDRESS: self.someone,
        }
        return all(checks[c] for c in rule.conditions if c in EVENT_CONDITIONS)


# --- Door strength ---------------------------------------------------------------------------


class Strength(IntEnum):
    """How strong an open door is: how far the person got, and what the company did since."""

    FAINT = 1  # turned down at the application / CV screen, nothing since
    FAIR = 2
    GOOD = 3
    STRONG = 4  # a finalist, or an interviewed door the company kept warm

    @property
    def label(self) -> str:
        return {1: "Faint door", 2: "Fair door", 3: "Good door", 4: "Strong door"}[self.value]


@dataclass(frozen=True)
class StrengthRule:
    """One thing that makes a door stronger, with the reason it does."""

    name: str
    points: int
    why: str
    source: str


# How far the person got: the further, the more people there know their work.
STAGE_STRENGTH: Mapping[str, StrengthRule] = {
    "application": StrengthRule(
        "application screen",
        1,
        "Turned down at the CV screen, nobody there has met you yet: the cooldown and one "
        "optional check-in are enough; apply again when a fitting role opens.",
        "004",
    ),
    "screening": StrengthRule(
        "recruiter screen",
        2,
        "A recruiter spoke with you: one person there knows you, worth a thank-you and the "
        "occasional check-in.",
        "003",
    ),
    "interview": StrengthRule(
        "interviews",
        3,
        "The team interviewed you and the employer may have future openings: stay on their radar.",
        "003",
    ),
    "final": StrengthRule(
        "final round",
        4,
        "A finalist was one decision away, and not every new hire works out: check in every "
        "60 to 90 days and connect on LinkedIn.",
        "002, 003",
    ),
    "offer": StrengthRule(
        "offer stage",
        4,
        "They were ready to hire you: keep this door as warm as a finalist's.",
        "002, 003",
    ),
}
# What the company did after the "no": each adds one point.
SIGNAL_STRENGTH: Mapping[str, StrengthRule] = {
    "feedback": StrengthRule(
        "feedback given",
        1,
        "They took the time to tell you why: the relationship is worth keeping up.",
        "003",
    ),
    "open_door": StrengthRule(
        "open-door words",
        1,
        "The rejection invited you back (keep you in mind, apply again): take them at their word.",
        "003",
    ),
    "replied": StrengthRule(
        "they replied",
        1,
        "Someone there answered your follow-up: a door that talks back is open.",
        "003",
    ),
}


@dataclass(frozen=True)
class DoorStrength:
    strength: Strength
    reasons: tuple[StrengthRule, ...]
    points: int = 0  # uncapped, to order doors of the same strength

    @property
    def label(self) -> str:
        return self.strength.label

    @property
    def reason_names(self) -> str:
        """ "final round · feedback given" """
        return " · ".join(reason.name for reason in self.reasons)


# Pure, and a handful of combinations: the open doors card asks once per door.
@lru_cache(maxsize=128)
def door_strength(
    *, stage: str, feedback: bool = False, open_door: bool = False, replied: bool = False
) -> DoorStrength:
    """A door's strength: the stage's points plus one per signal, at most STRONG."""
    stage_rule = STAGE_STRENGTH.get(stage, STAGE_STRENGTH["application"])
    signals = [
        SIGNAL_STRENGTH[name]
        for name, seen in (("feedback", feedback), ("open_door", open_door), ("replied", replied))
        if seen
    ]
    points = stage_rule.points + sum(signal.points for signal in signals)
    return DoorStrength(
        strength=Strength(min(points, Strength.STRONG)),
        reasons=(stage_rule, *signals),
        points=points,
    )


class Scope(StrEnum):
    """What a follow-up's idempotency key is built from: one row per (rule, scope object)."""

    REJECTION = "rejection"
    INTERVIEW = "interview"
    APPLICATION = "application"
    CONTACT = "contact"


@dataclass(frozen=True)
class Rule:
    kind: str
    trigger: Trigger
    scope: Scope
    due: Offset  # from the anchor
    deadline: Offset  # from the anchor, or from the due time when `window` is set
    window: bool = False  # the deadline is a window after the due time
    after: tuple[str, ...] = ()  # FOLLOWUP_ENDED: which kinds, when marked done
    also_after_skip: bool = False  # a skipped predecessor still starts the next one
    conditions: tuple[Condition, ...] = ()
    repeats: bool = False  # each one done schedules the next (sequence 2, 3, ...)
    cap: int | None = None  # at most this many (unanswered, for repeats)
    due_days_setting: str = ""  # Profile field overriding `due.days` (the person's cadence)
    # Door strength (see STRENGTH_RULES below): the weakest door this rule is worth, and the
    # cadence range (days) a strong door's check-ins are kept in.
    min_strength: Strength | None = None
    strong_cadence: tuple[int, int] | None = None
    in_hours: bool = True  # the due time moves into the person's reminder hours
    action: str = ""  # subject line: "Thank {who} at {company}"
    who_fallback: str = "the hiring team"
    why: str = ""  # one sentence from the advice, shown in the email and on the page
    source: str = ""  # advice file(s)
    # What the rest of the app asks of a kind (the draft itself: followups.drafts.DRAFTS[kind]).
    asks_for_feedback: bool = False  # marking it sent asks "did you ask for feedback?"
    counts_replies: bool = False  # marking it sent asks "did they write back?" (the cap counts)
    mentions_goals: bool = False  # its draft names the person's completed goals
    ends_when_hired: bool = False  # an accepted offer at the company cancels it
    ended_by_feedback: bool = False  # feedback arriving for the rejection cancels it
    ended_by_reply: bool = False  # the contact writing back ("They replied") cancels it
    moved_by_reply: bool = False  # a reply restarts its clock: due = reply day + its cadence
    # Logging the application's rejection cancels it: the rejection's own thank-you replaces
    # it ("help with your decision" makes no sense after a "no").
    ended_by_rejection: bool = False
    checks_in: bool = False  # a check-in with the company: keeps the door warm
    linkedin: bool = False  # a LinkedIn connection note, not an email
    # About an application still in progress: closing the door keeps it unless asked to.
    serves_live_application: bool = False

    def key(self, scope_pk: int, sequence: int = 1) -> str:
        """The idempotency key: unique per owner by a database constraint."""
        return f"{self.kind}:{self.scope}-{scope_pk}:{sequence}"

    def scope_pk(self, links) -> int | None:
        """The id of the object this rule's follow-ups are one per: from a dict of the event's
        links ({"rejection": ..., "contact": ...}) or from an earlier FollowUp."""
        if isinstance(links, dict):
            obj = links.get(str(self.scope))
            return obj.pk if obj is not None else None
        return getattr(links, f"{self.scope}_id")

    @property
    def label(self) -> str:
        """The kind's name for people: "LinkedIn connection"."""
        return Kind(self.kind).label if self.kind in Kind.values else self.kind.replace("_", " ")

    @property
    def cap_words(self) -> str:
        """The cap in words for sentences: "four"."""
        return str(apnumber(self.cap)) if self.cap is not None else ""

    def due_offset(self, profile=None, strength: Strength | None = None) -> Offset:
        days = self.due.days
        if self.due_days_setting and profile is not None:
            low, high = SETTING_BOUNDS[self.due_days_setting]
            days = min(max(int(getattr(profile, self.due_days_setting)), low), high)
        if self.strong_cadence and strength is not None and strength >= Strength.STRONG:
            low, high = self.strong_cadence
            days = min(max(days, low), high)
        return Offset(days=days, hours=self.due.hours)

    def worth_it(self, strength: Strength | None) -> bool:
        """Whether a door this strong gets this rule (None: no door to judge, e.g. an
        interview thank-you before any rejection)."""
        return self.min_strength is None or strength is None or strength >= self.min_strength

    def why_for(self, contact=None) -> str:
        """The rule's reason, naming the contact's role where it speaks of one."""
        role = contact.get_role_display().lower() if contact is not None else "recruiter"
        if role == "other":
            role = "person"
        return self.why.replace("{contact_role}", role)

    def action_for(self, *, who: str, company: str) -> str:
        return self.action.format(who=who or self.who_fallback, company=company)


# --- The table -------------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    rule.kind: rule
    for rule in (
        Rule(
            kind=Kind.REJECTION_THANKS,
            trigger=Trigger.REJECTION_LOGGED,
            scope=Scope.REJECTION,
            # 003: "send your thank you message within 24 to 48 hours of receiving the
            # rejection"; 004: "instead of responding in the heat of the moment, give yourself
            # some time" -- so due at the 24 h cool-off, deadline at 48 h.
            due=Offset(hours=24),
            deadline=Offset(hours=48),
            action="Thank {who} at {company}",
            # A thank-you "for letting me know" needs a decision and someone to thank.
            conditions=(Condition.DECISION_GIVEN, Condition.SOMEONE_TO_ADDRESS),
            asks_for_feedback=True,
            why=(
                "A short, gracious thank-you within 24 to 48 hours keeps the door open, and "
                "waiting a day keeps the heat of the moment out of it."
            ),
            source="003, 004",
        ),
        Rule(
            kind=Kind.INTERVIEW_THANKS,
            trigger=Trigger.INTERVIEW_LOGGED,
            scope=Scope.INTERVIEW,
            # 001: thank "in a timely manner - same as you would with the thank-you note
            # following a job interview": a few hours after it (3 h), within the day (24 h).
            due=Offset(hours=3),
            deadline=Offset(hours=24),
            action="Thank {who} at {company} for the interview",
            who_fallback="your interviewers",
            ended_by_rejection=True,
            why="A thank-you on the day of the interview shows you care about the role.",
            source="001",
        ),
        Rule(
            kind=Kind.FEEDBACK_NUDGE,
            trigger=Trigger.FOLLOWUP_ENDED,
            scope=Scope.REJECTION,
            after=(Kind.REJECTION_THANKS,),
            conditions=(Condition.ASKED_FOR_FEEDBACK, Condition.NO_FEEDBACK_YET),
            # 003: "Allow at least a week or two for the employer to respond", then "a polite
            # follow-up email": due 7 days after the request, deadline 14 days after it.
            due=Offset(days=7),
            deadline=Offset(days=14),
            # 003, mistakes: "Being too persistent or aggressive": one nudge, never two.
            cap=1,
            action="Follow up with {who} at {company} about feedback",
            ended_by_feedback=True,
            # They wrote back: the nudge would chase an answer already given.
            ended_by_reply=True,
            why=(
                "If the feedback you asked for has not come after a week, one polite follow-up "
                "is fine; more than one would be too persistent."
            ),
            source="003",
        ),
        Rule(
            kind=Kind.CHECK_IN,
            trigger=Trigger.REJECTION_LOGGED,
            scope=Scope.REJECTION,
            # 002: "check back in after 90 days - the length of a typical probation period -
            # and ask if anything has opened up". The 14-day window is the product's choice.
            due=Offset(days=90),
            deadline=Offset(days=14),
            window=True,
            conditions=(Condition.SOMEONE_TO_ADDRESS,),
            action="Check in with {who} at {company}",
            counts_replies=True,
            ends_when_hired=True,
            checks_in=True,
            # A reply is a touch: the next check-in counts from it, not from the old date.
            moved_by_reply=True,
            why=(
                "Not every new hire works out: after 90 days, a typical probation period, ask "
                "whether anything has opened up."
            ),
            source="002",
        ),
        Rule(
            kind=Kind.KEEP_IN_TOUCH,
            trigger=Trigger.FOLLOWUP_ENDED,
            scope=Scope.REJECTION,
            after=(Kind.CHECK_IN, Kind.KEEP_IN_TOUCH),
            also_after_skip=True,
            conditions=(Condition.NOT_HIRED_THERE, Condition.UNDER_CAP),
            # 003: "consider following up every few months"; 002: "follow up in a few months".
            # 90 days by default; the person picks 60-180 (Profile.keep_in_touch_days).
            due=Offset(days=90),
            due_days_setting="keep_in_touch_days",
            deadline=Offset(days=14),
            window=True,
            repeats=True,
            # 003, mistakes: "Being too persistent": after 4 check-ins nobody answered, stop
            # and suggest closing the door.
            cap=4,
            # A door closed at the CV screen gets one optional check-in, no series; a strong
            # door's series runs every 60-90 days (STRENGTH_RULES).
            min_strength=Strength.FAIR,
            strong_cadence=(60, 90),
            action="Keep in touch with {who} at {company}",
            counts_replies=True,
            ends_when_hired=True,
            checks_in=True,
            mentions_goals=True,
            # 003: "every few months" after the last contact: a reply restarts the clock.
            moved_by_reply=True,
            why=(
                "Following up every few months keeps you on their radar for the next opening, "
                "without pressing."
            ),
            source="003, 002",
        ),
        Rule(
            kind=Kind.LINKEDIN,
            trigger=Trigger.FOLLOWUP_ENDED,
            scope=Scope.CONTACT,
            after=(Kind.REJECTION_THANKS, Kind.INTERVIEW_THANKS),
            conditions=(Condition.CONTACT_ON_LINKEDIN,),
            # 003: "After sending a thank you note, consider sending a connection request on
            # LinkedIn": right away, within a week (the week is the product's choice).
            due=Offset(),
            deadline=Offset(days=7),
            cap=1,
            # Not after a CV-screen "no": nobody there met the person (STRENGTH_RULES).
            min_strength=Strength.FAIR,
            action="Connect with {who} at {company} on LinkedIn",
            linkedin=True,
            why=(
                "A personal connection request right after your thank-you keeps you in touch "
                "with the people you met."
            ),
            source="003",
        ),
        Rule(
            kind=Kind.RECRUITER_NOTE,
            trigger=Trigger.APPLIED_AFTER_REJECTION,
            scope=Scope.APPLICATION,
            # 004: "fire off that application and then send your old recruiter a note":
            # right away, within 3 days (the product's choice) while the application is fresh.
            due=Offset(),
            deadline=Offset(days=3),
            conditions=(Condition.SOMEONE_TO_ADDRESS,),
            action="Tell {who} at {company} you applied again",
            who_fallback="your old recruiter",
            mentions_goals=True,
            serves_live_application=True,
            # "recruiter" follows the contact's role ("the hiring manager you already know").
            why=(
                "A note to the {contact_role} you already know beats hoping someone new reads "
                "your résumé: remind them how you met, what you did since, and why this role."
            ),
            source="004",
        ),
        Rule(
            kind=Kind.CLOSE_THE_LOOP,
            trigger=Trigger.REJECTION_LOGGED,
            scope=Scope.REJECTION,
            # Silence is not a decision: no thank-you "for letting me know". 002 and 003: stay
            # connected and keep the door open; one short, optional note that closes the loop,
            # within the week (the product's choice), and never a nudge after it.
            conditions=(Condition.NEVER_HEARD_BACK, Condition.SOMEONE_TO_ADDRESS),
            due=Offset(days=1),
            deadline=Offset(days=7),
            cap=1,
            action="Close the loop with {who} at {company} (optional)",
            why=(
                "You never heard back, so there is nothing to thank them for yet: a short, "
                "friendly note closes the loop and keeps the door open, if you want to send one."
            ),
            source="002, 003",
        ),
    )
}


def rule_for(kind: str) -> Rule:
    return RULES[kind]


def kinds_where(flag: str) -> list[str]:
    """The kinds whose rule has `flag` set, for queries: kinds_where("checks_in")."""
    return [kind for kind, rule in RULES.items() if getattr(rule, flag)]


def rules_triggered_by(trigger: Trigger) -> list[Rule]:
    return [rule for rule in RULES.values() if rule.trigger == trigger]


def rules_after(kind: str, *, skipped: bool = False) -> list[Rule]:
    """The rules a follow-up of `kind` starts when it is marked done (or skipped)."""
    return [
        rule
        for rule in RULES.values()
        if rule.trigger == Trigger.FOLLOWUP_ENDED
        and kind in rule.after
        and (not skipped or rule.also_after_skip)
    ]


# --- Numbers that are not follow-ups ------------------------------------------------------------

# The person's cadences live on their Profile, which declares their bounds (accounts.models).
SETTING_BOUNDS: dict[str, tuple[int, int]] = CADENCE_BOUNDS


# The LinkedIn connection note's limit (LinkedIn refuses longer notes); drafts read it.
LINKEDIN_NOTE_MAX_CHARS = 300


# --- The one place follow-up times are computed ---------------------------------------------------


@dataclass(frozen=True)
class Window:
    due_at: dt.datetime
    deadline_at: dt.datetime


def schedule(
    rule: Rule,
    *,
    anchor: dt.datetime,
    hours: ReminderHours,
    profile=None,
    strength: Strength | None = None,
) -> Window:
    """When a follow-up of `rule` is due and by when, from its anchor event.

    1. Due = anchor + the rule's offset (the person's cadence where the rule has one, kept in
       the rule's strong cadence for a strong door).
    2. Deadline = anchor + deadline offset, or due + window for windowed rules.
    3. The deadline lands inside the person's hours: when the arithmetic falls outside
       them, the end of that day's window.
    4. The due time moves into the person's reminder hours, never past the deadline.
    """
    raw_due = rule.due_offset(profile, strength).after(anchor, hours.zone)
    deadline = rule.deadline.after(raw_due if rule.window else anchor, hours.zone)
    if rule.in_hours:
        deadline = hours.deadline_from(deadline)
    due = place_in_hours(raw_due, hours, deadline=deadline) if rule.in_hours else raw_due
    return Window(due_at=due, deadline_at=max(deadline, due))


def moved_window(
    *, due_at: dt.datetime, old: Window, hours: ReminderHours, place: bool = True
) -> Window:
    """A snoozed (place=True: into the person's hours) or rescheduled (place=False: exactly
    as picked) follow-up's new window.

    The deadline stays, unless the new due time passes it: then the follow-up keeps the
    length of its original window after the new due time.
    """
    due_at = due_at.astimezone(dt.UTC)
    deadline = old.deadline_at
    if due_at > deadline:
        deadline = due_at + max(old.deadline_at - old.due_at, dt.timedelta(hours=1))
    due = place_in_hours(due_at, hours, deadline=deadline) if place else due_at
    return Window(due_at=due, deadline_at=max(deadline, due))


def reminder_time(
    *,
    due_at: dt.datetime,
    deadline_at: dt.datetime,
    hours: ReminderHours,
    digest: bool,
    now: dt.datetime,
) -> tuple[dt.datetime, bool]:
    """When the reminder email goes out, and whether it goes in the daily digest.

    Immediate: the due time (or now, if already due) placed in the person's hours.
    Digest: the next start of their hours at or after that, unless that is after the
    deadline; then it goes out on its own, as an immediate reminder would.
    """
    moment = max(due_at, now)
    if digest:
        slot = hours.next_start_from(moment)
        if slot <= deadline_at or moment >= deadline_at:
            return slot, True
    return place_in_hours(moment, hours, deadline=deadline_at), False
