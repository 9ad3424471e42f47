"""Does a new posting's title name a role the person was turned down for? Normalised, then
fuzzy (rapidfuzz), so "Senior Data Engineer (Remote, EU)" matches "Data Engineer"."""

import re
import unicodedata

from rapidfuzz import fuzz

THRESHOLD = 88
# Words that say the level or the place, not the role.
NOISE = {
    "senior", "sr", "junior", "jr", "lead", "principal", "staff", "associate", "intern",
    "remote", "hybrid", "onsite", "i", "ii", "iii", "iv", "m", "f", "d", "x", "w",
}  # fmt: skip


def normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)  # "(Remote, EU)", "[m/w/d]"
    text = re.split(r"\s+[-–—|@]\s+", text)[0]  # "Data Engineer - Berlin"
    words = [w for w in re.findall(r"[a-z0-9+#]+", text) if w not in NOISE]
    return " ".join(words)


def matches(posting_title: str, role_title: str) -> bool:
    a, b = normalise(posting_title), normalise(role_title)
    if not a or not b:
        return False
    if a == b:
        return True
    # token_sort: word order ("Engineer, Data"); ratio keeps "Data Engineer" away from
    # "Data Engineering Manager".
    return fuzz.token_sort_ratio(a, b) >= THRESHOLD
