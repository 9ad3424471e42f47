import datetime as dt

import pytest
import vobject
from django.urls import reverse

from tests.factories import ContactFactory, RejectionFactory

pytestmark = pytest.mark.django_db


def _cards(response) -> dict[str, vobject.base.Component]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    assert ".vcf" in response["Content-Disposition"]
    return {card.fn.value: card for card in vobject.readComponents(response.content.decode())}


@pytest.fixture
def contacts(user, other_user):
    rejection = RejectionFactory(owner=user, application__company__name="Acme, Inc.")
    dana = ContactFactory(
        owner=user,
        company=rejection.application.company,
        name="Dana van Whitfield",
        email="dana@acme.example",
        phone="+49 30 1234567",
        linkedin_url="https://www.linkedin.com/in/dana-whitfield",
        notes="PRIVATE: she seemed tired",
        last_touch_at=dt.datetime(2026, 2, 3, 23, 30, tzinfo=dt.UTC),
    )
    closed = RejectionFactory(owner=user, application__company__name="Initech")
    closed.application.company.door_closed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    closed.application.company.save()
    ContactFactory(owner=user, company=closed.application.company, name="Bill Lumbergh")
    ContactFactory(owner=user, company__name="Globex", name="Hank Scorpio", role="hiring_manager")
    ContactFactory(owner=other_user, name="Someone Else")
    return dana


def test_it_writes_every_contact_as_a_vcard_a_real_parser_reads(user_client, contacts):
    cards = _cards(user_client.get(reverse("mydata:contacts-vcf")))

    assert set(cards) == {"Dana van Whitfield", "Bill Lumbergh", "Hank Scorpio"}
    dana = cards["Dana van Whitfield"]
    assert dana.version.value == "3.0"
    assert dana.n.value.family == "Whitfield"
    assert dana.n.value.given == "Dana van"
    assert dana.email.value == "dana@acme.example"
    assert dana.tel.value == "+49 30 1234567"
    assert dana.org.value == ["Acme, Inc."]
    assert dana.title.value == "Recruiter"
    assert dana.url.value == "https://www.linkedin.com/in/dana-whitfield"
    # The last touch in the person's zone (Berlin: already 4 Feb).
    assert dana.note.value == "Last in touch: Wed 4 Feb 2026 (Open Doors)"
    assert cards["Hank Scorpio"].title.value == "Hiring manager"
    assert "PRIVATE" not in user_client.get(reverse("mydata:contacts-vcf")).content.decode()


def test_it_can_give_only_the_contacts_of_open_doors(user_client, contacts):
    cards = _cards(user_client.get(reverse("mydata:contacts-vcf") + "?which=open"))
    # Initech's door is closed; Globex never said no.
    assert set(cards) == {"Dana van Whitfield"}
