# ImprovementGoal moves from `applications` to `goals`. The table already exists, so the model
# is only created in the migration state here; 0002 renames the table to this app's name.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0002_company_name_key_and_form_submission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImprovementGoal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "theme",
                            models.CharField(
                                choices=[
                                    ("experience_fit", "Experience fit"),
                                    ("communication", "Communication"),
                                    ("nerves", "Nerves"),
                                    ("enthusiasm", "Enthusiasm"),
                                    ("technical_skills", "Technical skills"),
                                    ("culture_fit", "Culture fit"),
                                    ("other", "Other"),
                                ],
                                default="other",
                                max_length=20,
                            ),
                        ),
                        ("what", models.CharField(max_length=200)),
                        ("how_measured", models.CharField(blank=True, max_length=300)),
                        ("target_date", models.DateField()),
                        (
                            "progress",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="Percent done, 0 to 100."
                            ),
                        ),
                        ("notes", models.TextField(blank=True, max_length=5000)),
                        ("completed_on", models.DateField(blank=True, null=True)),
                        (
                            "feedback",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="goals",
                                to="applications.feedback",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["completed_on", "target_date", "pk"],
                        "db_table": "applications_improvementgoal",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
