"""The honest scorecard: the person's own rates over a period they choose, next to a published
figure only where one can be traced to its primary source (docs/ENGINE.md lists them).

One query: every figure is a scalar subquery on the person's row, as the habits card does.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from applications.models import Company, Feedback, Interview
from followups import rules
from followups.models import FollowUp, Reply

Kind = FollowUp.Kind
Status = FollowUp.Status

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
PERIOD_LABELS = {"30": "30 days", "90": "90 days", "365": "12 months", "all": "all time"}
DEFAULT_PERIOD = "90"


@dataclass(frozen=True)
class Published:
    """A figure from a named primary source, with what it measured (never rounded up)."""

    figure: str
    what: str
    source: str
    year: int
    url: str


# Accountemps (Robert Half) press release, 20 Nov 2017: US HR managers said they received
# thank-you notes from 24 % of applicants after an interview.
THANKS_PUBLISHED = Published(
    figure="24%",
    what="of applicants send a thank-you after an interview, as HR managers reported",
    source="Accountemps survey of HR managers (press release)",
    year=2017,
    url="https://press.roberthalf.com/2017-11-20-Thank-You-Notes-Can-Tip-Scale-in-Job-Candidates-Favor-Yet-Few-Write-Them",
)


@dataclass(frozen=True)
class Score:
    key: str
    label: str
    done: int
    out_of: int | None  # None: a count, not a rate
    published: Published | None = None

    @property
    def share(self) -> int | None:
        if not self.out_of:
            return None
        return round(100 * self.done / self.out_of)


@dataclass(frozen=True)
class Scorecard:
    period: str
    since: dt.datetime | None
    scores: list[Score]

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS[self.period]

    @property
    def is_empty(self) -> bool:
        return not any(score.done or score.out_of for score in self.scores)


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("owner").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def scorecard(user, now: dt.datetime, period: str = DEFAULT_PERIOD) -> Scorecard:
    """The person's rates over `period` ("30", "90", "365", "all"), in one query.

    1. Thank-yous sent within 48 h: rejection thank-yous for rejections received in the
       period, sent by the rule's deadline, out of those sent, skipped or past it.
    2. Feedback: thank-yous sent in the period asking for it; rejections of those that got
       feedback.
    3. Replies to check-ins: check-ins sent in the period that got a reply (ticked when sent,
       or "They replied" on them).
    4. Doors reopened: companies with an interview in the period after a rejection there.
    5. Nudges kept to one: rejections whose feedback was chased in the period, and of those,
       chased once (the rule's cap).
    """
    period = period if period in PERIODS else DEFAULT_PERIOD
    days = PERIODS[period]
    since = now - dt.timedelta(days=days) if days else None
    deadline = rules.rule_for(Kind.REJECTION_THANKS).deadline
    window = dt.timedelta(days=deadline.days, hours=deadline.hours)
    owned = {"owner": OuterRef("pk")}
    in_period = (lambda field: Q(**{f"{field}__gte": since})) if since else (lambda field: Q())

    thanks = FollowUp.objects.filter(
        in_period("rejection__received_at"),
        **owned,
        kind=Kind.REJECTION_THANKS,
        rejection__isnull=False,
        rejection__received_at__lte=now,
    )
    asked = FollowUp.objects.filter(
        in_period("done_at"), **owned, status=Status.DONE, asked_for_feedback=True
    )
    check_ins = FollowUp.objects.filter(
        in_period("done_at"),
        **owned,
        status=Status.DONE,
        kind__in=rules.kinds_where("checks_in"),
    )
    nudges = FollowUp.objects.filter(
        in_period("done_at"),
        **owned,
        status=Status.DONE,
        kind__in=rules.kinds_where("ended_by_feedback"),
    )
    nudged = nudges.values("rejection").distinct()
    figures = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            thanks_counted=_count(
                thanks.filter(
                    Q(status__in=(Status.DONE, Status.SKIPPED))
                    | Q(status=Status.PENDING, rejection__received_at__lt=now - window)
                )
            ),
            thanks_on_time=_count(
                thanks.filter(status=Status.DONE, done_at__lte=F("rejection__received_at") + window)
            ),
            asked=_count(asked),
            received=_count(
                asked.filter(Exists(Feedback.objects.filter(rejection=OuterRef("rejection"))))
            ),
            check_ins=_count(check_ins),
            answered=_count(
                check_ins.filter(
                    Q(got_reply=True) | Exists(Reply.objects.filter(followup=OuterRef("pk")))
                )
            ),
            reopened=_count(
                Company.objects.filter(**owned).filter(
                    Exists(
                        Interview.objects.filter(
                            in_period("when"),
                            application__company=OuterRef("pk"),
                            application__company__applications__rejection__received_at__lt=F(
                                "when"
                            ),
                        )
                    )
                )
            ),
            nudged_rejections=Coalesce(
                Subquery(
                    nudged.order_by()
                    .values("owner")
                    .annotate(n=Count("rejection", distinct=True))
                    .values("n")
                ),
                Value(0),
            ),
            nudges_sent=_count(nudges),
        )
        .values(
            "thanks_counted",
            "thanks_on_time",
            "asked",
            "received",
            "check_ins",
            "answered",
            "reopened",
            "nudged_rejections",
            "nudges_sent",
        )
        .get()
    )
    f = figures
    # Kept to one: each chased rejection had one nudge; more nudges than rejections means
    # some were chased twice.
    twice = max(f["nudges_sent"] - f["nudged_rejections"], 0)
    return Scorecard(
        period=period,
        since=since,
        scores=[
            Score(
                "thanks",
                "Thank-yous sent within 48 h",
                f["thanks_on_time"],
                f["thanks_counted"],
                THANKS_PUBLISHED,
            ),
            Score(
                "feedback", "Feedback received, of the times you asked", f["received"], f["asked"]
            ),
            Score("replies", "Check-ins that got a reply", f["answered"], f["check_ins"]),
            Score("reopened", "Doors reopened (an interview after a “no”)", f["reopened"], None),
            Score(
                "nudges",
                "Feedback nudges kept to one",
                f["nudged_rejections"] - twice,
                f["nudged_rejections"],
            ),
        ],
    )


@require_safe
@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", DEFAULT_PERIOD)
    card = scorecard(request.user, timezone.now(), period)
    return render(
        request,
        "dashboard/scorecard.html",
        {"card": card, "periods": PERIOD_LABELS},
    )
