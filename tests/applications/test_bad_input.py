"""Bad input gets a message next to the field that says what to do, and nothing is saved.

Each case posts one form with one mistake, then checks the message shown beside the
field and that no row was added or changed anywhere.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from tests.applications.helpers import field_errors, post_form
from tests.factories import ApplicationFactory, ContactFactory, RejectionFactory

MODELS = (Company, Application, Contact, Interview, Rejection, Feedback)


@dataclass
class World:
    """What the person already has: one rejected and one open application at two companies."""

    acme: Company
    globex: Company
    open_application: Application
    rejected: Application
    rejection: Rejection
    dana: Contact
    globex_contact: Contact


@pytest.fixture
def world(user, now) -> World:
    rejection = RejectionFactory(
        owner=user,
        application__company__name="Acme Analytics",
        application__applied_on=dt.date(2025, 2, 1),
        received_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
    )
    acme = rejection.application.company
    globex_application = ApplicationFactory(
        owner=user, company__name="Globex", applied_on=dt.date(2025, 3, 1)
    )
    return World(
        acme=acme,
        globex=globex_application.company,
        open_application=globex_application,
        rejected=rejection.application,
        rejection=rejection,
        dana=ContactFactory(owner=user, company=acme, email="dana@acme.example"),
        globex_contact=ContactFactory(owner=user, company=globex_application.company, name="Lee"),
    )


@dataclass
class Case:
    url: str  # URL name; "{...}" in kwargs are filled from the world
    data: dict
    field: str
    message: str
    pk: str = ""  # world attribute whose pk goes in the URL (edit forms)
    create: bool = True
    world_data: dict = field(default_factory=dict)  # form field -> world attribute (its pk)


APPLICATION = {
    "company_name": "Initech",
    "role_title": "Backend Engineer",
    "source": "board",
    "applied_on": "2025-03-10",
    "status": "applied",
}
CONTACT = {"name": "Sam Lee", "role": "recruiter", "email": "sam@acme.example"}
INTERVIEW = {"when": "2025-03-05T10:00", "kind": "video"}
REJECTION = {"received_at": "2025-03-10T09:00", "channel": "email", "stage_reached": "interview"}
FEEDBACK = {"received_on": "2025-03-05", "what_they_said": "More Postgres experience, please."}
LOG = {
    "company_name": "Initech",
    "role_title": "Data Engineer",
    "received_at": "2025-03-10T09:00",
    "channel": "email",
    "stage_reached": "application",
}

CASES = {
    # Applications
    "applied in the future": Case(
        "application-create",
        {**APPLICATION, "applied_on": "2025-03-12"},
        "applied_on",
        "The applied date can't be in the future",
    ),
    "applied in year 224": Case(
        "application-create",
        {**APPLICATION, "applied_on": "0224-03-01"},
        "applied_on",
        "Check the year",
    ),
    "malformed job URL": Case(
        "application-create",
        {**APPLICATION, "job_url": "jobs at initech"},
        "job_url",
        "Enter a full web address, like https://",
    ),
    "over-long role": Case(
        "application-create",
        {**APPLICATION, "role_title": "R" * 161},
        "role_title",
        "at most 160 characters",
    ),
    "blank company name": Case(
        "application-create",
        {**APPLICATION, "company_name": "   "},
        "company_name",
        "Type the company's name.",
    ),
    "over-long notes": Case(
        "application-create",
        {**APPLICATION, "notes": "n" * 10_001},
        "notes",
        "at most 10000 characters",
    ),
    "rejected without a rejection": Case(
        "application-create",
        {**APPLICATION, "status": "rejected"},
        "status",
        "use “Log a rejection”",
    ),
    "applied after the rejection came": Case(
        "application-update",
        {
            **APPLICATION,
            "company_name": "Acme Analytics",
            "status": "rejected",
            "applied_on": "2025-03-05",
        },
        "applied_on",
        "pick an applied date on or before that",
        pk="rejected",
        create=False,
    ),
    "un-rejecting while a rejection is logged": Case(
        "application-update",
        {**APPLICATION, "company_name": "Acme Analytics", "applied_on": "2025-02-01"},
        "status",
        "This application has a rejection logged",
        pk="rejected",
        create=False,
    ),
    # Companies
    "company differing only by case and spaces": Case(
        "company-create",
        {"name": "ACME  analytics"},
        "name",
        "You already have this company as “Acme Analytics”",
    ),
    "malformed website": Case(
        "company-create",
        {"name": "Initech", "website": "http://"},
        "website",
        "Enter a full web address",
    ),
    # Contacts
    "malformed email": Case(
        "contact-create",
        {**CONTACT, "email": "sam@"},
        "email",
        "Enter an email address like",
        world_data={"company": "acme"},
    ),
    "LinkedIn URL elsewhere": Case(
        "contact-create",
        {**CONTACT, "linkedin_url": "https://example.com/in/sam"},
        "linkedin_url",
        "Enter a LinkedIn profile address",
        world_data={"company": "acme"},
    ),
    "phone with letters": Case(
        "contact-create",
        {**CONTACT, "phone": "call me maybe"},
        "phone",
        "Enter a phone number with digits",
        world_data={"company": "acme"},
    ),
    "same email twice at one company": Case(
        "contact-create",
        {**CONTACT, "email": "DANA@acme.example"},
        "email",
        "You already have a contact with this email",
        world_data={"company": "acme"},
    ),
    "over-long contact name": Case(
        "contact-create",
        {**CONTACT, "name": "x" * 121},
        "name",
        "at most 120 characters",
        world_data={"company": "acme"},
    ),
    # Interviews
    "interview before applying": Case(
        "interview-create",
        {**INTERVIEW, "when": "2025-02-20T10:00"},
        "when",
        "You applied on Sat 1 Mar",
        world_data={"application": "open_application"},
    ),
    "interviewer from another company": Case(
        "interview-create",
        INTERVIEW,
        "interviewers",
        "Pick people who work at this application's company",
        world_data={"application": "open_application", "interviewers": "dana"},
    ),
    "interview in the hour skipped by DST": Case(
        "interview-create",
        {**INTERVIEW, "when": "2025-03-30T02:30"},
        "when",
        "couldn’t be interpreted in time zone Europe/Berlin",
        world_data={"application": "open_application"},
    ),
    # Rejections
    "rejection received in the future": Case(
        "rejection-create",
        {**REJECTION, "received_at": "2025-03-12T09:00"},
        "received_at",
        "A rejection can't be in the future",
        world_data={"application": "open_application"},
    ),
    "rejection before the application": Case(
        "rejection-create",
        {**REJECTION, "received_at": "2025-02-27T09:00"},
        "received_at",
        "the rejection can't be earlier",
        world_data={"application": "open_application"},
    ),
    "rejection sent by someone at another company": Case(
        "rejection-create",
        REJECTION,
        "contact",
        "Pick someone at this application's company",
        world_data={"application": "open_application", "contact": "dana"},
    ),
    # Feedback
    "feedback before the rejection": Case(
        "feedback-create",
        {**FEEDBACK, "received_on": "2025-02-28"},
        "received_on",
        "feedback can't come before it",
        world_data={"rejection": "rejection"},
    ),
    "feedback in the future": Case(
        "feedback-create",
        {**FEEDBACK, "received_on": "2025-04-01"},
        "received_on",
        "The feedback date can't be in the future",
        world_data={"rejection": "rejection"},
    ),
    "feedback with nothing said": Case(
        "feedback-create",
        {**FEEDBACK, "what_they_said": "   "},
        "what_they_said",
        "Write down what they said",
        world_data={"rejection": "rejection"},
    ),
    "unknown feedback theme": Case(
        "feedback-create",
        {**FEEDBACK, "themes": ["vibes"]},
        "themes",
        "Select a valid choice",
        world_data={"rejection": "rejection"},
    ),
    # Log a rejection
    "log without a company": Case(
        "log-rejection",
        {**LOG, "company_name": ""},
        "company_name",
        "Type the company's name, as in the email.",
    ),
    "log without a role": Case(
        "log-rejection",
        {**LOG, "role_title": " "},
        "role_title",
        "Type the role you applied for.",
    ),
    "log a rejection from tomorrow": Case(
        "log-rejection",
        {**LOG, "received_at": "2025-03-12T08:00"},
        "received_at",
        "A rejection can't be in the future",
    ),
    "log with an applied date after the rejection": Case(
        "log-rejection",
        {**LOG, "applied_on": "2025-03-11"},
        "applied_on",
        "the rejection can't be earlier",
    ),
    "log with a malformed contact email": Case(
        "log-rejection",
        {**LOG, "contact_email": "priya at initech"},
        "contact_email",
        "Enter an email address like",
    ),
    "log with an over-long company name": Case(
        "log-rejection",
        {**LOG, "company_name": "C" * 121},
        "company_name",
        "at most 120 characters",
    ),
    "log with an impossible date": Case(
        "log-rejection",
        {**LOG, "received_at": "2025-02-30T09:00"},
        "received_at",
        "Enter a valid date/time",
    ),
}


def snapshot(user) -> dict:
    return {
        model.__name__: sorted((row.pk, row.updated_at) for row in model.objects.filter(owner=user))
        for model in MODELS
    }


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_it_shows_the_message_next_to_the_field_and_saves_nothing(user, user_client, world, case):
    kwargs = {"pk": getattr(world, case.pk).pk} if case.pk else {}
    url = reverse(f"applications:{case.url}", kwargs=kwargs)
    data = dict(case.data)
    for name, attribute in case.world_data.items():
        data[name] = getattr(world, attribute).pk
    before = snapshot(user)

    send = post_form if case.create else type(user_client).post
    response = send(user_client, url, data)

    assert response.status_code == 200, "the form is shown again"
    messages = field_errors(response, case.field)
    assert messages, f"no message next to {case.field}"
    assert any(case.message in message for message in messages), messages
    assert snapshot(user) == before


def test_there_are_at_least_twenty_bad_input_cases():
    assert len(CASES) >= 20
