"""Sync's writes: this site's key, its peers, bundles out and in, conflicts reviewed.

Every service checks the actor's permission and writes its audit row in its transaction; the
CLI, the API and the pages call these.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict as ConflictError
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.models import Site
from lifeline.core.services import Actor, actor_user, audit_record, permission_require, setting_get
from lifeline.core.site_settings import parse_positive_int
from lifeline.sync.apply import model_plan
from lifeline.sync.bundle import (
    BundleRefused,
    bundle_feed,
    bundle_header,
    bundle_verify,
    bundle_write,
    private_key_of,
)
from lifeline.sync.feed import (
    FeedRefused,
    FeedReport,
    FeedScope,
    feed_apply,
    feed_build,
    feed_check,
)
from lifeline.sync.models import BundleCounter, BundleImport, Conflict, Peer, SiteKey

SHARE_PROTECTED_SETTING = "sync.protected_in_open_bundles"
IDENTITY_PREFIX = "lifeline-site"


def parse_minutes(text: str) -> int:
    return parse_positive_int(text)


def site_key() -> SiteKey:
    """This site's signing key, made on first use."""
    here = site_local()
    key = SiteKey.objects.filter(site=here).first()
    if key is None:
        private = Ed25519PrivateKey.generate()
        key = SiteKey.objects.create(
            site=here,
            private_key=private.private_bytes_raw(),
            public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        )
    return key


def site_identity() -> str:
    """What another site registers to accept this site's bundles: code, id and public key."""
    here = site_local()
    public = base64.urlsafe_b64encode(bytes(site_key().public_key)).decode().rstrip("=")
    return f"{IDENTITY_PREFIX}:{here.code}:{here.pk}:{public}"


@transaction.atomic
def peer_register(*, actor: Actor | None, identity: str, may_hold_protected: bool = False) -> Peer:
    """Accept bundles from the site whose identity (from `lifeline sync identity` there) this
    is; `may_hold_protected` lets children's cases and medical records leave for it."""
    permission_require(actor, "sync.change_peer", doing=_("register a peer site"))
    parts = identity.strip().split(":")
    if len(parts) != 4 or parts[0] != IDENTITY_PREFIX:
        raise ValidationFailed(
            {
                "identity": _(
                    "expected %(prefix)s:CODE:SITE-ID:KEY, as `lifeline sync identity` prints "
                    "it at the other site"
                )
                % {"prefix": IDENTITY_PREFIX}
            }
        )
    _prefix, code, site_id, key_text = parts
    try:
        site_uuid = uuid.UUID(site_id)
        public = base64.urlsafe_b64decode(key_text + "=" * (-len(key_text) % 4))
    except (ValueError, binascii.Error) as exc:
        raise ValidationFailed(
            {"identity": _("cannot read it: %(error)s") % {"error": exc}}
        ) from exc
    if len(public) != 32:
        raise ValidationFailed({"identity": _("the key is not an ed25519 public key")})
    if site_uuid == site_local().pk:
        raise ValidationFailed({"identity": _("that is this site's own identity")})
    site = Site.objects.filter(pk=site_uuid).first()
    if site is None:
        if Site.objects.filter(code=code).exists():
            raise ValidationFailed(
                {"identity": _("site code %(code)r names another site here") % {"code": code}}
            )
        site = Site.objects.create(id=site_uuid, code=code, name=code.replace("-", " ").title())
    peer, _created = Peer.objects.update_or_create(
        site=site, defaults={"public_key": public, "may_hold_protected": may_hold_protected}
    )
    audit_record(
        actor=actor,
        action="sync.peer_register",
        obj=site,
        summary=f"peer {site.code}"
        + (" (may hold protected records)" if may_hold_protected else ""),
    )
    return peer


def peer_by_code(code: str) -> Peer:
    peer = Peer.objects.select_related("site").filter(site__code=code).first()
    if peer is None:
        known = ", ".join(Peer.objects.values_list("site__code", flat=True)) or _("none yet")
        raise NotFound(
            _("no peer site '%(code)s' (registered peers: %(known)s)")
            % {"code": code, "known": known}
        )
    return peer


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bytes: int
    changes: int
    seq: int
    peer: str | None


@dataclass(frozen=True)
class BundleMade:
    """A bundle written in memory (the Sync page sends it as a download)."""

    data: bytes
    changes: int
    seq: int
    peer: str | None
    site: str  # this site's code, the bundle's writer


@transaction.atomic
def bundle_make(*, actor: Actor | None, peer_code: str | None = None) -> BundleMade:
    """A bundle of what `peer_code` lacks (everything without a peer), numbered and signed."""
    permission_require(actor, "sync.change_peer", doing=_("export a sync bundle"))
    peer = peer_by_code(peer_code) if peer_code else None
    here = site_local()
    if peer is not None:
        scope = FeedScope(since=dict(peer.acked), protected=peer.may_hold_protected)
    else:
        shared = bool(setting_get(site=here, key=SHARE_PROTECTED_SETTING, default=False))
        scope = FeedScope(since={}, protected=shared)
    feed = feed_build(scope=scope, recipient=peer.site if peer is not None else None)
    counter, _created = BundleCounter.objects.select_for_update().get_or_create(site=here)
    counter.seq += 1
    counter.save(update_fields=["seq"])
    feed["bundle_id"] = str(uuid.uuid4())
    data = bundle_write(
        feed, sender=here.pk, seq=counter.seq, key=private_key_of(bytes(site_key().private_key))
    )
    if peer is not None:
        peer.last_sent_at = timezone.now()
        peer.save(update_fields=["last_sent_at"])
    audit_record(
        actor=actor,
        action="sync.export",
        summary=f"bundle {counter.seq}: {len(feed['changes'])} changes"
        + (f" for {peer.site.code}" if peer is not None else ""),
    )
    return BundleMade(data, len(feed["changes"]), counter.seq, peer_code, here.code)


@transaction.atomic
def bundle_export(*, actor: Actor | None, path: Path, peer_code: str | None = None) -> ExportResult:
    """Write a bundle of what `peer_code` lacks (everything without a peer) to `path`; a file
    that cannot be written undoes the bundle (its number, the audit row)."""
    made = bundle_make(actor=actor, peer_code=peer_code)
    path.write_bytes(made.data)
    return ExportResult(path, len(made.data), made.changes, made.seq, peer_code)


@dataclass(frozen=True)
class ImportResult:
    sender: str
    seq: int
    report: FeedReport


def bundle_import(*, actor: Actor | None, data: bytes) -> ImportResult:
    """Check a bundle whole, then apply it in one transaction; refused bundles change nothing."""
    permission_require(actor, "sync.change_peer", doing=_("import a sync bundle"))
    header = bundle_header(data)
    here = site_local()
    if header.sender == here.pk:
        raise BundleRefused("replayed", _("this bundle was written by this site"))
    peer = Peer.objects.select_related("site").filter(site_id=header.sender).first()
    if peer is None:
        raise BundleRefused(
            "unknown_site",
            _(
                "the bundle comes from site %(site)s, which is not a registered peer: register "
                "it with `lifeline sync peer add IDENTITY` first"
            )
            % {"site": header.sender},
        )
    bundle_verify(data, header, bytes(peer.public_key), peer.site.name)
    feed = bundle_feed(data)
    try:
        feed_check(feed)
    except FeedRefused as exc:
        raise BundleRefused(exc.reason, exc.message) from exc  # the feed's words
    recipient = feed.get("recipient")
    if recipient and uuid.UUID(str(recipient)) != here.pk:
        named = {str(site.get("id")): site.get("name") for site in feed.get("sites") or []}
        raise BundleRefused(
            "recipient",
            _("the bundle was made for %(site)s, not for this site")
            % {"site": named.get(str(recipient)) or recipient},
        )
    with transaction.atomic():
        peer = Peer.objects.select_for_update().select_related("site").get(pk=peer.pk)
        done = BundleImport.objects.filter(pk=header.bundle_id).first()
        if done is not None:
            raise BundleRefused(
                "replayed",
                _("bundle %(seq)s from %(site)s was already imported (%(when)s UTC)")
                % {
                    "seq": header.seq,
                    "site": peer.site.name,
                    "when": f"{done.imported_at:%Y-%m-%d %H:%M}",
                },
            )
        if header.seq <= peer.last_bundle_seq:
            raise BundleRefused(
                "replayed",
                _(
                    "bundle %(seq)s from %(site)s is older than bundle %(last)s already "
                    "imported: everything in it came with that one or will come with the next"
                )
                % {"seq": header.seq, "site": peer.site.name, "last": peer.last_bundle_seq},
            )
        report = feed_apply(feed)
        acked = dict(peer.acked)
        for source, version in (feed.get("cursors") or {}).items():
            if version > acked.get(source, ""):
                acked[source] = version
        peer.acked = acked
        peer.last_received_at = timezone.now()
        peer.last_bundle_seq = header.seq
        peer.save(update_fields=["acked", "last_received_at", "last_bundle_seq"])
        BundleImport.objects.create(
            id=header.bundle_id,
            sender=peer.site,
            seq=header.seq,
            changes=report.apply.received,
            applied=report.apply.applied,
        )
        audit_record(
            actor=actor,
            action="sync.import",
            obj=peer.site,
            summary=f"bundle {header.seq} from {peer.site.code}: "
            f"{report.apply.applied} applied, {report.apply.conflicts} conflicts",
        )
    return ImportResult(sender=peer.site.code, seq=header.seq, report=report)


@transaction.atomic
def conflict_resolve(*, actor: Actor | None, conflict_id: uuid.UUID, keep: str) -> Conflict:
    """Close a conflict: keep the value that won ("winner"), or keep the other one ("loser"),
    which writes it again as a new change (a new version, so every site takes it)."""
    permission_require(actor, "sync.review_conflict", doing=_("review sync conflicts"))
    if keep not in {"winner", "loser"}:
        raise ValidationFailed({"keep": _("winner or loser")})
    conflict = Conflict.objects.select_for_update().filter(pk=conflict_id).first()
    if conflict is None:
        raise NotFound(_("no conflict %(id)s") % {"id": conflict_id})
    if conflict.resolved_at is not None:
        raise ConflictError(_("this conflict is already resolved"))
    if keep == "loser":
        _write_value(conflict)
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = actor_user(actor)
    conflict.resolution = f"kept_{keep}"
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action="sync.conflict_resolve",
        summary=f"{conflict.model} {conflict.object_id} {conflict.field}: kept the {keep}",
    )
    return conflict


def _write_value(conflict: Conflict) -> None:
    plan = model_plan(conflict.model)
    if plan is None or conflict.field not in plan.fields:
        raise ValidationFailed(
            {
                "field": _("%(field)s is not known here")
                % {"field": f"{conflict.model}.{conflict.field}"}
            }
        )
    row = plan.model._base_manager.filter(pk=conflict.object_id).first()
    if row is None:
        raise NotFound(_("the %(model)s of this conflict is not here") % {"model": conflict.model})
    field: Any = plan.fields[conflict.field]
    setattr(row, conflict.field, field.to_python(conflict.loser_value))
    row.save(update_fields=[field.name])
