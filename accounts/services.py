from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Profile

User = get_user_model()


def profile_for(user) -> Profile:
    """The person's profile, made with defaults for accounts created outside sign-up."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def create_account(
    *, username: str, email: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, time_zone=time_zone, full_name=full_name)
    return user


# Settings that decide when and whether reminder emails go out.
REMINDER_SETTINGS = frozenset(
    {"time_zone", "reminders_enabled", "reminder_start", "reminder_end", "delivery"}
)


@transaction.atomic
def save_settings(*, profile: Profile, changed: set[str]) -> Profile:
    """Save the person's settings; when reminder timing changed, re-plan what is waiting."""
    from followups.services import resume_reminders  # followups builds on accounts

    profile.save()
    if profile.reminders_enabled and REMINDER_SETTINGS & changed:
        resume_reminders(owner=profile.user)
    return profile
