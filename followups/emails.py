"""Every email Open Doors sends is built here, from a template triplet.

    templates/emails/<name>-subject.txt   one line (whitespace, newlines included, collapsed)
    templates/emails/<name>-body.txt      the plain-text part
    templates/emails/<name>-body.html     the HTML part

Times are rendered in the recipient's time zone. Reminder emails carry signed action links,
List-Unsubscribe + List-Unsubscribe-Post (RFC 8058) and the Message-ID the outbox gave the
row (`followups.outbox.message_id`), so a resend after a crash is recognisable as the same
message.
"""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from accounts.dates import when_text
from followups.drafts import draft_for
from followups.prerender import render_steps
from followups.reused import finish
from followups.tokens import Action, absolute, action_urls, unsubscribe_url


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def build(
    name: str,
    *,
    to: str,
    context: dict,
    zone: zoneinfo.ZoneInfo | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Render emails/<name>-{subject.txt,body.txt,body.html} into one message."""
    return finish(build_steps(name, to=to, context=context, zone=zone, headers=headers))


def build_steps(
    name: str,
    *,
    to: str,
    context: dict,
    zone: zoneinfo.ZoneInfo | None = None,
    headers: dict[str, str] | None = None,
) -> Generator[None, None, EmailMultiAlternatives]:
    """`build()` with a pause (`yield`) between one template and the next."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject, text, html = yield from _in_zone(
        render_steps(
            [f"emails/{name}-subject.txt", f"emails/{name}-body.txt", f"emails/{name}-body.html"],
            context,
        ),
        zone or zoneinfo.ZoneInfo("UTC"),
    )
    # A newline in user text (a company name) must never become a header: collapse.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


# --- Reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One follow-up as an email shows it."""

    followup: object
    action: str
    why: str
    deadline: dt.datetime
    by: str  # "Wed 3 Dec, 14:00" (the year when not this year), in the person's zone
    overdue: bool  # the deadline passed before the email went out (the worker was down)
    draft_subject: str
    draft_body: str
    done_url: str
    snooze_url: str
    skip_url: str
    replied_url: str
    open_url: str
    # Who to write to: a name and an address, or where to add the missing address.
    to_name: str = ""
    to_address: str = ""
    add_address_url: str = ""
    mailto: str = ""  # "Open in my email app": the draft, addressed (empty for LinkedIn)
    linkedin_url: str = ""


def deadline_label(deadline: dt.datetime, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> str:
    """ "Wed 2 Dec, 17:00" in the person's zone (the year when not this year): emails and their
    subjects name the day, never only a weekday."""
    # Written from the wall-clock time there (a naive datetime is read as already local), so
    # no zone is switched to: this runs for every reminder email.
    local = deadline.astimezone(zone).replace(tzinfo=None)
    return when_text(local, today=now.astimezone(zone).date())


def item_for(
    followup,
    *,
    zone: zoneinfo.ZoneInfo,
    now: dt.datetime | None = None,
    completed_goals: Sequence | None = None,
) -> Item:
    """`completed_goals`: the owner's, if already loaded (else the draft loads them if needed)."""
    return finish(item_for_steps(followup, zone=zone, now=now, completed_goals=completed_goals))


def item_for_steps(
    followup,
    *,
    zone: zoneinfo.ZoneInfo,
    now: dt.datetime | None = None,
    completed_goals: Sequence | None = None,
) -> Generator[None, None, Item]:
    """`item_for()` in steps (the draft, the links, the deadline, the email-app link)."""
    draft = draft_for(followup, completed_goals=completed_goals)
    yield
    links = action_urls(followup)
    yield
    now = now or timezone.now()
    by = deadline_label(followup.deadline_at, zone, now)
    yield
    return Item(
        followup=followup,
        action=followup.action_text,
        why=followup.why_text,
        deadline=followup.deadline_at,
        by=by,
        overdue=followup.deadline_at < now,
        draft_subject=draft.subject,
        draft_body=draft.body,
        done_url=links[Action.DONE],
        snooze_url=links[Action.SNOOZE],
        skip_url=links[Action.SKIP],
        replied_url=links[Action.REPLIED],
        open_url=absolute(followup.get_absolute_url()),
        to_name=followup.contact.name if followup.contact_id else "",
        to_address=draft.to,
        add_address_url=_add_address_url(followup) if not draft.to else "",
        mailto=draft.mailto,
        linkedin_url=draft.linkedin_url,
    )


def _add_address_url(followup) -> str:
    """Where the person records the missing address: the contact's page, else the rejection's."""
    if followup.contact_id:
        return absolute(reverse("applications:contact-update", args=[followup.contact_id]))
    if followup.rejection_id:
        return absolute(reverse("applications:rejection-update", args=[followup.rejection_id]))
    return absolute(followup.get_absolute_url())


def _in_zone(steps: Generator, zone: zoneinfo.ZoneInfo) -> Generator:
    """Each step of `steps` in the person's time zone, and only those: between the steps, the
    dispatcher does other things in its own."""
    while True:
        with timezone.override(zone):
            try:
                next(steps)
            except StopIteration as done:
                return done.value
        yield


def _first_name(profile) -> str:
    name = profile.display_name.split()
    return name[0] if name else ""


def _list_headers(unsubscribe: str, mid: str) -> dict[str, str]:
    """`unsubscribe`: the person's unsubscribe link (the body shows the same one).
    `mid`: the row's Message-ID, set by the outbox when it planned the row (a row never
    planned, such as a preview, gets one from the mail library instead)."""
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if mid:
        headers["Message-ID"] = mid
    return headers


def reminder_message(
    reminder,
    *,
    profile,
    completed_goals: Sequence | None = None,
    now: dt.datetime | None = None,
) -> EmailMultiAlternatives:
    """The email for one reminder: what to do, for whom, by when, why, and the draft.
    `now`: the dispatch's (the deadline reads "by …" or "overdue since …" from then)."""
    return finish(
        reminder_message_steps(reminder, profile=profile, completed_goals=completed_goals, now=now)
    )


def reminder_message_steps(
    reminder,
    *,
    profile,
    completed_goals: Sequence | None = None,
    now: dt.datetime | None = None,
) -> Generator[None, None, EmailMultiAlternatives]:
    """`reminder_message()` in steps (the draft, the links, the templates), so the
    dispatcher can build an email a step at a time while it waits for the mail server."""
    zone = profile.zone
    unsubscribe = unsubscribe_url(profile.user)
    yield
    item = yield from item_for_steps(
        reminder.followup, zone=zone, completed_goals=completed_goals, now=now
    )
    yield
    return (yield from _to_person("reminder", profile, unsubscribe, reminder.message_id, item=item))


def digest_message(
    digest,
    reminders,
    *,
    profile,
    completed_goals: Sequence | None = None,
    now: dt.datetime | None = None,
) -> EmailMultiAlternatives:
    """The daily digest: every follow-up that became due since the last one."""
    zone = profile.zone
    unsubscribe = unsubscribe_url(profile.user)
    items = [
        item_for(r.followup, zone=zone, completed_goals=completed_goals, now=now) for r in reminders
    ]
    return finish(_to_person("digest", profile, unsubscribe, digest.message_id, items=items))


def _to_person(
    name: str, profile, unsubscribe: str, mid: str, **context
) -> Generator[None, None, EmailMultiAlternatives]:
    """A reminder-type email (emails/<name>-*) to the person, in their zone, greeting them,
    with their settings and unsubscribe links and the list headers (`_list_headers`)."""
    return build_steps(
        name,
        to=profile.email_address,
        zone=profile.zone,
        context={
            **context,
            "person": _first_name(profile),
            "settings_url": _settings_url(),
            "unsubscribe_url": unsubscribe,
        },
        headers=_list_headers(unsubscribe, mid),
    )


def _settings_url() -> str:
    path = _settings_path(get_urlconf(), get_script_prefix())
    return absolute(path) if path is not None else settings.SITE_URL


# Every email links to the settings: reverse() costs tens of microseconds, so once per
# URLconf and script prefix.
@functools.lru_cache(maxsize=8)
def _settings_path(urlconf, prefix: str) -> str | None:
    try:
        return reverse("accounts:settings", urlconf=urlconf)
    except NoReverseMatch:  # pragma: no cover - accounts always installed
        return None
