"""Each email is recorded as sent the moment the SMTP server accepts it, not at the end of its
chunk or batch: a dispatcher that dies mid-batch leaves nothing accepted unrecorded but the
one email on the wire."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from followups import outbox, services
from followups.models import Reminder
from tests.factories import ContactFactory, RejectionFactory
from tests.followups.conftest import at

DUE = at("2026-03-03 14:00")


class WatchingServer(LocmemBackend):
    """Notes, as each email arrives, how many reminders the outbox already says are sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_before: list[int] = []

    def send_messages(self, messages):
        self.sent_before.append(Reminder.objects.filter(status=Reminder.Status.SENT).count())
        return super().send_messages(messages)


def test_each_accepted_email_is_recorded_before_the_next_goes_out(person, time_machine):
    """GIVEN six thank-yous due at 14:00 (one chunk)
    WHEN the tick sends them
    THEN as each email reaches the server, every earlier one is already recorded as sent."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    for n in range(6):
        contact = ContactFactory(owner=person, company__name=f"Co {n}", name=f"Jo {n}")
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person, application__company=contact.company, contact=contact
            )
        )
    server = WatchingServer()
    assert outbox.dispatch_due_reminders(now=DUE, connection=server).sent == 6
    assert server.sent_before == [0, 1, 2, 3, 4, 5]
