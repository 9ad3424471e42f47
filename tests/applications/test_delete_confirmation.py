"""Deleting asks first, says what else goes with it, and then removes exactly that."""

import re

from django.urls import reverse

from applications.models import Application, Contact, Feedback, Interview, Rejection
from tests.applications.helpers import page_text
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    FollowUpFactory,
    InterviewFactory,
    RejectionFactory,
)


def test_it_says_what_goes_with_an_application(user, user_client, now):
    application = ApplicationFactory(owner=user)
    InterviewFactory(owner=user, application=application)
    InterviewFactory(owner=user, application=application)
    rejection = RejectionFactory(owner=user, application=application)
    FeedbackFactory(owner=user, rejection=rejection)
    FollowUpFactory(owner=user, company=application.company, application=application)
    ContactFactory(owner=user, company=application.company)

    response = user_client.get(reverse("applications:application-delete", args=[application.pk]))

    text = page_text(response)
    assert "Delete this application?" in text
    for line in ("2 interviews", "1 rejection", "1 feedback"):
        assert line in text
    assert re.search(r"\b1 follow.up\b", text)
    assert "The company and its contacts stay" in text
    assert Application.objects.filter(pk=application.pk).exists(), "a GET deletes nothing"


def test_it_deletes_the_application_and_what_goes_with_it(user, user_client, now):
    application = ApplicationFactory(owner=user)
    InterviewFactory(owner=user, application=application)
    FeedbackFactory(owner=user, rejection=RejectionFactory(owner=user, application=application))
    contact = ContactFactory(owner=user, company=application.company)

    response = user_client.post(
        reverse("applications:application-delete", args=[application.pk]), follow=True
    )

    assert "Application deleted." in page_text(response)
    assert not Application.objects.filter(owner=user).exists()
    assert not Interview.objects.filter(owner=user).exists()
    assert not Rejection.objects.filter(owner=user).exists()
    assert not Feedback.objects.filter(owner=user).exists()
    assert Contact.objects.filter(pk=contact.pk).exists(), "contacts are kept"


def test_it_says_nothing_else_goes_with_a_lone_contact(user, user_client):
    contact = ContactFactory(owner=user)

    response = user_client.get(reverse("applications:contact-delete", args=[contact.pk]))

    assert "Nothing else is deleted with it." in page_text(response)


def test_it_puts_the_application_back_when_its_rejection_is_deleted(user, user_client, now):
    rejection = RejectionFactory(owner=user)
    InterviewFactory(owner=user, application=rejection.application)

    response = user_client.post(reverse("applications:rejection-delete", args=[rejection.pk]))

    assert response.url == rejection.application.get_absolute_url()
    rejection.application.refresh_from_db()
    assert rejection.application.status == Application.Status.INTERVIEWING


def test_it_lists_everything_at_a_company(user, user_client, now):
    application = ApplicationFactory(owner=user)
    ContactFactory(owner=user, company=application.company)
    ContactFactory(owner=user, company=application.company, name="Lee Park")

    response = user_client.get(
        reverse("applications:company-delete", args=[application.company.pk])
    )

    assert "1 application" in page_text(response)
    assert "2 contacts" in page_text(response)
