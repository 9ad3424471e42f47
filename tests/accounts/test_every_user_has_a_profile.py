"""Every user has a profile, however the account was made, so their clock is `user.profile`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Delivery, Profile

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_it_gives_a_user_from_create_user_a_profile_with_defaults(client_for):
    user = User.objects.create_user(username="robin", email="robin@example.com", password="pw")

    profile = Profile.objects.get(user=user)
    assert profile.time_zone == "UTC"
    assert profile.reminders_enabled
    assert profile.delivery == Delivery.IMMEDIATE
    # ...and the pages that read the person's clock open for them.
    client = client_for(user)
    assert client.get("/").status_code == 200
    settings_page = client.get("/accounts/settings/")
    assert settings_page.status_code == 200
    assert 'value="UTC" selected' in settings_page.content.decode()


def test_it_gives_a_superuser_from_createsuperuser_a_profile(monkeypatch, client_for):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase")
    call_command(
        "createsuperuser", "--noinput", username="admin", email="admin@example.com", verbosity=0
    )

    admin = User.objects.get(username="admin")
    assert Profile.objects.filter(user=admin).count() == 1
    client = client_for(admin)
    assert client.get("/").status_code == 200
    assert client.get("/accounts/settings/").status_code == 200


def test_it_gives_a_user_added_in_the_admin_a_profile(client_for):
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw")
    client = client_for(admin)

    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "casey",
            "usable_password": "true",
            "password1": "a-long-casey-passphrase",
            "password2": "a-long-casey-passphrase",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Profile.objects.get(user__username="casey").time_zone == "UTC"


def test_it_keeps_one_profile_with_the_name_and_browser_zone_at_sign_up(client):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Alex Morgan",
            "username": "alex",
            "email": "alex@example.com",
            "password1": "a-long-alex-passphrase",
            "password2": "a-long-alex-passphrase",
            "time_zone": "Asia/Tokyo",
        },
    )

    [profile] = Profile.objects.filter(user__username="alex")
    assert (profile.full_name, profile.time_zone) == ("Alex Morgan", "Asia/Tokyo")


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_missing_profile_of_an_existing_user():
    """GIVEN a database from before every user had a profile, with a superuser made by
    createsuperuser (no profile) and a person who signed up (a profile in New York)
    WHEN the accounts migrations run forward
    THEN the superuser has a profile with the defaults and the person's profile is untouched."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old_apps = executor.loader.project_state([("accounts", "0001_initial")]).apps
    OldUser = old_apps.get_model("auth", "User")
    OldProfile = old_apps.get_model("accounts", "Profile")
    old_admin = OldUser.objects.create(username="old-admin", is_superuser=True)
    person = OldUser.objects.create(username="jordan")
    OldProfile.objects.create(user_id=person.pk, time_zone="America/New_York")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Profile.objects.get(user_id=old_admin.pk).time_zone == "UTC"
    assert Profile.objects.get(user_id=person.pk).time_zone == "America/New_York"
    assert Profile.objects.count() == 2
