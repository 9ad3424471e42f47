"""Competitors (advice 000: look to the competitors of the company that said no): named on a
company's page, created on the fly; after a rejection the dashboard suggests one where the
person has not applied, with the reason, and a competitor's watched board counts too."""

import re

import pytest
from django.urls import reverse

from applications.models import Company
from tests.factories import ApplicationFactory, CompanyFactory, RejectionFactory
from tests.followups.conftest import at
from watch import services
from watch.models import BoardWatch, Opening


@pytest.fixture
def acme(person, time_machine):
    time_machine.move_to(at("2026-03-10 10:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__owner=person,
        application__company__owner=person,
        application__company__name="Acme",
        application__role_title="Data Engineer",
        received_at=at("2026-03-02 10:00"),
    )
    return rejection.application.company


def competitor_line(client) -> str:
    page = client.get(reverse("dashboard:index")).text
    found = re.search(r'data-testid="door-competitor">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_competitors_are_named_on_the_company_page_and_made_on_the_fly(person, acme, client_for):
    initech = CompanyFactory(owner=person, name="Initech")
    client = client_for(person)
    url = reverse("watch:competitors", args=[acme.pk])
    response = client.post(url, {"names": "Globex, initech\nGlobex"})
    assert response.status_code == 302
    assert sorted(c.name for c in acme.competitors.all()) == ["Globex", "Initech"]
    assert acme in initech.competitors.all()  # both ways
    assert Company.objects.filter(owner=person, name="Globex").count() == 1
    refused = client.post(url, {"names": "ACME"})
    assert "A company cannot be its own competitor." in refused.text
    assert acme.competitors.count() == 2


def test_the_dashboard_suggests_one_without_an_application(person, acme, client_for):
    applied = CompanyFactory(owner=person, name="Initech")
    ApplicationFactory(owner=person, company=applied)
    services.set_competitors(company=acme, names=["Initech", "Globex"])
    assert competitor_line(client_for(person)) == (
        "Also try Globex: Globex competes with Acme for the same people, and you have not "
        "applied there yet."
    )


def test_a_competitors_watched_board_listing_the_role_counts_too(person, acme, client_for):
    services.set_competitors(company=acme, names=["Globex", "Hooli"])
    hooli = Company.objects.get(owner=person, name="Hooli")
    watch = BoardWatch.objects.create(
        owner=person, company=hooli, url="https://jobs.lever.co/hooli"
    )
    Opening.objects.create(
        watch=watch, key="h1", title="Senior Data Engineer", first_seen_at=at("2026-03-09 07:00")
    )
    assert competitor_line(client_for(person)) == (
        "Also try Hooli: Hooli competes with Acme for the same people, and you have not applied "
        "there yet; its job board lists Senior Data Engineer."
    )


def test_no_suggestion_once_the_person_applied_everywhere(person, acme, client_for):
    services.set_competitors(company=acme, names=["Globex"])
    ApplicationFactory(owner=person, company=Company.objects.get(owner=person, name="Globex"))
    assert competitor_line(client_for(person)) == ""


def test_someone_elses_company_is_not_found(acme, client_for):
    from tests.factories import UserFactory

    intruder = client_for(UserFactory(username="eve"))
    assert (
        intruder.post(reverse("watch:competitors", args=[acme.pk]), {"names": "X"}).status_code
        == 404
    )
    assert not acme.competitors.exists()
