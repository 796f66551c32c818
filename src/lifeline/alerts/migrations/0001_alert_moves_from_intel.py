"""Alert, moved from intel: the table (renamed by intel.0005) and its rows are already there,
so the model is created in the migration state only. Its content type moves with it, so that
its permissions (and the groups holding them) carry over."""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import lifeline.core.ids


def _content_type_move(apps: Any, schema_editor: Any, *, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    if not rows.filter(app_label=target, model="alert").exists():
        rows.filter(app_label=source, model="alert").update(app_label=target)


def content_type_forwards(apps: Any, schema_editor: Any) -> None:
    _content_type_move(apps, schema_editor, source="intel", target="alerts")


def content_type_backwards(apps: Any, schema_editor: Any) -> None:
    _content_type_move(apps, schema_editor, source="alerts", target="intel")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("intel", "0005_alert_moves_to_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alert",
                    fields=[
                        ("id", models.UUIDField(default=lifeline.core.ids.uuid7, editable=False, primary_key=True, serialize=False)),
                        ("version", models.CharField(db_index=True, editable=False, max_length=64)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("deleted_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("kind", models.CharField(db_index=True, max_length=60)),
                        ("key", models.CharField(max_length=200)),
                        ("severity", models.CharField(choices=[("info", "Info"), ("warning", "Warning"), ("critical", "Critical")], default="warning", max_length=10)),
                        ("title", models.CharField(max_length=200)),
                        ("detail", models.TextField(blank=True)),
                        ("subject_type", models.CharField(blank=True, max_length=100)),
                        ("subject_id", models.CharField(blank=True, max_length=64)),
                        ("permission", models.CharField(blank=True, max_length=100)),
                        ("raised_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        ("resolution", models.CharField(blank=True, max_length=300)),
                        ("origin_site", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.site")),
                        ("resolved_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-raised_at"],
                        "permissions": [("resolve_alert", "Can resolve alerts")],
                        "indexes": [models.Index(fields=["kind", "key", "resolved_at"], name="intel_alert_kind_463103_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
