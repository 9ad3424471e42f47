"""The whole dashboard costs the same number of SQL queries for 10 and 1,000 applications,
and never more than 12."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from followups.models import FollowUp
from goals.models import ImprovementGoal
from tests.dashboard.test_due_now import rejected_at, thanks
from tests.factories import ContactFactory, InterviewFactory, UserFactory

NOW = dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC)
DEMO_NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # a Tuesday morning
MAX_QUERIES = 12

pytestmark = pytest.mark.django_db


def make_search(user, applications: int) -> None:
    """A busy search made with bulk_create: every kind of row every card reads.

    Per company: one application, half of them rejected (with a contact, an interview,
    feedback and follow-ups of every kind: due, overdue, this week, later, done).
    """
    Kind, Status = FollowUp.Kind, FollowUp.Status
    companies = Company.objects.bulk_create(
        Company(owner=user, name=f"Company {n}") for n in range(applications)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            owner=user,
            company=company,
            name=f"Dana {n}",
            email=f"dana{n}@example.com",
            linkedin_url=f"https://www.linkedin.com/in/dana{n}",
            last_touch_at=NOW - dt.timedelta(days=n % 200),
        )
        for n, company in enumerate(companies)
    )
    apps = Application.objects.bulk_create(
        Application(
            owner=user,
            company=company,
            role_title=f"Engineer {n}",
            applied_on=(NOW - dt.timedelta(days=n % 60)).date(),
            status=Application.Status.REJECTED if n % 2 == 0 else Application.Status.APPLIED,
        )
        for n, company in enumerate(companies)
    )
    interviews = Interview.objects.bulk_create(
        Interview(
            owner=user,
            application=app,
            when=NOW - dt.timedelta(days=20 + n % 30),
            notes="We talked about the billing platform.",
        )
        for n, app in enumerate(apps)
    )
    Interview.interviewers.through.objects.bulk_create(
        Interview.interviewers.through(interview_id=i.pk, contact_id=c.pk)
        for i, c in zip(interviews, contacts, strict=True)
    )
    rejected = [(n, app) for n, app in enumerate(apps) if n % 2 == 0]
    rejections = Rejection.objects.bulk_create(
        Rejection(
            owner=user,
            application=app,
            received_at=NOW - dt.timedelta(days=n % 120, hours=3),
            contact=contacts[n],
        )
        for n, app in rejected
    )
    Feedback.objects.bulk_create(
        Feedback(
            owner=user, rejection=r, what_they_said="More payments experience.", themes=["nerves"]
        )
        for r in rejections[::3]
    )
    followups = []
    for (n, app), rejection in zip(rejected, rejections, strict=True):
        company, contact = app.company, contacts[n]
        common = {"owner": user, "company": company, "contact": contact}
        received = rejection.received_at
        followups += [
            FollowUp(
                **common,
                kind=Kind.REJECTION_THANKS,
                key=f"thanks:{n}",
                application=app,
                rejection=rejection,
                due_at=received + dt.timedelta(hours=24),
                deadline_at=received + dt.timedelta(hours=48),
                status=Status.DONE if n % 4 == 0 else Status.PENDING,
                done_at=received + dt.timedelta(hours=30) if n % 4 == 0 else None,
                asked_for_feedback=n % 4 == 0,
            ),
            FollowUp(
                **common,
                kind=Kind.CHECK_IN,
                key=f"check:{n}",
                application=app,
                rejection=rejection,
                due_at=NOW + dt.timedelta(days=n % 9 - 2),
                deadline_at=NOW + dt.timedelta(days=n % 9 + 12),
            ),
            FollowUp(
                **common,
                kind=Kind.KEEP_IN_TOUCH,
                key=f"keep:{n}",
                application=app,
                rejection=rejection,
                due_at=NOW - dt.timedelta(hours=n % 5),
                deadline_at=NOW + dt.timedelta(days=14),
            ),
            FollowUp(
                **common,
                kind=Kind.LINKEDIN,
                key=f"linkedin:{n}",
                due_at=NOW - dt.timedelta(hours=1),
                deadline_at=NOW + dt.timedelta(days=7),
            ),
        ]
    for n, interview in enumerate(interviews[1::2]):
        followups.append(
            FollowUp(
                owner=user,
                company=interview.application.company,
                application=interview.application,
                interview=interview,
                kind=Kind.INTERVIEW_THANKS,
                key=f"interview:{n}",
                due_at=NOW - dt.timedelta(hours=2),
                deadline_at=NOW + dt.timedelta(hours=20),
            )
        )
    # Reapplying at a company that said no: the recruiter note refers to the old rejection.
    for n, app in rejected[: max(1, len(rejected) // 10)]:
        again = Application.objects.create(
            owner=user, company=app.company, role_title="Staff Engineer", applied_on=NOW.date()
        )
        followups.append(
            FollowUp(
                owner=user,
                company=app.company,
                application=again,
                rejection=rejections[rejected.index((n, app))],
                contact=contacts[n],
                kind=Kind.RECRUITER_NOTE,
                key=f"recruiter:{n}",
                due_at=NOW - dt.timedelta(minutes=5),
                deadline_at=NOW + dt.timedelta(days=3),
            )
        )
    # The most pressing rows (the due-now card lists these first, whatever the size), one
    # per way a draft reaches its data, so both sizes render the same kinds of drafts.
    (first, app), rejection = rejected[0], rejections[0]
    interview = interviews[1]
    urgent = {"due_at": NOW - dt.timedelta(days=2), "deadline_at": NOW - dt.timedelta(days=1)}
    followups += [
        FollowUp(
            owner=user,
            company=app.company,
            application=app,
            rejection=rejection,
            contact=contacts[first],
            kind=kind,
            key=f"urgent:{kind}",
            **urgent,
        )
        for kind in (Kind.REJECTION_THANKS, Kind.KEEP_IN_TOUCH, Kind.FEEDBACK_NUDGE)
    ]
    followups.append(
        FollowUp(
            owner=user,
            company=interview.application.company,
            application=interview.application,
            interview=interview,
            kind=Kind.INTERVIEW_THANKS,
            key="urgent:interview",
            **urgent,
        )
    )
    FollowUp.objects.bulk_create(followups)
    # Interviews still ahead, for the upcoming-interviews card.
    Interview.objects.bulk_create(
        Interview(owner=user, application=app, when=NOW + dt.timedelta(days=1 + n % 9))
        for n, app in enumerate(apps[1::2])
    )
    ImprovementGoal.objects.bulk_create(
        ImprovementGoal(
            owner=user,
            theme="nerves",
            what=f"Goal {n}",
            target_date=(NOW + dt.timedelta(days=n - 5)).date(),
            completed_on=(NOW - dt.timedelta(days=n)).date() if n % 3 == 0 else None,
            progress=100 if n % 3 == 0 else 40,
        )
        for n in range(max(3, applications // 10))
    )


def dashboard_queries(client_for, applications: int) -> tuple[int, str]:
    user = UserFactory(username=f"busy{applications}")
    make_search(user, applications)
    client = client_for(user)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_it_renders_every_card_within_twelve_queries(client_for, django_assert_max_num_queries):
    user = UserFactory(username="busy")
    make_search(user, 1000)
    client = client_for(user)
    # "/" is the dashboard for a logged-in person (landing_or_dashboard).
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    page = response.content.decode()
    for card in ("due-now", "coming-up", "open-doors", "cooling-off", "keep-going", "habits"):
        assert f'data-testid="card-{card}"' in page
    assert 'data-testid="card-goals"' in page


def test_it_costs_the_same_queries_for_10_and_1000_applications(client_for):
    small, small_page = dashboard_queries(client_for, 10)
    large, large_page = dashboard_queries(client_for, 1000)
    print(f"dashboard queries: 10 applications -> {small}, 1000 applications -> {large}")
    assert small == large
    assert large <= MAX_QUERIES
    # Both pages show the full set of cards with rows, so the counts compare like for like.
    for page in (small_page, large_page):
        assert 'data-testid="due-row"' in page
        assert 'data-testid="door-row"' in page
        assert 'data-testid="coming-row"' in page
        assert 'data-testid="goal-row"' in page
        assert 'data-testid="interview-row"' in page


def test_the_demo_search_stays_within_twelve_queries(client_for, django_assert_max_num_queries):
    """The seeded demo (what a new user sees first) has thank-yous coming up this week: their
    rows must not load their rejection one by one."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    # The demo's dates follow the clock; a fixed one keeps rows in "coming up" whatever the
    # hour the suite runs at.
    with time_machine.travel(DEMO_NOW, tick=False):
        call_command("seed_demo", verbosity=0)
        client = client_for(get_user_model().objects.get(username="demo"))
        client.get("/")  # warm the session
        with (
            django_assert_max_num_queries(MAX_QUERIES),
            override_settings(
                DASHBOARD_CACHE_SECONDS=0  # the cards rendered, not kept from the visit before
            ),
        ):
            response = client.get("/")
    assert 'data-testid="coming-row"' in response.content.decode()


def test_an_interview_thank_you_among_the_due_rows_costs_no_extra_query(client_for):
    """The same queries whether or not a due row comes from an interview: the interviewers
    are asked with the interviews, not only when a row has one."""

    def visit(user) -> tuple[int, str]:
        client = client_for(user)
        with time_machine.travel(NOW, tick=False):
            client.get("/")  # warm the session
            with (
                override_settings(DASHBOARD_CACHE_SECONDS=0),
                CaptureQueriesContext(connection) as queries,
            ):
                response = client.get("/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    plain = UserFactory(username="plain")
    with time_machine.travel(NOW, tick=False):
        thanks(rejected_at(plain, "Acme", received_at=NOW - dt.timedelta(days=1)))
    interviewed = UserFactory(username="interviewed")
    with time_machine.travel(NOW, tick=False):
        thanks(rejected_at(interviewed, "Acme", received_at=NOW - dt.timedelta(days=1)))
        interview = InterviewFactory(owner=interviewed, when=NOW - dt.timedelta(hours=3))
        interview.interviewers.add(
            ContactFactory(
                owner=interviewed, company=interview.application.company, name="Priya Raman"
            )
        )
        FollowUp.objects.create(
            owner=interviewed,
            company=interview.application.company,
            application=interview.application,
            interview=interview,
            kind=FollowUp.Kind.INTERVIEW_THANKS,
            key="interview:1",
            due_at=NOW - dt.timedelta(hours=1),
            deadline_at=NOW + dt.timedelta(hours=20),
        )

    without, _ = visit(plain)
    with_interview, page = visit(interviewed)

    assert with_interview == without
    assert with_interview <= MAX_QUERIES
    # The thank-you is written to the interviewer, found through the interview.
    assert "Priya" in page
