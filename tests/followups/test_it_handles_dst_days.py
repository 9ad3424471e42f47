"""Days when the clocks change, in Europe/Berlin and America/New_York.

Elapsed-hour offsets (24 h, 48 h) count real hours; day offsets (90 days) keep the wall-clock
time; reminder hours are read on the wall clock of the day itself.
"""

import datetime as dt

import pytest

from followups import services
from followups.hours import Offset, ReminderHours, place_in_hours
from followups.models import FollowUp
from tests.factories import RejectionFactory
from tests.followups.conftest import BERLIN, NEW_YORK, as_wall, at

Kind = FollowUp.Kind


def test_it_counts_real_hours_across_the_berlin_spring_change(person, time_machine):
    """GIVEN a rejection received Saturday 28 March 2026, 09:00 in Berlin (CET)
    WHEN the clocks go forward that night (02:00 -> 03:00)
    THEN the thank-you is due 24 real hours later: Sunday 10:00 CEST, deadline Monday 10:00."""
    time_machine.move_to(at("2026-03-28 09:00"), tick=False)
    rejection = RejectionFactory(
        owner=person, received_at=at("2026-03-28 09:00"), reply_to="jobs@acme.example"
    )
    services.sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-29 10:00"
    assert as_wall(thanks.deadline_at) == "2026-03-30 10:00"
    assert thanks.deadline_at - rejection.received_at == dt.timedelta(hours=48)


def test_it_keeps_the_wall_clock_time_for_a_90_day_check_in_across_dst(person, time_machine):
    """GIVEN a rejection received 10 January 2026, 09:00 Berlin (winter time)
    THEN the 90-day check-in is due 10 April, 09:00 Berlin (summer time): the same time of
    day, not 10:00."""
    time_machine.move_to(at("2026-01-10 09:00"), tick=False)
    rejection = RejectionFactory(
        owner=person, received_at=at("2026-01-10 09:00"), reply_to="jobs@acme.example"
    )
    services.sync_rejection(rejection=rejection)
    check_in = FollowUp.objects.get(kind=Kind.CHECK_IN)
    assert as_wall(check_in.due_at) == "2026-04-10 09:00"


def test_it_starts_the_hours_at_0800_on_the_berlin_autumn_change():
    """GIVEN Sunday 25 October 2026, when Berlin's clocks go back (03:00 -> 02:00)
    THEN something due at 01:30 UTC (02:30 CET, a wall-clock hour that happens twice) waits
    for 08:00 CET, which is 07:00 UTC."""
    hours = ReminderHours(zone=BERLIN, start=dt.time(8, 0), end=dt.time(20, 0))
    placed = place_in_hours(dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC), hours)
    assert placed == dt.datetime(2026, 10, 25, 7, 0, tzinfo=dt.UTC)


def test_it_starts_the_hours_at_0800_on_the_new_york_spring_change():
    """GIVEN Sunday 8 March 2026, when New York springs forward at 02:00
    THEN 08:00 that morning is 12:00 UTC (EDT), not 13:00 (EST)."""
    hours = ReminderHours(zone=NEW_YORK, start=dt.time(8, 0), end=dt.time(20, 0))
    placed = place_in_hours(dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC), hours)
    assert placed == dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)
    assert as_wall(placed, NEW_YORK) == "2026-03-08 08:00"


def test_it_ends_the_hours_at_2000_on_the_new_york_autumn_change():
    """GIVEN Sunday 1 November 2026, when New York falls back at 02:00 (a 25-hour day)
    THEN 20:00 EST is 01:00 UTC the next day, and 19:30 EST is still inside the hours."""
    hours = ReminderHours(zone=NEW_YORK, start=dt.time(8, 0), end=dt.time(20, 0))
    inside = dt.datetime(2026, 11, 2, 0, 30, tzinfo=dt.UTC)  # 19:30 EST on the 1st
    assert place_in_hours(inside, hours) == inside
    after = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # 20:00 EST
    assert as_wall(place_in_hours(after, hours), NEW_YORK) == "2026-11-02 08:00"


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-03-07 09:00", 1, "2026-03-08 09:00"),  # New York spring forward
        ("2026-10-31 09:00", 1, "2026-11-01 09:00"),  # New York fall back
    ],
)
def test_it_adds_calendar_days_on_the_wall_clock_in_new_york(start, days, expected):
    moment = at(start, NEW_YORK)
    assert as_wall(Offset(days=days).after(moment, NEW_YORK), NEW_YORK) == expected


def test_it_moves_a_start_time_that_the_spring_change_skips():
    """GIVEN hours starting at 02:30, on the night Berlin skips 02:00-03:00
    THEN they start at 03:30 CEST (the first real moment after the skipped wall time)."""
    hours = ReminderHours(zone=BERLIN, start=dt.time(2, 30), end=dt.time(20, 0))
    placed = place_in_hours(at("2026-03-29 00:30"), hours)
    assert placed == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert as_wall(placed) == "2026-03-29 03:30"
