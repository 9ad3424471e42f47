"""`{% load dates %}`: the one way a template writes a date or time the person reads.

    {{ followup.deadline_at|when }}  -> "Wed 2 Dec, 17:00" ("Mon 4 Jan 2027, 09:00")
    {{ goal.target_date|day }}       -> "Wed 2 Dec" ("Mon 4 Jan 2027")

Both are accounts.dates in the active time zone (the person's); empty for no value.
"""

import datetime as dt

from django import template

from accounts.dates import day_text, when_text

register = template.Library()


@register.filter
def when(moment: dt.datetime | None) -> str:
    if not moment:
        return ""
    if not isinstance(moment, dt.datetime):
        return day_text(moment)
    return when_text(moment)


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    return day_text(value) if value else ""
