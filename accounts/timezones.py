import zoneinfo
from functools import cache


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
