"""The Records menu reaches interviews, rejections and feedback, and their lists search what
the person wrote: notes, reasons, feedback text, interviewers' names."""

import re

from django.urls import reverse

from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    InterviewFactory,
    RejectionFactory,
)


def found(user_client, name: str, q: str) -> list[str]:
    response = user_client.get(reverse(f"applications:{name}-list"), {"q": q})
    return [str(row.pk) for row in response.context["object_list"]]


def test_the_navigation_has_a_records_menu_with_the_three_lists(user_client):
    page = user_client.get(reverse("home")).content.decode()

    menu = re.search(r"<li class=\"nav-item dropdown\">.*?</ul>", page, re.DOTALL).group(0)
    assert 'data-bs-toggle="dropdown"' in menu and "<button" in menu  # a real, focusable button
    for name, label in (
        ("interview", "Interviews"),
        ("rejection", "Rejections"),
        ("feedback", "Feedback"),
    ):
        assert f'href="{reverse(f"applications:{name}-list")}"' in menu
        assert f">{label}</a>" in menu


def test_the_records_menu_shows_where_you_are(user_client):
    page = user_client.get(reverse("applications:rejection-list")).content.decode()

    assert re.search(r'class="nav-link dropdown-toggle active"[^>]*data-testid="nav-records"', page)


def test_it_finds_an_interview_by_its_notes_and_its_interviewers(user, user_client, now):
    interview = InterviewFactory(
        owner=user, notes="They asked about Dagster", detail_to_mention="", looking_for=""
    )
    interview.interviewers.add(
        ContactFactory(owner=user, company=interview.application.company, name="Priya Raman"),
        ContactFactory(
            owner=user,
            company=interview.application.company,
            name="Priya Shah",
            email="priya.shah@acme.example",
        ),
    )
    InterviewFactory(owner=user, notes="Nothing to see", looking_for="")

    assert found(user_client, "interview", "dagster") == [str(interview.pk)]
    assert found(user_client, "interview", "priya") == [str(interview.pk)]  # listed once


def test_it_finds_a_rejection_by_its_reason_and_its_feedback(user, user_client, now):
    rejection = RejectionFactory(owner=user, reason_given="The role was filled internally")
    FeedbackFactory(owner=user, rejection=rejection, what_they_said="needs more Kafka experience")
    FeedbackFactory(owner=user, rejection=rejection, what_they_said="Kafka again, sorry")
    RejectionFactory(owner=user, reason_given="")

    assert found(user_client, "rejection", "internally") == [str(rejection.pk)]
    assert found(user_client, "rejection", "kafka") == [str(rejection.pk)]  # listed once


def test_it_finds_feedback_by_the_rejections_reason(user, user_client, now):
    feedback = FeedbackFactory(
        owner=user, rejection__reason_given="Budget freeze", what_they_said="Good chat."
    )
    FeedbackFactory(owner=user, what_they_said="Good chat.")

    assert found(user_client, "feedback", "freeze") == [str(feedback.pk)]


def test_it_finds_an_application_by_its_notes_and_reason(user, user_client, now):
    noted = ApplicationFactory(owner=user, notes="Referred by Sam from the meetup")
    rejected = RejectionFactory(owner=user, reason_given="Went with a senior profile").application
    ApplicationFactory(owner=user, notes="")

    assert found(user_client, "application", "meetup") == [str(noted.pk)]
    assert found(user_client, "application", "senior") == [str(rejected.pk)]
    response = user_client.get(reverse("applications:application-list"), {"q": "meetup"})
    assert "Company, role, notes or reason" in response.content.decode()
