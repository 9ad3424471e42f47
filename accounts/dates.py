"""How every date and time a person reads is written: "Wed 2 Dec, 17:00", with the year
when it is not this year ("Mon 4 Jan 2027, 09:00"), in the active time zone (the person's:
UserTimezoneMiddleware, or `timezone.override` on pages and emails without a login)."""

import datetime as dt
import functools

from django.utils import timezone, translation
from django.utils.formats import date_format


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day_text(day: dt.date | dt.datetime, *, today: dt.date | None = None) -> str:
    """ "Wed 2 Dec", or "Mon 4 Jan 2027" in another year than today's."""
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    today = today or timezone.localdate()
    return _formatted(day, day.year != today.year, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _formatted(day: dt.date, with_year: bool, language: str | None) -> str:
    """A page writes the same few days many times: each is formatted once per language."""
    return date_format(day, "D j M Y" if with_year else "D j M")


def when_text(moment: dt.datetime, *, today: dt.date | None = None) -> str:
    """ "Wed 2 Dec, 17:00", or "Mon 4 Jan 2027, 09:00" in another year than today's."""
    local = _local(moment)
    return f"{day_text(local, today=today)}, {local:%H:%M}"
