"""The dashboard's htmx actions: mark sent, snooze, skip, close a door; each scoped to the
person, answering with the re-rendered card."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from applications.models import Company
from applications.services import log_rejection
from followups.models import FollowUp

# Tuesday 11 March 2025, 11:00 in Berlin.
NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def reject(owner, company_name: str = "Acme") -> FollowUp:
    """A rejection received 30 hours ago, through the real service: its thank-you is due now."""
    rejection = log_rejection(
        owner=owner,
        received_at=NOW - dt.timedelta(hours=30),
        company_name=company_name,
        role_title="Backend Engineer",
        contact_name="Dana Whitfield",
        contact_email="dana@acme.example",
    )
    return FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)


def url(name: str, pk: int) -> str:
    return reverse(f"dashboard:{name}", args=[pk])


def due_card(html: str) -> str:
    """The due-now card's part of an htmx answer (it comes first)."""
    start = html.index('id="card-due-now"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_thank_you_is_on_the_dashboard_first(user, user_client):
    thanks = reject(user)

    page = user_client.get("/dashboard/").content.decode()

    assert f'data-followup="{thanks.pk}"' in due_card(page)


def test_it_marks_a_thank_you_sent_keeping_what_was_sent(user, user_client):
    thanks = reject(user)

    response = user_client.post(
        url("followup-done", thanks.pk),
        {"subject": "Thank you", "text": "Dear Dana,\n\nThank you.", "asked_for_feedback": "on"},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    card = due_card(html)
    assert "Marked as sent: Thank Dana at Acme." in card
    assert "Next: Feedback follow-up" in card
    assert f'data-followup="{thanks.pk}"' not in card
    # The cards the action changed come along, swapped out of band.
    assert 'id="card-habits" data-testid="card-habits"' in html
    assert html.count('hx-swap-oob="true"') == 4
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.DONE
    assert thanks.done_at == NOW
    assert thanks.sent_text == "Subject: Thank you\n\nDear Dana,\n\nThank you."
    assert thanks.asked_for_feedback
    thanks.contact.refresh_from_db()
    assert thanks.contact.last_touch_at == NOW


def test_it_plans_no_feedback_nudge_when_feedback_was_not_asked_for(user, user_client):
    thanks = reject(user)

    response = user_client.post(url("followup-done", thanks.pk), {"text": "Thanks!"}, **HTMX)

    assert "Next: Feedback follow-up" not in response.content.decode()
    thanks.refresh_from_db()
    assert not thanks.asked_for_feedback
    assert not FollowUp.objects.filter(owner=user, kind=FollowUp.Kind.FEEDBACK_NUDGE).exists()


def test_marking_it_twice_changes_nothing_the_second_time(user, user_client):
    thanks = reject(user)
    user_client.post(url("followup-done", thanks.pk), {"text": "First"}, **HTMX)

    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        response = user_client.post(url("followup-done", thanks.pk), {"text": "Second"}, **HTMX)

    assert "Nothing changed: this one is already done." in response.content.decode()
    thanks.refresh_from_db()
    assert (thanks.sent_text, thanks.done_at) == ("First", NOW)


def test_it_snoozes_a_day_and_the_row_moves_to_coming_up(user, user_client):
    thanks = reject(user)

    response = user_client.post(url("followup-snooze", thanks.pk), **HTMX)

    html = response.content.decode()
    assert f'data-followup="{thanks.pk}"' not in due_card(html)
    assert "Snoozed until Wed 12 Mar, 11:00: Thank Dana at Acme." in html
    coming = html[html.index('id="card-coming-up"') :]
    assert f'data-followup="{thanks.pk}"' in coming
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.PENDING
    assert thanks.due_at == NOW + dt.timedelta(days=1)


def test_it_skips(user, user_client):
    thanks = reject(user)

    response = user_client.post(url("followup-skip", thanks.pk), **HTMX)

    assert "Skipped: Thank Dana at Acme." in response.content.decode()
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.SKIPPED


def test_it_closes_a_door_and_cancels_what_was_pending_there(user, user_client):
    thanks = reject(user)
    company = thanks.company

    response = user_client.post(url("close-door", company.pk), **HTMX)

    html = response.content.decode()
    doors = html[html.index('id="card-open-doors"') : html.index("</section>")]
    assert "Door closed at Acme. 2 pending follow-ups cancelled." in doors
    assert f'data-company="{company.pk}"' not in doors
    assert f'data-followup="{thanks.pk}"' not in due_card(html)
    company.refresh_from_db()
    assert company.door_closed_at == NOW
    assert not FollowUp.objects.filter(company=company, status=FollowUp.Status.PENDING).exists()


def test_without_htmx_it_goes_back_to_the_dashboard_with_a_message(user, user_client):
    thanks = reject(user)

    response = user_client.post(url("followup-skip", thanks.pk), follow=True)

    assert response.redirect_chain == [("/dashboard/", 302)]
    assert "Skipped: Thank Dana at Acme." in response.content.decode()


@pytest.mark.parametrize("action", ["followup-done", "followup-snooze", "followup-skip"])
def test_another_persons_followup_is_not_found(user, other_user, client_for, action):
    theirs = reject(other_user)
    due_at = theirs.due_at

    response = client_for(user).post(url(action, theirs.pk), {"text": "x"}, **HTMX)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.due_at) == (FollowUp.Status.PENDING, due_at)


def test_another_persons_door_is_not_found(user, other_user, client_for):
    theirs = reject(other_user).company

    response = client_for(user).post(url("close-door", theirs.pk), **HTMX)

    assert response.status_code == 404
    assert Company.objects.get(pk=theirs.pk).door_closed_at is None


def test_actions_need_a_logged_in_post(user, client):
    thanks = reject(user)

    assert client.post(url("followup-done", thanks.pk)).status_code == 302
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.PENDING
    logged_in = client
    logged_in.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert logged_in.get(url("followup-done", thanks.pk)).status_code == 405
    assert "Close the door at" in logged_in.get(url("close-door", thanks.company_id)).text


def test_the_dashboard_records_that_they_wrote_back(user, user_client):
    """GIVEN a keep-in-touch note due on the dashboard
    WHEN the person marks it sent there with "They wrote back" ticked
    THEN the reply is recorded, so it does not count toward the cap of unanswered ones."""
    thanks = reject(user)
    keep = FollowUp.objects.create(
        owner=user,
        kind=FollowUp.Kind.KEEP_IN_TOUCH,
        key=f"keep_in_touch:rejection-{thanks.rejection_id}:1",
        company=thanks.company,
        application=thanks.application,
        rejection=thanks.rejection,
        contact=thanks.contact,
        anchor_at=NOW - dt.timedelta(days=90),
        due_at=NOW - dt.timedelta(hours=1),
        deadline_at=NOW + dt.timedelta(days=13),
    )

    row = due_card(user_client.get("/dashboard/").content.decode())
    keep_row = row[row.index(f'data-followup="{keep.pk}"') :]
    assert 'name="got_reply"' in keep_row.split("</article>")[0]
    assert "Check-ins stop after four that nobody answered." in keep_row.split("</article>")[0]

    user_client.post(url("followup-done", keep.pk), {"text": "Hi Dana", "got_reply": "on"}, **HTMX)

    keep.refresh_from_db()
    assert keep.status == FollowUp.Status.DONE
    assert keep.got_reply is True
