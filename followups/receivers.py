"""Follow-ups listening to the layer below: accounts announces, the engine re-plans."""

from accounts.models import Profile
from followups import services


def replan_reminders(sender, *, profile: Profile, **kwargs) -> None:
    """The person changed their reminder zone, hours, delivery or turned emails back on."""
    services.resume_reminders(owner=profile.user)
