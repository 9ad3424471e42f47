"""The dashboard keeps a person's rendered cards for a minute, and never past a change.

A repeat visit is served from the kept cards; any write to the person's data, however it is
made (.update(), bulk_create, a queryset delete, raw SQL, a profile change), shows on the next
visit; the clock moving on shows within DASHBOARD_CACHE_SECONDS; each session gets its own
CSRF token in the kept forms.
"""

import contextlib
import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from applications.models import Company
from dashboard import stamps
from followups.models import FollowUp, Reminder
from tests.dashboard.test_due_now import NOW, rejected_at, thanks
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        yield NOW


def thanks_due(user, company_name: str, **fields) -> FollowUp:
    """A thank-you to Dana at `company_name` for yesterday's rejection, due an hour ago."""
    return thanks(
        rejected_at(user, company_name), **{"due_at": NOW - dt.timedelta(hours=1), **fields}
    )


def due_now_card(page: str) -> str:
    start = page.index('data-testid="card-due-now"')
    return page[start : page.index("</section>", start)]


def without_tokens(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def visit(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_it_serves_a_repeat_visit_from_the_kept_cards(user, user_client):
    thanks_due(user, "Acme")

    first, first_queries = visit(user_client)
    again, again_queries = visit(user_client)

    assert "Thank Dana at Acme" in again
    assert without_tokens(again) == without_tokens(first)  # each response masks its token anew
    # The repeat visit costs what any logged-in page costs (session, person, profile).
    assert again_queries < first_queries
    assert again_queries <= 3


def _rename_company(user, followup):
    Company.objects.filter(pk=followup.company_id).update(name="Acme Robotics")
    return "Thank Dana at Acme Robotics"


def _bulk_insert_a_due_followup(user, followup):
    company = CompanyFactory(owner=user, name="Globex")
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                owner=user,
                company=company,
                kind=FollowUp.Kind.CHECK_IN,
                key="bulk:1",
                due_at=NOW - dt.timedelta(minutes=5),
                deadline_at=NOW + dt.timedelta(days=2),
            )
        ]
    )
    return "Globex"


def _raw_sql_marks_it_done(user, followup):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {FollowUp._meta.db_table} SET status = %s WHERE id = %s",
            [FollowUp.Status.DONE, followup.pk],
        )
    return None


def _queryset_delete(user, followup):
    FollowUp.objects.filter(pk=followup.pk).delete()
    return None


def _reminder_fails(user, followup):
    reminder = Reminder.objects.create(
        owner=user, followup=followup, send_at=NOW, next_attempt_at=NOW, message_id="<r1@test>"
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED)
    return "could not be delivered"


def _profile_signature_changes(user, followup):
    Profile.objects.filter(user=user).update(full_name="Samantha Rivera")
    return "Samantha Rivera"


@pytest.mark.parametrize(
    "change",
    [
        _rename_company,
        _bulk_insert_a_due_followup,
        _raw_sql_marks_it_done,
        _queryset_delete,
        _reminder_fails,
        _profile_signature_changes,
    ],
)
def test_it_shows_a_change_made_behind_the_apps_back_at_once(user, user_client, change):
    followup = thanks_due(user, "Acme")
    before, _ = visit(user_client)
    assert "Thank Dana at Acme" in due_now_card(before)

    expected = change(user, followup)
    after, _ = visit(user_client)

    card = due_now_card(after)
    if expected is None:  # the follow-up left the card
        assert "Thank Dana at Acme" not in card
    else:
        assert expected in card and expected not in due_now_card(before)


@contextlib.contextmanager
def renewing_once_per_transaction():
    """As production runs (the test run renews on every statement: tests/conftest.py)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cards_stamp.each_statement = 'off'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET cards_stamp.each_statement = 'on'")


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_writes_shows_every_one_after_its_commit(user, client_for):
    followup = thanks_due(user, "Acme")
    client = client_for(user)
    before, _ = visit(client)
    assert "Thank Dana at Acme" in due_now_card(before)

    with renewing_once_per_transaction(), transaction.atomic():
        _rename_company(user, followup)
        _bulk_insert_a_due_followup(user, followup)
        Profile.objects.filter(user=user).update(full_name="Samantha Rivera")
    after, _ = visit(client)

    card = due_now_card(after)
    assert "Thank Dana at Acme Robotics" in card
    assert "Globex" in card
    assert "Samantha Rivera" in card


def test_another_persons_change_leaves_the_kept_cards_alone(user, user_client, other_user):
    thanks_due(user, "Acme")
    visit(user_client)

    thanks_due(other_user, "Theirs")
    page, queries = visit(user_client)

    assert "Theirs" not in page
    assert queries <= 3


def test_the_clock_moving_on_shows_within_a_minute(user, user_client):
    thanks_due(user, "Acme", due_at=NOW + dt.timedelta(seconds=30))
    before, _ = visit(user_client)
    assert "Thank Dana at Acme" not in due_now_card(before)

    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        after, _ = visit(user_client)

    assert "Thank Dana at Acme" in due_now_card(after)


def test_each_session_posts_the_kept_forms_with_its_own_token(user, client_for):
    followup = thanks_due(user, "Acme")
    laptop = client_for(user)
    visit(laptop)  # fills the cache
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(user)

    page, queries = visit(phone)
    assert queries <= 3  # the kept cards
    form = re.search(
        r'<form[^>]*action="{}".*?</form>'.format(
            re.escape(reverse("dashboard:followup-done", args=[followup.pk]))
        ),
        page,
        re.S,
    ).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = phone.post(
        reverse("dashboard:followup-done", args=[followup.pk]),
        {"csrfmiddlewaretoken": token, "subject": "Thanks", "text": "Thank you, Dana."},
    )

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE
    page, _ = visit(phone)
    assert "Thank Dana at Acme" not in due_now_card(page)


def test_the_page_still_renders_when_the_cache_is_down(user, user_client, settings):
    thanks_due(user, "Acme")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    page, _ = visit(user_client)

    assert "Thank Dana at Acme" in due_now_card(page)


def _owned_tables() -> set[str]:
    """Every table of a person's data: a model with a key to the user, or to such a model,
    and the many-to-many tables between them."""
    user_model = get_user_model()
    owned = {user_model}
    changed = True
    models = [m for m in apps.get_models() if m._meta.app_label not in {"admin", "auth", "axes"}]
    models += [user_model]
    while changed:
        changed = False
        for model in models:
            if model in owned:
                continue
            if any(
                field.is_relation and field.many_to_one and field.related_model in owned
                for field in model._meta.concrete_fields
            ):
                owned.add(model)
                changed = True
    tables = {model._meta.db_table for model in owned}
    for model in owned:
        for field in model._meta.local_many_to_many:
            if field.related_model in owned:
                tables.add(field.m2m_db_table())
    return tables - {"django_admin_log", "axes_accesslog", "axes_accessattempt"}


def test_every_table_of_a_persons_data_is_watched_or_named_unread():
    owned = _owned_tables()
    watched = {item.table for item in stamps.watched()}

    assert owned - watched - set(stamps.UNREAD) - {Profile._meta.db_table} == set()
    # ...and the triggers are really in the database, on every watched table.
    assert watched | {Profile._meta.db_table} <= stamps.installed()
