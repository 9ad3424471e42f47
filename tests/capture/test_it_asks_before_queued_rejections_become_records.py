"""The review queue: "Rejection from Fabrikam? Confirm / Not a rejection / Wrong company"."""

import datetime as dt

from django.urls import reverse

from applications.models import Application, Rejection
from capture.models import ReviewItem
from capture.services import queue_for_review, read_for
from tests.capture.conftest import email_bytes
from tests.factories import ApplicationFactory, CompanyFactory


def queue(user, name: str) -> ReviewItem:
    item, created = queue_for_review(
        owner=user, reading=read_for(user, email_bytes(name)), source=ReviewItem.Source.MAILBOX
    )
    assert created
    return item


def test_the_page_asks_about_each_queued_rejection(user, user_client, now):
    queue(user, "01_greenhouse_fabrikam.eml")
    page = user_client.get(reverse("capture:review-list")).content.decode()
    assert "Rejection from Fabrikam for Senior Backend Engineer?" in page
    assert "Your application to Fabrikam · from no-reply@greenhouse.io · Tue 10 Nov, 14:32" in page
    assert "Confirm" in page and "Not a rejection" in page and "Wrong company" in page
    assert not Rejection.objects.exists()


def test_confirm_shows_the_normal_form_prefilled_and_saving_logs_the_rejection(
    user, user_client, now
):
    fabrikam = CompanyFactory(owner=user, name="Fabrikam")
    application = ApplicationFactory(
        owner=user,
        company=fabrikam,
        role_title="Senior Backend Engineer",
        applied_on=dt.date(2026, 10, 20),
    )
    item = queue(user, "01_greenhouse_fabrikam.eml")
    url = reverse("capture:review-confirm", args=[item.pk])

    response = user_client.get(url)
    form = response.context["form"]
    assert form["company_name"].value() == "Fabrikam"
    assert form["role_title"].value() == "Senior Backend Engineer"
    assert "From your review queue: “Your application to Fabrikam”" in response.content.decode()
    assert not Rejection.objects.exists()

    data = {name: form[name].value() or "" for name in form.fields}
    data["received_at"] = "2026-11-10T14:32"
    saved = user_client.post(url, data)

    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.rejection.received_at == dt.datetime(2026, 11, 10, 13, 32, tzinfo=dt.UTC)
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.CONFIRMED
    page = user_client.get(reverse("capture:review-list")).content.decode()
    assert "Nothing to review." in page


def test_not_a_rejection_removes_it_and_saves_nothing(user, user_client, now):
    item = queue(user, "01_greenhouse_fabrikam.eml")
    response = user_client.post(reverse("capture:review-dismiss", args=[item.pk]), follow=True)
    assert "Removed from the queue: not a rejection." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DISMISSED
    assert not Rejection.objects.exists()
    # The same message read again is not asked about twice.
    assert queue_for_review(
        owner=user,
        reading=read_for(user, email_bytes("01_greenhouse_fabrikam.eml")),
        source=ReviewItem.Source.MAILBOX,
    ) == (item, False)


def test_wrong_company_opens_the_form_with_the_company_left_for_the_person(user, user_client, now):
    item = queue(user, "27_agency_recruiter_globex.eml")
    response = user_client.get(reverse("capture:review-confirm", args=[item.pk]) + "?company=wrong")
    form = response.context["form"]
    assert form["company_name"].value() in ("", None)
    assert form["role_title"].value() == "Platform Engineer"
    assert "Type the right company below." in response.content.decode()


def test_another_persons_queue_is_not_found(user, other_user, client_for, now):
    item = queue(user, "01_greenhouse_fabrikam.eml")
    intruder = client_for(other_user)
    assert intruder.get(reverse("capture:review-confirm", args=[item.pk])).status_code == 404
    assert intruder.post(reverse("capture:review-dismiss", args=[item.pk])).status_code == 404
    assert "Fabrikam" not in intruder.get(reverse("capture:review-list")).content.decode()
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.PENDING


def test_settings_lead_to_the_mailbox_page(user_client):
    page = user_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{reverse("capture:mailbox")}"' in page
    assert "Watch a mailbox for rejections" in page
