"""On PostgreSQL, outside any transaction (as a worker runs it), the "sent" of each email is
sent to the database while the next email is built and its first SMTP commands go, and is
committed before the server can accept that next email: another connection already sees it.
A failed "sent" stops the run before the next email's text leaves."""

import psycopg
import pytest
from django.db import DatabaseError

from followups import outbox
from followups.models import Reminder
from tests.factories import UserFactory
from tests.followups.conftest import (
    THANKS_DUE,
    at,
    database_url,
    production_backend,
    thank_yous_due,
)

pytestmark = [pytest.mark.postgres]

DUE = THANKS_DUE


@pytest.fixture
def six_thank_yous(needs_postgres, transactional_db, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    return thank_yous_due(UserFactory(username="sam", email="sam@example.com"), 6)


def test_each_email_is_committed_before_the_next_can_be_accepted(six_thank_yous, smtp_server):
    """GIVEN six thank-yous due at 14:00, a real SMTP server, no transaction around the run
    WHEN the tick sends them
    THEN as the server receives each email (before it accepts it), another connection
    already sees every earlier one as sent, and each row says sent once, with its email
    received once."""
    table = Reminder._meta.db_table
    seen_before = []
    with psycopg.connect(database_url(), autocommit=True) as observer:

        def watching(envelope):
            row = observer.execute(f"SELECT count(*) FROM {table} WHERE status = 'sent'")
            seen_before.append(row.fetchone()[0])

        smtp_server.on_message = watching
        summary = outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))
        sent_after = observer.execute(
            f"SELECT count(*) FROM {table} WHERE status = 'sent' AND attempts = 1 "
            "AND claim_token = '' AND claimed_until IS NULL AND sent_at IS NOT NULL"
        ).fetchone()[0]
    assert summary.sent == 6
    assert seen_before == [0, 1, 2, 3, 4, 5]
    assert sent_after == 6
    assert len(set(smtp_server.message_ids())) == 6


def test_a_sent_mark_that_fails_stops_the_run_before_the_next_email(
    six_thank_yous, smtp_server, monkeypatch
):
    """GIVEN six thank-yous, and a database that refuses the "sent" of the second email
    WHEN the tick sends them
    THEN the run stops with the database's error after that email: the server never gets
    the third's text (nor anything after it), and the first is recorded as sent."""
    statements = iter([outbox._sent_sql_pq()])
    broken = outbox._sent_sql_pq().replace(b"attempts + 1", b"attempts + 'x'")
    monkeypatch.setattr(outbox, "_sent_sql_pq", lambda: next(statements, broken))
    with pytest.raises(DatabaseError):
        outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))
    assert len(smtp_server.message_ids()) == 2
    statuses = [Reminder.objects.get(pk=r.pk).status for r in six_thank_yous]
    assert statuses == ["sent", "sending", "sending", "sending", "sending", "sending"]
