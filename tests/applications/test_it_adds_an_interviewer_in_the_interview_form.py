"""An interview and a new interviewer in one form: the person becomes a contact at the
application's company and is recorded as having taken the interview; a mistake saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Contact, Interview
from followups.models import FollowUp
from tests.applications.helpers import field_errors, page_text, post_form

URL = reverse("applications:interview-create")


def interview_data(application, **overrides) -> dict:
    return {
        "application": application.pk,
        "when": "2025-03-10T15:30",
        "kind": "video",
        "detail_to_mention": "",
        "looking_for": "",
        "notes": "",
    } | overrides


def test_it_adds_a_new_interviewer_with_the_interview(user, user_client, application, now):
    """GIVEN an application at Acme with no contacts yet
    WHEN the person adds an interview and types the interviewer's name, role, email and
    LinkedIn in the same form
    THEN one submit saves the interview, the contact at Acme, and who took it; the thank-you
    is addressed to them."""
    form = user_client.get(f"{URL}?application={application.pk}").content.decode()
    assert 'data-testid="new-interviewer"' in form and "Add someone new who took it" in form

    response = post_form(
        user_client,
        URL,
        interview_data(
            application,
            new_name="  Noor   Haddad ",
            new_role="hiring_manager",
            new_email="Noor@Acme.example",
            new_linkedin_url="linkedin.com/in/noor-h",
        ),
        follow=True,
    )

    interview = Interview.objects.get(owner=user)
    noor = Contact.objects.get(owner=user)
    assert (noor.name, noor.role, noor.email, noor.linkedin_url, noor.company) == (
        "Noor Haddad",
        Contact.Role.HIRING_MANAGER,
        "noor@acme.example",
        "https://linkedin.com/in/noor-h",
        application.company,
    )
    assert list(interview.interviewers.all()) == [noor]
    assert "Interview saved." in page_text(response)
    assert "Noor Haddad" in page_text(response)
    thanks = FollowUp.objects.get(owner=user, interview=interview)
    assert thanks.contact == noor


def test_it_adds_the_new_interviewer_beside_the_ticked_ones(
    user, user_client, application, dana, now
):
    post_form(
        user_client,
        URL,
        interview_data(application, interviewers=[dana.pk], new_name="Noor Haddad"),
    )

    interview = Interview.objects.get(owner=user)
    assert sorted(c.name for c in interview.interviewers.all()) == ["Dana Whitfield", "Noor Haddad"]
    assert Contact.objects.get(name="Noor Haddad").role == Contact.Role.INTERVIEWER


def test_it_reuses_a_contact_the_company_already_has_by_email(
    user, user_client, application, dana, now
):
    post_form(
        user_client,
        URL,
        interview_data(
            application,
            new_name="Dana Whitfield",
            new_email="DANA@acme.example",
            new_linkedin_url="https://www.linkedin.com/in/dana-w",
        ),
    )

    assert Contact.objects.filter(owner=user).count() == 1
    dana.refresh_from_db()
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-w"  # filled in, not duplicated
    assert list(Interview.objects.get(owner=user).interviewers.all()) == [dana]


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"new_email": "noor@acme.example"},
            "new_name",
            "Type the new interviewer's name, or clear their details.",
        ),
        (
            {"new_name": "Noor", "new_email": "noor-at-acme"},
            "new_email",
            "Enter an email address like dana@example.com.",
        ),
        (
            {"new_name": "Noor", "new_linkedin_url": "https://twitter.com/noor"},
            "new_linkedin_url",
            "Enter a LinkedIn profile address, like https://www.linkedin.com/in/dana-w.",
        ),
        (
            {"new_name": "Noor", "new_email": "dana@acme.example"},
            "new_email",
            "Someone else at this company has this email already. Tick them above, or check "
            "the address.",
        ),
    ],
)
def test_a_mistake_in_the_new_interviewer_saves_nothing(
    user, user_client, application, dana, now, typed, field, message
):
    response = post_form(user_client, URL, interview_data(application, **typed))

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert 'data-testid="new-interviewer" open' in response.content.decode()
    assert not Interview.objects.exists()
    assert list(Contact.objects.filter(owner=user)) == [dana]


def test_a_mistake_in_the_interview_saves_no_new_interviewer(user, user_client, application, now):
    response = post_form(
        user_client,
        URL,
        interview_data(application, when="2025-02-01T10:00", new_name="Noor Haddad"),
    )

    assert "You applied on Thu 20 Feb" in " ".join(field_errors(response, "when"))
    assert not Contact.objects.exists()
    assert not Interview.objects.exists()
    assert 'value="Noor Haddad"' in response.content.decode()  # kept for the next try


def test_editing_an_interview_can_add_someone_new(user, user_client, application, now):
    interview = Interview.objects.create(
        owner=user, application=application, when=dt.datetime(2025, 3, 10, 14, 30, tzinfo=dt.UTC)
    )

    post_form(
        user_client,
        reverse("applications:interview-update", args=[interview.pk]),
        interview_data(application, new_name="Noor Haddad"),
    )

    assert [c.name for c in interview.interviewers.all()] == ["Noor Haddad"]
