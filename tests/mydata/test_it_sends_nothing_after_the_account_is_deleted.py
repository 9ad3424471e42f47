"""Deleting the account while a real dispatcher runs: nothing goes out after the confirmation.

A `manage.py dispatch_reminders --loop` process runs on the real clock against a real SMTP
server. Sam has one reminder due at once (it goes out, showing the dispatcher works) and three
due a few seconds later; so does Robin, who keeps the account. Sam confirms the deletion
before the later ones are due: Robin's later reminder arrives, none of Sam's.
"""

import datetime as dt
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followups.models import Reminder
from tests.factories import FollowUpFactory, UserFactory
from tests.reliability.conftest import (
    Dispatchers,
    any_time,
    child_env,
    run_manage,
    shared_database,
    start_manage,
    wait_until,
)

pytestmark = pytest.mark.processes

LATER = dt.timedelta(seconds=8)

DELETE = """
from django.contrib.auth import get_user_model
from mydata.services import delete_account
delete_account(user=get_user_model().objects.get(username="sam"))
"""


def _reminders(owner, due: dt.datetime, count: int) -> None:
    for _ in range(count):
        followup = FollowUpFactory(owner=owner, due_at=due, deadline_at=due + dt.timedelta(days=1))
        Reminder.objects.create(followup=followup, owner=owner, send_at=due, next_attempt_at=due)


def _recipients(smtp_server) -> list[str]:
    with smtp_server.lock:
        return [m["X-Envelope-To"] for m in smtp_server.received]


def test_it_sends_no_reminder_after_the_deletion_is_confirmed(
    transactional_db, tmp_path, smtp_server
):
    """GIVEN a dispatcher looping every 0.2 s, Sam's and Robin's reminders due now and in 8 s
    WHEN Sam confirms the deletion after the first emails arrived
    THEN Robin's later reminder arrives and nothing more for Sam."""
    sam = UserFactory(username="sam", email="sam@example.com")
    robin = UserFactory(username="robin", email="robin@example.com")
    any_time(sam, robin)
    now = timezone.now()
    _reminders(sam, now - dt.timedelta(minutes=1), 1)
    _reminders(robin, now - dt.timedelta(minutes=1), 1)
    later = now + LATER
    _reminders(sam, later, 3)
    _reminders(robin, later, 1)

    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=smtp_server.port)
    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database)
        dispatcher = start_manage(env, "dispatch_reminders", "--loop", "--interval", "0.2")
        try:
            wait_until(lambda: len(_recipients(smtp_server)) >= 2, timeout=30, what="first emails")
            if connection.vendor == "postgresql":
                # The real page, on the database the dispatcher reads.
                client = Client()
                client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
                response = client.post(
                    reverse("mydata:delete-account"), {"password": "correct-horse-battery"}
                )
                assert response.status_code == 302
            else:
                run_manage(env, "shell", "-c", DELETE)
            confirmed = timezone.now()
            assert confirmed < later, "the set-up was too slow to test anything"
            wait_until(
                lambda: "robin@example.com" in _recipients(smtp_server)[2:],
                timeout=30,
                what="Robin's later reminder",
            )
            time.sleep(1)  # a few more ticks, for anything else to (wrongly) go out
        finally:
            dispatcher.terminate()
            dispatcher.communicate(timeout=30)

    recipients = _recipients(smtp_server)
    assert sorted(recipients[:2]) == ["robin@example.com", "sam@example.com"]
    assert recipients[2:] == ["robin@example.com"]
