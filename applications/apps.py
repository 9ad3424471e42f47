from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_facts(sender, using, **kwargs) -> None:
    from applications import facts

    facts.install(using)


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Job search"

    def ready(self) -> None:
        # After every migrate (and a test database's creation or flush): the company facts'
        # triggers, again, over whatever a migration rebuilt, and every company's facts.
        post_migrate.connect(_install_facts, sender=self, dispatch_uid="applications.facts")
