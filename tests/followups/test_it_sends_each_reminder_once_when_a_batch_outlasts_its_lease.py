"""A slow SMTP server: a batch takes longer than the one-minute lease, and the dispatcher
renews the lease as it goes, so a second dispatcher never takes over rows that are still
being sent. (Time is the dispatcher's own clock, moved on by the fake server.)"""

import types
from collections import Counter
from unittest import mock

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from followups import outbox, services
from followups.models import Reminder
from tests.factories import ContactFactory, RejectionFactory
from tests.followups.conftest import at

DUE = at("2026-03-03 14:00")
SECONDS_PER_EMAIL = 15


class FakeMonotonic:
    def __init__(self):
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now


class SlowServer(LocmemBackend):
    """Each email takes SECONDS_PER_EMAIL; while the `interrupt_at`-th is on the wire, a second
    dispatcher runs at that moment (on the same clock)."""

    def __init__(self, *args, clock: FakeMonotonic, interrupt_at: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.clock, self.interrupt_at, self.sent, self.other = clock, interrupt_at, 0, None

    def send_messages(self, messages):
        self.clock.now += SECONDS_PER_EMAIL
        self.sent += 1
        if self.sent == self.interrupt_at:
            moment = DUE + outbox.dt.timedelta(seconds=self.clock.now - 1_000.0)
            self.other = outbox.dispatch_due_reminders(now=moment, connection=LocmemBackend())
        return super().send_messages(messages)


def test_a_batch_longer_than_the_lease_is_not_taken_over(person, time_machine):
    """GIVEN ten thank-yous due at 14:00, and an SMTP server that takes 15 s an email (the
    batch takes 150 s, the lease is 60 s)
    WHEN a second dispatcher runs while the 8th email is on the wire (14:02:00 on the first
    dispatcher's clock, long after the first lease would have run out)
    THEN the second claims nothing, and each reminder is sent once, by the first."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    for n in range(10):
        contact = ContactFactory(owner=person, company__name=f"Co {n}", name=f"Jo {n}")
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person, application__company=contact.company, contact=contact
            )
        )
    due = Reminder.objects.filter(next_attempt_at__lte=DUE)
    assert due.count() == 10
    due = list(due.values_list("pk", flat=True))
    assert outbox.LEASE.total_seconds() + 30 < 8 * SECONDS_PER_EMAIL

    clock = FakeMonotonic()
    server = SlowServer(clock=clock, interrupt_at=8)
    with mock.patch.object(outbox, "time", types.SimpleNamespace(monotonic=clock.monotonic)):
        first = outbox.dispatch_due_reminders(now=DUE, connection=server)

    assert (server.other.claimed, server.other.sent) == (0, 0)
    assert first.sent == 10
    ids = Counter(m.message()["Message-ID"] for m in mail.outbox)
    assert len(ids) == 10 and set(ids.values()) == {1}
    assert set(Reminder.objects.filter(pk__in=due).values_list("status", "attempts")) == {
        (Reminder.Status.SENT, 1)
    }
