"""The bundle file: a feed for a USB stick, compact, checksummed and signed by its site.

    offset  size  what
         0     8  magic b"LLSYNC\\x00\\x01"
         8     2  format (unsigned, big-endian): the feed format inside
        10     2  flags: bit 0 set when signed
        12    16  the sender site's id
        28    16  the bundle's id
        44     8  the bundle's number at its sender (replays are refused)
        52     8  the payload's length in bytes
        60    32  SHA-256 of the payload
        92    64  ed25519 signature of bytes 0..91 by the sender's site key
       156     …  payload: zstd(msgpack(feed))

The header is checked before the payload is read: a file cut short, changed, unsigned, from
an unknown site or of a newer format is refused whole, with what was wrong. Inside, each
change is a short msgpack array with its model, site and version as indexes and integers,
and every UUID-shaped string as 16 bytes (msgpack extension 1); see `_pack_change`.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgpack
import zstandard
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.translation import gettext as _

from lifeline.core import hlc
from lifeline.core.errors import ValidationFailed
from lifeline.sync.feed import FORMAT

MAGIC = b"LLSYNC\x00\x01"
_HEADER = struct.Struct(">8sHH16s16sQQ32s")
HEADER_SIZE = _HEADER.size + 64
SIGNED = 0x1
_UUID_EXT = 1
_UUID_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_OPS = ("create", "update", "delete")
_ZSTD_LEVEL = 9  # ~ the size of level 19 on these feeds at a fraction of the time


class BundleRefused(ValidationFailed):
    """A bundle refused whole: `reason` names what was wrong (truncated, corrupt, unsigned,
    unknown_site, signature, replayed, recipient, format, schema)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(
            {"bundle": message},
            _("the bundle is refused (%(reason)s)") % {"reason": reason.replace("_", " ")},
        )
        self.reason = reason
        self.detail = message


@dataclass(frozen=True)
class BundleHeader:
    format: int
    signed: bool
    sender: uuid.UUID
    bundle_id: uuid.UUID
    seq: int
    payload_length: int
    digest: bytes
    signature: bytes


def bundle_write(
    feed: dict[str, Any], *, sender: uuid.UUID, seq: int, key: Ed25519PrivateKey | None
) -> bytes:
    """The bytes of a bundle carrying `feed`, signed with `key` (unsigned without one)."""
    payload = feed_pack(feed)
    head = _HEADER.pack(
        MAGIC,
        FORMAT,
        SIGNED if key is not None else 0,
        sender.bytes,
        uuid.UUID(str(feed.get("bundle_id") or uuid.uuid4())).bytes,
        seq,
        len(payload),
        hashlib.sha256(payload).digest(),
    )
    signature = key.sign(head) if key is not None else bytes(64)
    return head + signature + payload


def bundle_header(data: bytes) -> BundleHeader:
    """The header of a bundle, once the file is whole and unchanged; refused otherwise."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise BundleRefused("corrupt", _("this file is not a Lifeline sync bundle"))
    if len(data) < HEADER_SIZE:
        raise BundleRefused(
            "truncated",
            _("the bundle is cut short: %(n)s bytes, its header alone is 156") % {"n": len(data)},
        )
    _magic, fmt, flags, sender, bundle_id, seq, length, digest = _HEADER.unpack_from(data)
    if fmt > FORMAT:
        raise BundleRefused(
            "format",
            _(
                "the bundle is in sync format %(fmt)s; this site reads formats 1 to %(newest)s: "
                "update Lifeline here to read it"
            )
            % {"fmt": fmt, "newest": FORMAT},
        )
    body = len(data) - HEADER_SIZE
    if body < length:
        raise BundleRefused(
            "truncated",
            _(
                "the bundle is cut short: %(body)s of its %(length)s payload bytes are here; "
                "copy it again"
            )
            % {"body": body, "length": length},
        )
    if body > length:
        raise BundleRefused(
            "corrupt", _("the bundle has %(n)s bytes too many") % {"n": body - length}
        )
    if hashlib.sha256(data[HEADER_SIZE:]).digest() != digest:
        raise BundleRefused(
            "corrupt", _("the bundle is damaged: its checksum does not match; copy it again")
        )
    return BundleHeader(
        format=fmt,
        signed=bool(flags & SIGNED),
        sender=uuid.UUID(bytes=sender),
        bundle_id=uuid.UUID(bytes=bundle_id),
        seq=seq,
        payload_length=length,
        digest=digest,
        signature=data[_HEADER.size : HEADER_SIZE],
    )


def bundle_verify(data: bytes, header: BundleHeader, public_key: bytes, sender_name: str) -> None:
    if not header.signed:
        raise BundleRefused(
            "unsigned",
            _("the bundle from %(sender_name)s is not signed") % {"sender_name": sender_name},
        )
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            header.signature, data[: _HEADER.size]
        )
    except InvalidSignature:
        raise BundleRefused(
            "signature",
            _(
                "the bundle's signature is not %(sender_name)s's: it was not written by that "
                "site or has been changed"
            )
            % {"sender_name": sender_name},
        ) from None


def feed_pack(feed: dict[str, Any]) -> bytes:
    """A feed in its compact form (what a bundle's payload, or an HTTP body, carries)."""
    return zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(
        msgpack.packb(_pack_feed(feed), default=_msgpack_default, use_bin_type=True)
    )


def feed_unpack(payload: bytes) -> dict[str, Any]:
    raw = zstandard.ZstdDecompressor().decompress(payload)
    packed = msgpack.unpackb(raw, ext_hook=_msgpack_ext, raw=False, strict_map_key=False)
    return _unpack_feed(packed)


def bundle_feed(data: bytes) -> dict[str, Any]:
    """The feed inside a checked bundle."""
    try:
        return feed_unpack(data[HEADER_SIZE:])
    except (zstandard.ZstdError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise BundleRefused(
            "corrupt", _("the bundle's content cannot be read: %(exc)s") % {"exc": exc}
        ) from exc


# -- the compact form of a feed -------------------------------------------------------------


def _msgpack_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return msgpack.ExtType(_UUID_EXT, value.bytes)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot pack {type(value).__name__}")


def _msgpack_ext(code: int, data: bytes) -> Any:
    if code == _UUID_EXT and len(data) == 16:
        h = data.hex()  # str(uuid.UUID(bytes=data)), without building the object
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    raise ValueError(f"unknown extension {code}")


def _compact(value: Any) -> Any:
    """UUID-shaped strings as 16 bytes; the rest as it is."""
    if isinstance(value, str) and len(value) == 36 and _UUID_SHAPE.match(value):
        return uuid.UUID(value)
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    return value


class _Tables:
    def __init__(self) -> None:
        self.models: dict[str, int] = {}
        self.sites: dict[str, int] = {}

    def model(self, label: str) -> int:
        return self.models.setdefault(label, len(self.models))

    def site(self, hex_id: str) -> int:
        return self.sites.setdefault(hex_id, len(self.sites))

    def version(self, version: str) -> list[int]:
        stamp = hlc.decode(version)
        return [(stamp.ms << 16) | stamp.counter, self.site(stamp.site)]


def _pack_feed(feed: dict[str, Any]) -> dict[str, Any]:
    tables = _Tables()
    changes = [_pack_change(c, tables) for c in feed["changes"]]
    head = {k: v for k, v in feed.items() if k != "changes"}
    return {
        "head": _compact(head),
        "models": list(tables.models),
        "sites": list(tables.sites),
        "changes": changes,
    }


def _pack_change(change: dict[str, Any], tables: _Tables) -> list[Any]:
    return [
        tables.model(change["model"]),
        _uuid(change["id"]).bytes,
        _OPS.index(change["op"]),
        tables.version(change["v"]),
        tables.site(_uuid(change["origin"]).hex),
        _compact(change["fields"]),
        {k: tables.version(v) for k, v in (change.get("base") or {}).items()},
        change.get("schema") or 0,
    ]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _unpack_feed(packed: dict[str, Any]) -> dict[str, Any]:
    models: list[str] = packed["models"]
    sites: list[str] = packed["sites"]

    def version(pair: list[int]) -> str:
        number, site = pair
        return hlc.Timestamp(number >> 16, number & 0xFFFF, sites[site]).encode()

    origins = [uuid.UUID(hex=site) for site in sites]  # one object per site, not per change
    feed = dict(packed["head"])
    feed["changes"] = [
        {
            "model": models[m],
            # UUIDs as objects: the feed's in-process form (str() gives its JSON form)
            "id": uuid.UUID(bytes=object_id),
            "op": _OPS[op],
            "v": version(v),
            "origin": origins[origin],
            "fields": fields,
            "base": {k: version(b) for k, b in base.items()},
            "schema": schema,
        }
        for m, object_id, op, v, origin, fields, base, schema in packed["changes"]
    ]
    return feed


def private_key_of(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)
