"""What accounts tells the apps above it, and the one receiver that keeps a profile per user.

Accounts sits at the bottom of the layers and imports none of them. When a person changes
when or whether reminders go out, it sends `reminder_settings_changed` inside the saving
transaction; the follow-up engine listens (followups/apps.py) and re-plans what is waiting.
"""

from django.dispatch import Signal

from accounts.models import Profile

# Sent with `profile=` (saved, reminders on) from accounts.services.save_settings, inside its
# transaction, so a receiver's writes commit or roll back with the settings.
reminder_settings_changed = Signal()


def create_missing_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Every user has a profile: also those made by createsuperuser, create_user or the admin.

    Only the missing row with defaults; the person's choices are made by sign-up and settings.
    Skipped for `loaddata` (raw), whose fixtures bring their own profiles.
    """
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
