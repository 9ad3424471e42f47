"""The due-now card: pending follow-ups due by now, most pressing first, each with its draft."""

import datetime as dt

import pytest
import time_machine

from applications.models import Application
from dashboard import cards as dashboard
from followups.models import FollowUp, Reminder
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    FollowUpFactory,
    ImprovementGoalFactory,
    RejectionFactory,
)

# A Tuesday, 11:00 in Berlin (the factories' time zone).
NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def rejected_at(user, company_name: str, *, received_at=NOW - dt.timedelta(days=1)):
    company = CompanyFactory(owner=user, name=company_name)
    contact = ContactFactory(owner=user, company=company, name="Dana Whitfield")
    application = ApplicationFactory(
        owner=user, company=company, role_title="Backend Engineer", status="rejected"
    )
    rejection = RejectionFactory(
        owner=user, application=application, received_at=received_at, contact=contact
    )
    return rejection


def thanks(rejection, **fields) -> FollowUp:
    values = {
        "owner": rejection.owner,
        "kind": FollowUp.Kind.REJECTION_THANKS,
        "company": rejection.application.company,
        "application": rejection.application,
        "rejection": rejection,
        "contact": rejection.contact,
        "due_at": rejection.received_at + dt.timedelta(hours=24),
        "deadline_at": rejection.received_at + dt.timedelta(hours=48),
    }
    values.update(fields)
    return FollowUpFactory(**values)


def test_it_lists_a_due_thank_you_with_its_draft(user):
    followup = thanks(rejected_at(user, "Acme"))

    card = dashboard.due_now(user, NOW)

    assert card.total == 1
    [row] = card.rows
    assert row.pk == followup.pk
    assert row.action == "Thank Dana at Acme"
    assert row.contact_name == "Dana Whitfield"
    assert not row.is_overdue
    assert "asked_for_feedback" in row.done_form.fields  # the tick is offered
    assert row.draft is not None
    assert row.draft.body.startswith("Dear Dana,")
    assert "Backend Engineer" in row.draft.body
    assert "Backend Engineer" in row.draft.subject


def test_it_leaves_out_what_is_not_due_or_not_pending(user, other_user):
    rejection = rejected_at(user, "Acme")
    thanks(rejection, due_at=NOW + dt.timedelta(minutes=1))
    FollowUpFactory(
        owner=user,
        company=rejection.application.company,
        kind=FollowUp.Kind.CHECK_IN,
        due_at=NOW - dt.timedelta(days=1),
        status=FollowUp.Status.DONE,
    )
    FollowUpFactory(
        owner=user,
        company=rejection.application.company,
        kind=FollowUp.Kind.LINKEDIN,
        due_at=NOW - dt.timedelta(days=1),
        status=FollowUp.Status.SKIPPED,
    )
    thanks(rejected_at(other_user, "Theirs"), due_at=NOW - dt.timedelta(hours=1))

    card = dashboard.due_now(user, NOW)

    assert card.rows == []
    assert card.total == 0


def test_it_puts_the_most_pressing_deadline_first_and_flags_overdue(user):
    later = thanks(rejected_at(user, "Later Inc"), due_at=NOW - dt.timedelta(hours=1))
    missed = thanks(
        rejected_at(user, "Missed Ltd", received_at=NOW - dt.timedelta(days=5)),
    )

    card = dashboard.due_now(user, NOW)

    assert [row.pk for row in card.rows] == [missed.pk, later.pk]
    assert [row.is_overdue for row in card.rows] == [True, False]
    assert card.overdue == 1


def test_it_lists_ten_and_counts_the_rest(user):
    for n in range(12):
        thanks(rejected_at(user, f"Company {n}"), due_at=NOW - dt.timedelta(minutes=n))

    card = dashboard.due_now(user, NOW)

    assert len(card.rows) == dashboard.DUE_SHOWN == 10
    assert card.total == 12
    assert card.more == 2


def test_it_flags_a_followup_whose_reminder_email_was_not_delivered(user):
    followup = thanks(rejected_at(user, "Acme"))
    Reminder.objects.create(
        followup=followup,
        owner=user,
        status=Reminder.Status.FAILED,
        send_at=NOW,
        next_attempt_at=NOW,
        last_error="550 mailbox unavailable",
    )
    thanks(rejected_at(user, "Fine Co"))

    card = dashboard.due_now(user, NOW)

    assert card.failed_reminders == 1
    flags = {row.pk: row.reminder_failed for row in card.rows}
    assert flags[followup.pk] is True
    assert sum(flags.values()) == 1


def test_it_names_completed_goals_in_the_note_to_the_old_recruiter(user):
    rejection = rejected_at(user, "Acme", received_at=NOW - dt.timedelta(days=120))
    again = ApplicationFactory(
        owner=user,
        company=rejection.application.company,
        role_title="Staff Engineer",
        status=Application.Status.APPLIED,
    )
    FollowUpFactory(
        owner=user,
        kind=FollowUp.Kind.RECRUITER_NOTE,
        company=again.company,
        application=again,
        rejection=rejection,
        contact=rejection.contact,
        due_at=NOW - dt.timedelta(minutes=5),
        deadline_at=NOW + dt.timedelta(days=3),
    )
    ImprovementGoalFactory(
        owner=user,
        what="Ran three mock interviews",
        progress=100,
        completed_on=(NOW - dt.timedelta(days=10)).date(),
    )

    loaded_here = dashboard.due_now(user, NOW)
    from_goals_card = dashboard.due_now(
        user, NOW, completed_goals=dashboard.improvement_goals(user, NOW).completed_goals
    )

    for card in (loaded_here, from_goals_card):
        [row] = card.rows
        assert row.action == "Tell Dana at Acme you applied again"
        assert "ran three mock interviews" in row.draft.body.lower()


def test_it_shows_the_draft_and_the_buttons_on_the_page(user, user_client):
    thanks(rejected_at(user, "Acme"))

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="due-row"' in page
    assert "Thank Dana at Acme" in page
    assert "Dear Dana," in page
    for button in ("mark-sent", "snooze", "skip", "copy-draft", "mailto"):
        assert f'data-testid="{button}"' in page
    assert 'data-testid="tone-ready"' in page


def test_it_says_what_to_do_when_nothing_is_due(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="due-empty"' in page
    assert "Nothing to send right now." in page
    assert 'href="/log-rejection/"' in page


def test_it_escapes_what_the_person_typed(user, user_client):
    rejection = rejected_at(user, "<script>alert(1)</script> Corp")
    thanks(rejection)

    page = user_client.get("/dashboard/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in page
