import pytest
from django.utils import timezone

from applications.models import Feedback
from followups.models import FollowUp
from followups.services import mark_done, sync_rejection
from tests.factories import FeedbackFactory, ImprovementGoalFactory

pytestmark = pytest.mark.django_db


def test_it_shows_what_was_sent_and_the_goals_feedback_became(user, user_client):
    feedback = FeedbackFactory(
        owner=user, themes=[Feedback.Theme.NERVES], rejection__reply_to="jobs@acme.example"
    )
    rejection = feedback.rejection
    sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
    mark_done(
        followup=thanks,
        sent_text="Hi Dana, thank you for letting me know. I enjoyed meeting the team.",
        done_at=timezone.now(),
    )
    ImprovementGoalFactory(
        owner=user, feedback=feedback, theme=Feedback.Theme.NERVES, what="Do three mock interviews"
    )

    page = user_client.get(rejection.application.get_absolute_url()).content.decode()

    assert "What you sent" in page
    assert "thank you for letting me know. I enjoyed meeting the team." in page
    assert "Goal: Do three mock interviews" in page
    assert "0% done" in page
    assert "Feedback received" in page
