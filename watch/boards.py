"""Job boards Open Doors can watch, and how to read their postings.

Greenhouse, Lever and Ashby publish open postings as JSON with no key; any other board can
be watched through an RSS or Atom feed. A person types the board's page address (or the API
or feed address); `board_for(url)` turns it into the address to fetch and a parser.
Everything read here is data from outside: titles and links are kept as text, links only
when they are http(s).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from watch.fetch import FetchError

MAX_POSTINGS = 2_000
TITLE_MAX = 200
URL_MAX = 500


@dataclass(frozen=True)
class Posting:
    key: str  # the board's id for it (or its link)
    title: str
    url: str


@dataclass(frozen=True)
class Board:
    provider: str  # "greenhouse", "lever", "ashby", "feed"
    api_url: str
    parse: Callable[[bytes], list[Posting]]

    @property
    def label(self) -> str:
        return PROVIDER_LABELS[self.provider]


PROVIDER_LABELS = {
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "ashby": "Ashby",
    "feed": "RSS/Atom feed",
}

_SLUG = r"([A-Za-z0-9][A-Za-z0-9_.-]{0,99})"
_PATTERNS: list[tuple[str, re.Pattern, str]] = [
    (
        "greenhouse",
        re.compile(rf"^(?:job-)?boards(?:-api)?\.greenhouse\.io/(?:v1/boards/)?{_SLUG}(?:/|$)"),
        "https://boards-api.greenhouse.io/v1/boards/{slug}/jobs",
    ),
    (
        "lever",
        re.compile(rf"^(?:jobs|api)\.lever\.co/(?:v0/postings/)?{_SLUG}(?:/|\?|$)"),
        "https://api.lever.co/v0/postings/{slug}?mode=json",
    ),
    (
        "ashby",
        re.compile(
            rf"^(?:jobs\.ashbyhq\.com/|api\.ashbyhq\.com/posting-api/job-board/){_SLUG}(?:/|\?|$)"
        ),
        "https://api.ashbyhq.com/posting-api/job-board/{slug}",
    ),
]


def board_for(url: str) -> Board:
    """The board behind an address the person typed; any other address is read as a feed."""
    parts = urlsplit(url.strip())
    where = f"{(parts.hostname or '').lower()}{parts.path}"
    for provider, pattern, api in _PATTERNS:
        match = pattern.match(where)
        if match:
            return Board(provider, api.format(slug=match.group(1)), PARSERS[provider])
    return Board("feed", url.strip(), parse_feed)


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _link(value) -> str:
    link = str(value or "").strip()
    return link[:URL_MAX] if urlsplit(link).scheme in ("http", "https") else ""


def _json(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("The board's answer is not valid JSON.") from None


def _postings(items, *, key: str, title: str, url: str) -> list[Posting]:
    if not isinstance(items, list):
        raise FetchError("The board's answer does not list postings.")
    found = []
    for item in items[:MAX_POSTINGS]:
        if not isinstance(item, dict):
            continue
        name = _text(item.get(title), TITLE_MAX)
        link = _link(item.get(url))
        if name:
            found.append(
                Posting(key=_text(item.get(key) or link or name, 200), title=name, url=link)
            )
    return found


def parse_greenhouse(body: bytes) -> list[Posting]:
    data = _json(body)
    jobs = data.get("jobs") if isinstance(data, dict) else None
    return _postings(jobs, key="id", title="title", url="absolute_url")


def parse_lever(body: bytes) -> list[Posting]:
    return _postings(_json(body), key="id", title="text", url="hostedUrl")


def parse_ashby(body: bytes) -> list[Posting]:
    data = _json(body)
    jobs = data.get("jobs") if isinstance(data, dict) else None
    return _postings(jobs, key="id", title="title", url="jobUrl")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_feed(body: bytes) -> list[Posting]:
    """RSS 2.0 items or Atom entries (defusedxml: no entity bombs, no external entities)."""
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise FetchError("The feed is not valid RSS or Atom.") from None
    found = []
    for element in root.iter():
        if _local(element.tag) not in ("item", "entry"):
            continue
        fields: dict[str, str] = {}
        for child in element:
            name = _local(child.tag)
            if name == "link":
                fields.setdefault("link", child.get("href") or child.text or "")
            elif name in ("title", "guid", "id"):
                fields.setdefault(name, child.text or "")
        title = _text(fields.get("title"), TITLE_MAX)
        link = _link(fields.get("link"))
        if title:
            key = _text(fields.get("guid") or fields.get("id") or link or title, 200)
            found.append(Posting(key=key, title=title, url=link))
        if len(found) >= MAX_POSTINGS:
            break
    if not found and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise FetchError("The feed is not valid RSS or Atom.")
    return found


PARSERS = {"greenhouse": parse_greenhouse, "lever": parse_lever, "ashby": parse_ashby}
