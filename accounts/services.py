from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Profile
from accounts.signals import reminder_settings_changed

User = get_user_model()


@transaction.atomic
def create_account(
    *, username: str, email: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> User:
    # create_user's post_save made the profile (accounts.signals); fill in what sign-up asked.
    user = User.objects.create_user(username=username, email=email, password=password)
    user.profile.time_zone = time_zone
    user.profile.full_name = full_name
    user.profile.save(update_fields=["time_zone", "full_name"])
    return user


# Settings that decide when and whether reminder emails go out.
REMINDER_SETTINGS = frozenset(
    {"time_zone", "reminders_enabled", "reminder_start", "reminder_end", "delivery"}
)


@transaction.atomic
def save_settings(*, profile: Profile, changed: set[str]) -> Profile:
    """Save the person's settings; when reminder timing changed, say so to whoever plans them.

    The follow-up engine listens (followups/apps.py) and re-plans what is waiting, inside
    this transaction.
    """
    profile.save()
    if profile.reminders_enabled and REMINDER_SETTINGS & changed:
        reminder_settings_changed.send(sender=Profile, profile=profile)
    return profile
