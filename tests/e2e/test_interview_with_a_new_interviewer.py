"""One form for an interview and the person who took it, reached from the Records menu with
the keyboard alone."""

import datetime as dt

from playwright.sync_api import expect

from accounts.services import create_account
from applications.models import Contact, Interview
from tests.factories import ApplicationFactory


def test_it_adds_an_interview_with_a_new_interviewer_in_one_form(live_server, page, login):
    user = create_account(username="ria", email="ria@example.com", password="a-long-passphrase-1")
    ApplicationFactory(
        owner=user,
        company__name="Umbrella",
        role_title="Data Engineer",
        applied_on=dt.date.today() - dt.timedelta(days=20),
    )
    login(page, "ria", "a-long-passphrase-1")

    # The Records menu opens and leads to the interviews with the keyboard alone.
    page.get_by_test_id("nav-records").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("nav-interviews")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("nav-interviews")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()

    page.get_by_test_id("interview-create").click()
    page.select_option("select[name=application]", label="Data Engineer at Umbrella")
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    page.fill("input[name=when]", yesterday.strftime("%Y-%m-%dT14:00"))
    page.get_by_text("Add someone new who took it").click()
    page.fill("input[name=new_name]", "Noor Haddad")
    page.select_option("select[name=new_role]", label="Hiring manager")
    page.fill("input[name=new_email]", "noor@umbrella.example")
    page.fill("input[name=new_linkedin_url]", "https://www.linkedin.com/in/noor-h")
    page.get_by_test_id("submit").click()

    expect(page.get_by_text("Interview saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Noor Haddad")).to_be_visible()
    expect(page.get_by_text("Hiring manager")).to_be_visible()

    interview = Interview.objects.get(owner=user)
    noor = Contact.objects.get(owner=user)
    assert list(interview.interviewers.all()) == [noor]
    assert (noor.company.name, noor.email, noor.linkedin_url) == (
        "Umbrella",
        "noor@umbrella.example",
        "https://www.linkedin.com/in/noor-h",
    )
