"""'Have I applied here before?': the application form shows a company's history (htmx)."""

import datetime as dt

from django.urls import reverse

from applications.models import Application
from tests.applications.helpers import field_errors, page_text, post_form
from tests.factories import ApplicationFactory, ContactFactory, RejectionFactory

PANEL = reverse("applications:applied-before")
FORM = reverse("applications:application-create")


def test_it_loads_the_panel_from_the_application_form(user_client):
    content = user_client.get(FORM).content.decode()

    assert f'hx-get="{PANEL}"' in content
    assert 'hx-include="#id_company_name"' in content
    assert 'list="company-names"' in content


def test_it_shows_earlier_applications_and_rejections_at_the_company(user, user_client, now):
    rejection = RejectionFactory(
        owner=user,
        application__company__name="Acme Analytics",
        application__role_title="Data Engineer",
        application__applied_on=dt.date(2024, 10, 1),
        received_at=dt.datetime(2024, 11, 4, 9, 0, tzinfo=dt.UTC),
        stage_reached="final",
        contact=None,
    )
    rejection.contact = ContactFactory(
        owner=user, company=rejection.application.company, name="Dana Whitfield"
    )
    rejection.save()
    ApplicationFactory(
        owner=user,
        company=rejection.application.company,
        role_title="Platform Engineer",
        applied_on=dt.date(2025, 1, 15),
    )

    response = user_client.get(PANEL, {"company_name": " acme ANALYTICS"}, HTTP_HX_REQUEST="true")

    text = page_text(response)
    assert "You applied to Acme Analytics before:" in text
    assert "Platform Engineer, Wed 15 Jan — Applied" in text
    assert (
        "Data Engineer, Tue 1 Oct 2024 — Rejected, rejected Mon 4 Nov 2024 at final round" in text
    )
    assert "1 rejection here; latest on Mon 4 Nov 2024, from Dana Whitfield." in text
    assert "<html" not in response.content.decode(), "a fragment, not a page"


def test_it_says_when_the_company_is_new(user_client):
    response = user_client.get(PANEL, {"company_name": "Brand New Ltd"})

    assert "A new company for you: it will be added when you save." in page_text(response)


def test_it_leaves_out_the_application_being_edited(user, user_client, now):
    application = ApplicationFactory(owner=user, company__name="Acme")

    response = user_client.get(PANEL, {"company_name": "Acme", "exclude": application.pk})

    assert "with no other applications there" in page_text(response)


def test_it_shows_the_engines_reapply_warnings(user, user_client, now, monkeypatch):
    RejectionFactory(owner=user, application__company__name="Acme")
    seen = {}

    def warnings(*, owner, company, today):
        seen.update(owner=owner, company=company.name, today=today)
        return ["Acme rejected you 3 days ago: wait until 9 Jun 2025."]

    monkeypatch.setattr("applications.views.reapply_warnings", warnings)

    response = user_client.get(PANEL, {"company_name": "acme"})

    assert "Acme rejected you 3 days ago: wait until 9 Jun 2025." in page_text(response)
    assert seen == {"owner": user, "company": "Acme", "today": dt.date(2025, 3, 11)}


def test_it_asks_for_an_explicit_apply_anyway_when_the_engine_warns(
    user, user_client, now, monkeypatch
):
    RejectionFactory(owner=user, application__company__name="Acme")
    monkeypatch.setattr(
        "applications.forms.reapply_warnings",
        lambda **kwargs: ["Inside the 90-day cooldown after the rejection."],
    )
    data = {
        "company_name": "Acme",
        "role_title": "Platform Engineer",
        "source": "board",
        "applied_on": "2025-03-11",
        "status": "applied",
    }

    refused = post_form(user_client, FORM, data)
    assert field_errors(refused, "apply_anyway") == [
        "Inside the 90-day cooldown after the rejection.",
        "Tick “Apply anyway” if you still want to apply now.",
    ]
    assert Application.objects.filter(owner=user).count() == 1

    post_form(user_client, FORM, {**data, "apply_anyway": "on"})
    assert Application.objects.filter(owner=user).count() == 2
