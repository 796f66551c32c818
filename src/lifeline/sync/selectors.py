"""Sync's reads: where this site stands with each peer, the conflicts to review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.models import AuditEntry, ChangeLogEntry
from lifeline.core.services import Actor, permission_require
from lifeline.sync.feed import PROTECTED_MODELS, cursors_mine
from lifeline.sync.models import Conflict, Peer, PendingChange


@dataclass(frozen=True)
class PeerStatus:
    code: str
    name: str
    last_sent_at: datetime | None
    last_received_at: datetime | None
    changes_not_sent: int  # changes here the peer has not acknowledged
    conflicts_open: int  # open conflicts where one side is this peer's write
    may_hold_protected: bool


@dataclass(frozen=True)
class SyncStatus:
    site_code: str
    peers: list[PeerStatus]
    conflicts_open: int
    waiting_for_parent: int
    held_for_clock: int
    cursors: dict[str, str]


def _not_sent(peer: Peer) -> int:
    query = Q()
    for source, version in cursors_mine().items():
        since = str(peer.acked.get(source, ""))
        if version > since:
            query |= Q(source_site=source, version__gt=since)
    if not query:
        return 0
    entries = ChangeLogEntry.objects.filter(query)
    if not peer.may_hold_protected:
        entries = entries.exclude(model__in=PROTECTED_MODELS)
    return entries.count()


def sync_status(*, actor: Actor | None) -> SyncStatus:
    permission_require(actor, "sync.view_peer", doing=_("see the sync status"))
    open_conflicts = Conflict.objects.filter(resolved_at__isnull=True)
    peers = []
    for peer in Peer.objects.select_related("site").order_by("site__code"):
        site_id = peer.site_id
        peers.append(
            PeerStatus(
                code=peer.site.code,
                name=peer.site.name,
                last_sent_at=peer.last_sent_at,
                last_received_at=peer.last_received_at,
                changes_not_sent=_not_sent(peer),
                conflicts_open=open_conflicts.filter(
                    Q(loser_site=site_id) | Q(winner_site=site_id)
                ).count(),
                may_hold_protected=peer.may_hold_protected,
            )
        )
    waiting = PendingChange.objects
    return SyncStatus(
        site_code=site_local().code,
        peers=peers,
        conflicts_open=open_conflicts.count(),
        waiting_for_parent=waiting.filter(reason=PendingChange.Reason.PARENT).count(),
        held_for_clock=waiting.filter(reason=PendingChange.Reason.CLOCK).count(),
        cursors=cursors_mine(),
    )


def conflicts_open(*, actor: Actor | None, include_resolved: bool = False) -> QuerySet[Conflict]:
    permission_require(actor, "sync.review_conflict", doing=_("review sync conflicts"))
    rows = Conflict.objects.all()
    if not include_resolved:
        rows = rows.filter(resolved_at__isnull=True)
    return rows.order_by("-detected_at")


def radio_export_last(*, actor: Actor | None) -> datetime | None:
    """When this site last made a radio digest (its audit row), if it ever did."""
    permission_require(actor, "sync.change_peer", doing=_("export a radio digest"))
    last = AuditEntry.objects.filter(action="sync.radio_export").order_by("-at").first()
    return last.at if last is not None else None
