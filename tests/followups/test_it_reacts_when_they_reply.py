"""They replied: a fourth action on every follow-up and reminder email. It records the day
(and optional words), drops the feedback nudge, moves the next check-in to the reply day +
the cadence, and restarts the count of unanswered check-ins from the reply."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followups import outbox, replies, services
from followups.drafts import draft_for
from followups.models import FollowUp, Reply
from tests.factories import RejectionFactory, UserFactory
from tests.followups.conftest import BERLIN, as_wall, at

Kind = FollowUp.Kind
Status = FollowUp.Status


@pytest.fixture
def rejected(person, dana, time_machine):
    """Acme said no on Mon 2 Mar 2026, 14:00; Sam thanked Dana the next day and asked for
    feedback: a feedback nudge (7 days) and the 90-day check-in are pending."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    time_machine.move_to(at("2026-03-03 15:00"), tick=False)
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(followup=thanks, done_at=at("2026-03-03 15:00"), asked_for_feedback=True)
    thanks.refresh_from_db()
    return thanks


def pending(kind: str) -> FollowUp:
    return FollowUp.objects.get(kind=kind, status=Status.PENDING)


def test_a_reply_to_a_sent_thank_you_drops_the_nudge_and_moves_the_check_in(rejected, time_machine):
    """GIVEN a thank-you sent on 3 Mar asking for feedback, the 90-day check-in due 31 May
    WHEN Dana replies on Fri 20 Mar
    THEN the feedback nudge is cancelled and the check-in is due 90 days after the reply."""
    assert as_wall(pending(Kind.CHECK_IN).due_at).startswith("2026-05-31")
    time_machine.move_to(at("2026-03-20 18:30"), tick=False)
    outcome = replies.record_reply(followup=rejected, replied_on=dt.date(2026, 3, 20))
    assert FollowUp.objects.get(kind=Kind.FEEDBACK_NUDGE).status == Status.CANCELLED
    check_in = pending(Kind.CHECK_IN)
    assert as_wall(check_in.due_at) == "2026-06-18 18:30"
    assert check_in.reminders.get(status="pending").send_at == check_in.due_at
    with timezone.override(BERLIN):  # pages show it in the person's zone
        message = outcome.message()
    assert message.startswith("Recorded: Dana replied on Fri 20 Mar.")
    assert "Next 90-day check-in now due Thu 18 Jun, 18:30." in message
    assert "No need any more: Follow up with Dana at Acme about feedback." in message


def test_an_older_reply_never_brings_a_check_in_forward(rejected, time_machine):
    """GIVEN the check-in already due 31 May (90 days after the rejection)
    WHEN the person records a reply from 1 Feb, before it all
    THEN the check-in stays where it is (a reply only ever pushes the clock later)."""
    before = pending(Kind.CHECK_IN).due_at
    replies.record_reply(followup=rejected, replied_on=dt.date(2026, 2, 1))
    assert pending(Kind.CHECK_IN).due_at == before


def test_the_same_reply_twice_is_recorded_once(rejected):
    first = replies.record_reply(followup=rejected, replied_on=dt.date(2026, 3, 3))
    second = replies.record_reply(followup=rejected, replied_on=dt.date(2026, 3, 3))
    assert first.created and not second.created
    assert Reply.objects.count() == 1
    assert second.message() == "Already recorded: Dana replied on Tue 3 Mar."


def send_next_check_in(person) -> services.Outcome:
    followup = FollowUp.objects.filter(owner=person, status=Status.PENDING).get(
        kind__in=[Kind.CHECK_IN, Kind.KEEP_IN_TOUCH]
    )
    return services.mark_done(followup=followup, done_at=followup.due_at)


def test_a_reply_after_four_unanswered_starts_keeping_in_touch_again(
    person, rejected, time_machine
):
    """GIVEN the check-in and four keep-in-touch notes sent with no answer (the cap: no fifth)
    WHEN Dana replies to the last one
    THEN a fifth keep-in-touch is planned, 90 days after the reply, and the count of
    unanswered ones starts again from the reply."""
    outcomes = [send_next_check_in(person) for _ in range(5)]
    assert outcomes[-1].suggest_closing_door
    last = FollowUp.objects.get(kind=Kind.KEEP_IN_TOUCH, sequence=4)
    reply_day = last.done_at.astimezone(person.profile.zone).date() + dt.timedelta(days=5)
    time_machine.move_to(at(f"{reply_day} 11:00"), tick=False)
    outcome = replies.record_reply(followup=last, replied_on=reply_day)
    fifth = pending(Kind.KEEP_IN_TOUCH)
    assert fifth.sequence == 5
    assert as_wall(fifth.due_at) == f"{reply_day + dt.timedelta(days=90)} 11:00"
    assert [step.pk for step in outcome.scheduled] == [fifth.pk]
    assert (
        services.unanswered_streak(owner=person, rejection_id=last.rejection_id, kind=last.kind)
        == 0
    )


def test_the_cap_counts_from_a_reply_recorded_on_a_pending_check_in(person, rejected, time_machine):
    """GIVEN three keep-in-touch notes sent unanswered, the fourth pending
    WHEN Dana writes first (recorded on the pending one) and the fourth then goes unanswered
    THEN no door-closing suggestion: one unanswered since the reply, not four."""
    for _ in range(4):  # the check-in and keep-in-touch #1-#3
        send_next_check_in(person)
    fourth = pending(Kind.KEEP_IN_TOUCH)
    time_machine.move_to(fourth.due_at - dt.timedelta(days=10), tick=False)
    replies.record_reply(followup=fourth, replied_on=fourth.due_at.date() - dt.timedelta(days=10))
    fourth = pending(Kind.KEEP_IN_TOUCH)  # moved: 90 days after the reply
    time_machine.move_to(fourth.due_at, tick=False)
    outcome = services.mark_done(followup=fourth, done_at=fourth.due_at)
    assert not outcome.suggest_closing_door
    assert pending(Kind.KEEP_IN_TOUCH).sequence == 5


def test_what_they_said_stays_out_of_every_draft(person, rejected):
    replies.record_reply(
        followup=rejected, replied_on=dt.date(2026, 3, 3), words="Secret: hiring freeze till Q3"
    )
    draft = draft_for(pending(Kind.CHECK_IN))
    assert "Secret" not in draft.body and "freeze" not in draft.body


# --- From the reminder email, no login -----------------------------------------------------------


@pytest.fixture
def replied_link(person, dana, time_machine) -> str:
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            received_at=at("2026-03-02 14:00"),
        )
    )
    time_machine.move_to(at("2026-03-03 14:00"), tick=False)
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    body = mail.outbox[0].body
    assert "They replied" in mail.outbox[0].alternatives[0][0]
    return re.search(r"^They replied:\s+http://[^/]+(\S+)$", body, re.M).group(1)


def test_the_email_link_asks_first_then_records_even_after_marking_sent(replied_link):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(followup=thanks, done_at=at("2026-03-03 14:00"))
    page = Client().get(replied_link)
    assert page.status_code == 200
    assert "Yes, they replied" in page.text and "They replied on" in page.text
    assert not Reply.objects.exists()
    done = Client().post(replied_link, {"replied_on": "2026-03-03", "words": "Thanks, Sam!"})
    assert "Reply recorded" in done.text and "Dana replied on Tue 3 Mar" in done.text
    reply = Reply.objects.get()
    assert reply.words == "Thanks, Sam!" and reply.followup == thanks


def test_a_reply_in_the_future_is_refused_next_to_the_field(replied_link):
    page = Client().post(replied_link, {"replied_on": "2026-04-01"})
    assert "Pick today or a day in the past: when did they reply?" in page.text
    assert not Reply.objects.exists()


# --- In the app --------------------------------------------------------------------------------


def test_the_followup_page_records_a_reply_on_a_sent_one(person, rejected, client_for):
    client = client_for(person)
    page = client.get(rejected.get_absolute_url())
    assert 'data-testid="reply-form"' in page.text
    url = reverse("followups:followup-replied", args=[rejected.pk])
    response = client.post(url, {"replied_on": "2026-03-03", "words": "Kind words"}, follow=True)
    assert "Recorded: Dana replied on Tue 3 Mar." in response.text
    assert "Kind words" in response.text
    assert Reply.objects.filter(followup=rejected).exists()


def test_someone_elses_followup_is_not_found(rejected, client_for):
    intruder = client_for(UserFactory(username="eve"))
    url = reverse("followups:followup-replied", args=[rejected.pk])
    assert intruder.post(url, {"replied_on": "2026-03-03"}).status_code == 404
    dashboard_url = reverse("dashboard:followup-replied", args=[rejected.pk])
    assert intruder.post(dashboard_url).status_code == 404
    assert not Reply.objects.exists()


def test_the_dashboard_button_records_today_and_counts_in_the_habits(
    person, dana, client_for, time_machine
):
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
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    client = client_for(person)
    assert 'data-testid="they-replied"' in client.get(reverse("dashboard:index")).text
    response = client.post(
        reverse("dashboard:followup-replied", args=[thanks.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Recorded: Dana replied on Tue 3 Mar." in response.text
    page = client.get(reverse("dashboard:index")).text
    assert re.search(r'data-testid="habit-replies">1<', page)
