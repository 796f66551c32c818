"""The radio digest: the most urgent changes (persons' status, mission check-ins, alerts) as
signed messages in radio packets of at most 200 bytes (`sync.radio`), applied at the other
site through the one apply path (`feed_apply`), like a bundle's.

A message is one change, whole (a value is never cut: a cut value would stand for the
change's version everywhere), with the actors it names, signed by the sending site's key:

    deflate(msgpack([format, sender id, model, id, op, version, origin, fields, base, schema,
                     actors])) + ed25519 signature (64 bytes) of b"LLRADIO1" + the above

Idempotent: a change is applied once however many times its packets are heard (its version
is its identity); a lost packet leaves its message waiting, reported, nothing of it applied;
the next digest (`--since` earlier) or a bundle brings it. Cursors do not move: a digest is
not a complete range of anyone's changes.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgpack
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_aware, make_aware
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core import hlc
from lifeline.core.batches import batches_sweep
from lifeline.core.clock import site_local
from lifeline.core.errors import ValidationFailed
from lifeline.core.models import ChangeLogEntry
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.intel.codec import CodecError
from lifeline.sync import radio
from lifeline.sync.bundle import _compact, _msgpack_default, _msgpack_ext, private_key_of
from lifeline.sync.feed import (
    FORMAT,
    PROTECTED_MODELS,
    FeedReport,
    _actor_table,
    _ActorRef,
    _entry_change,
    feed_apply,
    own_top,
)
from lifeline.sync.models import Peer, RadioPart

# What a radio digest carries: what a camp and its teams need to know first.
URGENT_MODELS = ("people.statusevent", "missions.checkin", "alerts.alert")
_SIGNED = b"LLRADIO1"
_SIGNATURE = 64
_OPS = ("create", "update", "delete")
# How long the packets of a message not yet whole are kept, waiting for the others.
RADIO_PARTS_KEPT = timedelta(days=7)


_UNITS = {"m": 60, "h": 3600, "d": 86_400}


def since_parse(text: str, *, now: datetime) -> datetime:
    """`--since`: a duration back from now (90m, 6h, 2d) or a moment (2026-12-07T10:00)."""
    value = text.strip()
    if value[:-1].isdigit() and value[-1:] in _UNITS:
        return now - timedelta(seconds=int(value[:-1]) * _UNITS[value[-1]])
    moment = parse_datetime(value)
    if moment is None:
        raise ValidationFailed(
            {
                "since": _("a duration (90m, 6h, 2d) or a moment (2026-12-07T10:00), not %(v)r")
                % {"v": text}
            }
        )
    return moment if is_aware(moment) else make_aware(moment, UTC)


@dataclass(frozen=True)
class RadioExport:
    lines: list[str]
    changes: int
    too_large: int  # changes whose message needs more than radio.MAX_PARTS packets


@dataclass
class RadioImport:
    packets: int = 0
    messages: int = 0
    report: FeedReport | None = None
    refused: list[str] = field(default_factory=list)  # what was refused, and why
    incomplete: list[str] = field(default_factory=list)  # messages with packets missing


def _version_packed(version: str) -> list[Any]:
    stamp = hlc.decode(version)
    return [(stamp.ms << 16) | stamp.counter, bytes.fromhex(stamp.site)]


def _version_text(packed: list[Any]) -> str:
    number, site = packed
    return hlc.Timestamp(number >> 16, number & 0xFFFF, bytes(site).hex()).encode()


def _message(change: dict[str, Any], actors: dict[str, dict[str, Any]], sender: uuid.UUID) -> bytes:
    named = [
        [
            uuid.UUID(key).bytes,
            info["username"],
            uuid.UUID(info["site"]).bytes if info["site"] else None,
        ]
        for key, info in actors.items()
        if key in {str(v) for v in change["fields"].values()}
    ]
    body = [
        FORMAT,
        sender.bytes,
        change["model"],
        uuid.UUID(str(change["id"])).bytes,
        _OPS.index(change["op"]),
        _version_packed(change["v"]),
        uuid.UUID(str(change["origin"])).bytes,
        _compact(change["fields"]),
        {k: _version_packed(v) for k, v in (change.get("base") or {}).items()},
        change.get("schema") or 0,
        named,
    ]
    packed = msgpack.packb(body, default=_msgpack_default, use_bin_type=True)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return deflate.compress(packed) + deflate.flush()


@transaction.atomic
def radio_export(*, actor: Actor | None, since: datetime) -> RadioExport:
    """The packets (as lines of text) of this site's urgent changes stamped since `since`,
    its own and those it received, oldest first."""
    permission_require(actor, "sync.change_peer", doing=_("export a radio digest"))
    from lifeline.sync.services import site_key

    here = site_local()
    key = private_key_of(bytes(site_key().private_key))
    bound = hlc.Timestamp(int(since.timestamp() * 1000), 0, "").encode()
    batches_sweep()  # a killed import's rows go before anything is read
    top = own_top(here)
    entries = (
        ChangeLogEntry.objects.filter(model__in=URGENT_MODELS, version__gte=bound)
        .exclude(model__in=PROTECTED_MODELS)
        .order_by("version")
    )
    if top is not None:
        entries = entries.exclude(source_site=here.pk, version__gt=top)
    user_ids: set[int] = set()
    changes = [c for c in (_entry_change(e, user_ids) for e in entries) if c is not None]
    actors, key_of = _actor_table(user_ids)
    lines: list[str] = []
    too_large = 0
    tag = here.pk.bytes[-4:]
    for change in changes:
        for attname, value in change["fields"].items():
            if isinstance(value, _ActorRef):
                change["fields"][attname] = key_of.get(value.user_id)
        body = _message(change, actors, here.pk)
        message = body + key.sign(_SIGNED + body)
        try:
            packets = radio.message_packets(message, sender_tag=tag)
        except CodecError:
            too_large += 1  # travels by bundle or exchange instead
            continue
        lines.extend(radio.packet_line(p) for p in packets)
    audit_record(
        actor=actor,
        action="sync.radio_export",
        summary=f"radio digest: {len(changes) - too_large} changes in {len(lines)} packets",
    )
    return RadioExport(lines=lines, changes=len(changes) - too_large, too_large=too_large)


def _unpack(body: bytes) -> tuple[uuid.UUID, dict[str, Any], dict[str, dict[str, Any]]]:
    """The sender, the change (in the feed's form) and the actors of a message's body."""
    try:
        raw = zlib.decompress(body, -15)
        fmt, sender, model, object_id, op, version, origin, fields, base, schema, named = (
            msgpack.unpackb(raw, ext_hook=_msgpack_ext, raw=False, strict_map_key=False)
        )
        if not isinstance(fmt, int) or fmt > FORMAT:
            raise ValidationFailed(
                {
                    "format": _("a radio digest in sync format %(n)s; this site reads 1 to %(m)s")
                    % {"n": fmt, "m": FORMAT}
                }
            )
        change = {
            "model": str(model),
            "id": uuid.UUID(bytes=bytes(object_id)),
            "op": _OPS[op],
            "v": _version_text(version),
            "origin": uuid.UUID(bytes=bytes(origin)),
            "fields": dict(fields),
            "base": {str(k): _version_text(v) for k, v in dict(base).items()},
            "schema": int(schema),
        }
        actors = {
            str(uuid.UUID(bytes=bytes(k))): {
                "username": str(name),
                "site": str(uuid.UUID(bytes=bytes(home))) if home else None,
            }
            for k, name, home in named
        }
        return uuid.UUID(bytes=bytes(sender)), change, actors
    except ValidationFailed:
        raise
    except (zlib.error, ValueError, TypeError, KeyError, IndexError, hlc.ClockFormatError) as exc:
        raise CodecError(f"the message cannot be read: {exc}") from None


_PARTS_REFUSED = {
    radio.PARTS_COUNT_DISAGREE: gettext_lazy("its packets disagree on how many there are"),
    radio.PART_DIFFERS: gettext_lazy("two packets of it differ in one part"),
    radio.PARTS_NOT_WHOLE: gettext_lazy("its packets do not make it whole"),
}


def _parts_kept(*, now: datetime) -> list[radio.Part]:
    """The parts of incomplete messages heard before, after dropping those kept too long."""
    RadioPart.objects.filter(first_heard_at__lt=now - RADIO_PARTS_KEPT).delete()
    return [
        radio.Part(bytes(p.sender_tag), bytes(p.message_tag), p.number, p.count, bytes(p.data))
        for p in RadioPart.objects.order_by("first_heard_at", "number")
    ]


def _parts_keep(
    heard: list[radio.Part], kept: list[radio.Part], assembled: radio.Assembled, *, now: datetime
) -> None:
    """Keep the new parts of messages still incomplete; forget the parts of whole ones."""
    waiting = {(sender, tag) for sender, tag, _have, _count in assembled.incomplete}
    known = {(p.sender_tag, p.message_tag, p.number) for p in kept}
    new: dict[tuple[bytes, bytes, int], radio.Part] = {}
    for part in heard:
        key = (part.sender_tag, part.message_tag, part.number)
        if (part.sender_tag, part.message_tag) in waiting and key not in known:
            new.setdefault(key, part)
    RadioPart.objects.bulk_create(
        RadioPart(
            sender_tag=p.sender_tag,
            message_tag=p.message_tag,
            number=p.number,
            count=p.count,
            data=p.data,
            first_heard_at=now,
        )
        for p in new.values()
    )
    whole = {(p.sender_tag, p.message_tag) for p in kept} - waiting
    for sender, tag in whole:
        RadioPart.objects.filter(sender_tag=sender, message_tag=tag).delete()


def radio_import(
    *, actor: Actor | None, lines: Iterable[str], now: datetime | None = None
) -> RadioImport:
    """Apply the whole, signed messages among these lines (one packet each) and the parts kept
    from earlier imports, through the one apply path; keep the parts of messages still
    incomplete for the next import; say which lines were refused and which messages still
    miss packets."""
    permission_require(actor, "sync.change_peer", doing=_("import a radio digest"))
    moment = now or timezone.now()
    result = RadioImport()
    heard: list[radio.Part] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        result.packets += 1
        try:
            heard.append(radio.packet_part(radio.line_packet(line)))
        except CodecError as exc:
            result.refused.append(_("line %(n)s: %(why)s") % {"n": number, "why": exc})
    with transaction.atomic():
        kept = _parts_kept(now=moment)
        # A message whose parts disagree is refused alone and its kept parts dropped (which one
        # was heard wrong cannot be told): it is asked for again, and the others still apply.
        assembled = radio.parts_assemble([*kept, *heard])
        _parts_keep(heard, kept, assembled, now=moment)
        _messages_apply(actor, assembled, result)
    return result


def _messages_apply(actor: Actor | None, assembled: radio.Assembled, result: RadioImport) -> None:
    peers = {p.site_id: p for p in Peer.objects.select_related("site")}
    names = {site_id.bytes[-4:]: p.site.name for site_id, p in peers.items()}

    def site_of(tag: bytes) -> str:
        return names.get(tag, tag.hex())

    for sender_tag, tag, have, count in assembled.incomplete:
        result.incomplete.append(
            _("message %(tag)s from %(site)s: %(have)s of %(count)s packets")
            % {
                "tag": tag.hex(),
                "site": site_of(sender_tag),
                "have": have,
                "count": count,
            }
        )
    for sender_tag, tag, why in assembled.refused:
        result.refused.append(
            _("message %(tag)s from %(site)s: %(why)s; ask for it again")
            % {
                "tag": tag.hex(),
                "site": site_of(sender_tag),
                "why": _PARTS_REFUSED.get(why, why),
            }
        )
    changes: list[dict[str, Any]] = []
    actors: dict[str, dict[str, Any]] = {}
    senders: list[uuid.UUID] = []
    for sender_tag, message in assembled.messages:
        body, signature = message[:-_SIGNATURE], message[-_SIGNATURE:]
        try:
            sender, change, named = _unpack(body)
        except (CodecError, ValidationFailed) as exc:
            result.refused.append(
                _("a message from %(site)s: %(why)s") % {"site": site_of(sender_tag), "why": exc}
            )
            continue
        peer = peers.get(sender)
        if peer is None or sender.bytes[-4:] != sender_tag:
            result.refused.append(
                _("a message from site %(site)s, which is not a registered peer") % {"site": sender}
            )
            continue
        try:
            Ed25519PublicKey.from_public_bytes(bytes(peer.public_key)).verify(
                signature, _SIGNED + body
            )
        except InvalidSignature:
            result.refused.append(
                _("a message not signed by %(site)s's key: written elsewhere or changed")
                % {"site": peer.site.name}
            )
            continue
        changes.append(change)
        senders.append(sender)
        actors.update(named)
        result.messages += 1
    if not changes:
        return
    feed = {
        "format": FORMAT,
        "sender": {"id": str(senders[0])},  # no settings travel by radio
        "sites": [],
        "settings": [],
        "actors": actors,
        "changes": changes,
        "ranges": {},
    }
    result.report = feed_apply(feed)
    audit_record(
        actor=actor,
        action="sync.radio_import",
        summary=f"radio digest: {result.messages} messages, "
        f"{result.report.apply.applied} changes applied",
    )
