"""The SMTP server is down for an hour and a half: every tick finds it unreachable and puts the
rows back untouched. When it returns, everything that became due goes out once, in due order."""

import datetime as dt
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from followups.models import Reminder
from tests.reliability.conftest import (
    Dispatchers,
    SMTPServer,
    at,
    bulk_due_reminders,
    free_port,
)

pytestmark = pytest.mark.processes

T = at("2026-03-03 14:00")


def test_everything_due_goes_out_once_in_order_when_the_smtp_server_returns(
    transactional_db, tmp_path
):
    """GIVEN 30 reminders falling due between 13:30 and 14:30, rows created newest first, and
    nothing listening on the SMTP port
    WHEN ticks run at 14:00 and 15:00 (server down), then at 15:30 (server back)
    THEN the down ticks send nothing and charge no attempt; the 15:30 tick delivers all 30,
    each once, in the order they fell due."""
    expected = bulk_due_reminders(
        count=30, due=T + dt.timedelta(minutes=30), spread=dt.timedelta(hours=1), newest_first=True
    )
    port = free_port()
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=port)

    for minutes in (0, 60):
        [out] = dispatchers.run(now=T + dt.timedelta(minutes=minutes))
        assert "SMTP unavailable" in out and "sent 0 reminder(s)" in out
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.PENDING, 0)}
    assert "unreachable" in Reminder.objects.first().last_error

    server = SMTPServer(port=port)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        [out] = dispatchers.run(now=T + dt.timedelta(minutes=90))
    finally:
        controller.stop()

    assert "sent 30 reminder(s)" in out
    assert server.message_ids() == expected
    assert Counter(server.message_ids()).most_common(1)[0][1] == 1
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}
