"""Four `manage.py dispatch_reminders` processes started at once over the same outbox, against
a real SMTP server: every reminder arrives exactly once, counted by Message-ID."""

import resource
import time
from collections import Counter

import pytest
from django.db import connection

from followups.models import Reminder
from tests.reliability.conftest import Dispatchers, at, bulk_due_reminders

pytestmark = pytest.mark.processes

NOW = at("2026-03-03 14:00")


def run_four(tmp_path, smtp, count: int) -> None:
    expected = bulk_due_reminders(count=count, due=NOW, people=8)
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=smtp.port)

    started, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
    outputs = dispatchers.run(now=NOW, count=4, batch_size=200)
    elapsed = time.monotonic() - started
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu

    received = Counter(smtp.message_ids())
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert not duplicates, f"{len(duplicates)} sent more than once, e.g. {list(duplicates)[:3]}"
    assert sorted(received) == sorted(expected)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    sent = [int(out.split("sent ")[1].split(" ")[0]) for out in outputs]
    assert sum(sent) == count
    assert sum(1 for n in sent if n) >= 2, f"the dispatchers did not overlap: {sent}"
    print(
        f"\n{connection.vendor}: {count} reminders, dispatchers sent {sent}, {elapsed:.1f} s "
        f"(SMTP server: {cpu:.1f} s of CPU)"
    )


@pytest.mark.postgres
def test_four_dispatchers_send_ten_thousand_reminders_exactly_once_on_postgres(
    needs_postgres, transactional_db, tmp_path, counting_smtp
):
    """GIVEN 10,000 reminders due now for eight people
    WHEN four dispatchers start at the same moment (FOR UPDATE SKIP LOCKED + conditional UPDATE)
    THEN the SMTP server receives 10,000 emails, one per Message-ID, and every row is sent."""
    run_four(tmp_path, counting_smtp, 10_000)


def test_four_dispatchers_send_each_reminder_exactly_once(
    transactional_db, tmp_path, counting_smtp
):
    """GIVEN 1,000 reminders due now (SQLite has one writer at a time, so the 10,000 case runs on
    PostgreSQL; here the conditional UPDATE alone is the guarantee)
    WHEN four dispatchers start at the same moment
    THEN each reminder reaches the SMTP server exactly once."""
    if connection.vendor == "postgresql":
        pytest.skip("the 10,000-reminder case covers PostgreSQL")
    run_four(tmp_path, counting_smtp, 1_000)
