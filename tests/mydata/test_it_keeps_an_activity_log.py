import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from applications.services import log_rejection
from followups import services as followups
from followups.models import FollowUp
from tests.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def month(user, other_user):
    with time_machine.travel(NOW, tick=False):
        ApplicationFactory(
            owner=user,
            company__name="Acme",
            role_title="Platform Engineer",
            applied_on=dt.date(2026, 3, 2),
            source="referral",
        )
        ApplicationFactory(owner=user, company__name="Old Co", applied_on=dt.date(2026, 2, 27))
        InterviewFactory(
            owner=user,
            application__company__name="Globex",
            application__role_title="Data Engineer",
            when=dt.datetime(2026, 3, 5, 13, 30, tzinfo=dt.UTC),
        )
        rejection = log_rejection(
            owner=user,
            received_at=NOW - dt.timedelta(days=3),
            company_name="Initech",
            role_title="SRE",
            contact_name="Dana Whitfield",
            contact_email="dana@initech.example",
        )
        thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
        followups.mark_done(followup=thanks, done_at=NOW, sent_text="Thanks!")
        ApplicationFactory(owner=other_user, company__name="Hidden", applied_on=dt.date(2026, 3, 3))


def test_the_page_lists_dated_activity_of_the_chosen_period(user_client, month):
    page = user_client.get(reverse("mydata:activity"), MARCH).content.decode()

    assert "Mon 2 Mar 2026" in page and "Platform Engineer" in page and "Referral" in page
    # 13:30 UTC is 14:30 in Berlin.
    assert "Thu 5 Mar 2026, 14:30" in page and "Data Engineer (Video)" in page
    assert "Message sent" in page and "Dana Whitfield &lt;dana@initech.example&gt;" in page
    assert "Old Co" not in page  # applied in February
    assert "Hidden" not in page  # someone else's


def test_it_downloads_as_csv_and_prints(user_client, month):
    response = user_client.get(reverse("mydata:activity-csv"), MARCH)
    assert "activity-2026-03-01-to-2026-03-31.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["date"], r["what"], r["company"]) for r in rows] == [
        ("2026-03-02", "Application sent", "Acme"),
        ("2026-03-05", "Interview", "Globex"),
        ("2026-03-17", "Application sent", "Initech"),
        ("2026-03-20", "Message sent", "Initech"),
    ]
    sent = rows[-1]
    assert (sent["time"], sent["channel"], sent["to_whom"]) == (
        "13:00",
        "Email",
        "Dana Whitfield <dana@initech.example>",
    )

    printable = user_client.get(reverse("mydata:activity-print"), MARCH).content.decode()
    assert "Job-search activity of Sam Rivera" in printable
    assert "From Sunday 1 March 2026 to Tuesday 31 March 2026: 4 entries" in printable
    assert "navbar" not in printable


def test_a_backwards_period_gets_a_message_next_to_the_field(user_client, month):
    page = user_client.get(
        reverse("mydata:activity"), {"start": "2026-03-31", "end": "2026-03-01"}
    ).content.decode()
    assert "The end comes before the start" in page
    response = user_client.get(reverse("mydata:activity-csv"), {"start": "x", "end": "y"})
    assert response.status_code == 302
