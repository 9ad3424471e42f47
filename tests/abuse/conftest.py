"""Fixtures for the abuse tests: every route of the URL configuration, a person with one of
every record (every text field holding a marker and a script payload), another person, and
a snapshot of every row to prove that nothing changed."""

import datetime as dt
import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import links
from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from capture import crypto
from capture.models import MailboxWatch, ReviewItem
from followups import services, tokens
from followups.models import FollowUp, Reminder
from goals.models import ImprovementGoal
from mydata.models import CalendarFeed, Upload
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    ImprovementGoalFactory,
    InterviewFactory,
    UserFactory,
)
from tests.followups.conftest import at, smtp_server  # noqa: F401  (a fixture, found by name)

User = get_user_model()

# In every text field of Sam's records. Another person's page must never show MARK; Sam's own
# pages must show the payload escaped, never as markup.
MARK = "sams-secret"
PAYLOAD = "<script>alert(1)</script><b>bold</b>\"'&"
TEXT = f"{MARK}{PAYLOAD}"
RAW = ("<script>alert(1)", "<b>bold</b>")

NOW = at("2026-03-04 10:00")

# Fields that hold no free text a person typed (or that must stay valid to be usable).
NOT_FREE_TEXT = {"key", "message_id", "claim_token", "time_zone", "password", "username"}

# --- The URL configuration ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "applications:company-detail"
    pattern: str
    converters: tuple[tuple[str, type], ...]
    callback: Any
    urlconf: str

    @property
    def args(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.converters)

    @property
    def int_args(self) -> tuple[str, ...]:
        return tuple(name for name, conv in self.converters if issubclass(conv, IntConverter))

    @property
    def view(self):
        return getattr(self.callback, "view_class", self.callback)

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix="", namespace=None, converters=()) -> Iterator[tuple]:
    for p in patterns:
        convs = converters + tuple((k, type(v)) for k, v in p.pattern.converters.items())
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, convs)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, prefix + str(p.pattern), convs, p.callback


def all_routes(*, admin: bool = False) -> list[Route]:
    """Every named route of the project, each once (the admin only when asked: it is for
    staff)."""
    urlconf = "config.urls"
    found: dict[str, Route] = {}
    for name, pattern, convs, callback in _walk(get_resolver(urlconf).url_patterns):
        if (name.startswith("admin:") and not admin) or name in found:
            continue
        found[name] = Route(name, pattern, convs, callback, urlconf)
    return sorted(found.values(), key=lambda r: r.name)


ROUTES = all_routes()

# The model behind a route's integer argument, where the view does not name one itself.
# First match wins.
ARG_MODELS: list[tuple[str, type[models.Model]]] = [
    ("goals:goal-propose", Feedback),
    ("goals:goal-*", ImprovementGoal),
    ("*:followup-*", FollowUp),
    ("followups:draft-save", FollowUp),
    ("*:close-door", Company),
    ("watch:board", Company),
    ("watch:competitors", Company),
    ("*:reopen-door", Company),
    ("followups:reminder-retry", Reminder),
    ("capture:review-*", ReviewItem),
    ("mydata:interview-ics", Interview),
    ("mydata:import-review", Upload),
]


def model_for(route: Route) -> type[models.Model]:
    for pattern, model in ARG_MODELS:
        if fnmatch.fnmatch(route.name, pattern):
            return model
    model = getattr(route.view, "model", None)
    if model is None:
        raise AssertionError(f"{route}: which model is its id? Add it to ARG_MODELS.")
    return model


def url_of(route: Route, **kwargs) -> str:
    return reverse(route.name, urlconf=route.urlconf, kwargs=kwargs)


def request(client: Client, route: Route, method: str, url: str, data=None, **extra):
    send = getattr(client, method)
    if route.urlconf == settings.ROOT_URLCONF:
        return send(url, data or {}, **extra)
    with override_settings(ROOT_URLCONF=route.urlconf):  # (clears the URL caches: slow)
        return send(url, data or {}, **extra)


def sweep(routes, check) -> None:
    """Run `check(route)` for every route and report every route that failed, not just the
    first (one test per sweep keeps the suite fast: the records are made once)."""
    failures = []
    for route in routes:
        try:
            check(route)
        except AssertionError as exc:
            failures.append(f"{route}: {exc}".split("\nassert")[0])
    assert not failures, "\n".join(failures)
    assert routes, "the sweep found no routes"


def without_tokens(response) -> str:
    """A page with its per-request CSRF tokens taken out, to compare two answers."""
    content = response.content.decode()
    content = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", content)
    return re.sub(r'("X-CSRFToken": ?)"[^"]*"', r"\1", content)


# --- The people and their records -----------------------------------------------------------------


def fill_text(obj: models.Model, text: str = TEXT) -> None:
    """Every free-text field of `obj` set to `text` (cut to the field's length), saved as is:
    straight to the database, past any form that would tidy it."""
    changed = []
    for f in obj._meta.concrete_fields:
        if (
            isinstance(f, (models.CharField, models.TextField))
            and not isinstance(f, (models.EmailField, models.URLField, models.SlugField))
            and not f.choices
            and f.name not in NOT_FREE_TEXT
        ):
            setattr(obj, f.name, text[: f.max_length] if f.max_length else text)
            changed.append(f.name)
    if changed:
        type(obj).objects.filter(pk=obj.pk).update(**{n: getattr(obj, n) for n in changed})


@dataclass
class World:
    sam: Any
    intruder: Any
    objects: dict[type[models.Model], models.Model]
    followups: list[FollowUp]

    def arg_for(self, route: Route) -> dict[str, int]:
        return {name: self.objects[model_for(route)].pk for name in route.int_args}

    def str_args_for(self, route: Route) -> dict[str, str]:
        """Valid values for the routes that take a signed token instead of an id."""
        sam, followup = self.sam, self.objects[FollowUp]
        values = {
            "followups:action": {"token": tokens.action_token(followup, tokens.Action.SKIP)},
            "followups:unsubscribe": {"token": tokens.unsubscribe_token(sam)},
            "mydata:calendar-feed": {"token": CalendarFeed.objects.get(owner=sam).token},
            "accounts:signup-confirm": {"token": links.read_token(links.signup_url(sam))},
            "accounts:reminder-email-confirm": {
                "token": links.read_token(links.reminder_email_url(sam.profile))
            },
            "accounts:password_reset_confirm": {
                "uidb64": urlsafe_base64_encode(force_bytes(sam.pk)),
                "token": default_token_generator.make_token(sam),
            },
        }
        return values.get(route.name, {})

    def url(self, route: Route) -> str:
        kwargs = {**self.arg_for(route), **self.str_args_for(route)}
        missing = set(route.args) - set(kwargs)
        assert not missing, f"{route}: no value for {missing}; teach World.str_args_for"
        return url_of(route, **kwargs)


@pytest.fixture
def world(db) -> World:
    """Sam (Berlin) with one of every record, all text fields full of MARK and PAYLOAD; the
    engine's follow-ups and reminders for them; and an intruder with an account of their own."""
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        sam = UserFactory(username="sam", email="sam@example.com")
        intruder = UserFactory(username="intruder", email="intruder@example.com")
        application = ApplicationFactory(owner=sam, company__name=f"{MARK} Corp")
        company = application.company
        contact = ContactFactory(
            owner=sam, company=company, linkedin_url="https://linkedin.example/in/d"
        )
        interview = InterviewFactory(owner=sam, application=application)
        interview.interviewers.add(contact)
        services.sync_interview(interview=interview)
        feedback = FeedbackFactory(
            owner=sam,
            rejection__application=application,
            rejection__contact=contact,
            rejection__received_at=NOW - dt.timedelta(days=2),
        )
        rejection = feedback.rejection
        services.sync_rejection(rejection=rejection)
        goal = ImprovementGoalFactory(owner=sam, feedback=feedback)
        # Text from an email (the review queue) and from a mail server (the watch's error).
        review_item = ReviewItem.objects.create(
            owner=sam, message_id="<abuse@example.com>", decided_by=[TEXT], confidence=0.9
        )
        watch = MailboxWatch.objects.create(
            owner=sam,
            host="imap.example.com",
            username="sam",
            password_encrypted=crypto.encrypt("pw"),
        )
    followups = list(FollowUp.objects.filter(owner=sam).order_by("pk"))
    thanks = FollowUp.objects.get(owner=sam, kind=FollowUp.Kind.REJECTION_THANKS)
    # A reminder that could not be delivered, for the retry route (the SMTP server's refusal
    # is text from outside, shown on a page too).
    check_in = FollowUp.objects.get(owner=sam, kind=FollowUp.Kind.CHECK_IN)
    failed = check_in.reminders.get()
    Reminder.objects.filter(pk=failed.pk).update(status=Reminder.Status.FAILED)
    failed.refresh_from_db()
    objects = {
        Company: company,
        Application: application,
        Contact: contact,
        Interview: interview,
        Rejection: rejection,
        Feedback: feedback,
        ImprovementGoal: goal,
        FollowUp: thanks,
        Reminder: failed,
        ReviewItem: review_item,
        MailboxWatch: watch,
        # A spreadsheet upload waiting for its review (its name and cells are outside text).
        Upload: Upload.objects.create(
            owner=sam, filename="a.csv", content=f"Company,Role\nAcme,{PAYLOAD[:32]}\n".encode()
        ),
    }
    CalendarFeed.objects.create(owner=sam)
    for obj in [*objects.values(), *followups, sam, sam.profile]:
        fill_text(obj)
    FollowUp.objects.filter(owner=sam).update(sent_text=TEXT)
    for obj in objects.values():
        obj.refresh_from_db()
    sam.refresh_from_db()
    return World(sam=sam, intruder=intruder, objects=objects, followups=followups)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Nothing changed ------------------------------------------------------------------------------

# Bookkeeping that a request may legitimately touch: sessions, login throttling records.
SNAPSHOT_APPS = ("accounts", "applications", "goals", "followups", "capture", "mydata", "auth")


def snapshot() -> dict[str, list[dict]]:
    """Every row of the project's own tables (and users), through-tables included."""
    rows = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def changes(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]
