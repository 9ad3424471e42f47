"""SMTP ends a message with a line holding a lone period, so a line of the email that starts
with one is sent with a second (RFC 5321, 4.5.2) and the server takes it off again: the
person reads their signature as they wrote it, whatever its lines start with."""

from followups import outbox
from tests.followups.conftest import THANKS_DUE, at, body_text, production_backend, thank_yous_due


def test_a_signature_line_that_starts_with_a_period_arrives_as_written(
    person, smtp_server, time_machine
):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    person.profile.signature = "Sam Example\n.NET and Python developer\n."
    person.profile.save()
    thank_yous_due(person, 2)

    summary = outbox.dispatch_due_reminders(
        now=THANKS_DUE, connection=production_backend(smtp_server)
    )

    assert summary.sent == 2
    assert len(smtp_server.received) == 2
    for message in smtp_server.received:
        lines = body_text(message).splitlines()
        assert ".NET and Python developer" in lines
        assert "..NET and Python developer" not in lines
        # A line that is only a period is text too, not the end of the message.
        assert "." in lines
