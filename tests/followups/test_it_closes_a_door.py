"""Closing a company's door cancels what is pending there and plans nothing new."""

from django.urls import reverse

from applications.models import Company
from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import ApplicationFactory, InterviewFactory, RejectionFactory
from tests.followups.conftest import at


def test_it_cancels_pending_followups_and_their_reminders(person, dana, time_machine):
    """GIVEN a thank-you and a check-in pending at Acme
    WHEN Sam closes the door at Acme
    THEN both are cancelled, their reminders too, and nothing is sent at the due time."""
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    rejection = RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    services.sync_rejection(rejection=rejection)

    cancelled = services.close_door(company=dana.company, now=at("2026-03-02 12:00"))

    assert cancelled == 2
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUp.Status.CANCELLED}
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}
    assert Company.objects.get(pk=dana.company.pk).door_closed_at == at("2026-03-02 12:00")
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 10:30")).sent == 0


def test_it_plans_nothing_new_behind_a_closed_door(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    services.close_door(company=dana.company, now=at("2026-03-01 12:00"))
    services.sync_rejection(
        rejection=RejectionFactory(owner=person, application__company=dana.company)
    )
    services.sync_interview(
        interview=InterviewFactory(owner=person, application__company=dana.company)
    )
    assert not FollowUp.objects.exists()


def test_it_leaves_other_companies_alone(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    elsewhere = RejectionFactory(
        owner=person,
        application=ApplicationFactory(owner=person),
        reply_to="jobs@elsewhere.example",
    )
    services.sync_rejection(rejection=elsewhere)
    services.close_door(company=dana.company, now=at("2026-03-02 12:00"))
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUp.Status.PENDING}


def test_the_person_closes_a_door_from_the_app(person, dana, client_for, other_user, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    )
    url = reverse("dashboard:close-door", args=[dana.company.pk])
    assert client_for(other_user).post(url).status_code == 404
    assert not Company.objects.get(pk=dana.company.pk).door_is_closed

    client = client_for(person)
    page = client.get(url)
    assert "Close the door at Acme?" in page.text
    assert "This cancels 2 pending follow-ups:" in page.text
    assert "Thank Dana at Acme" in page.text
    client.post(url)
    assert Company.objects.get(pk=dana.company.pk).door_is_closed


def test_closing_keeps_the_note_about_a_live_application_unless_ticked(
    person, dana, client_for, time_machine
):
    """GIVEN a rejection at Acme, then a new application there (the recruiter note is pending)
    WHEN Sam closes the door without ticking "cancel it too"
    THEN the rejection's follow-ups are cancelled, the recruiter note is kept; ticking it
    cancels that too."""
    from applications.models import Application
    from tests.factories import ApplicationFactory

    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    )
    time_machine.move_to(at("2026-03-20 10:30"), tick=False)
    again = ApplicationFactory(
        owner=person, company=dana.company, role_title="Staff Engineer", status="applied"
    )
    services.sync_application(application=again)
    note = FollowUp.objects.get(kind=FollowUp.Kind.RECRUITER_NOTE)
    url = reverse("dashboard:close-door", args=[dana.company.pk])
    client = client_for(person)

    page = client.get(url).text
    assert "Kept, because the application is still in progress:" in page
    assert "Tell Dana at Acme you applied again" in page
    client.post(url)

    note.refresh_from_db()
    assert note.status == FollowUp.Status.PENDING
    assert not FollowUp.objects.filter(
        status=FollowUp.Status.PENDING, kind=FollowUp.Kind.CHECK_IN
    ).exists()
    assert Application.objects.get(pk=again.pk).is_active

    # Reopen from the company's page, close again ticking the box.
    company_page = client.get(dana.company.get_absolute_url()).text
    assert 'data-testid="reopen-door"' in company_page
    client.post(reverse("dashboard:reopen-door", args=[dana.company.pk]))
    assert not Company.objects.get(pk=dana.company.pk).door_is_closed
    client.post(url, {"include_live": "1"})
    note.refresh_from_db()
    assert note.status == FollowUp.Status.CANCELLED


def test_a_reopened_door_plans_follow_ups_again(person, dana, client_for, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    services.close_door(company=dana.company, now=at("2026-03-02 10:30"))
    response = client_for(person).post(
        reverse("dashboard:reopen-door", args=[dana.company.pk]), follow=True
    )
    assert "Door reopened at Acme." in response.text
    assert (
        client_for(person)
        .post(reverse("dashboard:reopen-door", args=[dana.company.pk]))
        .status_code
        == 302
    )

    company = Company.objects.get(pk=dana.company.pk)
    services.sync_rejection(
        rejection=RejectionFactory(owner=person, application__company=company, contact=dana)
    )
    assert FollowUp.objects.filter(owner=person, status=FollowUp.Status.PENDING).exists()
