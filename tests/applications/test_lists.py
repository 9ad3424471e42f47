"""Lists search by company and role, filter, sort and paginate."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from tests.applications.helpers import page_text
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    FeedbackFactory,
    InterviewFactory,
    RejectionFactory,
)

URL = reverse("applications:application-list")


def rows(response) -> list[str]:
    return [str(application) for application in response.context["object_list"]]


def test_it_searches_applications_by_company_and_role(user, user_client, now):
    ApplicationFactory(owner=user, company__name="Acme Analytics", role_title="Data Engineer")
    ApplicationFactory(owner=user, company__name="Globex", role_title="Backend Engineer")
    ApplicationFactory(owner=user, company__name="Initech", role_title="Data Analyst")

    assert rows(user_client.get(URL, {"q": "acme"})) == ["Data Engineer at Acme Analytics"]
    assert sorted(rows(user_client.get(URL, {"q": "data"}))) == [
        "Data Analyst at Initech",
        "Data Engineer at Acme Analytics",
    ]
    assert rows(user_client.get(URL, {"q": "globex backend"})) == ["Backend Engineer at Globex"]
    response = user_client.get(URL, {"q": "nothing like it"})
    assert "No application matches" in page_text(response)


def test_it_filters_applications_by_status(user, user_client, now):
    ApplicationFactory(owner=user, role_title="Open one")
    RejectionFactory(owner=user, application__role_title="Closed one")

    response = user_client.get(URL, {"status": "rejected"})

    assert [a.role_title for a in response.context["object_list"]] == ["Closed one"]
    assert '<option value="rejected" selected>' in response.content.decode()


def test_it_sorts_applications(user, user_client, now):
    for days, name in ((3, "Beta"), (10, "alpha"), (1, "Gamma")):
        ApplicationFactory(
            owner=user, company__name=name, applied_on=dt.date(2025, 3, 1) - dt.timedelta(days)
        )

    def companies(sort: str) -> list[str]:
        response = user_client.get(URL, {"sort": sort})
        return [a.company.name for a in response.context["object_list"]]

    assert companies("-applied_on") == ["Gamma", "Beta", "alpha"]
    assert companies("applied_on") == ["alpha", "Beta", "Gamma"]
    assert companies("company") == ["alpha", "Beta", "Gamma"]
    assert companies("nonsense") == ["Gamma", "Beta", "alpha"]


def test_it_paginates_and_keeps_the_search_in_page_links(user, user_client, now):
    company = CompanyFactory(owner=user, name="Acme")
    Application.objects.bulk_create(
        Application(owner=user, company=company, role_title=f"Role {n}", applied_on=now.date())
        for n in range(30)
    )

    first = user_client.get(URL, {"q": "role", "status": "applied"})
    second = user_client.get(URL, {"q": "role", "status": "applied", "page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 5
    assert "Page 1 of 2" in page_text(first)
    assert "?q=role&amp;status=applied&amp;page=2" in first.content.decode()
    assert "30 applications" in page_text(first)


def test_it_lists_companies_with_their_counts(user, user_client, now):
    rejection = RejectionFactory(owner=user, application__company__name="Acme")
    ApplicationFactory(owner=user, company=rejection.application.company)
    CompanyFactory(owner=user, name="Globex")

    response = user_client.get(reverse("applications:company-list"), {"q": "acm"})

    [acme] = response.context["object_list"]
    assert (acme.name, acme.application_count, acme.rejection_count) == ("Acme", 2, 1)


def test_it_lists_and_filters_the_other_records(user, user_client, now):
    acme = CompanyFactory(owner=user, name="Acme")
    ContactFactory(owner=user, company=acme, name="Dana", role="recruiter")
    ContactFactory(owner=user, company=acme, name="Lee", role="hiring_manager")
    InterviewFactory(owner=user, application__company=acme, kind="phone")
    FeedbackFactory(owner=user, rejection__application__company=acme)

    contacts = user_client.get(reverse("applications:contact-list"), {"role": "hiring_manager"})
    assert [c.name for c in contacts.context["object_list"]] == ["Lee"]
    interviews = user_client.get(reverse("applications:interview-list"), {"kind": "onsite"})
    assert list(interviews.context["object_list"]) == []
    rejections = user_client.get(reverse("applications:rejection-list"), {"q": "acme"})
    assert len(rejections.context["object_list"]) == 1
    feedback = user_client.get(reverse("applications:feedback-list"), {"q": "payments"})
    assert len(feedback.context["object_list"]) == 1


def test_it_says_what_to_do_when_a_list_is_empty(user_client):
    response = user_client.get(URL)

    assert "No applications yet. Add the first one" in page_text(response)


@pytest.mark.parametrize("name", ["application", "company", "contact", "interview", "rejection"])
def test_it_lists_with_the_same_number_of_queries_for_few_and_many_rows(
    user, user_client, now, name
):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert user_client.get(reverse(f"applications:{name}-list")).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            rejection = RejectionFactory(owner=user)
            ContactFactory(owner=user, company=rejection.application.company)
            InterviewFactory(owner=user, application=rejection.application)

    add(2)
    few = count_queries()
    add(20)

    assert count_queries() == few
