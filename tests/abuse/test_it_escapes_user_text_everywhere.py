"""Script and HTML typed into any text field stay text: escaped on every page (full pages and
htmx fragments, GET and the htmx actions' answers) and in the HTML part of every email.

Every free-text field of every record of Sam's holds MARK + PAYLOAD (a <script> and a <b>),
written straight to the database, past the forms (see tests/abuse/conftest.py: fill_text)."""

import html
from email.mime.base import MIMEBase

import time_machine
from django.urls import reverse

from accounts.models import Delivery, Profile
from applications.models import Company
from followups import emails, outbox
from followups.models import Digest, FollowUp, Reminder
from tests.abuse.conftest import (
    NOW,
    PAYLOAD,
    RAW,
    ROUTES,
    Route,
    client_for,
    request,
    sweep,
)

ESCAPED = html.escape("<script>alert(1)</script>", quote=False)


def assert_escaped(content: str) -> None:
    for raw in RAW:
        assert raw not in content, f"{raw!r} reached the page unescaped"


def test_every_page_and_fragment_escapes_it(world):
    sam = client_for(world.sam)
    shown = []

    def check(route: Route) -> None:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = request(sam, route, "get", world.url(route), **headers)
            if not response.get("Content-Type", "").startswith("text/html"):
                # Calendars, vCards, CSVs and the export zip are data, not pages: browsers
                # do not render them as HTML (and nosniff stops them from guessing).
                assert response["X-Content-Type-Options"] == "nosniff"
                return
            content = response.content.decode(errors="replace")
            assert_escaped(content)
            if ESCAPED in content:
                shown.append(route.name)

    with time_machine.travel(NOW, tick=False):
        sweep(ROUTES, check)

    # The sweep looked at pages that really show Sam's text: every record's own page at least.
    details = {r.name for r in ROUTES if r.name.endswith("-detail")}
    assert details <= set(shown), details - set(shown)
    assert "dashboard:index" in shown


def test_the_htmx_actions_answer_with_escaped_fragments(world):
    """The fragments htmx swaps in after a click: the tone check, the card after snoozing on
    the follow-up page and on the dashboard, a refused "mark as sent", closing a door."""
    sam = client_for(world.sam)
    htmx = {"HTTP_HX_REQUEST": "true"}
    thanks = world.objects[FollowUp]
    other = next(f for f in world.followups if f.is_pending and f.pk != thanks.pk)
    company = world.objects[Company]
    posts = [
        (reverse("followups:tone-check"), {"text": PAYLOAD, "kind": "rejection_thanks"}),
        (reverse("followups:followup-done", args=[thanks.pk]), {"sent_text": "x" * 20_001}),
        (reverse("followups:followup-snooze", args=[thanks.pk]), {"period": "1"}),
        (reverse("dashboard:followup-snooze", args=[other.pk]), {"period": "1"}),
        (reverse("dashboard:close-door", args=[company.pk]), {}),
    ]
    with time_machine.travel(NOW, tick=False):
        answers = [sam.post(url, data, **htmx) for url, data in posts]
        panel = sam.get(
            reverse("applications:applied-before"), {"company_name": company.name}, **htmx
        )
    for response in [*answers, panel]:
        assert response.status_code in (200, 422), response.status_code
        assert_escaped(response.content.decode())
    assert sum(ESCAPED in r.content.decode() for r in [*answers[1:], panel]) >= 4


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_every_reminder_email_and_the_digest_escape_it(world):
    profile = world.sam.profile
    profile.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        messages = []
        for followup in FollowUp.objects.filter(owner=world.sam):
            reminder = Reminder(pk=10_000 + followup.pk, followup=followup, owner=world.sam)
            messages.append(emails.reminder_message(reminder, profile=profile))
        digest = Digest.objects.create(owner=world.sam, created_at=NOW)
        reminders = [
            Reminder(pk=20_000 + f.pk, followup=f, owner=world.sam)
            for f in FollowUp.objects.filter(owner=world.sam)
        ]
        messages.append(emails.digest_message(digest, reminders, profile=profile))

    assert len(messages) == len(world.followups) + 1 >= 4
    for message in messages:
        body = html_part(message)
        assert_escaped(body)
        assert ESCAPED in body  # the company name, the contact, the drafts, the signature
        assert "\n" not in message.subject and "\r" not in message.subject
        assert isinstance(message.message(), MIMEBase)  # it still builds


def test_the_dispatched_digest_escapes_it_too(world, mailoutbox):
    """The same through the real path: the dispatcher builds and sends the daily digest."""
    Profile.objects.filter(user=world.sam).update(delivery=Delivery.DIGEST)
    Reminder.objects.filter(owner=world.sam).update(
        status=Reminder.Status.PENDING, mode=Reminder.Mode.DIGEST, next_attempt_at=NOW
    )
    with time_machine.travel(NOW, tick=False):
        summary = outbox.dispatch_due_reminders(now=NOW)
    assert summary.digests == 1 and len(mailoutbox) == 1
    body = html_part(mailoutbox[0])
    assert_escaped(body)
    assert ESCAPED in body
