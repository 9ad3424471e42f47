"""A kind of follow-up is described in one place: a rule added to the table (and its draft) is
scheduled, drafted and listed on the dashboard without any other module knowing of it."""

import datetime as dt

import pytest
import time_machine

from dashboard import cards
from followups import drafts, rules, services
from followups.hours import Offset
from followups.models import FollowUp
from tests.factories import RejectionFactory

# Monday 2 March 2026, 10:30 in Berlin.
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
KIND = "thank_referrer"


@pytest.fixture
def referrer_rule(monkeypatch):
    rule = rules.Rule(
        kind=KIND,
        trigger=rules.Trigger.REJECTION_LOGGED,
        scope=rules.Scope.REJECTION,
        due=Offset(hours=2),
        deadline=Offset(days=2),
        action="Thank {who} for the referral to {company}",
        why="Whoever referred you would like to hear how it went.",
        source="test",
    )
    monkeypatch.setitem(rules.RULES, KIND, rule)

    def draft(followup, facts, goals):
        return drafts.Draft(
            kind=KIND,
            subject=f"{facts.company}: thank you for the referral",
            body=f"Hello,\n\nThank you for referring me to {facts.company}.\n\nBest regards,\nSam",
        )

    monkeypatch.setitem(drafts.DRAFTS, KIND, draft)
    return rule


def test_a_rule_added_to_the_table_is_scheduled_drafted_and_listed(person, dana, referrer_rule):
    """GIVEN a throw-away rule "thank the referrer" two hours after a rejection
    WHEN a rejection is logged
    THEN its follow-up is scheduled two hours later, drafted, and listed as due on the dashboard."""
    with time_machine.travel(NOW, tick=False):
        rejection = RejectionFactory(
            owner=person, application__company=dana.company, contact=dana, received_at=NOW
        )
        services.sync_rejection(rejection=rejection)

    followup = FollowUp.objects.get(owner=person, kind=KIND)
    assert followup.due_at == NOW + dt.timedelta(hours=2)
    assert followup.deadline_at == NOW + dt.timedelta(days=2)
    assert followup.action_text == "Thank Dana for the referral to Acme"
    assert drafts.draft_for(followup).subject == "Acme: thank you for the referral"

    card = cards.due_now(person, NOW + dt.timedelta(hours=3))
    [row] = [r for r in card.rows if r.kind == KIND]
    assert row.action == "Thank Dana for the referral to Acme"
    assert row.why == "Whoever referred you would like to hear how it went."
    assert "Thank you for referring me to Acme." in row.draft.body
