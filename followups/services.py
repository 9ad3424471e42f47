"""Workflows of the follow-up engine. (Interface fixed; the engine fills these in.)"""

from applications.models import Application, Feedback, Interview, Rejection


def sync_rejection(*, rejection: Rejection) -> None:
    """Create the rejection's follow-ups if missing; move pending ones if its date changed."""


def sync_interview(*, interview: Interview) -> None:
    """Create or move the interview thank-you."""


def sync_application(*, application: Application) -> None:
    """A new application at a company that rejected the person: the recruiter note."""


def feedback_logged(*, feedback: Feedback) -> None:
    """Feedback arrived: the nudge asking for it is no longer needed."""
