"""Time arithmetic of the engine, in one place: offsets in a person's zone and reminder hours.

Everything is stored in UTC; a person's ZoneInfo is used only here, to compute wall-clock
times ("90 days later at the same time of day", "08:00 where they live") and on DST days.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

UTC = dt.UTC


@dataclass(frozen=True)
class Offset:
    """A step from an anchor time.

    `days` are calendar days on the person's wall clock (a 90-day check-in sent at 09:00
    stays at 09:00 across a DST change); `hours` are elapsed hours ("within 24 to 48 hours"
    of an email means real hours, even on the night the clocks change).
    """

    days: int = 0
    hours: int = 0

    def after(self, moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
        # Elapsed time is added in UTC: an aware datetime in a ZoneInfo would add to its wall
        # clock instead, and 24 h across a DST change would come out as 23 or 25.
        result = moment.astimezone(UTC)
        if self.days:
            wall = moment.astimezone(zone).replace(tzinfo=None) + dt.timedelta(days=self.days)
            result = localize(wall, zone)
        return (result + dt.timedelta(hours=self.hours)).astimezone(UTC)

    def __str__(self) -> str:
        parts = [f"{self.days} days" if self.days else "", f"{self.hours} h" if self.hours else ""]
        return " ".join(p for p in parts if p) or "right away"


def localize(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A naive wall-clock time in `zone`, as UTC.

    A time skipped by a spring-forward change (02:30 in Berlin on the last Sunday of March)
    comes out an hour later on the wall clock; a repeated autumn time is its first occurrence.
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


@dataclass(frozen=True)
class ReminderHours:
    """When a person wants to hear from Open Doors: start..end on their own wall clock.

    start == end means any time; start > end wraps past midnight (22:00-06:00).
    """

    zone: zoneinfo.ZoneInfo
    start: dt.time
    end: dt.time

    @classmethod
    def of(cls, profile) -> "ReminderHours":
        return cls(
            zone=profile.zone,
            start=profile.reminder_start,
            end=profile.reminder_end,
        )

    @property
    def always(self) -> bool:
        return self.start == self.end

    def windows(
        self, moment: dt.datetime, *, days_before: int = 1, days_after: int = 2
    ) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The (start, end) UTC intervals of the hours around `moment`, in order."""
        today = moment.astimezone(self.zone).date()
        for n in range(-days_before, days_after + 1):
            day = today + dt.timedelta(days=n)
            begin = localize(dt.datetime.combine(day, self.start), self.zone)
            end_day = day if self.end > self.start else day + dt.timedelta(days=1)
            finish = localize(dt.datetime.combine(end_day, self.end), self.zone)
            yield begin, finish

    def contains(self, moment: dt.datetime) -> bool:
        return self.always or any(b <= moment < e for b, e in self.windows(moment))

    def first_moment_from(self, moment: dt.datetime) -> dt.datetime:
        """The first moment at or after `moment` inside the hours."""
        if self.always:
            return moment
        for begin, finish in self.windows(moment):
            if moment < finish:
                return max(moment, begin)
        raise AssertionError("reminder hours have a window every day")  # pragma: no cover

    def last_moment_before(self, deadline: dt.datetime) -> dt.datetime:
        """The last moment at or before `deadline` inside the hours (the end of a window)."""
        if self.always:
            return deadline
        for begin, finish in reversed(list(self.windows(deadline, days_before=2, days_after=1))):
            if begin <= deadline:
                return min(deadline, finish)
        raise AssertionError("reminder hours have a window every day")  # pragma: no cover

    def deadline_from(self, moment: dt.datetime) -> dt.datetime:
        """A deadline inside the hours: `moment` itself when it is, else the end of that day's
        window on the person's wall clock (a "by Wed 03:04" from a rejection typed at night
        becomes "by Wed 18:00"; one at 20:00 becomes 18:00 the same day)."""
        if self.always or self.contains(moment):
            return moment
        if self.start > self.end:  # hours past midnight: the window that ended last
            return self.last_moment_before(moment)
        day = moment.astimezone(self.zone).date()
        return localize(dt.datetime.combine(day, self.end), self.zone)

    def next_start_from(self, moment: dt.datetime) -> dt.datetime:
        """The start of the hours at or after `moment`: when a daily digest goes out."""
        if self.always:
            # No hours set: the digest goes out at midnight on the person's wall clock.
            day = moment.astimezone(self.zone).date()
            midnight = localize(dt.datetime.combine(day, dt.time(0, 0)), self.zone)
            return (
                midnight
                if midnight >= moment
                else localize(
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)), self.zone
                )
            )
        for begin, _finish in self.windows(moment, days_before=0):
            if begin >= moment:
                return begin
        raise AssertionError("reminder hours have a window every day")  # pragma: no cover


def place_in_hours(
    moment: dt.datetime, hours: ReminderHours, *, deadline: dt.datetime | None = None
) -> dt.datetime:
    """Move `moment` into the person's reminder hours, never past a deadline.

    1. The first moment at or after `moment` inside the hours, when that is not after the
       deadline (or there is no deadline, or the deadline has already passed).
    2. Otherwise the hours hold no moment between `moment` and the deadline (a deadline
       at night): the last in-hours moment before the deadline. That can be earlier than
       `moment`, which means "now": better a little early than after the deadline.

    Every due time and every reminder time goes through here.
    """
    moment = moment.astimezone(UTC)
    first = hours.first_moment_from(moment)
    if deadline is None or first <= deadline or moment >= deadline:
        return first
    return hours.last_moment_before(deadline)
