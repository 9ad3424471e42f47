"""Reminder hours: inside them as asked, never after a deadline that falls outside them."""

import datetime as dt

from followups.hours import ReminderHours, place_in_hours
from tests.followups.conftest import BERLIN, NEW_YORK, as_wall, at

DAY = ReminderHours(zone=BERLIN, start=dt.time(8, 0), end=dt.time(20, 0))


def test_it_keeps_a_time_inside_the_hours():
    assert as_wall(place_in_hours(at("2026-03-03 10:30"), DAY)) == "2026-03-03 10:30"


def test_it_moves_an_early_morning_time_to_the_start_of_the_hours():
    assert as_wall(place_in_hours(at("2026-03-03 05:10"), DAY)) == "2026-03-03 08:00"


def test_it_moves_an_evening_time_to_the_next_morning():
    assert as_wall(place_in_hours(at("2026-03-03 21:00"), DAY)) == "2026-03-04 08:00"


def test_it_treats_the_end_of_the_hours_as_outside():
    assert as_wall(place_in_hours(at("2026-03-03 20:00"), DAY)) == "2026-03-04 08:00"


def test_it_never_goes_past_a_deadline_that_falls_at_night():
    """GIVEN a reminder due at 21:00 whose deadline is 23:30 the same night
    WHEN it is placed in Sam's 08:00-20:00 hours
    THEN it goes at 20:00, the last in-hours moment before the deadline, not at 08:00 the
    next morning, after the deadline."""
    placed = place_in_hours(at("2026-03-03 21:00"), DAY, deadline=at("2026-03-03 23:30"))
    assert as_wall(placed) == "2026-03-03 20:00"


def test_it_uses_the_evening_before_for_a_deadline_before_the_hours_start():
    """GIVEN a reminder due at 02:00 with its deadline at 06:00
    THEN it goes out at 20:00 the evening before (which means: right away)."""
    placed = place_in_hours(at("2026-03-04 02:00"), DAY, deadline=at("2026-03-04 06:00"))
    assert as_wall(placed) == "2026-03-03 20:00"


def test_it_keeps_the_first_moment_when_it_is_before_the_deadline():
    placed = place_in_hours(at("2026-03-03 21:00"), DAY, deadline=at("2026-03-04 09:00"))
    assert as_wall(placed) == "2026-03-04 08:00"


def test_it_ignores_a_deadline_that_has_already_passed():
    placed = place_in_hours(at("2026-03-05 21:00"), DAY, deadline=at("2026-03-04 09:00"))
    assert as_wall(placed) == "2026-03-06 08:00"


def test_it_handles_hours_that_wrap_past_midnight():
    night = ReminderHours(zone=BERLIN, start=dt.time(22, 0), end=dt.time(6, 0))
    assert as_wall(place_in_hours(at("2026-03-03 23:30"), night)) == "2026-03-03 23:30"
    assert as_wall(place_in_hours(at("2026-03-04 03:00"), night)) == "2026-03-04 03:00"
    assert as_wall(place_in_hours(at("2026-03-04 12:00"), night)) == "2026-03-04 22:00"


def test_it_treats_equal_start_and_end_as_any_time():
    always = ReminderHours(zone=BERLIN, start=dt.time(9, 0), end=dt.time(9, 0))
    assert as_wall(place_in_hours(at("2026-03-04 03:00"), always)) == "2026-03-04 03:00"


def test_it_reads_the_hours_on_the_persons_own_clock():
    """GIVEN Alex in New York with hours 08:00-20:00
    WHEN something falls due at 13:00 UTC (08:00 in New York... no: 09:00 in winter)
    THEN it stays; at 12:00 UTC (07:00 in New York) it waits until 08:00 New York."""
    hours = ReminderHours(zone=NEW_YORK, start=dt.time(8, 0), end=dt.time(20, 0))
    stays = place_in_hours(dt.datetime(2026, 1, 15, 14, 0, tzinfo=dt.UTC), hours)
    assert as_wall(stays, NEW_YORK) == "2026-01-15 09:00"
    waits = place_in_hours(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), hours)
    assert as_wall(waits, NEW_YORK) == "2026-01-15 08:00"
