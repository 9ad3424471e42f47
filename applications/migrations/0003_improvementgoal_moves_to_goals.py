# ImprovementGoal now lives in the `goals` app (goals/migrations/0001): it leaves this app's
# migration state only; the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_company_name_key_and_form_submission"),
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImprovementGoal")],
            database_operations=[],
        ),
    ]
