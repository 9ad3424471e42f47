"""On PostgreSQL, a dispatcher takes the rows nobody holds (FOR UPDATE SKIP LOCKED) instead of
waiting behind a busy one."""

import time

import pytest
from django.db import transaction

from followups import services
from followups.models import Reminder
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.followups.conftest import at

pytestmark = [pytest.mark.processes, pytest.mark.postgres]


def test_a_dispatcher_skips_rows_another_one_holds(
    needs_postgres, dispatchers, smtp_server, time_machine
):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    person = UserFactory(username="sam")
    for n in range(10):
        contact = ContactFactory(owner=person, company__name=f"Co {n}")
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person,
                application__company=contact.company,
                contact=contact,
                received_at=at("2026-03-02 14:00"),
            )
        )
    due = list(Reminder.objects.filter(send_at__lte=at("2026-03-03 14:00")).order_by("pk"))
    held, free = due[:5], due[5:]

    with transaction.atomic():
        # Another dispatcher in the middle of its claim holds these five.
        list(Reminder.objects.select_for_update().filter(pk__in=[r.pk for r in held]))
        started = time.monotonic()
        dispatchers.run(now=at("2026-03-03 14:00"))
        elapsed = time.monotonic() - started

    assert elapsed < 20, "the dispatcher waited for the held rows"
    assert sorted(smtp_server.message_ids()) == sorted(r.message_id for r in free)
    dispatchers.run(now=at("2026-03-03 14:00"))
    assert sorted(smtp_server.message_ids()) == sorted(r.message_id for r in due)
