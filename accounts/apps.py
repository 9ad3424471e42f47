from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from accounts.signals import create_missing_profile

        post_save.connect(
            create_missing_profile,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.create_missing_profile",
        )
