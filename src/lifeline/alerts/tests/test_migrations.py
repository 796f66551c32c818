"""Alerts moved out of intel keep their rows: migrating forward from intel's last migration
with the table renames it, hands the model over, and resolves open duplicates a race left so
that the database can hold one open alert per (kind, key)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = ("intel", "0004_sightings_say_nothing_of_their_source")
AFTER = ("alerts", "0003_one_open_alert_per_kind_and_key")


def _migrate(target: tuple[str, str]) -> Any:
    """Migrate to `target` (undoing what depends on a later one); the models as they were."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state(target).apps


def _alert(apps: Any, site: Any, key: str, raised_at: dt.datetime) -> Any:
    alert = apps.get_model("intel", "Alert")(
        id=uuid.uuid4(),
        origin_site_id=site.pk,
        version=f"v-{key}-{raised_at:%H%M}",
        kind="mission.overdue",
        key=key,
        title=f"{key} is overdue",
        raised_at=raised_at,
    )
    alert.save()
    return alert


def test_alerts_of_intel_migrate_forward_with_their_rows_and_permission() -> None:
    try:
        old = _migrate(BEFORE)
        site = old.get_model("core", "Site").objects.create(
            id=uuid.uuid4(), code="mig", name="Migration camp"
        )
        t0 = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
        kept = _alert(old, site, "m1", t0)
        doubled = _alert(old, site, "m1", t0 + dt.timedelta(minutes=5))
        other = _alert(old, site, "m2", t0)

        new = _migrate(AFTER)
        rows = {a.pk: a for a in new.get_model("alerts", "Alert").objects.all()}
        assert set(rows) == {kept.pk, doubled.pk, other.pk}
        assert rows[kept.pk].resolved_at is None and rows[other.pk].resolved_at is None
        assert rows[doubled.pk].resolved_at is not None
        assert str(kept.pk) in rows[doubled.pk].resolution
        assert rows[kept.pk].acknowledged_at is None
        content_type = new.get_model("contenttypes", "ContentType")
        assert not content_type.objects.filter(app_label="intel", model="alert").exists()
    finally:
        # Back to the latest migration of every app, for the tests after this one.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
