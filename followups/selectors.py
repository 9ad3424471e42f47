"""Read-side queries of the follow-up engine. (Interface fixed; the engine fills these in.)"""

import datetime as dt

from applications.models import Company


def reapply_warnings(*, owner, company: Company, today: dt.date) -> list[str]:
    """Why applying to `company` now may hurt: inside the cooldown, or too many recent tries."""
    return []
