"""Another person's records are invisible: 404 on every object URL, refused ids in forms."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Application, Company, Contact, Interview, Rejection
from tests.applications.helpers import field_errors, page_errors, page_text, post_form
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    FeedbackFactory,
    InterviewFactory,
)

OBJECT_PAGES = ["detail", "update", "delete"]
MODELS = ["company", "application", "contact", "interview", "rejection", "feedback"]


@pytest.fixture
def theirs(other_user, now) -> dict:
    """One of each record, owned by someone else."""
    feedback = FeedbackFactory(owner=other_user, rejection__application__company__name="Hooli")
    rejection = feedback.rejection
    application = rejection.application
    contact = ContactFactory(owner=other_user, company=application.company, name="Gavin B.")
    interview = InterviewFactory(owner=other_user, application=application)
    open_application = ApplicationFactory(owner=other_user, company=application.company)
    return {
        "company": application.company,
        "application": application,
        "open_application": open_application,
        "contact": contact,
        "interview": interview,
        "rejection": rejection,
        "feedback": feedback,
    }


@pytest.mark.parametrize("page", OBJECT_PAGES)
@pytest.mark.parametrize("model", MODELS)
def test_it_answers_404_for_another_persons_record_on_get(user_client, theirs, model, page):
    url = reverse(f"applications:{model}-{page}", args=[theirs[model].pk])

    assert user_client.get(url).status_code == 404


@pytest.mark.parametrize("page", OBJECT_PAGES)
@pytest.mark.parametrize("model", MODELS)
def test_it_answers_404_for_another_persons_record_on_post(
    other_user, user_client, theirs, model, page
):
    url = reverse(f"applications:{model}-{page}", args=[theirs[model].pk])

    response = user_client.post(url, {"name": "Mine now", "role_title": "Mine now"})

    assert response.status_code == 404
    record = type(theirs[model]).objects.get(pk=theirs[model].pk)
    assert record.owner == other_user
    assert "Mine now" not in str(record)


@pytest.mark.parametrize("model", MODELS)
def test_it_shows_only_the_persons_own_rows_in_lists(user_client, theirs, model):
    response = user_client.get(reverse(f"applications:{model}-list"))

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "Hooli" not in page_text(response)


def test_it_refuses_another_persons_application_in_an_interview(user, user_client, theirs):
    response = post_form(
        user_client,
        reverse("applications:interview-create"),
        {"application": theirs["open_application"].pk, "when": "2025-03-05T10:00", "kind": "video"},
    )

    assert field_errors(response, "application") == ["Pick one of your applications."]
    assert not Interview.objects.filter(owner=user).exists()


def test_it_refuses_another_persons_contact_as_interviewer(user, user_client, theirs, now):
    mine = ApplicationFactory(owner=user, applied_on=dt.date(2025, 3, 1))

    response = post_form(
        user_client,
        reverse("applications:interview-create"),
        {
            "application": mine.pk,
            "when": "2025-03-05T10:00",
            "kind": "video",
            "interviewers": [theirs["contact"].pk],
        },
    )

    assert field_errors(response, "interviewers") == ["Pick interviewers from your contacts."]
    assert not Interview.objects.filter(owner=user).exists()


def test_it_refuses_another_persons_application_in_a_rejection(user, user_client, theirs):
    response = post_form(
        user_client,
        reverse("applications:rejection-create"),
        {
            "application": theirs["open_application"].pk,
            "received_at": "2025-03-10T09:00",
            "channel": "email",
            "stage_reached": "application",
        },
    )

    assert field_errors(response, "application") == [
        "Pick one of your applications that has no rejection yet."
    ]
    assert not Rejection.objects.filter(owner=user).exists()
    theirs["open_application"].refresh_from_db()
    assert theirs["open_application"].status == Application.Status.APPLIED


def test_it_refuses_another_persons_contact_as_sender(user, user_client, theirs, now):
    mine = ApplicationFactory(owner=user, applied_on=dt.date(2025, 3, 1))

    response = post_form(
        user_client,
        reverse("applications:rejection-create"),
        {
            "application": mine.pk,
            "received_at": "2025-03-10T09:00",
            "channel": "email",
            "stage_reached": "application",
            "contact": theirs["contact"].pk,
        },
    )

    assert field_errors(response, "contact") == ["Pick one of your contacts, or leave it empty."]
    assert not Rejection.objects.filter(owner=user).exists()


def test_it_refuses_another_persons_rejection_in_feedback(user, user_client, theirs):
    response = post_form(
        user_client,
        reverse("applications:feedback-create"),
        {
            "rejection": theirs["rejection"].pk,
            "received_on": "2025-03-10",
            "what_they_said": "Ha.",
        },
    )

    assert field_errors(response, "rejection") == ["Pick one of your rejections."]
    assert theirs["rejection"].feedback.count() == 1


def test_it_refuses_another_persons_company_for_a_contact(user, user_client, theirs):
    response = post_form(
        user_client,
        reverse("applications:contact-create"),
        {"company": theirs["company"].pk, "name": "Spy", "role": "other"},
    )

    assert field_errors(response, "company") == ["Pick one of your companies."]
    assert not Contact.objects.filter(owner=user).exists()


def test_it_refuses_another_persons_application_when_logging_a_rejection(user, user_client, theirs):
    response = post_form(
        user_client,
        reverse("applications:log-rejection"),
        {
            "application": theirs["open_application"].pk,
            "received_at": "2025-03-10T09:00",
            "channel": "email",
            "stage_reached": "application",
        },
    )

    assert response.status_code == 200
    assert any("isn't one of yours" in message for message in page_errors(response))
    theirs["open_application"].refresh_from_db()
    assert theirs["open_application"].status == Application.Status.APPLIED
    assert not Rejection.objects.filter(owner=user).exists()


def test_it_ignores_another_persons_ids_in_prefill_links(user_client, theirs):
    pages = {
        "application-create": f"company={theirs['company'].pk}",
        "contact-create": f"company={theirs['company'].pk}",
        "interview-create": f"application={theirs['open_application'].pk}",
        "rejection-create": f"application={theirs['open_application'].pk}",
        "feedback-create": f"rejection={theirs['rejection'].pk}",
        "log-rejection": f"application={theirs['open_application'].pk}",
    }
    for name, query in pages.items():
        response = user_client.get(f"{reverse(f'applications:{name}')}?{query}")
        assert response.status_code == 200
        assert "Hooli" not in response.content.decode(), name


def test_it_makes_a_company_of_ones_own_when_typing_another_persons_company_name(
    user, other_user, user_client, theirs, now
):
    post_form(
        user_client,
        reverse("applications:application-create"),
        {
            "company_name": "hooli",
            "role_title": "Backend Engineer",
            "source": "board",
            "applied_on": "2025-03-10",
            "status": "applied",
        },
    )

    mine = Company.objects.get(owner=user)
    assert mine != theirs["company"]
    assert Company.objects.filter(owner=other_user).count() == 1


def test_it_tells_nothing_about_another_persons_company_in_the_applied_before_panel(
    user_client, theirs
):
    response = user_client.get(reverse("applications:applied-before"), {"company_name": "Hooli"})

    assert response.status_code == 200
    assert "applied-before-panel" not in response.content.decode()
    assert "A new company for you" in page_text(response)


def test_it_sends_visitors_to_the_login_page(client, theirs):
    company = CompanyFactory()
    for url in (
        reverse("applications:company-list"),
        reverse("applications:company-detail", args=[company.pk]),
        reverse("applications:log-rejection"),
        reverse("applications:applied-before"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
