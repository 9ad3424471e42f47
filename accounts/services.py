from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Profile

User = get_user_model()


def profile_for(user) -> Profile:
    """The person's profile, made with defaults for accounts created outside sign-up."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def create_account(*, username: str, email: str, password: str, time_zone: str = "UTC") -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, time_zone=time_zone)
    return user
