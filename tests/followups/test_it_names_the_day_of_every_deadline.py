"""Every due time and deadline names the day and date ("by Wed 4 Mar, 20:00"; the year when
it is not this year), in the person's zone, and deadlines land inside their hours."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone

from followups import outbox, services
from followups.models import FollowUp
from tests.factories import RejectionFactory
from tests.followups.conftest import BERLIN, NEW_YORK, as_wall, at

pytestmark = pytest.mark.django_db


def test_a_rejection_typed_at_3am_gets_a_deadline_at_the_end_of_that_days_hours(
    person, dana, time_machine
):
    """GIVEN a rejection typed on Monday at 03:04 (Sam's hours: 08:00-20:00)
    THEN the thank-you is due Tuesday 08:00 and must go by Wednesday 20:00, not 03:04,
    and the reminder email's subject names the day and the date."""
    time_machine.move_to(at("2026-03-02 03:04"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-02 03:04")
        )
    )
    thanks = FollowUp.objects.get(kind=FollowUp.Kind.REJECTION_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-03 08:00"
    assert as_wall(thanks.deadline_at) == "2026-03-04 20:00"

    outbox.dispatch_due_reminders(now=at("2026-03-03 08:00"))

    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — by Wed 4 Mar, 20:00"


def test_a_late_reminder_says_since_which_day(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-02 10:00")
        )
    )

    outbox.dispatch_due_reminders(now=at("2026-03-10 09:00"))

    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — overdue since Wed 4 Mar, 10:00"


def test_the_template_filters_add_the_year_only_when_it_is_not_this_year(time_machine):
    time_machine.move_to(at("2026-12-30 12:00"), tick=False)
    template = Template("{% load dates %}{{ a|when }} | {{ b|when }} | {{ b|day }} | {{ c|day }}")
    with timezone.override(BERLIN):
        text = template.render(
            Context({"a": at("2026-12-31 17:00"), "b": at("2027-01-04 09:00"), "c": None})
        )
    assert text == "Thu 31 Dec, 17:00 | Mon 4 Jan 2027, 09:00 | Mon 4 Jan 2027 | "


def test_the_filters_write_the_persons_zone(time_machine):
    time_machine.move_to(at("2026-03-02 12:00"), tick=False)
    template = Template("{% load dates %}{{ moment|when }}")
    with timezone.override(NEW_YORK):
        assert template.render(Context({"moment": at("2026-03-04 20:00")})) == "Wed 4 Mar, 14:00"
