"""What the dashboard shows of the watch: an opening found while the cooldown still runs.
(The open-doors query carries each door's newest matching opening: dashboard.cards.)"""

import datetime as dt
from dataclasses import dataclass

from accounts.dates import day_text


@dataclass(frozen=True)
class OpeningRow:
    company: str
    company_url: str
    title: str
    url: str
    cooldown_ends: dt.date

    @property
    def text(self) -> str:
        """ "Opening found at Fabrikam: Data Engineer. Your cooldown ends on Sun 1 Mar." """
        return (
            f"Opening found at {self.company}: {self.title}. "
            f"Your cooldown ends on {day_text(self.cooldown_ends)}."
        )
