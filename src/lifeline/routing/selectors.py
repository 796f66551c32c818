"""Reads of routing: stored graphs, threat zones and the basemaps kept under the data folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound
from lifeline.core.services import Actor, permission_require
from lifeline.routing.basemap import BasemapError, BasemapInfo, basemap_inspect
from lifeline.routing.models import StoredGraph, ThreatZone


def graph_get(*, name: str | None = None) -> StoredGraph:
    """The stored graph `name`, or the one imported last."""
    rows = StoredGraph.objects.all()
    stored = rows.filter(name=name).first() if name else rows.order_by("-imported_at").first()
    if stored is None:
        if name:
            raise NotFound(_("no road graph named %(name)s") % {"name": repr(name)})
        raise NotFound(
            _(
                "no road graph yet: import one (lifeline route import-osm FILE) "
                "or generate the demo town (lifeline route demo-town)"
            )
        )
    return stored


def zones_active(*, now: dt.datetime) -> list[ThreatZone]:
    return list(
        ThreatZone.objects.alive().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def zone_list(*, actor: Actor, now: dt.datetime, active_only: bool = True) -> QuerySet[ThreatZone]:
    permission_require(actor, "routing.view_threatzone", doing=_("see threat zones"))
    rows = ThreatZone.objects.alive()
    if active_only:
        rows = rows.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return rows.order_by("-created_at")


# ---- basemaps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basemap:
    name: str
    info: BasemapInfo
    added_ns: int = 0  # when its file was last written (nanoseconds since the epoch)


def basemap_dir() -> Path:
    return Path(settings.VAR_DIR) / "basemaps"


def basemap_slug(text: str) -> str:
    """A basemap's name as it is kept: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def basemap_list() -> list[Basemap]:
    """The basemaps kept, by name; a file that no longer reads as one is left out."""
    folder = basemap_dir()
    if not folder.is_dir():
        return []
    kept = []
    for path in sorted(folder.glob("*.pmtiles")):
        try:
            kept.append(
                Basemap(
                    name=path.stem, info=basemap_inspect(path), added_ns=path.stat().st_mtime_ns
                )
            )
        except BasemapError:
            continue
    return kept


def basemap_path(*, name: str) -> Path:
    """The file of the basemap `name`; NotFound when there is none."""
    path = basemap_dir() / f"{basemap_slug(name)}.pmtiles"
    if basemap_slug(name) != name or not path.is_file():
        raise NotFound(_("no basemap named %(name)s") % {"name": repr(name)})
    return path
