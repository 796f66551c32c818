"""The HTTP exchange between two sites: what a request and an answer carry, how each is signed
and checked, and what the answering site does (pull: the changes the caller lacks, in a chunk;
push: a chunk of the caller's changes, applied through the one apply path).

Authentication is by site key, never by a user session: every request is signed with the
calling site's ed25519 key (the one `lifeline sync identity` publishes) over

    lifeline-exchange-request/1, the operation, the caller's site id, the answering site's id,
    the request number, the SHA-256 of the body

and sent with the headers `X-Lifeline-Site`, `X-Lifeline-To`, `X-Lifeline-Seq` and
`X-Lifeline-Signature`. The answering site refuses a caller that is not a registered peer, a
signature that is not that peer's key, a request meant for another site, and a request number
not above the last one it accepted from that peer (a captured request sent again). Every
answer is signed the same way by the answering site, over the request's number, so the caller
knows the changes it applies come from the peer it registered. See docs/sync.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgpack
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from lifeline.core import hlc
from lifeline.core.clock import site_local
from lifeline.core.errors import LifelineError, ValidationFailed
from lifeline.core.models import ChangeLogEntry, Site
from lifeline.core.services import audit_record
from lifeline.sync.bundle import feed_pack, feed_unpack, private_key_of
from lifeline.sync.feed import (
    PROTECTED_MODELS,
    FeedRefused,
    FeedScope,
    cursors_mine,
    feed_apply,
    feed_build,
)
from lifeline.sync.models import Peer, PeerLink
from lifeline.sync.services import site_key

REQUEST_TAG = b"lifeline-exchange-request/1"
ANSWER_TAG = b"lifeline-exchange-answer/1"
OPERATIONS = ("pull", "push")
HEADER_SITE = "X-Lifeline-Site"
HEADER_TO = "X-Lifeline-To"
HEADER_SEQ = "X-Lifeline-Seq"
HEADER_SIGNATURE = "X-Lifeline-Signature"
CHUNK_DEFAULT = 500  # changes per chunk: a few hundred kB packed, well under a body limit
CHUNK_MAX = 5000
CONTENT_TYPE = "application/octet-stream"


class ExchangeRefused(LifelineError):
    """A request or an answer of the exchange refused whole: `reason` says why (unsigned,
    unknown_site, signature, recipient, replayed, body, format, schema, sites)."""

    _STATUS = {"unsigned": 401, "unknown_site": 403, "signature": 403, "replayed": 409}

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = reason
        self.http_status = self._STATUS.get(reason, 400)


# -- signing ---------------------------------------------------------------------------------


def _message(tag: bytes, op: str, sender: uuid.UUID, to: uuid.UUID, seq: int, body: bytes) -> bytes:
    return b"\n".join(
        (
            tag,
            op.encode(),
            sender.hex.encode(),
            to.hex.encode(),
            str(seq).encode(),
            hashlib.sha256(body).hexdigest().encode(),
        )
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_headers(*, tag: bytes, op: str, to: uuid.UUID, seq: int, body: bytes) -> dict[str, str]:
    """The headers that sign `body` as this site's request (or answer) number `seq` to `to`."""
    here = site_local()
    key = private_key_of(bytes(site_key().private_key))
    signature = key.sign(_message(tag, op, here.pk, to, seq, body))
    return {
        HEADER_SITE: str(here.pk),
        HEADER_TO: str(to),
        HEADER_SEQ: str(seq),
        HEADER_SIGNATURE: _b64(signature),
    }


@dataclass(frozen=True)
class Signed:
    sender: uuid.UUID
    to: uuid.UUID
    seq: int
    signature: bytes


def signed_read(headers: Mapping[str, str]) -> Signed:
    """The signature headers of a request or an answer, read; refused when missing or bad."""
    missing = [
        h for h in (HEADER_SITE, HEADER_TO, HEADER_SEQ, HEADER_SIGNATURE) if not headers.get(h)
    ]
    if missing:
        raise ExchangeRefused(
            "unsigned",
            gettext(
                "not signed by a site: the headers %(headers)s are missing "
                "(an exchange is made with `lifeline sync exchange URL`, not by a person)"
            )
            % {"headers": ", ".join(missing)},
        )
    try:
        sender = uuid.UUID(headers[HEADER_SITE])
        to = uuid.UUID(headers[HEADER_TO])
    except ValueError:
        raise ValidationFailed({HEADER_SITE: gettext("a site id (a UUID) is expected")}) from None
    try:
        seq = int(headers[HEADER_SEQ])
        if seq < 1:
            raise ValueError(seq)
    except ValueError:
        raise ValidationFailed({HEADER_SEQ: gettext("a whole number from 1 is expected")}) from None
    try:
        signature = _unb64(headers[HEADER_SIGNATURE])
    except (ValueError, binascii.Error):
        signature = b""
    if len(signature) != 64:
        raise ValidationFailed(
            {HEADER_SIGNATURE: gettext("an ed25519 signature (base64) is expected")}
        )
    return Signed(sender=sender, to=to, seq=seq, signature=signature)


def signature_check(
    *, tag: bytes, op: str, signed: Signed, body: bytes, public_key: bytes, name: str
) -> None:
    message = _message(tag, op, signed.sender, signed.to, signed.seq, body)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signed.signature, message)
    except InvalidSignature:
        raise ExchangeRefused(
            "signature",
            gettext(
                "the signature is not %(name)s's key: not sent by that site, or changed on the way"
            )
            % {"name": name},
        ) from None


def request_check(op: str, headers: Mapping[str, str], body: bytes) -> Peer:
    """The peer that signed this request; refused (changing nothing) when it is not a
    registered peer, not its key, not meant for this site, or a request seen before."""
    signed = signed_read(headers)
    here = site_local()
    if signed.to != here.pk:
        raise ExchangeRefused(
            "recipient",
            gettext("this request was signed for site %(to)s, and this is %(here)s")
            % {"to": signed.to, "here": here.code},
        )
    peer = Peer.objects.select_related("site").filter(site_id=signed.sender).first()
    if peer is None:
        raise ExchangeRefused(
            "unknown_site",
            gettext(
                "site %(site)s is not a registered peer here: register it with "
                "`lifeline sync peer add IDENTITY` first"
            )
            % {"site": signed.sender},
        )
    signature_check(
        tag=REQUEST_TAG,
        op=op,
        signed=signed,
        body=body,
        public_key=bytes(peer.public_key),
        name=peer.site.name,
    )
    with transaction.atomic():
        link, _ = PeerLink.objects.select_for_update().get_or_create(peer=peer)
        if signed.seq <= link.seq_in:
            raise ExchangeRefused(
                "replayed",
                gettext(
                    "request %(seq)s from %(site)s is not newer than request "
                    "%(accepted)s already accepted: a request is accepted once"
                )
                % {"seq": signed.seq, "site": peer.site.name, "accepted": link.seq_in},
            )
        link.seq_in = signed.seq
        link.save(update_fields=["seq_in"])
    return peer


def answer_headers(op: str, peer: Peer, seq: int, body: bytes) -> dict[str, str]:
    """This site's signature of its answer to the peer's request number `seq`."""
    return signed_headers(tag=ANSWER_TAG, op=op, to=peer.site_id, seq=seq, body=body)


# -- bodies ----------------------------------------------------------------------------------


def small_pack(value: dict[str, Any]) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))


def small_unpack(body: bytes, what: str) -> dict[str, Any]:
    try:
        value = msgpack.unpackb(body, raw=False, strict_map_key=True)
    except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as exc:
        raise ExchangeRefused(
            "body",
            gettext("the %(what)s cannot be read: %(error)s") % {"what": what, "error": exc},
        ) from None
    if not isinstance(value, dict):
        raise ExchangeRefused("body", gettext("the %(what)s is not a map") % {"what": what})
    return value


def versions_read(value: Any, field: str) -> dict[str, str]:
    """A map of writer site (hex) to version, checked: {"<32 hex>": "<hlc version>"}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed({field: gettext("a map of site id to version is expected")})
    out: dict[str, str] = {}
    for source, version in value.items():
        try:
            uuid.UUID(hex=str(source))
            if version != "":
                hlc.decode(str(version))
        except ValueError:
            raise ValidationFailed(
                {
                    field: gettext("%(source)s: %(version)s is not a site and version")
                    % {"source": repr(str(source)[:40]), "version": repr(str(version)[:70])}
                }
            ) from None
        out[uuid.UUID(hex=str(source)).hex] = str(version)
    return out


def feed_read(body: bytes) -> dict[str, Any]:
    try:
        feed = feed_unpack(body)
    except Exception as exc:  # zstd, msgpack or the shape: all are a bad chunk
        raise ExchangeRefused(
            "body", gettext("the chunk cannot be read: %(error)s") % {"error": exc}
        ) from None
    if not isinstance(feed.get("changes"), list) or not isinstance(feed.get("sender"), dict):
        raise ExchangeRefused("body", gettext("the chunk has no sender or no changes"))
    return feed


def changes_lacking(since: dict[str, str], *, protected: bool) -> int:
    """How many changes here a site that has `since` lacks (for the progress shown)."""
    query = Q()
    for source, version in cursors_mine().items():
        start = since.get(source, "")
        if version > start:
            query |= Q(source_site=uuid.UUID(hex=source), version__gt=start)
    if not query:
        return 0
    entries = ChangeLogEntry.objects.filter(query)
    if not protected:
        entries = entries.exclude(model__in=PROTECTED_MODELS)
    return entries.count()


def _acked_merge(peer: Peer, cursors: dict[str, str]) -> dict[str, str]:
    acked = dict(peer.acked)
    for source, version in cursors.items():
        if version > acked.get(source, ""):
            acked[source] = version
    return acked


# -- what the answering site does ------------------------------------------------------------


def pull_answer(peer: Peer, body: bytes) -> bytes:
    """A chunk of the changes `peer` lacks, from what it says it has received (`since`), at
    most `limit`, only what it may hold; its `cursors` (what it has applied) become its
    acknowledgement here."""
    request = small_unpack(body, gettext("pull request"))
    since = versions_read(request.get("since"), "since")
    cursors = versions_read(request.get("cursors"), "cursors")
    limit = request.get("limit", CHUNK_DEFAULT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= CHUNK_MAX:
        raise ValidationFailed(
            {"limit": gettext("a whole number from 1 to %(max)s is expected") % {"max": CHUNK_MAX}}
        )
    with transaction.atomic():
        feed = feed_build(
            scope=FeedScope(since=since, protected=peer.may_hold_protected),
            recipient=peer.site,
            limit=limit,
        )
        feed["remaining"] = changes_lacking(since, protected=peer.may_hold_protected)
        Peer.objects.filter(pk=peer.pk).update(
            acked=_acked_merge(peer, cursors), last_sent_at=timezone.now()
        )
        if feed["changes"]:  # what left, and for whom (protected records among them)
            audit_record(
                actor=None,
                action="sync.exchange_pull",
                obj=peer.site,
                summary=f"{len(feed['changes'])} changes sent to {peer.site.code}",
            )
    return feed_pack(feed)


def push_answer(peer: Peer, body: bytes) -> bytes:
    """Apply a chunk of `peer`'s changes here (once, however often it is sent) and answer with
    what this site has now, which the peer keeps as its acknowledgement."""
    feed = feed_read(body)
    chunk_check(feed, sender=peer.site, here=site_local())
    cursors = versions_read(feed.get("cursors"), "cursors")
    try:
        with transaction.atomic():
            report = feed_apply(feed).apply
            locked = Peer.objects.select_for_update().get(pk=peer.pk)
            locked.acked = _acked_merge(locked, cursors)
            locked.last_received_at = timezone.now()
            locked.save(update_fields=["acked", "last_received_at"])
            have = cursors_mine()
            if report.applied or report.conflicts:
                audit_record(
                    actor=None,
                    action="sync.exchange_push",
                    obj=peer.site,
                    summary=f"from {peer.site.code}: {report.applied} applied, "
                    f"{report.conflicts} conflicts",
                )
    except FeedRefused as exc:
        raise feed_refused(exc) from exc
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # A signed chunk whose content is malformed: refused whole, nothing applied.
        raise ExchangeRefused(
            "body",
            gettext("a change in the chunk cannot be read: %(error)s") % {"error": repr(exc)},
        ) from exc
    return small_pack(
        {
            "cursors": have,
            "received": report.received,
            "applied": report.applied,
            "duplicates": report.duplicates,
            "waiting": report.waiting,
            "held": report.held,
            "conflicts": report.conflicts,
        }
    )


def chunk_check(feed: dict[str, Any], *, sender: Site, here: Site) -> None:
    """A chunk is applied only from the site that signed it and only where it was meant to go."""
    try:
        said = uuid.UUID(str(feed["sender"].get("id")))
    except ValueError:
        raise ExchangeRefused("body", gettext("the chunk names no sender site")) from None
    if said != sender.pk:
        raise ExchangeRefused(
            "signature",
            gettext("the chunk says it comes from %(said)s, but %(signer)s signed it")
            % {"said": said, "signer": sender.name},
        )
    recipient = feed.get("recipient")
    if recipient and str(recipient) != str(here.pk):
        raise ExchangeRefused(
            "recipient",
            gettext("the chunk was made for %(recipient)s, not this site")
            % {"recipient": recipient},
        )


def feed_refused(exc: FeedRefused) -> ExchangeRefused:
    return ExchangeRefused(exc.reason, exc.message)
