"""The dashboard's cards: one selector per card, each `(user, now)` in, plain data out.

Each card has one template in templates/dashboard/cards/. Query counts do not grow with the
amount of data: every card is one query (subqueries and window counts, no per-row lookups),
and the drafts of the due-now rows are prefetched in a fixed number of queries. Two cards
reuse another card's rows instead of asking again, through a keyword argument the view
passes: cooling off is a view of the open doors, and the drafts take the completed goals
the goals card already loaded. The whole page stays within 12 queries
(tests/dashboard/test_query_count.py).
"""

import datetime as dt
import heapq
import json
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, Lower, RowNumber
from django.db.models.lookups import Exact, GreaterThan

from accounts.models import Profile
from accounts.routes import pk_url, pk_urls
from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from applications.reapplying import REAPPLY_COOLDOWN
from followups import rules
from followups.drafts import (
    DRAFT_SELECT_RELATED,
    DRAFT_UNREAD,
    Draft,
    attach_draft_related,
    draft_for,
    reads_goals,
)
from followups.forms import DoneForm
from followups.models import FollowUp, Reminder, Reply
from followups.reused import ReusedQuery, Unplanned
from followups.services import missed_cutoff
from goals.models import ImprovementGoal
from watch.matching import matches
from watch.models import Opening
from watch.selectors import OpeningRow

Kind = FollowUp.Kind
Status = FollowUp.Status

# How many rows a card lists; the card says how many more there are.
DUE_SHOWN = 10
COMING_UP_SHOWN = 10
MISSED_SHOWN = 10
INTERVIEWS_SHOWN = 5
DOORS_SHOWN = 10
COOLING_SHOWN = 10
GOALS_SHOWN = 5
# "Coming up this week".
COMING_UP_DAYS = 7
# Keep going. 000: "don't stop looking"; 003: "keep applying to positions that interest you".
# The thresholds: fewer than 5 active applications, or none in the last 7 days.
MIN_ACTIVE_APPLICATIONS = 5
APPLY_AT_LEAST_EVERY_DAYS = 7
CHECK_IN_KINDS = rules.kinds_where("checks_in")


# --- Small helpers ----------------------------------------------------------------------------


def _local_date(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def _warm_days(profile: Profile) -> int:
    """A door is warm while it was touched within the person's keep-in-touch cadence
    (90 days by default: "warm: touched in the last 90 days")."""
    return rules.rule_for(Kind.KEEP_IN_TOUCH).due_offset(profile).days


# --- Due now and overdue ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowLinks:
    """Where a follow-up row's buttons and links go."""

    detail: str
    done: str
    snooze: str
    skip: str
    replied: str
    draft_save: str


_ROW_ROUTES = (
    "followups:followup-detail",
    "dashboard:followup-done",
    "dashboard:followup-snooze",
    "dashboard:followup-skip",
    "dashboard:followup-replied",
    "followups:draft-save",
)


@dataclass(frozen=True)
class FollowUpRow:
    pk: int
    kind: str
    kind_label: str
    action: str  # "Thank Dana at Acme"
    why: str
    company: str
    company_url: str
    contact_name: str
    due_at: dt.datetime
    deadline_at: dt.datetime
    is_overdue: bool
    # Due-now rows only:
    draft: Draft | None = None
    # The one Mark-as-sent form (its ticks: "I asked for feedback", "They wrote back").
    done_form: DoneForm | None = None
    # Its reminder email could not be delivered (the engine marks it failed).
    reminder_failed: bool = False

    @cached_property
    def links(self) -> RowLinks:
        """Put together once per row: a due row's template repeats them (form and htmx)."""
        return RowLinks(*pk_urls(_ROW_ROUTES, self.pk))


@dataclass(frozen=True)
class DueNowCard:
    rows: list[FollowUpRow]
    total: int
    overdue: int
    failed_reminders: int = 0  # due follow-ups whose reminder email could not be delivered

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _row(followup: FollowUp, now: dt.datetime, draft: Draft | None = None) -> FollowUpRow:
    rule = followup.rule
    contact = followup.contact
    return FollowUpRow(
        pk=followup.pk,
        kind=followup.kind,
        kind_label=rule.label,
        action=followup.action_text,
        why=followup.why_text,
        company=followup.company.name,
        company_url=pk_url("applications:company-detail", followup.company_id),
        contact_name=contact.name if contact else "",
        due_at=followup.due_at,
        deadline_at=followup.deadline_at,
        is_overdue=followup.is_overdue(now),
        draft=draft,
        # Due-now rows only (their rejection is loaded with the drafts: no query per row).
        done_form=DoneForm(followup=followup) if draft is not None else None,
        reminder_failed=bool(getattr(followup, "reminder_failed", False)),
    )


def _sum_of(condition: Q) -> Sum:
    """How many rows meet `condition` (over a window: all rows, not only the listed ones)."""
    return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))


# The parts of the person's pending follow-ups that the three cards list.
DUE, MISSED, COMING = 0, 1, 2
_SHOWN = {DUE: DUE_SHOWN, MISSED: MISSED_SHOWN, COMING: COMING_UP_SHOWN}


def _pending_query(
    user_id: int, now: dt.datetime, missed_before: dt.datetime, week_end: dt.datetime
) -> QuerySet:
    """Which pending follow-ups the due-now, missed and coming-up cards list, and how many
    each has: due by `now` (missed when the deadline is before `missed_before`, the grace
    period ago) or due by `week_end`; the first of each part, every row carrying its part's
    counts. Due and missed rows go by deadline, coming ones by when they become due."""
    part = Case(
        When(due_at__gt=now, then=Value(COMING)),
        When(deadline_at__lt=missed_before, then=Value(MISSED)),
        default=Value(DUE),
        output_field=IntegerField(),
    )
    first_key = Case(When(due_at__gt=now, then=F("due_at")), default=F("deadline_at"))
    by_part = {"partition_by": F("part")}
    return (
        FollowUp.objects.filter(owner_id=user_id, status=Status.PENDING, due_at__lte=week_end)
        .annotate(
            part=part,
            reminder_failed=Exists(
                Reminder.objects.filter(followup=OuterRef("pk"), status=Reminder.Status.FAILED)
            ),
        )
        .annotate(
            nth=Window(
                RowNumber(), order_by=(first_key.asc(), F("due_at").asc(), F("pk").asc()), **by_part
            ),
            total=Window(Count("pk"), **by_part),
            overdue=Window(_sum_of(Q(deadline_at__lt=now)), **by_part),
            failed_reminders=Window(_sum_of(Q(reminder_failed=True)), **by_part),
        )
        .filter(nth__lte=max(_SHOWN.values()))
        .order_by("part", "nth")
        .values_list("pk", "part", "nth", "total", "overdue", "failed_reminders", "reminder_failed")
    )


# Built by the ORM once per process (followups.reused): the windows cost more to build and
# compile than to run.
_PENDING = ReusedQuery(
    _pending_query, user_id=int, now=dt.datetime, missed_before=dt.datetime, week_end=dt.datetime
)


def _listed_load(ids: list[int]) -> QuerySet[FollowUp]:
    """The listed follow-ups with what their drafts read. The person's own row (with their
    profile) stands for every follow-up's owner."""
    related = [name for name in DRAFT_SELECT_RELATED if not name.startswith("owner")]
    return FollowUp.objects.select_related(*related).defer(*DRAFT_UNREAD).filter(pk__in=ids)


# Written by the ORM once per number of rows (followups.reused): its dozen joins cost more to
# write than to run.
_LISTED_LOAD = ReusedQuery(_listed_load, instances=True, ids=list)


@dataclass(frozen=True)
class PendingRows:
    """The follow-ups the due-now, missed and coming-up cards list, from two queries: which
    ones (with each part's counts), then those rows with what their drafts read."""

    parts: dict[int, list[FollowUp]]
    counts: dict[int, dict]

    def rows(self, part: int) -> list[FollowUp]:
        return self.parts.get(part, [])

    def count(self, part: int, name: str) -> int:
        return self.counts.get(part, {}).get(name) or 0


def pending_rows(user, now: dt.datetime) -> PendingRows:
    listed = [
        row
        for row in _PENDING(
            user_id=user.pk,
            now=now,
            missed_before=missed_cutoff(now),
            week_end=now + dt.timedelta(days=COMING_UP_DAYS),
        )
        if row["nth"] <= _SHOWN[row["part"]]
    ]
    followups = {
        followup.pk: followup for followup in _LISTED_LOAD(ids=[row["pk"] for row in listed])
    }
    parts: dict[int, list[FollowUp]] = {}
    counts: dict[int, dict] = {}
    for row in listed:
        followup = followups.get(row["pk"])
        if followup is None:  # gone between the two queries
            continue
        followup.owner = user
        followup.reminder_failed = row["reminder_failed"]
        parts.setdefault(row["part"], []).append(followup)
        counts[row["part"]] = row
    return PendingRows(parts=parts, counts=counts)


def _missed_card(pending: PendingRows, now: dt.datetime) -> "MissedCard":
    return MissedCard(
        rows=[_row(f, now) for f in pending.rows(MISSED)],
        total=pending.count(MISSED, "total"),
        grace_days=settings.MISSED_GRACE_DAYS,
    )


def due_now(
    user,
    now: dt.datetime,
    *,
    completed_goals: Sequence[ImprovementGoal] | None = None,
    pending: PendingRows | None = None,
) -> DueNowCard:
    """Pending follow-ups due by `now` and still inside their grace (MISSED_GRACE_DAYS after
    the deadline), the most pressing deadline first, each with its draft. The ones past
    their grace are the Missed card's (missed()), from the same pending_rows().

    `completed_goals` (from the goals card) saves the drafts a query; without it the goals
    are loaded once, and only if a shown follow-up's draft names them. `pending`: the rows
    of pending_rows(), when the view already asked.
    """
    pending = pending if pending is not None else pending_rows(user, now)
    followups = pending.rows(DUE)
    if not followups:
        return DueNowCard(rows=[], total=0, overdue=0)
    attach_draft_related(followups)
    if completed_goals is None and any(reads_goals(f) for f in followups):
        completed_goals = _completed_goals(user)
    rows = [_row(f, now, draft_for(f, completed_goals=completed_goals)) for f in followups]
    return DueNowCard(
        rows=rows,
        total=pending.count(DUE, "total"),
        overdue=pending.count(DUE, "overdue"),
        failed_reminders=pending.count(DUE, "failed_reminders"),
    )


# --- Missed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissedCard:
    rows: list[FollowUpRow]
    total: int
    grace_days: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def missed(user, now: dt.datetime, *, pending: PendingRows | None = None) -> MissedCard:
    """Pending follow-ups whose deadline passed more than the grace period ago: too late to
    be "due now", listed collapsed so the person can dismiss them (or still act on one).
    `pending`: the rows of pending_rows(), when the view already asked (for due now too)."""
    return _missed_card(pending if pending is not None else pending_rows(user, now), now)


# --- Coming up this week ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComingUpCard:
    rows: list[FollowUpRow]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def coming_up(user, now: dt.datetime, *, pending: PendingRows | None = None) -> ComingUpCard:
    """Pending follow-ups that become due in the next seven days, soonest first."""
    pending = pending if pending is not None else pending_rows(user, now)
    return ComingUpCard(
        rows=[_row(f, now) for f in pending.rows(COMING)],
        total=pending.count(COMING, "total"),
    )


# --- Open doors -------------------------------------------------------------------------------


class DoorState:
    WARM = "warm"
    COOLING = "cooling"
    COLD = "cold"
    CLOSED = "closed"

    LABELS = {WARM: "Warm", COOLING: "Cooling", COLD: "Cold", CLOSED: "Closed"}


# A door is warm for a month after the last real touch (the thank-you, the feedback, a reply:
# the product's choice), cooling until the keep-in-touch cadence is due, then cold.
WARM_FOR_DAYS = 30


@dataclass(frozen=True)
class DoorRow:
    company_pk: int
    company: str
    contact_name: str
    contact_pk: int | None
    last_touch_at: dt.datetime | None
    latest_rejection_at: dt.datetime
    next_check_in_at: dt.datetime | None
    reapply_from: dt.date
    can_reapply: bool
    state: str
    # Where the next check-in stands (_check_in_status): "" ahead or none, "due", "missed".
    check_in: str = ""
    strength: rules.DoorStrength | None = None
    stage: str = ""
    competitor_pk: int | None = None
    competitor_name: str = ""
    competitor_reason: str = ""

    # Links are put together when the page shows them: the card lists a few of the doors.
    @property
    def company_url(self) -> str:
        return pk_url("applications:company-detail", self.company_pk)

    @property
    def contact_url(self) -> str:
        return pk_url("applications:contact-detail", self.contact_pk) if self.contact_pk else ""

    @property
    def competitor_url(self) -> str:
        return pk_url("applications:company-detail", self.competitor_pk)

    # They never wrote back: the "rejection" was silence, and nothing was sent since.
    never_answered: bool = False

    @property
    def state_label(self) -> str:
        return DoorState.LABELS[self.state]

    @property
    def strongest_text(self) -> str:
        """ "Finalist at Globex: the strongest door you have." """
        who = STAGE_NOUNS.get(self.stage, "Applied")
        return f"{who} at {self.company}: the strongest door you have."


STAGE_NOUNS = {
    "application": "Applied",
    "screening": "Recruiter screen",
    "interview": "Interviewed",
    "final": "Finalist",
    "offer": "Offer stage",
}


@dataclass(frozen=True)
class CoolingDoor:
    """An open door still inside the reapply cooldown: what the cooling-off card needs of it."""

    company: str
    company_pk: int
    ends_on: dt.date
    opening_title: str = ""
    opening_url: str = ""
    # Where the door stands in the open-doors card's order (_door_key), for a door with an
    # opening: the openings are listed in that order.
    order: tuple = ()

    @property
    def company_url(self) -> str:
        return pk_url("applications:company-detail", self.company_pk)


@dataclass(frozen=True)
class OpenDoorsCard:
    shown: list[DoorRow]  # the strongest DOORS_SHOWN, in the card's order
    total: int
    # Every open door inside its cooldown, for the cooling-off card (in no order).
    cooling: list[CoolingDoor] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def door_state(
    *,
    closed_at: dt.datetime | None,
    last_touch_at: dt.datetime | None,
    latest_rejection_at: dt.datetime | None,
    now: dt.datetime,
    warm_days: int,
    never_answered: bool = False,
) -> str:
    """From the last real touch: a message the person sent there, or the company's own "no"
    (silence is not a touch). Warm for WARM_FOR_DAYS, cooling until the keep-in-touch cadence
    (`warm_days`) has passed, then cold; closed when the person closed it."""
    if closed_at is not None:
        return DoorState.CLOSED
    touches = [last_touch_at]
    if not never_answered:
        touches.append(latest_rejection_at)
    touches = [moment for moment in touches if moment is not None]
    if not touches:
        return DoorState.COLD
    age = now - max(touches)
    if age <= dt.timedelta(days=min(WARM_FOR_DAYS, warm_days)):
        return DoorState.WARM
    if age <= dt.timedelta(days=warm_days):
        return DoorState.COOLING
    return DoorState.COLD


class _ListLength(Func):
    """How many items a JSON list holds, in the database (no JSON to decode per row)."""

    function = "jsonb_array_length"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="json_array_length", **extra)


def _rejected_companies(user_id: int) -> QuerySet[Company]:
    """The person's companies that rejected them and whose door is open, with what a door
    row shows, in one query (as values: a row per company).

    Each company is joined to its latest rejection only, as its facts name it
    (applications.facts: the database keeps them as rejections come and go, so no visit
    goes through every rejection of the person to find each company's latest).
    """
    # Who to write to: who sent the latest rejection, else whoever was touched last.
    contacts = Contact.objects.filter(company=OuterRef("pk")).order_by(
        F("last_touch_at").desc(nulls_last=True), "pk"
    )
    check_ins = FollowUp.objects.filter(
        company=OuterRef("pk"), status=Status.PENDING, kind__in=CHECK_IN_KINDS
    ).order_by("due_at")
    # 000: look to the competitors of a company that said no: one where the person has not
    # applied, those whose watched board lists openings first.
    _competitors = (
        Company.objects.filter(competitors=OuterRef("pk"))
        .exclude(Exists(Application.objects.filter(company=OuterRef("pk"))))
        .annotate(
            board_opening=Subquery(
                Opening.objects.filter(watch__company=OuterRef("pk"), listed=True)
                .order_by("-first_seen_at", "-pk")
                .values("title")[:1]
            )
        )
        .order_by(F("board_opening").desc(nulls_last=True), Lower("name"), "pk")
    )
    _openings = Opening.objects.filter(
        watch__company=OuterRef("pk"), listed=True, rejection__isnull=False, followup__isnull=True
    ).order_by("-first_seen_at", "-pk")
    # One row per company: the expressions below reuse this join to its latest rejection.
    latest = "facts__latest_rejection__"
    next_check_in_at = Subquery(check_ins.values("due_at")[:1])
    # What the door's strength is made of (rules.door_strength).
    stage_reached = F(f"{latest}stage_reached")
    open_door_signal_count = _ListLength(F(f"{latest}open_door_signals"))
    feedback_given = Exists(Feedback.objects.filter(rejection=OuterRef("facts__latest_rejection")))
    replied = Exists(Reply.objects.filter(company=OuterRef("pk")))
    # The card's order, in the database: the strongest door first, then the nearest check-in,
    # then the latest rejection (open_doors sorts the shown doors by it).
    rank = Window(
        RowNumber(),
        order_by=(
            _door_points(
                stage=stage_reached,
                feedback=feedback_given,
                open_door=open_door_signal_count,
                replied=replied,
            ).desc(),
            next_check_in_at.asc(nulls_last=True),
            F(f"{latest}received_at").desc(),
            F("pk").asc(),
        ),
    )
    # What only a shown door's row says, as one JSON object asked of the first DOORS_SHOWN
    # doors alone: the database skips a CASE's other branch, subqueries included. (One
    # column: every mention of the window would sort the doors again.)
    # What the card's order is made of besides the latest rejection (open_doors orders the
    # doors it describes, and the openings, by it: _door_key).
    order_inputs = dict(
        stage_reached=stage_reached,
        open_door_signal_count=open_door_signal_count,
        feedback_given=feedback_given,
        replied=replied,
        next_check_in_at=next_check_in_at,
    )
    details = JSONObject(
        **order_inputs,
        latest_rejection_channel=F(f"{latest}channel"),
        # Whether a check-in whose day has come is still due or already missed.
        next_check_in_deadline=Subquery(check_ins.values("deadline_at")[:1]),
        # Who to write to: who sent the latest rejection, else whoever was touched last.
        contact_pk=Coalesce(
            F(f"{latest}contact"),
            Subquery(contacts.values("pk")[:1]),
            output_field=IntegerField(),
        ),
        contact_name=Coalesce(F(f"{latest}contact__name"), Subquery(contacts.values("name")[:1])),
        last_touch_at=Subquery(
            Contact.objects.filter(company=OuterRef("pk"))
            .values("company")
            .annotate(latest=Max("last_touch_at"))
            .values("latest")
        ),
        rejected_role=F(f"{latest}application__role_title"),
        competitor=Subquery(
            _competitors.values(json=JSONObject(pk="pk", name="name", opening="board_opening"))[:1]
        ),
    )
    return (
        Company.objects.filter(owner_id=Unplanned(user_id), door_closed_at__isnull=True)
        # (Not only a test of the key: the join to the rejection is then an inner one.)
        .filter(**{f"{latest}received_at__isnull": False})
        .annotate(rank=rank)
        .annotate(
            latest_rejection_at=F(f"{latest}received_at"),
            # The newest opening on its watched board like a role it turned the person down
            # for, not yet turned into a recruiter note (the watch app); every door in its
            # cooldown may show one, in the card's order. One JSON object, null for the
            # doors without one (most): only those with one are asked the rest.
            opening=Case(
                When(
                    Exists(_openings),
                    then=JSONObject(
                        title=Subquery(_openings.values("title")[:1]),
                        url=Subquery(_openings.values("url")[:1]),
                        **order_inputs,
                    ),
                ),
                output_field=models.JSONField(),
            ),
            details=Case(
                When(rank__lte=DOORS_SHOWN, then=details), output_field=models.JSONField()
            ),
        )
        .order_by()
        .values("pk", "name", "latest_rejection_at", "opening", "details")
    )


def _door_points(*, stage, feedback, open_door, replied) -> Case:
    """rules.door_strength's points as a database expression, from the same tables."""

    def signal(name: str, condition) -> Case:
        points = rules.SIGNAL_STRENGTH[name].points
        return Case(When(condition, then=Value(points)), default=Value(0))

    stage_points = Case(
        *(
            When(Exact(stage, Value(name)), then=Value(rule.points))
            for name, rule in rules.STAGE_STRENGTH.items()
        ),
        default=Value(rules.STAGE_STRENGTH["application"].points),
        output_field=IntegerField(),
    )
    return (
        stage_points
        + signal("feedback", feedback)
        + signal("open_door", GreaterThan(open_door, Value(0)))
        + signal("replied", replied)
    )


# Built by the ORM once per process (followups.reused): its dozen subqueries cost more to
# build and compile than to run.
_REJECTED_COMPANIES = ReusedQuery(_rejected_companies, user_id=int)


def competitor_reason(company: SimpleNamespace) -> str:
    """One sentence: why apply at the competitor (advice 000), and what its board lists."""
    if not company.competitor_name:
        return ""
    reason = (
        f"{company.competitor_name} competes with {company.name} for the same people, and you "
        "have not applied there yet"
    )
    opening = company.competitor_opening or ""
    if opening and matches(opening, company.rejected_role or ""):
        reason += f"; its job board lists {opening}"
    return reason + "."


def door_row(
    company: SimpleNamespace,
    *,
    now: dt.datetime,
    profile: Profile,
    today: dt.date | None = None,
    warm_days: int | None = None,
) -> DoorRow:
    """One company of `_rejected_companies` (its values as attributes) as the card shows it.

    `today` (in the person's zone) and `warm_days` are the same for every door of one visit:
    open_doors works them out once."""
    today = today if today is not None else _local_date(now, profile.zone)
    warm_days = warm_days if warm_days is not None else _warm_days(profile)
    ends = REAPPLY_COOLDOWN.ends_on(rejected_at=company.latest_rejection_at, profile=profile)
    never_answered = (
        company.latest_rejection_channel == Rejection.Channel.NEVER_HEARD
        and company.last_touch_at is None
    )
    return DoorRow(
        never_answered=never_answered,
        company_pk=company.pk,
        company=company.name,
        contact_name=company.contact_name or "",
        contact_pk=company.contact_pk,
        last_touch_at=company.last_touch_at,
        latest_rejection_at=company.latest_rejection_at,
        next_check_in_at=company.next_check_in_at,
        check_in=_check_in_status(company.next_check_in_at, company.next_check_in_deadline, now),
        reapply_from=ends,
        can_reapply=ends <= today,
        stage=company.stage_reached,
        competitor_pk=company.competitor_pk,
        competitor_name=company.competitor_name or "",
        competitor_reason=competitor_reason(company),
        strength=rules.door_strength(
            stage=company.stage_reached,
            feedback=company.feedback_given,
            open_door=company.open_door_signal_count > 0,
            replied=company.replied,
        ),
        state=door_state(
            closed_at=None,  # the query lists open doors only
            last_touch_at=company.last_touch_at,
            latest_rejection_at=company.latest_rejection_at,
            now=now,
            warm_days=warm_days,
            never_answered=never_answered,
        ),
    )


def _check_in_status(
    due_at: dt.datetime | None, deadline_at: dt.datetime | None, now: dt.datetime
) -> str:
    """The door's next check-in as the follow-up cards place it (pending_rows): "" when it
    is still ahead (or there is none), "missed" once its deadline is past the grace
    (missed_cutoff, the Missed card's), else "due" (the Due now card's)."""
    if due_at is None or due_at > now:
        return ""
    if deadline_at is not None and deadline_at < missed_cutoff(now):
        return "missed"
    return "due"


def _moment(value) -> dt.datetime | None:
    """A time from the details' JSON: ISO text (PostgreSQL writes the offset, SQLite's
    stored text is UTC without one)."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _with_details(company: dict) -> SimpleNamespace:
    """A described door's values as door_row reads them."""
    door = SimpleNamespace(**company, **company["details"])
    door.last_touch_at = _moment(door.last_touch_at)
    door.next_check_in_at = _moment(door.next_check_in_at)
    door.next_check_in_deadline = _moment(door.next_check_in_deadline)
    door.feedback_given, door.replied = bool(door.feedback_given), bool(door.replied)
    competitor = door.competitor or {}
    if isinstance(competitor, str):  # SQLite nests the subquery's object as its text
        competitor = json.loads(competitor)
    door.competitor_pk = competitor.get("pk")
    door.competitor_name = competitor.get("name")
    door.competitor_opening = competitor.get("opening")
    return door


_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


def _door_key(company: dict, inputs: dict) -> tuple:
    """The card's order, as the query ranks the doors: the strongest first
    (rules.door_strength), then the nearest check-in, then the latest rejection. `inputs`:
    the door's order inputs, from its details or its opening."""
    strength = rules.door_strength(
        stage=inputs["stage_reached"],
        feedback=bool(inputs["feedback_given"]),
        open_door=inputs["open_door_signal_count"] > 0,
        replied=bool(inputs["replied"]),
    )
    return (
        -strength.points,
        _moment(inputs["next_check_in_at"]) or _FAR,
        -company["latest_rejection_at"].timestamp(),
        company["pk"],
    )


def open_doors(user, now: dt.datetime) -> OpenDoorsCard:
    """Every company that rejected the person and whose door is still open.

    The strongest door first (rules.door_strength), then the next check-in (the nearest thing
    to do), then the most recent rejection. Only the doors the card shows become rows (the
    query asks their details of them alone); the others are counted, and those inside their
    cooldown are handed to the cooling-off card.
    """
    profile = user.profile
    zone = profile.zone
    today, warm_days = _local_date(now, zone), _warm_days(profile)
    cooldown = dt.timedelta(days=REAPPLY_COOLDOWN.days(profile))
    companies = _REJECTED_COMPANIES(user_id=user.pk)
    cooling = []
    for company in companies:
        # REAPPLY_COOLDOWN.ends_on, with the person's cooldown worked out once.
        ends_on = _local_date(company["latest_rejection_at"], zone) + cooldown
        if ends_on > today:
            opening = company["opening"] or {}
            cooling.append(
                CoolingDoor(
                    company=company["name"],
                    company_pk=company["pk"],
                    ends_on=ends_on,
                    opening_title=opening.get("title") or "",
                    opening_url=opening.get("url") or "",
                    order=_door_key(company, opening) if opening else (),
                )
            )
    # The query ranked the doors and described the first DOORS_SHOWN: in the card's order.
    described = sorted(
        (company for company in companies if company["details"] is not None),
        key=lambda company: _door_key(company, company["details"]),
    )
    shown = [
        door_row(_with_details(company), now=now, profile=profile, today=today, warm_days=warm_days)
        for company in described
    ]
    return OpenDoorsCard(shown=shown, total=len(companies), cooling=cooling)


# --- Cooling off ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoolingRow:
    company: str
    company_pk: int
    ends_on: dt.date
    days_left: int

    @property
    def company_url(self) -> str:
        return pk_url("applications:company-detail", self.company_pk)


@dataclass(frozen=True)
class CoolingOffCard:
    rows: list[CoolingRow]  # the first COOLING_SHOWN, the soonest to end first
    total: int
    cooldown_days: int
    # Roles like the ones the person was turned down for, found on a watched job board while
    # the cooldown still runs (watch app): "Opening found at Fabrikam: ...".
    openings: list[OpeningRow] = field(default_factory=list)

    @property
    def shown(self) -> list[CoolingRow]:
        return self.rows

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def cooling_off(user, now: dt.datetime, *, doors: OpenDoorsCard | None = None) -> CoolingOffCard:
    """Open doors still inside the reapply cooldown, the soonest to end first.

    A closed door is left out: the person has decided not to go back there.
    """
    doors = doors if doors is not None else open_doors(user, now)
    profile = user.profile
    today = _local_date(now, profile.zone)
    first = heapq.nsmallest(
        COOLING_SHOWN, doors.cooling, key=lambda door: (door.ends_on, door.company.lower())
    )
    return CoolingOffCard(
        rows=[
            CoolingRow(
                company=door.company,
                company_pk=door.company_pk,
                ends_on=door.ends_on,
                days_left=(door.ends_on - today).days,
            )
            for door in first
        ],
        total=len(doors.cooling),
        cooldown_days=REAPPLY_COOLDOWN.days(profile),
        openings=[
            OpeningRow(
                company=door.company,
                company_url=door.company_url,
                title=door.opening_title,
                url=door.opening_url,
                cooldown_ends=door.ends_on,
            )
            for door in sorted(
                (door for door in doors.cooling if door.opening_title), key=lambda d: d.order
            )
        ],
    )


# --- Keep going -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeepGoingCard:
    active: int
    total: int
    applied_this_week: int
    last_applied_on: dt.date | None
    too_few_active: bool
    none_this_week: bool

    @property
    def nudge(self) -> bool:
        return self.too_few_active or self.none_this_week

    @property
    def min_active(self) -> int:
        return MIN_ACTIVE_APPLICATIONS

    @property
    def days(self) -> int:
        return APPLY_AT_LEAST_EVERY_DAYS


def _keep_going_figures(*, owner_id: int, since: dt.date, today: dt.date) -> dict:
    """The keep-going card's counts as annotations on the person's row (see person_figures):
    `since`..`today` is the last APPLY_AT_LEAST_EVERY_DAYS days in the person's zone."""
    owned = Application.objects.filter(owner_id=Unplanned(owner_id))
    return {
        "total": _count(owned),
        "active": _count(owned.filter(status__in=Application.ACTIVE_STATUSES)),
        "this_week": _count(owned.filter(applied_on__gte=since, applied_on__lte=today)),
        "last_applied_on": Subquery(owned.order_by("-applied_on").values("applied_on")[:1]),
    }


def keep_going(user, now: dt.datetime, *, figures: dict | None = None) -> KeepGoingCard:
    """Active applications, and a nudge to keep applying while waiting.

    `figures`: from person_figures(), when the habits card's query already counted them."""
    figures = figures if figures is not None else person_figures(user, now)
    return KeepGoingCard(
        active=figures["active"],
        total=figures["total"],
        applied_this_week=figures["this_week"],
        last_applied_on=figures["last_applied_on"],
        too_few_active=figures["active"] < MIN_ACTIVE_APPLICATIONS,
        none_this_week=figures["this_week"] == 0,
    )


# --- Habits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HabitsCard:
    thanks_counted: int  # rejection thank-yous sent, skipped, or past their 48 h
    thanks_on_time: int  # ... of which sent within 48 h of the rejection
    feedback_asked: int
    feedback_received: int
    check_ins_sent: int
    doors_reopened: int
    replies: int = 0  # "They replied", recorded or confirmed from the inbox

    @property
    def published_thanks(self):
        """The published thank-you figure with its source (dashboard.scorecard)."""
        from dashboard.scorecard import THANKS_PUBLISHED  # the scorecard builds on these cards

        return THANKS_PUBLISHED

    @property
    def thanks_share(self) -> int | None:
        """Percent of rejection thank-yous sent within 48 h; None before the first one."""
        if not self.thanks_counted:
            return None
        return round(100 * self.thanks_on_time / self.thanks_counted)

    @property
    def is_empty(self) -> bool:
        return not (
            self.thanks_counted
            or self.feedback_asked
            or self.feedback_received
            or self.check_ins_sent
            or self.doors_reopened
            or self.replies
        )


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a queryset of one person's rows, as a scalar subquery.

    The person is a value of the query (`owner_id=...`), not the outer row: the planner then
    knows whose rows it counts and reads them through the narrowest index."""
    counted = queryset.order_by().values("owner").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), Value(0))


HABIT_FIGURES = (
    "thanks_counted",
    "thanks_on_time",
    "feedback_asked",
    "feedback_received",
    "check_ins_sent",
    "doors_reopened",
    "replies",
)


def _thanks_window() -> dt.timedelta:
    """The rejection thank-you's 48 h: elapsed hours (followups.hours.Offset), a plain interval."""
    deadline = rules.rule_for(Kind.REJECTION_THANKS).deadline
    return dt.timedelta(days=deadline.days, hours=deadline.hours)


def _habit_figures(*, owner_id: int, thanks_late_before: dt.datetime) -> dict:
    """The habits card's counts as annotations on the person's row (see person_figures).

    1. Rejection thank-yous: sent within 48 h of the rejection (the rule's deadline), out of
       those sent, skipped, missed or past the deadline (cancelled ones, at closed doors,
       don't count). `thanks_late_before`: now less the 48 h.
    2. Feedback asked (thank-yous sent with "asked for feedback") and received.
    3. Check-ins sent (90-day and keep-in-touch).
    4. Doors reopened: companies where an interview came after a rejection there.
    5. Replies: the times someone wrote back ("They replied").
    """
    window = _thanks_window()
    owned = {"owner_id": Unplanned(owner_id)}
    thanks = FollowUp.objects.filter(**owned, kind=Kind.REJECTION_THANKS, rejection__isnull=False)
    return {
        # Two counts: only the pending ones need their rejection's time (a join), and they
        # are few; the others are counted from an index alone.
        "thanks_counted": _count(
            thanks.filter(status__in=(Status.DONE, Status.SKIPPED, Status.MISSED))
        )
        + _count(
            thanks.filter(status=Status.PENDING, rejection__received_at__lt=thanks_late_before)
        ),
        "thanks_on_time": _count(
            thanks.filter(status=Status.DONE, done_at__lte=F("rejection__received_at") + window)
        ),
        "feedback_asked": _count(
            FollowUp.objects.filter(**owned, status=Status.DONE, asked_for_feedback=True)
        ),
        "feedback_received": _count(Feedback.objects.filter(**owned)),
        "check_ins_sent": _count(
            FollowUp.objects.filter(**owned, status=Status.DONE, kind__in=CHECK_IN_KINDS)
        ),
        "replies": _count(Reply.objects.filter(**owned)),
        # The companies whose latest interview came after their first rejection (their facts,
        # applications.facts).
        "doors_reopened": _count(
            Company.objects.filter(
                **owned, facts__last_interview_at__gt=F("facts__first_rejected_at")
            )
        ),
    }


def _person_figures_query(
    user_id: int, thanks_late_before: dt.datetime, since: dt.date, today: dt.date
) -> QuerySet:
    annotations = {
        **_habit_figures(owner_id=user_id, thanks_late_before=thanks_late_before),
        **_keep_going_figures(owner_id=user_id, since=since, today=today),
    }
    return get_user_model().objects.filter(pk=user_id).annotate(**annotations).values(*annotations)


# Built by the ORM once per process (followups.reused): its eleven subqueries cost more to
# build and compile than to run.
_PERSON_FIGURES = ReusedQuery(
    _person_figures_query,
    user_id=int,
    thanks_late_before=dt.datetime,
    since=dt.date,
    today=dt.date,
)


def person_figures(user, now: dt.datetime) -> dict:
    """The counts of the habits and keep-going cards, in one query on the person's row."""
    today = _local_date(now, user.profile.zone)
    (figures,) = _PERSON_FIGURES(
        user_id=user.pk,
        thanks_late_before=now - _thanks_window(),
        since=today - dt.timedelta(days=APPLY_AT_LEAST_EVERY_DAYS - 1),
        today=today,
    )
    return figures


def habits(user, now: dt.datetime, *, figures: dict | None = None) -> HabitsCard:
    """What the person did with their rejections (`figures`: from person_figures())."""
    figures = figures if figures is not None else person_figures(user, now)
    return HabitsCard(**{name: figures[name] for name in HABIT_FIGURES})


# --- Upcoming interviews ----------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewRow:
    url: str
    when: dt.datetime
    kind_label: str
    role: str
    company: str


@dataclass(frozen=True)
class InterviewsCard:
    rows: list[InterviewRow]


def _upcoming_interviews_query(user_id: int, now: dt.datetime) -> QuerySet:
    return (
        Interview.objects.filter(owner_id=user_id, when__gte=now)
        .order_by("when", "pk")
        .values("pk", "when", "kind", "application__role_title", "application__company__name")[
            :INTERVIEWS_SHOWN
        ]
    )


_UPCOMING_INTERVIEWS = ReusedQuery(_upcoming_interviews_query, user_id=int, now=dt.datetime)


def upcoming_interviews(user, now: dt.datetime) -> InterviewsCard:
    """Interviews still ahead, soonest first (at most INTERVIEWS_SHOWN), in one query."""
    kinds = dict(Interview.Kind.choices)
    return InterviewsCard(
        rows=[
            InterviewRow(
                url=pk_url("applications:interview-detail", interview["pk"]),
                when=interview["when"],
                kind_label=kinds.get(interview["kind"], interview["kind"]),
                role=interview["application__role_title"],
                company=interview["application__company__name"],
            )
            for interview in _UPCOMING_INTERVIEWS(user_id=user.pk, now=now)
        ]
    )


# --- Improvement goals ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    pk: int
    url: str
    what: str
    theme_label: str
    target_date: dt.date
    progress: int
    is_overdue: bool


@dataclass(frozen=True)
class GoalsCard:
    rows: list[GoalRow]  # in progress: overdue first, then by target date
    in_progress: int
    overdue: int
    completed: int
    # For the drafts of the due-now card (keep-in-touch and recruiter notes name them).
    completed_goals: list[ImprovementGoal] = field(default_factory=list, repr=False)

    @property
    def more(self) -> int:
        return self.in_progress - len(self.rows)


def _goals_query(user_id: int) -> QuerySet[ImprovementGoal]:
    return ImprovementGoal.objects.filter(owner_id=user_id).select_related(
        "feedback__rejection__application"
    )


# Written by the ORM once per process (followups.reused).
_GOALS = ReusedQuery(_goals_query, instances=True, user_id=int)


def _completed_goals(user) -> list[ImprovementGoal]:
    return list(
        _goals_query(user.pk).filter(completed_on__isnull=False).order_by("-completed_on", "-pk")
    )


def improvement_goals(user, now: dt.datetime) -> GoalsCard:
    """Goals in progress, overdue ones flagged and first; all goals in one query."""
    today = _local_date(now, user.profile.zone)
    goals = _GOALS(user_id=user.pk)
    open_goals = sorted(
        (g for g in goals if not g.is_complete),
        key=lambda g: (not g.is_overdue(today), g.target_date, g.pk),
    )
    completed = sorted(
        (g for g in goals if g.is_complete), key=lambda g: (g.completed_on, g.pk), reverse=True
    )
    rows = [
        GoalRow(
            pk=goal.pk,
            url=pk_url("goals:goal-detail", goal.pk),
            what=goal.what,
            theme_label=goal.get_theme_display(),
            target_date=goal.target_date,
            progress=goal.progress,
            is_overdue=goal.is_overdue(today),
        )
        for goal in open_goals[:GOALS_SHOWN]
    ]
    return GoalsCard(
        rows=rows,
        in_progress=len(open_goals),
        overdue=sum(1 for g in open_goals if g.is_overdue(today)),
        completed=len(completed),
        completed_goals=completed,
    )
