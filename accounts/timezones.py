import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """IANA names a person would pick, without the legacy aliases ("US/Pacific", "Etc/GMT+3")."""
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


def is_valid_time_zone(name: str) -> bool:
    return name in dict(time_zone_choices())


def safe_zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called `name`, or UTC when no such zone exists on this machine.

    A stored name can go bad (a row written by hand, or a zone dropped from tzdata); reminders
    then keep going in UTC instead of failing the page or the send.
    """
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def validate_time_zone(name: str) -> None:
    if not is_valid_time_zone(name):
        raise ValidationError(
            "Pick a time zone from the list, for example Europe/Berlin or America/New_York."
        )
