"""Reminder hours that run past midnight (22:00-06:00), on ordinary and on DST nights."""

import datetime as dt

from followups.hours import ReminderHours, place_in_hours
from tests.followups.conftest import BERLIN, NEW_YORK, as_wall, at

NIGHT = ReminderHours(zone=BERLIN, start=dt.time(22, 0), end=dt.time(6, 0))


def test_it_keeps_a_time_after_midnight_inside_the_night_hours():
    assert as_wall(place_in_hours(at("2026-03-04 00:15"), NIGHT)) == "2026-03-04 00:15"


def test_it_treats_six_in_the_morning_as_outside_the_night_hours():
    assert as_wall(place_in_hours(at("2026-03-04 06:00"), NIGHT)) == "2026-03-04 22:00"


def test_it_keeps_a_deadline_in_the_afternoon_by_going_back_to_the_early_morning():
    """GIVEN night hours 22:00-06:00 and a reminder due at 09:00 whose deadline is 17:00
    WHEN it is placed
    THEN it goes at 06:00 that morning (the last night moment before the deadline, which
    means right away), not at 22:00, after the deadline."""
    placed = place_in_hours(at("2026-03-04 09:00"), NIGHT, deadline=at("2026-03-04 17:00"))
    assert as_wall(placed) == "2026-03-04 06:00"


def test_it_keeps_the_night_hours_on_the_berlin_spring_change():
    """GIVEN Sunday 29 March 2026, when Berlin's clocks jump from 02:00 to 03:00
    THEN the night of the 28th still ends at 06:00 CEST (04:00 UTC): 05:30 CEST is inside,
    06:30 CEST waits for 22:00 CEST, which is 20:00 UTC."""
    inside = dt.datetime(2026, 3, 29, 3, 30, tzinfo=dt.UTC)  # 05:30 CEST
    assert place_in_hours(inside, NIGHT) == inside
    after = dt.datetime(2026, 3, 29, 4, 30, tzinfo=dt.UTC)  # 06:30 CEST
    assert place_in_hours(after, NIGHT) == dt.datetime(2026, 3, 29, 20, 0, tzinfo=dt.UTC)


def test_it_keeps_the_night_hours_on_the_berlin_autumn_change():
    """GIVEN Sunday 25 October 2026, when Berlin's clocks go back from 03:00 to 02:00
    THEN the night of the 24th is nine real hours long: 05:59 CET (04:59 UTC) is inside,
    and 06:00 CET is 05:00 UTC, the first moment outside."""
    assert place_in_hours(dt.datetime(2026, 10, 25, 4, 59, tzinfo=dt.UTC), NIGHT) == (
        dt.datetime(2026, 10, 25, 4, 59, tzinfo=dt.UTC)
    )
    outside = place_in_hours(dt.datetime(2026, 10, 25, 5, 0, tzinfo=dt.UTC), NIGHT)
    assert as_wall(outside) == "2026-10-25 22:00"
    assert outside == dt.datetime(2026, 10, 25, 21, 0, tzinfo=dt.UTC)


def test_it_starts_the_night_hours_on_the_new_york_autumn_change():
    """GIVEN Sunday 1 November 2026 in New York (the clocks go back at 02:00)
    THEN something due at 08:00 EST waits for 22:00 EST, which is 03:00 UTC on the 2nd."""
    night = ReminderHours(zone=NEW_YORK, start=dt.time(22, 0), end=dt.time(6, 0))
    placed = place_in_hours(at("2026-11-01 08:00", NEW_YORK), night)
    assert placed == dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
    assert as_wall(placed, NEW_YORK) == "2026-11-01 22:00"
