"""Which sites hold a record, as far as this site knows: this site, the site that created it,
the sites that wrote its changes, and the peers whose cursors acknowledge one of its changes
(what a peer acknowledged it has; a protected record counts only at peers allowed to hold it).
A site holds the record's *latest* version when it wrote it or acknowledged it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lifeline.core import hlc
from lifeline.core.clock import site_local
from lifeline.core.errors import NotFound
from lifeline.core.models import ChangeLogEntry, Site
from lifeline.core.services import Actor, permission_require
from lifeline.sync.apply import model_plan
from lifeline.sync.feed import PROTECTED_MODELS
from lifeline.sync.models import Peer


@dataclass(frozen=True)
class SiteHolding:
    code: str
    name: str
    here: bool  # this site
    latest: bool  # holds the newest version known here (else an older one)


@dataclass(frozen=True)
class RecordSites:
    model: str
    object_id: uuid.UUID
    version: str
    sites: list[SiteHolding]


def _writer(version: str) -> str:
    try:
        return hlc.decode(version).site
    except hlc.ClockFormatError:
        return ""


def record_sites(*, actor: Actor | None, model: str, object_id: uuid.UUID) -> RecordSites:
    """The sites known to hold a replicated record, this site first. Seen by whoever may see
    the record (its model's view permission)."""
    label = model.lower()
    plan = model_plan(label)
    if plan is None:
        raise NotFound(_("no replicated records of kind %(model)s") % {"model": model})
    meta = plan.model._meta
    permission_require(
        actor,
        f"{meta.app_label}.view_{meta.model_name}",
        doing=_("see where this record is held"),
    )
    row = plan.model._base_manager.filter(pk=object_id).first()
    if row is None:
        raise NotFound(_("no %(model)s %(id)s here") % {"model": label, "id": object_id})
    latest = str(row.version)
    versions = set(
        ChangeLogEntry.objects.filter(model=label, object_id=object_id).values_list(
            "version", flat=True
        )
    ) | {latest}
    here = site_local()
    held: dict[uuid.UUID, bool] = {here.pk: True}  # site -> holds the latest
    if row.origin_site_id is not None:
        held.setdefault(row.origin_site_id, _writer(latest) == row.origin_site_id.hex)
    for version in versions:
        writer = _writer(version)
        if writer:
            site_id = uuid.UUID(hex=writer)
            held[site_id] = held.get(site_id, False) or version == latest
    protected = label in PROTECTED_MODELS
    for peer in Peer.objects.all():
        if protected and not peer.may_hold_protected:
            continue
        acked = {v for v in versions if str(peer.acked.get(_writer(v), "")) >= v}
        if acked:
            held[peer.site_id] = held.get(peer.site_id, False) or latest in acked
    sites = {s.pk: s for s in Site.objects.filter(pk__in=list(held))}
    holdings = [
        SiteHolding(code=sites[pk].code, name=sites[pk].name, here=pk == here.pk, latest=is_latest)
        for pk, is_latest in held.items()
        if pk in sites
    ]
    holdings.sort(key=lambda h: (not h.here, h.code))
    return RecordSites(model=label, object_id=object_id, version=latest, sites=holdings)
