"""RiskWatch, moved from routing: the table (renamed by routing.0003) and its rows are already
there, so the model is created in the migration state only. Its content type moves with it."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models


def _content_type_move(apps: Any, schema_editor: Any, *, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    if not rows.filter(app_label=target, model="riskwatch").exists():
        rows.filter(app_label=source, model="riskwatch").update(app_label=target)


def content_type_forwards(apps: Any, schema_editor: Any) -> None:
    _content_type_move(apps, schema_editor, source="routing", target="intel")


def content_type_backwards(apps: Any, schema_editor: Any) -> None:
    _content_type_move(apps, schema_editor, source="intel", target="routing")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intel", "0005_alert_moves_to_alerts"),
        ("routing", "0003_risk_watch_moves_to_intel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RiskWatch",
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
                        ("target", models.CharField(max_length=80, unique=True)),
                        ("band", models.PositiveSmallIntegerField(default=0)),
                        ("cell", models.BigIntegerField(blank=True, null=True)),
                        ("level", models.FloatField(default=0.0)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
