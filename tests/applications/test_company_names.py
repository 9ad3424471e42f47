"""One company per name, whatever the capitals and spaces: "ACME", "Acme " and "Ac me"."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from applications import selectors, services
from applications.models import Company
from tests.applications.helpers import field_errors, post_form
from tests.factories import CompanyFactory


@pytest.mark.parametrize(
    "typed", ["Acme Analytics", "ACME ANALYTICS", "  acme   analytics ", "AcmeAnalytics"]
)
def test_it_reuses_the_company_whatever_the_capitals_and_spaces(user, acme, typed):
    assert services.get_or_create_company(owner=user, name=typed) == acme
    assert Company.objects.filter(owner=user).count() == 1


def test_it_creates_a_company_with_the_name_tidied(user):
    company = services.get_or_create_company(owner=user, name="  Globex \t Corporation ")

    assert company.name == "Globex Corporation"


def test_it_keeps_each_persons_companies_apart(user, other_user):
    theirs = CompanyFactory(owner=other_user, name="Acme")

    mine = services.get_or_create_company(owner=user, name="acme")

    assert mine != theirs
    assert selectors.company_by_name(owner=user, name="ACME") == mine


def test_it_lets_the_database_refuse_a_second_spelling(user, acme):
    with pytest.raises(IntegrityError):
        Company.objects.create(owner=user, name="ACME  ANALYTICS")


def test_it_points_to_the_existing_company_in_the_company_form(user, user_client, acme):
    response = post_form(
        user_client, reverse("applications:company-create"), {"name": "acme analytics "}
    )

    assert field_errors(response, "name") == [
        "You already have this company as “Acme Analytics” (names are matched ignoring "
        "capitals and spaces). Open that one instead of adding it twice."
    ]


def test_it_lets_a_company_keep_its_own_name_when_edited(user, user_client, acme):
    response = user_client.post(
        reverse("applications:company-update", args=[acme.pk]),
        {"name": "ACME Analytics", "website": "acme.example"},
    )

    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "ACME Analytics"
    assert acme.website == "https://acme.example"
