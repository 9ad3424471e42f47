"""The broker is down while a person logs a rejection: the page works, because a request never
needs the broker (the database is the source of truth, the broker only rings the doorbell);
once the broker is back, the next tick sends the thank-you reminder once.

With REDIS_URL set, the broker is a redis-server this test starts on a port of its own and
stops (the shared Redis stays up for everyone else). Without it, the filesystem broker's
folder is made unusable (its path runs through a plain file) and then restored.
"""

import datetime as dt
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from followups.models import FollowUp, Reminder
from tests.factories import UserFactory
from tests.reliability.conftest import (
    BERLIN,
    Broker,
    any_time,
    celery_worker,
    child_env,
    filesystem_broker,
    free_port,
    kill_group,
    shared_database,
    spawn,
    spy_on_publishing,
    wait_until,
)

pytestmark = pytest.mark.processes


class OwnRedis:
    """A redis-server of this test's own, so it can be stopped without touching anyone else's."""

    def __init__(self, tmp_path: Path):
        self.port, self.dir, self.process = free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = spawn(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        import redis

        def answers() -> bool:
            try:
                return redis.Redis.from_url(self.url).ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            kill_group(self.process)
            self.process = None


@pytest.fixture
def outage(tmp_path, settings) -> Iterator[tuple[Broker, Callable[[], None], Callable[[], None]]]:
    """(the broker the worker will use, break it, bring it back), and this process pointed at it."""
    if os.environ.get("REDIS_URL"):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        server = OwnRedis(tmp_path)
        server.start()
        broker = Broker(
            url=server.url,
            transport_options={},
            queue="celery",
            worker_env={"REDIS_URL": server.url},
        )
        settings.CELERY_BROKER_URL = server.url
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
            }
        }
        saved = celery_app.conf.broker_url
        celery_app.conf.broker_url = server.url
        try:
            yield broker, server.stop, server.start
        finally:
            celery_app.conf.broker_url = saved
            server.stop()
        return
    folder = tmp_path / "var" / "broker"
    url, options = filesystem_broker(folder)
    broker = Broker(url=url, transport_options=options, queue="celery", worker_env={})
    saved = dict(celery_app.conf.broker_transport_options or {})
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    unusable = {key: str(blocked / "queue") for key in ("data_folder_in", "data_folder_out")}

    def down() -> None:
        shutil.rmtree(folder)
        celery_app.conf.broker_transport_options = {**options, **unusable}

    def up() -> None:
        filesystem_broker(folder)

    celery_app.conf.broker_transport_options = options
    try:
        yield broker, down, up
    finally:
        celery_app.conf.broker_transport_options = saved


def test_the_page_works_while_the_broker_is_down_and_the_reminder_goes_out_once_after(
    dispatchers, smtp_server, outage, tmp_path
):
    """GIVEN the broker is down
    WHEN Sam logs a rejection received 30 hours ago, on the page
    THEN the page saves it and shows it, the dashboard works, nothing was put on the broker;
    and once the broker is back, the first ticks send the thank-you reminder exactly once."""
    broker, down, up = outage
    sam = UserFactory(username="sam")
    any_time(sam)
    client = Client()
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    down()

    received = (timezone.now() - dt.timedelta(hours=30)).astimezone(BERLIN)
    with spy_on_publishing() as publishes:
        response = client.post(
            reverse("applications:log-rejection"),
            {
                "form_token": str(uuid.uuid4()),
                "company_name": "Globex",
                "role_title": "Platform Engineer",
                "received_at": received.strftime("%Y-%m-%dT%H:%M"),
                "channel": "email",
                "stage_reached": "interview",
                "contact_name": "Priya Raman",
                "contact_email": "priya@globex.example",
            },
            follow=True,
        )
        assert response.status_code == 200
        assert "Rejection logged" in response.text and "Globex" in response.text
        assert client.get(reverse("home")).status_code == 200
        if broker.kind == "redis":
            health = client.get(reverse("healthz"))
            assert health.status_code == 503 and health.json()["checks"]["broker"] is False
    assert publishes == []
    thanks = FollowUp.objects.get(owner=sam, kind=FollowUp.Kind.REJECTION_THANKS)
    reminder = thanks.reminders.get(status=Reminder.Status.PENDING)
    assert reminder.next_attempt_at <= timezone.now()

    up()
    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database)
        with celery_worker(env, broker, tmp_path) as worker:
            broker.ring(times=2)  # beat rings every minute; two rings, one email
            worker.wait_for(r"Task followups\.tasks\.dispatch\[[^\]]+\] succeeded", count=2)
            wait_until(lambda: smtp_server.received, timeout=10, what="the reminder")

    assert smtp_server.message_ids() == [reminder.message_id]
    assert smtp_server.received[0]["To"] == "sam@example.com"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
