"""Road graphs stored for routing, and the threat zones commanders draw.

A `StoredGraph` is local reference data, not a replicated row: each site imports its own map
(an OSM extract, the demo town), it is rebuilt rather than edited, and shipping a million
edges through the change log would swamp sync. It is one row holding the compact arrays as a
compressed blob, with a version that changes on every import so that cached routers reload.
Threat zones are operational data every site must see: replicated rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from lifeline.core.models import ReplicatedModel


class StoredGraph(models.Model):
    name = models.SlugField(max_length=60, unique=True)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=200, blank=True)
    node_count = models.PositiveIntegerField()
    edge_count = models.PositiveIntegerField()
    # numpy .npz (lat, lon, offsets, targets, lengths), compressed.
    arrays = models.BinaryField()
    names = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        permissions = [("import_graph", "Can import or generate road graphs")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.node_count} nodes)"


class ThreatZone(ReplicatedModel):
    """An area a commander marks as dangerous: a polygon of [lat, lon] points, a level
    (1 watch .. 5 deadly), and an expiry after which it no longer counts."""

    name = models.CharField(max_length=120, blank=True)
    polygon = models.JSONField()
    level = models.FloatField()
    expires_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    drawn_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("draw_threatzone", "Can draw threat zones"),
            ("plan_route", "Can plan routes"),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'zone'} (level {self.level:g})"

    def is_active(self, now: dt.datetime) -> bool:
        return self.deleted_at is None and (self.expires_at is None or now < self.expires_at)


class RiskGrid(models.Model):
    """The sightings' risk grid of this installation: a cache of the replicated sightings,
    rebuilt from them when the parameters change or a sighting arrives by another way than
    this site's services (sync). One row; its lock orders the writes of concurrent sightings.
    The weights in `RiskCell` are scaled to `epoch` (see routing.risk.RiskField)."""

    resolution = models.PositiveSmallIntegerField()
    half_life_s = models.FloatField()
    spread_rings = models.PositiveSmallIntegerField()
    falloff = models.FloatField()
    epoch = models.DateTimeField(null=True, blank=True)
    sightings = models.PositiveIntegerField(default=0)  # how many sightings it counts
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"risk grid of {self.sightings} sightings"


class RiskCell(models.Model):
    """One H3 cell's sighting weight, scaled to the grid's epoch (cells as signed 64-bit ids:
    H3 indexes leave the top bit clear)."""

    cell = models.BigIntegerField(primary_key=True)
    mass = models.FloatField()

    def __str__(self) -> str:
        return f"{self.cell:x}: {self.mass:g}"
