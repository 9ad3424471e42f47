"""Every user has a profile: make the missing ones (users from createsuperuser or the admin,
made before accounts.signals existed), and validate the time zone a profile stores."""

from django.conf import settings
from django.db import migrations, models

import accounts.timezones


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Profile = apps.get_model("accounts", "Profile")
    missing = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create(Profile(user_id=pk) for pk in missing.iterator())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                max_length=64,
                validators=[accounts.timezones.validate_time_zone],
            ),
        ),
        # Nothing to undo: a profile with defaults is what the user would have got anyway.
        migrations.RunPython(create_missing_profiles, migrations.RunPython.noop),
    ]
