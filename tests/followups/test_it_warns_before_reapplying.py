"""The reapply cooldown and "don't pummel the company", as the application form shows them."""

import datetime as dt

import pytest

from applications.forms import ApplicationForm
from applications.reapplying import reapply_warnings
from tests.factories import ApplicationFactory, CompanyFactory, RejectionFactory
from tests.followups.conftest import at


@pytest.fixture
def acme(person):
    return CompanyFactory(owner=person, name="Acme")


def test_it_warns_inside_the_cooldown(person, acme):
    """GIVEN Acme rejected Sam on 2 March
    WHEN Sam applies there again on 15 April (44 days later, cooldown 90)
    THEN the warning says when reapplying is fine: 31 May."""
    RejectionFactory(owner=person, application__company=acme, received_at=at("2026-03-02 10:30"))
    warnings = reapply_warnings(owner=person, company=acme, today=dt.date(2026, 4, 15))
    assert len(warnings) == 1
    assert "Acme turned you down on Mon 2 Mar" in warnings[0]
    assert "ends on Sun 31 May" in warnings[0]


def test_it_is_quiet_after_the_cooldown(person, acme):
    RejectionFactory(owner=person, application__company=acme, received_at=at("2026-03-02 10:30"))
    assert reapply_warnings(owner=person, company=acme, today=dt.date(2026, 5, 31)) == []


def test_it_uses_the_persons_cooldown(person, acme):
    person.profile.reapply_cooldown_days = 180
    person.profile.save()
    RejectionFactory(owner=person, application__company=acme, received_at=at("2026-03-02 10:30"))
    assert reapply_warnings(owner=person, company=acme, today=dt.date(2026, 6, 15))


def test_it_warns_about_a_third_application_within_30_days(person, acme):
    """GIVEN two applications to Acme on 1 and 20 April
    WHEN a third is about to be logged on 25 April
    THEN "don't pummel the company"; on 1 May (the first is 30 days old) it is quiet."""
    ApplicationFactory(owner=person, company=acme, applied_on=dt.date(2026, 4, 1))
    ApplicationFactory(owner=person, company=acme, applied_on=dt.date(2026, 4, 20))
    warnings = reapply_warnings(owner=person, company=acme, today=dt.date(2026, 4, 25))
    assert len(warnings) == 1
    assert "application number 3 to Acme within 30 days" in warnings[0]
    assert reapply_warnings(owner=person, company=acme, today=dt.date(2026, 5, 1)) == []


def test_another_persons_rejections_do_not_count(person, other_user, acme):
    theirs = CompanyFactory(owner=other_user, name="Acme")
    RejectionFactory(owner=other_user, application__company=theirs)
    assert reapply_warnings(owner=person, company=acme, today=dt.date.today()) == []


def test_the_application_form_shows_the_warnings_and_asks_to_apply_anyway(
    person, acme, time_machine
):
    time_machine.move_to(at("2026-04-15 10:00"), tick=False)
    RejectionFactory(owner=person, application__company=acme, received_at=at("2026-03-02 10:30"))
    data = {
        "company_name": "Acme",
        "role_title": "Staff Engineer",
        "source": "board",
        "applied_on": "2026-04-15",
        "status": "applied",
    }
    form = ApplicationForm(data=data, owner=person)
    assert not form.is_valid()
    shown = " ".join(form.errors["apply_anyway"])
    assert "cooldown of 90 days ends on Sun 31 May" in shown
    assert ApplicationForm(data={**data, "apply_anyway": "on"}, owner=person).is_valid()
