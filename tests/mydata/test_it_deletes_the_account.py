import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications.models import Application, Company, Contact
from followups.models import FollowUp, Reminder
from followups.tokens import Action, action_url, unsubscribe_url
from mydata.models import CalendarFeed
from tests.factories import ApplicationFactory, ContactFactory, FollowUpFactory, RejectionFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def sams_search(user):
    rejection = RejectionFactory(owner=user, application__company__name="Acme")
    ContactFactory(owner=user, company=rejection.application.company)
    followup = FollowUpFactory(owner=user, company=rejection.application.company)
    Reminder.objects.create(
        followup=followup, owner=user, send_at=followup.due_at, next_attempt_at=followup.due_at
    )
    CalendarFeed.objects.create(owner=user)
    return followup


def test_it_asks_for_the_password_and_deletes_nothing_without_it(user, user_client, sams_search):
    page = user_client.get(reverse("mydata:delete-account"))
    assert "cannot be undone" in page.content.decode()

    response = user_client.post(reverse("mydata:delete-account"), {"password": "guess"})

    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert Reminder.objects.get(followup=sams_search).status == Reminder.Status.PENDING


def test_it_deletes_every_row_logs_out_and_says_it_is_done(
    user, other_user, user_client, sams_search
):
    theirs = ApplicationFactory(owner=other_user, company__name="Acme")

    response = user_client.post(
        reverse("mydata:delete-account"), {"password": "correct-horse-battery"}, follow=True
    )

    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    for model in (Company, Application, Contact, FollowUp, Reminder, CalendarFeed):
        assert not model.objects.filter(owner_id=user.pk).exists(), model
    # Logged out: the settings page asks for a login again.
    assert user_client.get(reverse("accounts:settings")).status_code == 302
    # Nobody else lost anything.
    assert Application.objects.filter(pk=theirs.pk).exists()


def test_signed_links_of_a_deleted_account_show_a_friendly_gone_page(
    user, user_client, sams_search, client
):
    links = [action_url(sams_search, Action.DONE), unsubscribe_url(user)]
    user_client.post(reverse("mydata:delete-account"), {"password": "correct-horse-battery"})

    for link in links:
        response = client.get(_path(link))
        assert response.status_code == 404
        assert "Nothing to do here any more" in response.content.decode()


def test_the_service_cancels_every_pending_reminder_before_deleting(user, sams_search):
    """Even if the delete failed half-way, the reminders were already cancelled (committed
    on their own)."""
    from mydata import services

    due = sams_search.due_at + dt.timedelta(days=1)
    assert Reminder.objects.filter(owner=user, status="pending", send_at__lt=due).count() == 1

    class Boom(Exception):
        pass

    def explode(*args, **kwargs):
        raise Boom

    user.delete = explode
    with pytest.raises(Boom):
        services.delete_account(user=user)

    assert Reminder.objects.get(followup=sams_search).status == Reminder.Status.CANCELLED
