from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _install_stamps(sender, using, **kwargs) -> None:
    from dashboard import stamps

    stamps.install(using)


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        # After every migrate (and a test database's creation): the cards stamp's triggers,
        # again, over whatever a migration rebuilt. Sent once, for the accounts app: this app
        # has no models, and Django only signals apps that have.
        post_migrate.connect(
            _install_stamps,
            sender=apps.get_app_config("accounts"),
            dispatch_uid="dashboard.stamps.install",
        )
