"""The follow-up page and its actions: times in the person's zone, the draft, mark sent /
snooze / skip / reschedule, htmx fragments for the dashboard, and nobody else's rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from followups import services
from followups.models import FollowUp
from tests.factories import RejectionFactory
from tests.followups.conftest import BERLIN, as_wall, at

Kind = FollowUp.Kind


@pytest.fixture
def thanks(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            received_at=at("2026-03-02 14:00"),
        )
    )
    time_machine.move_to(at("2026-03-03 15:00"), tick=False)
    return FollowUp.objects.get(kind=Kind.REJECTION_THANKS)


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"followups:followup-{name}", args=[followup.pk])


def test_the_page_shows_what_when_why_and_the_draft(person, thanks, client_for):
    page = client_for(person).get(thanks.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert "Thank Dana at Acme" in text
    assert "due Tue 3 Mar, 14:00" in text and "by <strong>Wed 4 Mar, 14:00</strong>" in text
    assert "24 to 48 hours" in text
    assert "Dear Dana," in text
    assert "mailto:dana@acme.example?subject=" in text
    assert "planned for Tue 3 Mar, 14:00" in text  # the reminder email


def test_marking_sent_keeps_what_was_sent(person, thanks, client_for):
    response = client_for(person).post(
        url("done", thanks),
        {"sent_text": "Dear Dana, thank you!", "asked_for_feedback": "on", "done_on": "2026-03-03"},
    )
    assert response.status_code == 302
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.DONE
    assert thanks.sent_text == "Dear Dana, thank you!"
    assert thanks.done_at == at("2026-03-03 15:00")


def test_marking_sent_on_an_earlier_day(person, thanks, client_for):
    client_for(person).post(url("done", thanks), {"done_on": "2026-03-02"})
    thanks.refresh_from_db()
    assert as_wall(thanks.done_at) == "2026-03-02 12:00"


def test_a_future_sent_date_is_refused_next_to_the_field(person, thanks, client_for):
    page = client_for(person).post(url("done", thanks), {"done_on": "2026-03-09"})
    assert "Pick today or a day in the past" in page.text
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.PENDING


def test_htmx_gets_the_card_back(person, thanks, client_for):
    response = client_for(person).post(
        url("snooze", thanks), {"period": "3"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="followup-{thanks.pk}"' in response.text
    assert "Snoozed until Fri 6 Mar, 15:00: Thank Dana at Acme." in response.text
    assert "<html" not in response.text


def test_snooze_until_a_date_starts_at_the_persons_hours(person, thanks, client_for):
    client_for(person).post(url("snooze", thanks), {"period": "date", "until_date": "2026-03-10"})
    thanks.refresh_from_db()
    assert as_wall(thanks.due_at) == "2026-03-10 08:00"
    assert as_wall(thanks.reminders.get(status="pending").send_at) == "2026-03-10 08:00"


def test_reschedule_to_an_exact_time(person, thanks, client_for):
    client_for(person).post(url("reschedule", thanks), {"due_at": "2026-03-04T09:30"})
    thanks.refresh_from_db()
    assert as_wall(thanks.due_at) == "2026-03-04 09:30"


def test_skip(person, thanks, client_for):
    client_for(person).post(url("skip", thanks))
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.SKIPPED


@pytest.mark.parametrize("name", ["detail", "done", "snooze", "skip", "reschedule"])
def test_another_persons_followup_is_not_found(thanks, other_user, client_for, name):
    client = client_for(other_user)
    assert client.get(url(name, thanks)).status_code == 404
    assert (
        client.post(url(name, thanks), {"period": "1", "due_at": "2026-03-04T09:30"}).status_code
        == 404
    )
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.PENDING and as_wall(thanks.due_at) == "2026-03-03 14:00"


def test_it_asks_visitors_to_log_in(client, thanks):
    response = client.post(url("done", thanks))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_snooze_past_the_deadline_says_so(person, thanks, client_for):
    """GIVEN the thank-you due by Wednesday 14:00 (Tuesday 15:00 now)
    WHEN Sam snoozes it for 3 days, past that deadline
    THEN the page says the deadline moved, from when to when."""
    page = client_for(person).get(thanks.get_absolute_url())
    assert "Due by Wed 4 Mar, 14:00. A snooze past that moves the deadline too" in page.text

    response = client_for(person).post(url("snooze", thanks), {"period": "3"}, follow=True)

    thanks.refresh_from_db()
    assert "That is after its deadline (Wed 4 Mar, 14:00): it is now due by " in response.text
    assert as_wall(thanks.deadline_at) > "2026-03-04 14:00"


def test_a_snooze_inside_the_deadline_says_nothing_of_it(person, thanks, client_for):
    response = client_for(person).post(
        url("snooze", thanks),
        {"period": "date", "until_date": "2026-03-04"},
        HTTP_HX_REQUEST="true",
    )
    assert "Snoozed until Wed 4 Mar, 08:00" in response.text
    assert "after its deadline" not in response.text


def test_marked_as_sent_names_the_next_step_as_people_do(person, dana, time_machine):
    """The LinkedIn note after a thank-you reads "LinkedIn connection", never "linkedin"."""
    dana.linkedin_url = "https://www.linkedin.com/in/dana"
    dana.save()
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 10:00"),
    )
    services.sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(kind=FollowUp.Kind.REJECTION_THANKS)

    outcome = services.mark_done(followup=thanks, done_at=at("2026-03-03 10:00"))

    with timezone.override(BERLIN):
        assert "Next: LinkedIn connection, due Tue 3 Mar, 10:00." in outcome.message()


def test_the_more_options_buttons_have_their_own_ids_and_colours(person, thanks, client_for):
    import re

    page = client_for(person).get(thanks.get_absolute_url()).text

    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for label, css in (
        ("Snooze", "btn btn-outline-secondary"),
        ("Reschedule", "btn btn-outline-secondary"),
        ("Skip this one", "btn btn-outline-danger"),
    ):
        [button] = re.findall(rf'<input type="submit"[^>]*value="{label}"[^>]*>', page)
        assert f'class="{css}"' in button, button
        assert "btn-primary" not in button
