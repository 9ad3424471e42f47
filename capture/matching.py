"""Which of the person's companies (and open applications) an email is about: fuzzy, on names.

Pure functions over plain values, so the rules can be tested without a database. Names are
compared after dropping case, punctuation, spaces and legal forms ("Fabrikam GmbH" is
"Fabrikam"), with rapidfuzz's ratio: a typo still matches, a different company with a shared
word does not ("Fabrikam" is not "Fabrikam Retail").
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

COMPANY_THRESHOLD = 85.0
ROLE_THRESHOLD = 85.0

_LEGAL = re.compile(
    r"\b(?:gmbh(?: & co\.? kg)?|ag|se|kg|inc|ltd|llc|plc|corp|corporation|co|b\.?v|s\.?a|oy|ab|aps|nv|limited)\b\.?",
    re.IGNORECASE,
)


def name_key(name: str) -> str:
    """ "Fabrikam, Inc." -> "fabrikam"; "Contoso-Pay" -> "contosopay"."""
    return re.sub(r"[\W_]+", "", _LEGAL.sub(" ", name or "").lower())


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    domains: tuple[str, ...] = ()


def best_company(
    name: str, sender_domain: str, candidates: Iterable[Candidate]
) -> tuple[int | None, float]:
    """The candidate this email is from and a score out of 100, or (None, 0).

    A sender domain the person already has for a company (its website, a contact's
    address) decides first; then the closest name above the threshold.
    """
    candidates = list(candidates)
    domain = (sender_domain or "").lower()
    if domain:
        for candidate in candidates:
            if any(domain == d or domain.endswith("." + d) for d in candidate.domains if d):
                return candidate.pk, 100.0
    key = name_key(name)
    if not key:
        return None, 0.0
    best: tuple[int | None, float] = (None, 0.0)
    for candidate in candidates:
        score = fuzz.ratio(key, name_key(candidate.name))
        if score > best[1]:
            best = (candidate.pk, score)
    return best if best[1] >= COMPANY_THRESHOLD else (None, 0.0)


def best_role(role: str, roles: Iterable[tuple[int, str]]) -> int | None:
    """The open application whose role reads like this one ("Sr. Backend Engineer" ~ ...)."""
    roles = list(roles)
    key = " ".join(re.sub(r"[^\w]+", " ", (role or "").lower()).split())
    if not key:
        return roles[0][0] if len(roles) == 1 else None
    best: tuple[int | None, float] = (None, 0.0)
    for pk, title in roles:
        other = " ".join(re.sub(r"[^\w]+", " ", title.lower()).split())
        score = fuzz.token_sort_ratio(key, other)
        if score > best[1]:
            best = (pk, score)
    return best[0] if best[1] >= ROLE_THRESHOLD else None
