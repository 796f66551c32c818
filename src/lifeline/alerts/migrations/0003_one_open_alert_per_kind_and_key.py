"""The database keeps one open alert per (kind, key): a partial unique constraint replaces the
index that the select-then-insert used. Open duplicates a race may have left are resolved
first (the earliest raised stays open), so that the constraint can be created."""

from typing import Any

from django.db import migrations, models
from django.utils import timezone


def duplicates_resolve(apps: Any, schema_editor: Any) -> None:
    alert = apps.get_model("alerts", "Alert")
    rows = alert.objects.using(schema_editor.connection.alias)
    open_rows = rows.filter(resolved_at__isnull=True, deleted_at__isnull=True)
    doubled = (
        open_rows.values("kind", "key")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    now = timezone.now()
    for group in doubled:
        first, *others = open_rows.filter(kind=group["kind"], key=group["key"]).order_by(
            "raised_at", "id"
        )
        for other in others:
            other.resolved_at = now
            other.resolution = f"the same alert as {first.pk}, raised earlier"[:300]
            other.save(update_fields=["resolved_at", "resolution"])


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_alerts_are_acknowledged"),
    ]

    operations = [
        migrations.RunPython(duplicates_resolve, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="alert",
            name="intel_alert_kind_463103_idx",
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("deleted_at__isnull", True), ("resolved_at__isnull", True)),
                fields=("kind", "key"),
                name="alert_one_open_per_kind_and_key",
            ),
        ),
    ]
