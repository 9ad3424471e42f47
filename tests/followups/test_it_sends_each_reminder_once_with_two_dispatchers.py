"""Two `manage.py dispatch_reminders` processes started at once, against the same database
and a real SMTP server: every reminder arrives exactly once."""

from collections import Counter
from email.header import decode_header, make_header

import pytest

from accounts.models import Delivery
from followups import services
from followups.models import Digest, Reminder
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.followups.conftest import at

pytestmark = pytest.mark.processes

DUE = at("2026-03-03 14:00")


def log_rejections(person, count: int) -> None:
    for n in range(count):
        contact = ContactFactory(
            owner=person, company__name=f"{person.username}-co-{n}", name=f"Jo {n}"
        )
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person,
                application__company=contact.company,
                contact=contact,
                received_at=at("2026-03-02 14:00"),
            )
        )


def test_two_dispatchers_send_each_reminder_exactly_once(dispatchers, smtp_server, time_machine):
    """GIVEN 60 thank-yous due at 14:00 for three people, and a fourth person's 5 in a digest
    WHEN two dispatchers start at the same moment, claiming 5 rows at a time
    THEN the SMTP server receives 61 emails, one per reminder and one digest, no duplicate."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    for name in ("ana", "ben", "cy"):
        log_rejections(UserFactory(username=name), 20)
    digester = UserFactory(username="dee")
    digester.profile.delivery = Delivery.DIGEST
    digester.profile.save()
    log_rejections(digester, 5)
    immediate = {r.message_id for r in Reminder.objects.filter(send_at__lte=DUE, mode="immediate")}
    assert len(immediate) == 60

    outputs = dispatchers.run(now=at("2026-03-04 08:00"), count=2, batch_size=5)

    received = Counter(smtp_server.message_ids())
    assert all(count == 1 for count in received.values()), received.most_common(3)
    digest = Digest.objects.get()
    assert set(received) == immediate | {digest.message_id}
    [digest_email] = [m for m in smtp_server.received if m["Message-ID"] == digest.message_id]
    assert str(make_header(decode_header(digest_email["Subject"]))).startswith(
        "5 follow-ups for today"
    )
    due = Reminder.objects.filter(send_at__lte=at("2026-03-04 08:00"))
    assert set(due.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert sum(int(out.split("sent ")[1].split(" ")[0]) for out in outputs) == 65
