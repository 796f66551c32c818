"""Sightings recorded before the watch's and the reports' words were kept out of them: a watch
sighting's notes named the post (and its log entry's notes) and, with no direction given, it
stood at the post's exact spot; a report's sighting copied the mission's name and the report's
text. Every role reads sightings, so this rewrites them as new ones are written: a watch
sighting without notes, placed at the centre of its risk cell (the same cell, so the risk grid
is unchanged) unless a direction and a distance placed it; a report's sighting with its
structured facts only. The group last seen there moves with it. Deterministic, so every camp
that migrates ends with the same rows; no new version is stamped, so sync does not ship it."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from h3.api import basic_int as h3int  # type: ignore[import-untyped]

# The router's H3 resolution when this was written (routing.risk.RiskParams).
RESOLUTION = 10


def report_facts(details: dict[str, Any]) -> str:
    facts = [f"armed: {details.get('armed') or 'unknown'}"]
    if details.get("direction") not in (None, "", "unknown"):
        facts.append(f"heading {details['direction']}")
    return "; ".join(facts)


def scrub(apps: Any, schema_editor: Any) -> None:
    sighting_model = apps.get_model("intel", "Sighting")
    entry_model = apps.get_model("intel", "PerimeterLogEntry")
    group_model = apps.get_model("intel", "HostileGroup")
    placed_by_bearing = {
        entry.sighting_id
        for entry in entry_model.objects.exclude(sighting=None)
        if entry.direction and entry.distance_m
    }
    for row in sighting_model.objects.filter(source="watch").iterator():
        old = (row.latitude, row.longitude)
        if row.pk not in placed_by_bearing:
            cell = h3int.latlng_to_cell(row.latitude, row.longitude, RESOLUTION)
            row.latitude, row.longitude = (float(v) for v in h3int.cell_to_latlng(cell))
        row.notes = ""
        row.save(update_fields=["latitude", "longitude", "notes"])
        if row.hostile_group_id is not None and (row.latitude, row.longitude) != old:
            group_model._base_manager.filter(
                pk=row.hostile_group_id, last_seen_latitude=old[0], last_seen_longitude=old[1]
            ).update(last_seen_latitude=row.latitude, last_seen_longitude=row.longitude)
    for row in sighting_model.objects.exclude(field_report=None).select_related("field_report"):
        row.notes = report_facts(row.field_report.details or {})
        row.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [
        ("intel", "0003_hostile_groups_sightings_and_perimeter_log"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
