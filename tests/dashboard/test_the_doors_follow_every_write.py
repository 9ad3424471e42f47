"""The open-doors and habits cards read each company's facts (its latest rejection, its first
rejection, its last interview), which the database keeps (applications.facts). The cards must
show the same doors however the rejections and interviews were written: a form's save, a
queryset's update, a bulk insert, a delete, an application moved to another company."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import connection, transaction

from applications import facts
from applications.models import Application, Company, CompanyFacts, Interview, Rejection
from dashboard import cards as dashboard
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    InterviewFactory,
    RejectionFactory,
    UserFactory,
)

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def doors(user) -> dict[str, tuple]:
    """Each door the card shows: its company, the stage and day of its latest rejection."""
    card = dashboard.open_doors(user, NOW)
    assert card.total == len(card.shown)
    return {row.company: (row.stage, row.latest_rejection_at) for row in card.shown}


def assert_facts_are_a_recount(user) -> None:
    """What the database keeps is what counting from scratch gives, company by company."""
    kept = {
        f.company_id: (f.latest_rejection_id, f.first_rejected_at, f.last_interview_at)
        for f in CompanyFacts.objects.filter(company__owner=user)
    }
    for company in Company.objects.filter(owner=user):
        rejections = Rejection.objects.filter(application__company=company)
        latest = rejections.order_by("-received_at", "-pk").first()
        first = rejections.order_by("received_at").first()
        last = Interview.objects.filter(application__company=company).order_by("-when").first()
        counted = (
            latest.pk if latest else None,
            first.received_at if first else None,
            last.when if last else None,
        )
        assert kept.pop(company.pk, (None, None, None)) == counted, company.name
    assert kept == {}, "facts of companies that are gone"


def test_the_card_shows_each_companys_latest_rejection_however_it_was_written(user):
    acme = CompanyFactory(owner=user, name="Acme")
    first = RejectionFactory(
        owner=user,
        application__company=acme,
        received_at=days_ago(20),
        stage_reached=Rejection.Stage.APPLICATION,
    )
    assert doors(user) == {"Acme": ("application", days_ago(20))}

    # A later "no" from the same company, after a final round: that is the door now.
    later = RejectionFactory(
        owner=user, application__company=acme, received_at=days_ago(5), stage_reached="final"
    )
    assert doors(user) == {"Acme": ("final", days_ago(5))}
    assert_facts_are_a_recount(user)

    # Its date corrected in bulk (a queryset's update, no save()): the other one is latest.
    Rejection.objects.filter(pk=later.pk).update(received_at=days_ago(30))
    assert doors(user) == {"Acme": ("application", days_ago(20))}

    # The latest one deleted: the one before it is the door again.
    first.delete()
    assert doors(user) == {"Acme": ("final", days_ago(30))}
    assert_facts_are_a_recount(user)

    # A bulk insert (an import) of a newer one.
    third = ApplicationFactory(owner=user, company=acme, status="rejected")
    Rejection.objects.bulk_create(
        [
            Rejection(
                owner=user, application=third, received_at=days_ago(2), stage_reached="screening"
            )
        ]
    )
    assert doors(user) == {"Acme": ("screening", days_ago(2))}

    # That application was logged under the wrong company: moved, it takes its "no" along.
    globex = CompanyFactory(owner=user, name="Globex")
    Application.objects.filter(pk=third.pk).update(company=globex)
    assert doors(user) == {
        "Acme": ("final", days_ago(30)),
        "Globex": ("screening", days_ago(2)),
    }
    assert_facts_are_a_recount(user)

    # A company deleted takes its door, and its facts, with it.
    globex.delete()
    assert doors(user) == {"Acme": ("final", days_ago(30))}
    assert_facts_are_a_recount(user)


def test_a_door_counts_as_reopened_while_an_interview_there_follows_the_first_no(user):
    def reopened() -> int:
        return dashboard.habits(user, NOW).doors_reopened

    company = CompanyFactory(owner=user, name="Came Back")
    RejectionFactory(owner=user, application__company=company, received_at=days_ago(40))
    again = ApplicationFactory(owner=user, company=company, status="interviewing")
    interview = InterviewFactory(owner=user, application=again, when=days_ago(50))
    assert reopened() == 0  # the interview came before the "no"

    Interview.objects.filter(pk=interview.pk).update(when=days_ago(10))
    assert reopened() == 1
    assert_facts_are_a_recount(user)

    interview.delete()
    assert reopened() == 0

    Interview.objects.bulk_create(
        [Interview(owner=user, application=again, when=days_ago(3), kind="video")]
    )
    assert reopened() == 1

    # The application with the interview belonged to another company: no door reopened here.
    elsewhere = CompanyFactory(owner=user, name="Elsewhere")
    again.company = elsewhere
    again.save()
    assert reopened() == 0
    assert_facts_are_a_recount(user)


def test_the_facts_are_worked_out_again_after_a_migrate(user):
    """A database from before the facts (or one whose facts were lost) shows the same doors
    once `migrate` has run (its post_migrate handler works every company out again)."""
    RejectionFactory(owner=user, application__company__name="Acme", received_at=days_ago(7))
    RejectionFactory(owner=user, application__company__name="Initech", received_at=days_ago(9))
    before = doors(user)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CompanyFacts._meta.db_table}")
    assert doors(user) == {}

    facts.install()

    assert doors(user) == before
    assert_facts_are_a_recount(user)


def test_one_persons_writes_leave_anothers_doors_alone(user, other_user):
    RejectionFactory(owner=user, application__company__name="Acme", received_at=days_ago(7))
    theirs = RejectionFactory(
        owner=other_user, application__company__name="Acme", received_at=days_ago(1)
    )
    mine = doors(user)

    theirs.delete()
    RejectionFactory(owner=other_user, application__company__name="Umbrella")

    assert doors(user) == mine == {"Acme": ("interview", days_ago(7))}
    assert_facts_are_a_recount(user)
    assert_facts_are_a_recount(other_user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_rejections_saved_at_the_same_moment_both_count():
    """Two transactions add a rejection at one company at once (the inbox watch and a tab):
    the one that commits second worked the company out after the first committed, so the
    newer rejection is the door, whichever order they finish in."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")

    person = UserFactory(username="twotabs")
    company = CompanyFactory(owner=person, name="Acme")
    RejectionFactory(owner=person, application__company=company, received_at=days_ago(60))
    newer_app = ApplicationFactory(owner=person, company=company, status="rejected")
    older_app = ApplicationFactory(owner=person, company=company, status="rejected")
    newer_saved = threading.Event()
    errors = []

    def save(application, received_at, *, before_commit=None, after_start=None):
        try:
            if after_start:
                after_start.wait(10)
            with transaction.atomic():
                Rejection.objects.create(
                    owner=person, application=application, received_at=received_at
                )
                if before_commit:
                    before_commit.set()
                    time.sleep(0.5)  # the other one saves meanwhile, and waits for this one
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=save, args=(newer_app, days_ago(2)), kwargs={"before_commit": newer_saved}
        ),
        threading.Thread(
            target=save, args=(older_app, days_ago(20)), kwargs={"after_start": newer_saved}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert doors(person) == {"Acme": ("application", days_ago(2))}
    assert_facts_are_a_recount(person)
