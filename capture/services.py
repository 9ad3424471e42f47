"""Capture workflows: read an email for a person, match it to their search, queue it.

Nothing here creates a rejection. A rejection is saved only by the person confirming the
normal "Log a rejection" form (`applications.services.log_rejection`), prefilled from here.
"""

import contextlib
import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import selectors as applications
from applications.models import Application, Company, Contact, Rejection
from capture import crypto
from capture.matching import Candidate, best_company, best_role
from capture.models import MailboxWatch, ReviewItem
from capture.reader import Reading, read_email
from followups.models import FollowUp, Reply

# Below this the reader's "probably" is too weak to put in anyone's queue.
QUEUE_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Match:
    company: Company | None
    application: Application | None


def own_addresses(user) -> list[str]:
    profile = user.profile
    addresses = [user.email, profile.reminder_email]
    watch = getattr(user, "mailbox_watch", None)  # the reverse one-to-one, if connected
    if watch is not None and "@" in watch.username:
        addresses.append(watch.username)
    return [address for address in addresses if address]


def read_for(user, raw: bytes | str) -> Reading:
    """The reader with the person's own addresses, so their sent mail is never a rejection."""
    return read_email(raw, own_addresses=own_addresses(user))


def match(*, owner, company_name: str, role_title: str, sender_domain: str = "") -> Match:
    """The person's company this is from (fuzzy), and its open application for the role."""
    companies = list(Company.objects.owned_by(owner).only("pk", "name", "website"))
    domains: dict[int, set[str]] = {company.pk: set() for company in companies}
    for company in companies:
        host = (urlsplit(company.website).hostname or "").lower().removeprefix("www.")
        if host:
            domains[company.pk].add(host)
    for company_id, email in Contact.objects.owned_by(owner).values_list("company_id", "email"):
        domain = email.rpartition("@")[2].lower()
        if domain and company_id in domains:
            domains[company_id].add(domain)
    candidates = [Candidate(c.pk, c.name, tuple(sorted(domains[c.pk]))) for c in companies]
    company_pk, _ = best_company(company_name, sender_domain, candidates)
    company = next((c for c in companies if c.pk == company_pk), None)
    if company is None:
        return Match(None, None)
    open_applications = list(
        applications.applications_without_rejection(owner=owner)
        .filter(company=company)
        .order_by("-applied_on", "-pk")
    )
    application_pk = best_role(role_title, [(a.pk, a.role_title) for a in open_applications])
    application = next((a for a in open_applications if a.pk == application_pk), None)
    return Match(company, application)


def match_reading(*, owner, reading: Reading) -> Match:
    return match(
        owner=owner,
        company_name=reading.company,
        role_title=reading.role,
        sender_domain="" if reading.ats else reading.sender_domain,
    )


def form_initial(
    *,
    found: Match,
    company_name: str,
    role_title: str,
    contact_name: str,
    contact_email: str,
    received_at,
    reason: str,
    open_door_phrases=(),
) -> dict:
    """Initial values for the Log a rejection form.

    A matched application is named by its exact company name and role, which the form's own
    lookup (`open_application_for`) turns back into that application when the person saves.
    """
    initial = {
        "company_name": found.company.name if found.company else company_name,
        "role_title": found.application.role_title if found.application else role_title,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "reason_given": reason,
        "channel": Rejection.Channel.EMAIL,
        # Proposed, shown in the form, kept only if the person logs it.
        "open_door_signals": "\n".join(open_door_phrases),
    }
    if received_at is not None:
        initial["received_at"] = received_at.replace(second=0, microsecond=0)
    return initial


def initial_from_reading(*, reading: Reading, found: Match) -> dict:
    return form_initial(
        found=found,
        company_name=reading.company,
        role_title=reading.role,
        contact_name=reading.contact_name,
        contact_email=reading.contact_email,
        received_at=reading.received_at,
        reason=reading.reason,
        open_door_phrases=reading.open_door_phrases,
    )


def initial_from_item(*, item: ReviewItem, found: Match, keep_company: bool = True) -> dict:
    return form_initial(
        found=found if keep_company else Match(None, None),
        company_name=item.company_name if keep_company else "",
        role_title=item.role_title,
        contact_name=item.contact_name,
        contact_email=item.contact_email,
        received_at=item.received_at,
        reason=item.reason,
        open_door_phrases=item.open_door_phrases,
    )


def message_key(reading: Reading) -> str:
    """The Message-ID; without one, a fingerprint of what identifies the message."""
    if reading.message_id:
        return reading.message_id[:300]
    seed = "\x00".join(
        [
            reading.sender,
            reading.subject,
            reading.received_at.isoformat() if reading.received_at else "",
            reading.excerpt,
        ]
    )
    return "sha256:" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()


def _queue_once(*, owner, reading: Reading, **fields) -> tuple[ReviewItem, bool]:
    """One review item per message (its Message-ID): (the item, whether it is new)."""
    key = message_key(reading)
    existing = ReviewItem.objects.filter(owner=owner, message_id=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                owner=owner,
                message_id=key,
                subject=reading.subject[:300],
                received_at=reading.received_at,
                excerpt=reading.excerpt[:400],
                **fields,
            )
            return item, True
    except IntegrityError:  # the same message, queued a moment ago by another run
        return ReviewItem.objects.get(owner=owner, message_id=key), False


def queue_for_review(*, owner, reading: Reading, source: str) -> tuple[ReviewItem | None, bool]:
    """Put a rejection in the person's review queue, once per message.

    Returns (item, created). Not a rejection, or too unsure: (None, False). A message seen
    before returns its existing item with created=False.
    """
    if not reading.is_rejection or reading.confidence < QUEUE_CONFIDENCE:
        return None, False
    return _queue_once(
        owner=owner,
        reading=reading,
        source=source,
        sender=reading.sender[:254],
        company_name=reading.company[:120],
        role_title=reading.role[:160],
        contact_name=reading.contact_name[:120],
        contact_email=reading.contact_email[:254],
        reason=reading.reason[:400],
        decided_by=list(reading.decided_by)[:5],
        open_door_phrases=list(reading.open_door_phrases)[:5],
        confidence=reading.confidence,
    )


def queue_reply(*, owner, reading: Reading, source: str) -> tuple[ReviewItem | None, bool]:
    """ "Dana replied?": a message from a contact's address after the person sent them a
    follow-up goes to the review queue (the person confirms; then the engine reacts).

    Only the latest sent follow-up to that address before the message counts, and only when
    no reply was recorded for it since. Returns (item, created), like queue_for_review.
    """
    address = (reading.sender or "").strip().lower()
    if reading.is_rejection or "@" not in address:
        return None, False
    received = reading.received_at or timezone.now()
    followup = (
        FollowUp.objects.filter(
            owner=owner,
            status=FollowUp.Status.DONE,
            contact__email__iexact=address,
            done_at__lte=received,
        )
        .select_related("contact", "company")
        .order_by("-done_at", "-pk")
        .first()
    )
    sent_on = followup.done_at.astimezone(owner.profile.zone).date() if followup else None
    if (
        followup is None
        or Reply.objects.filter(
            owner=owner, contact=followup.contact, replied_on__gte=sent_on
        ).exists()
    ):
        return None, False
    return _queue_once(
        owner=owner,
        reading=reading,
        kind=ReviewItem.Kind.REPLY,
        followup=followup,
        source=source,
        sender=address[:254],
        company_name=followup.company.name[:120],
        contact_name=followup.contact.name[:120],
        contact_email=address[:254],
    )


# --- The watched mailbox ------------------------------------------------------------------------


@transaction.atomic
def connect_mailbox(*, watch: MailboxWatch, password: str) -> MailboxWatch:
    """Save a (new or changed) mailbox with its password encrypted; scan it from scratch."""
    watch.password_encrypted = crypto.encrypt(password)
    watch.uidvalidity, watch.last_uid = None, 0
    watch.failures, watch.last_error = 0, ""
    watch.next_attempt_at = timezone.now()
    watch.save()
    transaction.on_commit(_ring_poll)
    return watch


def _ring_poll() -> None:
    from capture.tasks import poll_mailboxes

    with contextlib.suppress(Exception):  # the broker is down: the next beat tick scans it
        poll_mailboxes.apply_async(expires=60)


def disconnect_mailbox(*, owner) -> bool:
    """Forget the mailbox and its credentials. Queued items stay until the person decides."""
    deleted, _ = MailboxWatch.objects.filter(owner=owner).delete()
    return bool(deleted)


def scan_soon(*, owner) -> None:
    MailboxWatch.objects.filter(owner=owner).update(next_attempt_at=timezone.now(), failures=0)
    transaction.on_commit(_ring_poll)
