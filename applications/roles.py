"""Is a typed role the same as one already on record? "Data Engineer 2", "data engineer II"
and "Data Engineer (II)" are one role; "Data Engineer" and "Data Engineer II" are close
enough to ask. Used by "Log a rejection" before it creates another application."""

import re

from rapidfuzz import fuzz

# Roman numerals as levels ("Engineer II"): only as whole words, so "Vi" in a name is rare
# enough to accept; "I" alone is left out (it is also a word).
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8"}
# Above this (0-100, word order ignored) two normalized roles are worth a "Did you mean …?".
CLOSE_ENOUGH = 88


def role_key(title: str) -> str:
    """ "Senior Data-Engineer, II" -> "senior data engineer 2" """
    words = re.sub(r"[^\w]+", " ", title.casefold()).split()
    return " ".join(ROMAN.get(word, word) for word in words)


def similarity(typed: str, existing: str) -> float:
    a, b = role_key(typed), role_key(existing)
    if not a or not b:
        return 0.0
    return 100.0 if a == b else fuzz.token_sort_ratio(a, b)


def close_roles(typed: str, candidates, *, title=lambda c: c.role_title) -> list:
    """The candidates whose role is close to `typed`, closest first."""
    scored = [(similarity(typed, title(c)), c) for c in candidates]
    return [c for score, c in sorted(scored, key=lambda sc: -sc[0]) if score >= CLOSE_ENOUGH]
