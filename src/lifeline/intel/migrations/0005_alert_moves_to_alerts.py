"""Alerts move to their own app (lifeline.alerts): the table is renamed to alerts_alert and
keeps its rows; alerts.0001 takes the model over in the migration state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intel", "0004_sightings_say_nothing_of_their_source"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="Alert", table="alerts_alert")],
            state_operations=[migrations.DeleteModel(name="Alert")],
        ),
    ]
