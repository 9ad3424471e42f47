"""The daily check of watched job boards, and what a matching opening leads to.

1. Each board due (`next_check_at`) is fetched once (watch.fetch: safe, conditional with
   ETag / If-Modified-Since), at most once a day; after an error, later and later.
2. Postings are saved as Openings; a new one whose title matches a role the person was
   turned down for at that company (watch.matching) is tied to that rejection.
3. A matched opening still listed: inside the reapply cooldown, the dashboard tells the
   person ("Opening found at Fabrikam: Data Engineer. Your cooldown ends on 1 Mar."); once
   the cooldown is over, the recruiter note is planned with its title and link
   (followups.services.opening_found).
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from applications.models import Rejection
from applications.reapplying import REAPPLY_COOLDOWN
from applications.services import get_or_create_company
from followups import services as followups
from watch import boards
from watch.fetch import FetchError, fetch
from watch.matching import matches
from watch.models import BoardWatch, Opening

log = logging.getLogger(__name__)

# A little under a day, so that a beat task running at the same time every day finds the
# board due again (one request a day, not one every other day).
CHECK_EVERY = dt.timedelta(hours=23)
BACKOFF_CAP_DAYS = 7


def backoff(failures: int) -> dt.timedelta:
    """After 1, 2, 3... failures in a row: wait 2, 4, then 7 days (a broken or vanished
    board is not asked every day)."""
    return dt.timedelta(days=min(2**failures, BACKOFF_CAP_DAYS))


@dataclass
class Summary:
    checked: int = 0
    failed: int = 0
    new_openings: int = 0
    notes: int = 0

    def __str__(self) -> str:
        return (
            f"checked={self.checked} failed={self.failed} "
            f"new_openings={self.new_openings} notes={self.notes}"
        )


def save_board(*, company, url: str) -> BoardWatch:
    """The person sets (or changes) a company's board address; it is checked at the next run."""
    board = boards.board_for(url)
    watch, created = BoardWatch.objects.get_or_create(
        company=company, defaults={"owner_id": company.owner_id, "url": url}
    )
    if not created and watch.url != url:
        watch.openings.all().delete()
    watch.url, watch.provider = url, board.provider
    watch.etag = watch.last_modified = watch.last_error = ""
    watch.failures, watch.gone_since, watch.next_check_at = 0, None, None
    watch.save()
    return watch


def set_competitors(*, company, names: list[str]) -> list:
    """The companies `company` competes with, by name; unknown names become companies."""
    with transaction.atomic():
        others = [get_or_create_company(owner=company.owner, name=name) for name in names]
        company.competitors.set([other for other in others if other.pk != company.pk])
    return others


def check_due_boards(*, now: dt.datetime | None = None, limit: int = 500) -> Summary:
    now = now or timezone.now()
    summary = Summary()
    due = BoardWatch.objects.filter(next_check_at__isnull=True) | BoardWatch.objects.filter(
        next_check_at__lte=now
    )
    for watch in due.select_related("company").order_by("pk")[:limit]:
        # Claim it first: a second run at the same time skips it.
        claimed = BoardWatch.objects.filter(pk=watch.pk, next_check_at=watch.next_check_at).update(
            next_check_at=now + CHECK_EVERY
        )
        if not claimed:
            continue
        try:
            check_board(watch, now=now, summary=summary)
        except Exception:  # one odd board never stops the others
            log.exception("board %s: unexpected error", watch.pk)
            _failed(watch, now, "Something went wrong reading this board; it is tried again later.")
            summary.failed += 1
    return summary


def check_board(watch: BoardWatch, *, now: dt.datetime, summary: Summary | None = None) -> None:
    summary = summary if summary is not None else Summary()
    board = boards.board_for(watch.url)
    try:
        fetched = fetch(board.api_url, etag=watch.etag, last_modified=watch.last_modified)
        if fetched.status in (404, 410):
            _failed(watch, now, f"The board is gone (the site answered {fetched.status}).")
            watch.gone_since = watch.gone_since or now
            watch.save(update_fields=["gone_since"])
            watch.openings.update(listed=False)
            summary.failed += 1
            return
        if fetched.status == 304:
            postings = None
        elif fetched.status == 200:
            postings = board.parse(fetched.body)
        else:
            raise FetchError(f"The board answered {fetched.status}.")
    except FetchError as exc:
        _failed(watch, now, str(exc))
        summary.failed += 1
        return
    summary.checked += 1
    with transaction.atomic():
        BoardWatch.objects.filter(pk=watch.pk).update(
            checked_at=now,
            next_check_at=now + CHECK_EVERY,
            failures=0,
            last_error="",
            gone_since=None,
            etag=fetched.etag[:300] if fetched.status == 200 else watch.etag,
            last_modified=fetched.last_modified[:100]
            if fetched.status == 200
            else watch.last_modified,
            updated_at=now,
        )
        if postings is not None:
            summary.new_openings += _save_openings(watch, postings, now=now)
        summary.notes += act_on_openings(watch, now=now)


def _failed(watch: BoardWatch, now: dt.datetime, error: str) -> None:
    failures = watch.failures + 1
    log.info("board %s: %s", watch.pk, error)
    BoardWatch.objects.filter(pk=watch.pk).update(
        checked_at=now,
        failures=failures,
        last_error=error[:300],
        next_check_at=now + backoff(failures),
        updated_at=now,
    )
    watch.failures, watch.last_error = failures, error[:300]


def _key(posting: boards.Posting) -> str:
    key = posting.key
    return key if len(key) <= 200 else hashlib.sha256(key.encode()).hexdigest()


def _save_openings(watch: BoardWatch, postings: list[boards.Posting], *, now: dt.datetime) -> int:
    """Save what the board lists; tie new postings to a matching rejection. Returns how many
    are new."""
    by_key = {_key(p): p for p in postings}
    known = set(watch.openings.values_list("key", flat=True))
    watch.openings.exclude(key__in=list(by_key)).update(listed=False)
    watch.openings.filter(key__in=list(by_key)).update(listed=True)
    roles = [
        (rejection, rejection.application.role_title)
        for rejection in Rejection.objects.filter(
            owner_id=watch.owner_id, application__company_id=watch.company_id
        )
        .select_related("application")
        .order_by("-received_at", "-pk")
    ]
    new = [
        Opening(
            watch=watch,
            key=key,
            title=posting.title,
            url=posting.url,
            first_seen_at=now,
            rejection=next((r for r, role in roles if matches(posting.title, role)), None),
        )
        for key, posting in by_key.items()
        if key not in known
    ]
    Opening.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def act_on_openings(watch: BoardWatch, *, now: dt.datetime) -> int:
    """Matched openings still listed whose cooldown is over: plan the recruiter note.
    Returns how many were planned."""
    profile = watch.owner.profile
    today = now.astimezone(profile.zone).date()
    planned = 0
    waiting = watch.openings.filter(
        listed=True, rejection__isnull=False, followup__isnull=True
    ).select_related("rejection__application__company", "rejection__contact")
    for opening in waiting:
        ends = REAPPLY_COOLDOWN.ends_on(rejected_at=opening.rejection.received_at, profile=profile)
        if today < ends:
            continue  # the dashboard says so, with the day the cooldown ends
        followup = followups.opening_found(
            rejection=opening.rejection,
            title=opening.title,
            url=opening.url,
            key=f"{watch.pk}-{opening.pk}",
            now=now,
        )
        if followup is not None:
            Opening.objects.filter(pk=opening.pk).update(followup=followup)
            planned += 1
    return planned
