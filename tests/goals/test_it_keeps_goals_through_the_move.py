"""ImprovementGoal moved from `applications` to `goals`: a database made before the move keeps
every goal, with its feedback and owner, and the app reads them from the new place."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("applications", "0002_company_name_key_and_form_submission"),
    ("accounts", "0001_initial"),
    ("goals", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_goals_made_before_the_move_are_all_there_after_it():
    """GIVEN the schema before the move, with a person, a feedback and two goals in it
    WHEN the migrations run forward
    THEN both goals are read through goals.ImprovementGoal, unchanged, in the renamed table."""
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Company = old.get_model("applications", "Company")
    Application = old.get_model("applications", "Application")
    Rejection = old.get_model("applications", "Rejection")
    Feedback = old.get_model("applications", "Feedback")
    OldGoal = old.get_model("applications", "ImprovementGoal")
    sam = User.objects.create(username="sam")
    company = Company.objects.create(owner=sam, name="Acme")
    application = Application.objects.create(
        owner=sam, company=company, role_title="Analyst", applied_on=dt.date(2026, 1, 5)
    )
    rejection = Rejection.objects.create(
        owner=sam, application=application, received_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    )
    feedback = Feedback.objects.create(
        owner=sam,
        rejection=rejection,
        what_they_said="More SQL, please.",
        received_on=dt.date(2026, 2, 3),
    )
    OldGoal.objects.create(
        owner=sam, feedback=feedback, what="Practise SQL", target_date=dt.date(2026, 3, 1)
    )
    OldGoal.objects.create(
        owner=sam,
        what="Mock interview",
        target_date=dt.date(2026, 4, 1),
        progress=50,
        completed_on=dt.date(2026, 3, 20),
    )

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Goal = new.get_model("goals", "ImprovementGoal")
    assert Goal._meta.db_table == "goals_improvementgoal"
    rows = list(
        Goal.objects.order_by("pk").values_list(
            "owner__username", "feedback__what_they_said", "what", "progress", "completed_on"
        )
    )
    assert rows == [
        ("sam", "More SQL, please.", "Practise SQL", 0, None),
        ("sam", None, "Mock interview", 50, dt.date(2026, 3, 20)),
    ]
    assert "applications_improvementgoal" not in connection.introspection.table_names()
