"""User text is always escaped, never in labels; pages fit a 390 px phone."""

import re

import pytest
from django.urls import reverse

from applications.forms import (
    ApplicationForm,
    CompanyForm,
    ContactForm,
    FeedbackForm,
    InterviewForm,
    LogRejectionForm,
    RejectionForm,
)
from tests.factories import ContactFactory, FeedbackFactory, InterviewFactory

NASTY = '<script>alert("x")</script><b>Evil</b>'


@pytest.fixture
def nasty_records(user, now):
    feedback = FeedbackFactory(
        owner=user,
        rejection__application__company__name=f"{NASTY} Corp",
        rejection__application__role_title=NASTY,
        rejection__reason_given=NASTY,
        what_they_said=NASTY,
    )
    application = feedback.rejection.application
    contact = ContactFactory(owner=user, company=application.company, name=NASTY, notes=NASTY)
    interview = InterviewFactory(owner=user, application=application, notes=NASTY)
    interview.interviewers.add(contact)
    return [application.company, application, contact, interview, feedback.rejection, feedback]


def test_it_escapes_user_text_on_every_page(user_client, nasty_records):
    urls = [
        reverse(f"applications:{name}-list")
        for name in ("company", "application", "contact", "interview", "rejection", "feedback")
    ]
    for obj in nasty_records:
        url = obj.get_absolute_url()
        urls += [url, f"{url}edit/", f"{url}delete/"]
    urls += [
        reverse("applications:application-create"),
        reverse("applications:interview-create"),
        reverse("applications:log-rejection"),
        f"{reverse('applications:applied-before')}?company_name=%3Cscript",
    ]
    for url in urls:
        response = user_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "<script>alert" not in content, url
        assert "<b>Evil</b>" not in content, url


def test_it_puts_no_user_text_in_labels_or_help_texts(user, nasty_records):
    application = nasty_records[1]
    forms = [
        CompanyForm(owner=user),
        ApplicationForm(owner=user, instance=application),
        ContactForm(owner=user),
        InterviewForm(owner=user),
        RejectionForm(owner=user),
        FeedbackForm(owner=user),
        LogRejectionForm(owner=user),
    ]
    for form in forms:
        for field in form.fields.values():
            assert "Evil" not in str(field.label or "")
            assert "Evil" not in str(field.help_text or "")


def test_it_wraps_every_table_for_small_screens(user_client, nasty_records):
    for name in ("company", "application", "contact", "interview", "rejection", "feedback"):
        content = user_client.get(reverse(f"applications:{name}-list")).content.decode()
        tables = content.count("<table")
        assert tables == 1
        assert re.search(r'<div class="table-responsive">\s*<table', content), name


def test_it_lays_the_one_minute_form_out_in_responsive_columns(user_client):
    content = user_client.get(reverse("applications:log-rejection")).content.decode()

    assert 'name="viewport" content="width=device-width, initial-scale=1"' in content
    assert 'class="col-md-6"' in content
    assert 'type="datetime-local"' in content
    assert 'id="log-rejection-form"' in content
    assert 'data-testid="submit"' in content
