# The one database change of the move: the table takes this app's name. Rows, keys and
# foreign keys stay as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
        ("applications", "0003_improvementgoal_moves_to_goals"),
    ]

    operations = [
        migrations.AlterModelTable(name="improvementgoal", table=None),
    ]
