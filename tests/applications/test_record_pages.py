"""Create, read and edit each record through its pages, as a person would."""

import datetime as dt

from django.urls import reverse

from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from tests.applications.helpers import page_text, post_form
from tests.factories import ApplicationFactory, ContactFactory, RejectionFactory


def test_it_adds_an_application_making_the_company_on_the_fly(user, user_client, now):
    response = post_form(
        user_client,
        reverse("applications:application-create"),
        {
            "company_name": " Initech ",
            "role_title": "Backend   Engineer",
            "job_url": "initech.example/jobs/42",
            "source": "referral",
            "applied_on": "2025-03-10",
            "status": "applied",
        },
        follow=True,
    )

    application = Application.objects.get(owner=user)
    assert application.company.name == "Initech"
    assert application.role_title == "Backend Engineer"
    assert application.job_url == "https://initech.example/jobs/42"
    text = page_text(response)
    assert "Application saved." in text
    assert "Backend Engineer Initech · Applied" in text
    assert "Applied Mon 10 Mar via referral" in text


def test_it_edits_an_application(user, user_client, application):
    response = user_client.post(
        reverse("applications:application-update", args=[application.pk]),
        {
            "company_name": "Acme Analytics",
            "role_title": "Senior Backend Engineer",
            "source": "board",
            "applied_on": "2025-02-20",
            "status": "withdrawn",
        },
        follow=True,
    )

    application.refresh_from_db()
    assert application.role_title == "Senior Backend Engineer"
    assert application.status == Application.Status.WITHDRAWN
    assert "Withdrawn" in page_text(response)


def test_it_prefills_the_company_from_the_company_page(user, user_client, acme):
    page = user_client.get(acme.get_absolute_url())
    link = f"{reverse('applications:application-create')}?company={acme.pk}"
    assert link in page.content.decode()

    form = user_client.get(link)

    assert form.context["form"]["company_name"].value() == "Acme Analytics"


def test_it_adds_a_contact_to_a_company(user, user_client, acme):
    response = post_form(
        user_client,
        reverse("applications:contact-create"),
        {
            "company": acme.pk,
            "name": "Dana  Whitfield",
            "role": "hiring_manager",
            "email": "Dana@Acme.example",
            "linkedin_url": "linkedin.com/in/dana-w",
            "phone": "+49 30 1234567",
        },
        follow=True,
    )

    contact = Contact.objects.get(owner=user)
    assert (contact.name, contact.email) == ("Dana Whitfield", "dana@acme.example")
    assert contact.linkedin_url == "https://linkedin.com/in/dana-w"
    assert "Hiring manager at Acme Analytics" in page_text(response)


def test_it_records_an_interview_with_its_interviewers(user, user_client, application, dana):
    form = user_client.get(
        f"{reverse('applications:interview-create')}?application={application.pk}"
    )
    assert form.context["form"]["application"].value() == application.pk
    assert list(form.context["form"].fields["interviewers"].queryset) == [dana]

    response = post_form(
        user_client,
        reverse("applications:interview-create"),
        {
            "application": application.pk,
            "when": "2025-03-14T15:30",
            "kind": "technical",
            "interviewers": [dana.pk],
            "looking_for": "Someone who has run Postgres at scale.",
        },
        follow=True,
    )

    interview = Interview.objects.get(owner=user)
    # 15:30 in Berlin is 14:30 UTC; upcoming interviews are fine.
    assert interview.when == dt.datetime(2025, 3, 14, 14, 30, tzinfo=dt.UTC)
    assert list(interview.interviewers.all()) == [dana]
    application.refresh_from_db()
    assert application.status == Application.Status.INTERVIEWING
    assert "Technical interview" in page_text(response)


def test_it_adds_a_rejection_from_the_rejection_form(user, user_client, application, dana):
    response = post_form(
        user_client,
        reverse("applications:rejection-create"),
        {
            "application": application.pk,
            "received_at": "2025-03-10T17:05",
            "channel": "phone",
            "stage_reached": "screening",
            "contact": dana.pk,
            "reason_given": "  More seniority needed. ",
        },
    )

    assert response.url == application.get_absolute_url()
    rejection = Rejection.objects.get(owner=user)
    assert rejection.reason_given == "More seniority needed."
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_it_edits_a_rejection_but_not_its_application(user, user_client, now):
    rejection = RejectionFactory(owner=user, received_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    other = ApplicationFactory(owner=user)

    user_client.post(
        reverse("applications:rejection-update", args=[rejection.pk]),
        {
            "application": other.pk,
            "received_at": "2025-03-02T10:00",
            "channel": "email",
            "stage_reached": "final",
        },
    )

    rejection.refresh_from_db()
    assert rejection.application != other
    assert rejection.stage_reached == Rejection.Stage.FINAL
    assert rejection.received_at == dt.datetime(2025, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_records_feedback_with_themes(user, user_client, now):
    rejection = RejectionFactory(owner=user, received_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))

    response = post_form(
        user_client,
        reverse("applications:feedback-create"),
        {
            "rejection": rejection.pk,
            "received_on": "2025-03-05",
            "what_they_said": "You seemed nervous in the live coding.",
            "themes": ["nerves", "technical_skills"],
        },
        follow=True,
    )

    feedback = Feedback.objects.get(owner=user)
    assert feedback.themes == ["nerves", "technical_skills"]
    # Feedback with themes goes straight to a proposed goal per theme.
    assert response.redirect_chain[-1][0] == reverse("goals:goal-propose", args=[feedback.pk])
    assert "mock interview" in page_text(response).lower()


def test_it_shows_each_detail_page(user, user_client, now):
    rejection = RejectionFactory(owner=user, application__company__name="Acme")
    contact = ContactFactory(owner=user, company=rejection.application.company, name="Dana")
    for obj in (rejection.application.company, rejection.application, contact, rejection):
        response = user_client.get(obj.get_absolute_url())
        assert response.status_code == 200
    assert Company.objects.filter(owner=user).count() == 1
