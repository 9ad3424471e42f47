from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from accounts.signals import reminder_settings_changed
        from followups.receivers import replan_reminders

        reminder_settings_changed.connect(replan_reminders, dispatch_uid="followups.replan")
