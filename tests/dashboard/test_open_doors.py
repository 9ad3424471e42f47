"""The open-doors card: every company that said no and whose door is still open."""

import datetime as dt
import re

import pytest
import time_machine

from accounts.models import Profile
from dashboard import cards as dashboard
from dashboard.cards import DoorState
from followups.models import FollowUp
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    FollowUpFactory,
    RejectionFactory,
)

# 11:00 in Berlin on Tuesday 11 March 2025.
NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def rejected(user, name: str, *, days_ago: float = 10, contact=None, **company_fields):
    company = CompanyFactory(owner=user, name=name, **company_fields)
    application = ApplicationFactory(owner=user, company=company, status="rejected")
    RejectionFactory(
        owner=user,
        application=application,
        received_at=NOW - dt.timedelta(days=days_ago),
        contact=contact(company) if contact else None,
    )
    return company


def test_it_lists_the_contact_last_touch_next_check_in_and_reapply_date(user):
    def dana(company):
        return ContactFactory(
            owner=user,
            company=company,
            name="Dana Whitfield",
            last_touch_at=NOW - dt.timedelta(days=9),
        )

    acme = rejected(user, "Acme", days_ago=10, contact=dana)
    FollowUpFactory(
        owner=user,
        company=acme,
        kind=FollowUp.Kind.CHECK_IN,
        due_at=NOW + dt.timedelta(days=80),
        deadline_at=NOW + dt.timedelta(days=94),
    )

    card = dashboard.open_doors(user, NOW)

    [door] = card.shown
    assert door.company == "Acme"
    assert door.contact_name == "Dana Whitfield"
    assert door.last_touch_at == NOW - dt.timedelta(days=9)
    assert door.next_check_in_at == NOW + dt.timedelta(days=80)
    # Rejected on 1 March (Berlin); the default cooldown is 90 days.
    assert door.reapply_from == dt.date(2025, 5, 30)
    assert not door.can_reapply
    assert door.state == DoorState.WARM


def test_a_check_in_whose_day_has_come_reads_now_or_missed_not_a_past_date(user, user_client):
    """GIVEN three open doors: one whose check-in fell due three days ago (in "Due now"), one
    whose check-in is past its deadline and the grace after it (in "Missed"), one due in 80
    days
    WHEN the person opens the dashboard
    THEN the first door's next check-in reads "now" with the day it fell due, the second
    "missed" with that day, and the third its day: no door offers a past day as its next
    check-in."""
    for name, due in (
        ("Acme", NOW - dt.timedelta(days=3)),
        ("Initech", NOW - dt.timedelta(days=30)),
        ("Globex", NOW + dt.timedelta(days=80)),
    ):
        company = rejected(user, name, days_ago=120)
        FollowUpFactory(
            owner=user,
            company=company,
            kind=FollowUp.Kind.CHECK_IN,
            due_at=due,
            deadline_at=due + dt.timedelta(days=14),
        )

    page = user_client.get("/dashboard/").content.decode()

    shown = {
        company: re.sub(r"<[^>]+>", "", text)
        for company, text in re.findall(
            r'data-company="\d+"[^>]*>.*?>([A-Za-z]+)</a>.*?data-testid="door-next-check-in">(.*?)</dd>',
            page,
            flags=re.S,
        )
    }
    # Berlin: 8 March 2025, 11:00; 9 February; 30 May 2025, 12:00 (summer time).
    assert shown == {
        "Acme": "now (due since Sat 8 Mar)",
        "Initech": "missed (was due Sun 9 Feb)",
        "Globex": "Fri 30 May",
    }
    # The same places the follow-up cards give them.
    due = {row.company for row in dashboard.due_now(user, NOW).rows}
    missed = {row.company for row in dashboard.missed(user, NOW).rows}
    assert "Acme" in due and "Initech" not in due
    assert "Initech" in missed


def test_a_door_is_warm_cooling_or_cold_from_the_last_real_touch(user):
    """Warm for 30 days after the last real touch, cooling until the 90-day cadence, then cold."""

    def touched(days):
        return lambda company: ContactFactory(
            owner=user, company=company, last_touch_at=NOW - dt.timedelta(days=days)
        )

    rejected(user, "Old Flame", days_ago=120, contact=touched(91))
    rejected(user, "Kept Up", days_ago=200, contact=touched(29))
    rejected(user, "Fading", days_ago=200, contact=touched(45))
    rejected(user, "Fresh No", days_ago=3)

    states = {door.company: door.state for door in dashboard.open_doors(user, NOW).shown}

    assert states == {
        "Old Flame": DoorState.COLD,
        "Kept Up": DoorState.WARM,
        "Fading": DoorState.COOLING,
        # Their "no" came three days ago: a real answer, so the door is warm.
        "Fresh No": DoorState.WARM,
    }


def test_a_company_that_never_answered_is_marked_and_not_warm(user, user_client):
    company = rejected(user, "Silent Inc", days_ago=5)
    company.applications.get().rejection.__class__.objects.filter(
        application__company=company
    ).update(channel="never_heard")

    [door] = dashboard.open_doors(user, NOW).shown

    assert door.never_answered
    assert door.state == DoorState.COLD
    page = user_client.get("/dashboard/").content.decode()
    assert 'data-testid="door-never-answered"' in page and "never answered" in page
    assert 'data-state="cold"' in page


def test_it_leaves_out_closed_doors_companies_that_never_said_no_and_other_people(user, other_user):
    rejected(user, "Closed Co", door_closed_at=NOW - dt.timedelta(days=1))
    ApplicationFactory(owner=user, company=CompanyFactory(owner=user, name="Still Waiting"))
    rejected(other_user, "Theirs")
    rejected(user, "Open Co")

    assert [door.company for door in dashboard.open_doors(user, NOW).shown] == ["Open Co"]


def test_it_falls_back_to_the_contact_touched_last(user):
    company = rejected(user, "Acme")
    ContactFactory(
        owner=user, company=company, name="Ann Early", last_touch_at=NOW - dt.timedelta(days=40)
    )
    ContactFactory(
        owner=user, company=company, name="Bo Recent", last_touch_at=NOW - dt.timedelta(days=2)
    )
    ContactFactory(owner=user, company=company, name="Cy Never", last_touch_at=None)

    [door] = dashboard.open_doors(user, NOW).shown

    assert door.contact_name == "Bo Recent"
    assert door.last_touch_at == NOW - dt.timedelta(days=2)


def test_it_uses_the_latest_rejection_and_the_persons_cooldown(user):
    Profile.objects.filter(user=user).update(reapply_cooldown_days=30)
    user.refresh_from_db()
    company = rejected(user, "Acme", days_ago=200)
    application = ApplicationFactory(owner=user, company=company, status="rejected")
    RejectionFactory(owner=user, application=application, received_at=NOW - dt.timedelta(days=20))

    [door] = dashboard.open_doors(user, NOW).shown

    assert door.latest_rejection_at == NOW - dt.timedelta(days=20)
    assert door.reapply_from == dt.date(2025, 3, 21)


def test_it_lists_a_company_once_however_often_it_said_no(user):
    """GIVEN Acme said no twice and the person has applied there again since, and Closed Co
    said no twice and its door is closed
    WHEN the card is shown
    THEN Acme is one door dated by its latest rejection, and Closed Co is not there."""
    acme = rejected(user, "Acme", days_ago=200)
    RejectionFactory(
        owner=user,
        application=ApplicationFactory(owner=user, company=acme, status="rejected"),
        received_at=NOW - dt.timedelta(days=20),
    )
    ApplicationFactory(owner=user, company=acme, applied_on=dt.date(2025, 3, 10))
    closed = rejected(user, "Closed Co", days_ago=50, door_closed_at=NOW - dt.timedelta(days=1))
    RejectionFactory(
        owner=user,
        application=ApplicationFactory(owner=user, company=closed, status="rejected"),
        received_at=NOW - dt.timedelta(days=5),
    )

    [door] = dashboard.open_doors(user, NOW).shown

    assert door.company == "Acme"
    assert door.latest_rejection_at == NOW - dt.timedelta(days=20)


def test_it_names_who_sent_the_latest_rejection_else_the_contact_touched_last(user):
    """GIVEN Ann sent each company's first rejection; Acme's latest came from Cy (though Ann
    was touched since), Globex's latest from nobody named, and Bo was touched after Ann
    WHEN the card is shown
    THEN Acme's door names Cy and Globex's names Bo: never the sender of an older rejection."""

    def ann(touched_days_ago: int):
        def make(company):
            return ContactFactory(
                owner=user,
                company=company,
                name="Ann Early",
                last_touch_at=NOW - dt.timedelta(days=touched_days_ago),
            )

        return make

    acme = rejected(user, "Acme", days_ago=100, contact=ann(touched_days_ago=1))
    cy = ContactFactory(
        owner=user, company=acme, name="Cy Latest", last_touch_at=NOW - dt.timedelta(days=30)
    )
    RejectionFactory(
        owner=user,
        application=ApplicationFactory(owner=user, company=acme, status="rejected"),
        received_at=NOW - dt.timedelta(days=10),
        contact=cy,
    )
    globex = rejected(user, "Globex", days_ago=100, contact=ann(touched_days_ago=40))
    ContactFactory(
        owner=user, company=globex, name="Bo Recent", last_touch_at=NOW - dt.timedelta(days=2)
    )
    RejectionFactory(
        owner=user,
        application=ApplicationFactory(owner=user, company=globex, status="rejected"),
        received_at=NOW - dt.timedelta(days=10),
        contact=None,
    )

    names = {door.company: door.contact_name for door in dashboard.open_doors(user, NOW).shown}

    assert names == {"Acme": "Cy Latest", "Globex": "Bo Recent"}


def test_it_says_reapplying_is_fine_once_the_cooldown_is_over(user):
    rejected(user, "Acme", days_ago=95)

    [door] = dashboard.open_doors(user, NOW).shown

    assert door.can_reapply


def test_it_lists_the_nearest_check_in_first(user):
    later = rejected(user, "Later", days_ago=5)
    sooner = rejected(user, "Sooner", days_ago=50)
    rejected(user, "No Check-in", days_ago=1)
    for company, days in ((later, 85), (sooner, 40)):
        FollowUpFactory(
            owner=user,
            company=company,
            kind=FollowUp.Kind.CHECK_IN,
            due_at=NOW + dt.timedelta(days=days),
            deadline_at=NOW + dt.timedelta(days=days + 14),
        )

    names = [door.company for door in dashboard.open_doors(user, NOW).shown]

    assert names == ["Sooner", "Later", "No Check-in"]


def test_door_state_is_closed_once_the_person_closed_it():
    state = dashboard.door_state(
        closed_at=NOW,
        last_touch_at=NOW,
        latest_rejection_at=NOW,
        now=NOW,
        warm_days=90,
    )

    assert state == DoorState.CLOSED


def test_it_shows_each_door_with_a_close_button(user, user_client):
    rejected(user, "Acme", days_ago=10)

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="door-row"' in page
    assert 'data-state="warm"' in page
    assert "from Fri 30 May" in page
    assert 'data-testid="close-door"' in page


def test_it_says_what_to_do_first_when_there_are_no_doors(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="doors-empty"' in page
    assert "Log a rejection" in page


def test_the_card_shows_the_strongest_doors_as_the_rule_table_weighs_them(user):
    """The database ranks the doors and describes only the shown ones: its choice and order
    are the rule table's (stage points plus one per signal), for every stage and signal.
    Five newer CV-screen doors (1 point) stand ready to take the place of any door whose
    stage or signal the ranking missed."""
    from followups import rules
    from followups.models import Reply
    from tests.factories import FeedbackFactory

    doors = []
    weighed = [
        ("application", True, False, False),
        ("application", False, True, False),
        ("application", False, False, True),
        ("screening", False, False, False),
        ("interview", False, False, False),
        ("final", False, False, False),
        ("offer", False, False, False),
        ("interview", True, True, True),
    ]
    plain = [("application", False, False, False)] * 5
    for index, (stage, feedback, open_door, replied) in enumerate(weighed + plain):
        company = CompanyFactory(owner=user, name=f"Door {index}")
        application = ApplicationFactory(owner=user, company=company, status="rejected")
        # The weighed doors said no before the plain ones.
        days_ago = 30 - index if index < len(weighed) else 13 - index
        rejection = RejectionFactory(
            owner=user,
            application=application,
            stage_reached=stage,
            open_door_signals=["We will keep your CV on file"] if open_door else [],
            received_at=NOW - dt.timedelta(days=days_ago),
        )
        if feedback:
            FeedbackFactory(owner=user, rejection=rejection)
        if replied:
            thanks = FollowUpFactory(owner=user, company=company, rejection=rejection)
            Reply.objects.create(
                owner=user, followup=thanks, company=company, replied_on=NOW.date()
            )
        points = rules.door_strength(
            stage=stage, feedback=feedback, open_door=open_door, replied=replied
        ).points
        doors.append((-points, days_ago, company.name))  # then the latest "no" first

    card = dashboard.open_doors(user, NOW)

    expected = [name for _, _, name in sorted(doors)][: dashboard.DOORS_SHOWN]
    assert [door.company for door in card.shown] == expected
    assert expected[0] == "Door 7"  # interviews, feedback, open-door words and a reply
    assert {"Door 0", "Door 1", "Door 2"} <= set(expected)  # one signal lifts a CV screen
    assert card.total == len(weighed) + len(plain)
