"""The risk watch moves to intel (which watches the camp and the teams' routes): the table is
renamed to intel_riskwatch and keeps its rows; intel.0006 takes the model over in the
migration state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0002_risk_grid_and_watch"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="RiskWatch", table="intel_riskwatch")
            ],
            state_operations=[migrations.DeleteModel(name="RiskWatch")],
        ),
    ]
