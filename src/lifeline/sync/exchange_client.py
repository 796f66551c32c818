"""The calling side of the HTTP exchange: `lifeline sync exchange URL` and the Sync page's
"Exchange now" run `exchange_run`.

1. **Hello**: which site answers at URL; it must be a registered peer with the key registered.
2. **Pull**, chunk by chunk: this site says what it has received of every writer site
   (`since`, starting from its cursors) and gets the changes it lacks, at most `chunk` at a
   time, applied here through the one apply path, each chunk in its own transaction.
3. **Push**, chunk by chunk: the changes the peer lacks (from what the peer said it has),
   applied there the same way; its answer says what it has now.

Every request is signed with this site's key and numbered; every answer is checked against
the peer's key. A request that fails on the network (loss, a partition, the peer restarting)
is sent again, signed anew, until `give_up_after` seconds pass: a chunk sent twice is applied
once (every change is known by its version), and an exchange cut short resumes from the
cursors both sides keep, so nothing is sent again that the other side has.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext

from lifeline.core import hlc
from lifeline.core.clock import site_local, wall_ms
from lifeline.core.errors import LifelineError, NotFound, ValidationFailed
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.sync import exchange
from lifeline.sync.bundle import feed_pack
from lifeline.sync.exchange import ExchangeRefused
from lifeline.sync.feed import FeedRefused, FeedScope, cursors_mine, feed_apply, feed_build
from lifeline.sync.models import Exchange, Peer, PeerLink

logger = logging.getLogger(__name__)
ProgressFn = Callable[[Exchange], None]
_RETRY_STATUSES = {502, 503, 504}
_NETWORK_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    OSError,
)


class ExchangeFailed(LifelineError):
    """The exchange stopped: the peer could not be reached in time, or it refused."""

    code = "exchange_failed"
    http_status = 502
    exit_code = 6


class _TooLarge(ExchangeFailed):
    def __init__(self) -> None:
        super().__init__("the peer refuses a chunk this large")


def url_clean(url: str) -> str:
    """The peer's base address: http(s)://host[:port][/prefix], without a trailing slash."""
    text = url.strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationFailed(
            {
                "url": gettext(
                    "the peer's address, as http://HOST:PORT (the address of its Lifeline)"
                )
            }
        )
    if parts.query or parts.fragment:
        raise ValidationFailed({"url": gettext("an address without ?query or #fragment")})
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


@dataclass
class _Link:
    """One peer at one address, called with signed, numbered requests, sent again on failure."""

    base: str
    timeout: float
    deadline: float  # time.monotonic() after which a failing request is given up
    record: Exchange
    on_retry: Callable[[], None]
    peer: Peer | None = None

    def hello(self) -> dict[str, Any]:
        raw, _ = self._request("GET", "/api/sync/exchange/hello/", None, dict)
        try:
            value = json.loads(raw)
            return {"site": uuid.UUID(str(value["site"])), "name": str(value["name"])}
        except (ValueError, KeyError, TypeError):
            raise ExchangeFailed(
                gettext("%(url)s does not answer as a Lifeline site (no sync hello there)")
                % {"url": self.base}
            ) from None

    def call(self, op: str, body: bytes) -> bytes:
        """Send a signed request and check the signed answer."""
        peer = self.peer
        if peer is None:
            raise ExchangeFailed(gettext("hello first: the peer is not known yet"))
        sent: dict[str, int] = {}

        def sign() -> dict[str, str]:
            # Signed anew with a new number each time it is sent: a number is accepted once.
            sent["seq"] = _seq_next(peer)
            headers = exchange.signed_headers(
                tag=exchange.REQUEST_TAG, op=op, to=peer.site_id, seq=sent["seq"], body=body
            )
            headers["Content-Type"] = exchange.CONTENT_TYPE
            return headers

        raw, answer = self._request("POST", f"/api/sync/exchange/{op}/", body, sign)
        signed = exchange.signed_read(answer)
        if signed.sender != peer.site_id or signed.seq != sent["seq"]:
            raise ExchangeRefused(
                "signature",
                gettext("the answer from %(url)s is not an answer to this request")
                % {"url": self.base},
            )
        exchange.signature_check(
            tag=exchange.ANSWER_TAG,
            op=op,
            signed=signed,
            body=raw,
            public_key=bytes(peer.public_key),
            name=peer.site.name,
        )
        return raw

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers_made: Callable[[], dict[str, str]],
    ) -> tuple[bytes, dict[str, str]]:
        """One request, sent again while the network fails (loss, a partition, the peer
        restarting), waiting longer each time, until the deadline."""
        wait = 0.25
        while True:
            try:
                return self._send(method, path, body, headers_made())
            except urllib.error.HTTPError as error:
                if error.code not in _RETRY_STATUSES:
                    self._refused(error)
                failure = f"HTTP {error.code}"
            except _NETWORK_ERRORS as error:
                failure = str(getattr(error, "reason", None) or error) or type(error).__name__
            if time.monotonic() + wait > self.deadline:
                raise ExchangeFailed(
                    gettext(
                        "%(url)s could not be reached in time (last: %(failure)s); "
                        "run the exchange again: it resumes where it stopped"
                    )
                    % {"url": self.base, "failure": failure}
                )
            self.on_retry()
            time.sleep(wait)
            wait = min(wait * 2, 4.0)

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[bytes, dict[str, str]]:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked: http(s)
            self.base + path, data=body, method=method, headers=headers
        )
        request.add_header("Accept", f"{exchange.CONTENT_TYPE}, application/json")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return response.read(), dict(response.headers.items())

    def _refused(self, error: urllib.error.HTTPError) -> None:
        if error.code == 413:
            raise _TooLarge
        try:
            detail = json.loads(error.read())["error"]
            message, code = str(detail["message"]), str(detail.get("code") or "refused")
        except (ValueError, KeyError, TypeError, OSError):
            message, code = f"HTTP {error.code}", "refused"
        raise ExchangeRefused(
            code,
            gettext("%(url)s refused the exchange: %(message)s")
            % {"url": self.base, "message": message},
        )


def _seq_next(peer: Peer) -> int:
    """The number of this site's next request to the peer: never below the clock's
    milliseconds, so a site restored from an older backup still moves forward."""
    with transaction.atomic():
        link, _ = PeerLink.objects.select_for_update().get_or_create(peer=peer)
        link.seq_out = max(link.seq_out + 1, wall_ms())
        link.save(update_fields=["seq_out"])
        return link.seq_out


def _advance(position: dict[str, str], feed: dict[str, Any]) -> bool:
    """Move what was received (or sent) of each writer site to the end of the chunk's range for
    it, or to its last change carried: a chunk carries each writer's changes after `position`
    in version order, so everything up to its last one has come."""
    ends: dict[str, str] = {}
    for source, pair in (feed.get("ranges") or {}).items():
        if isinstance(pair, list | tuple) and len(pair) > 1 and pair[1]:
            ends[str(source)] = str(pair[1])
    for change in feed["changes"]:
        version = str(change["v"])
        source = hlc.decode(version).site
        if version > ends.get(source, ""):
            ends[source] = version
    moved = False
    for source, end in ends.items():
        if end > position.get(source, ""):
            position[source] = end
            moved = True
    return moved


def _saved(record: Exchange, progress: ProgressFn | None, *fields: str) -> None:
    record.updated_at = timezone.now()
    record.save(update_fields=[*fields, "updated_at"])
    if progress is not None:
        progress(record)


def exchange_start(*, actor: Actor | None, url: str, peer_code: str | None = None) -> Exchange:
    """The record of an exchange about to run (checked: the caller may, the address is one;
    with `peer_code`, the site answering there must be that peer)."""
    permission_require(actor, "sync.change_peer", doing=gettext("exchange with a peer site"))
    clean = url_clean(url)
    peer = None
    if peer_code is not None:
        peer = Peer.objects.select_related("site").filter(site__code=peer_code).first()
        if peer is None:
            raise ValidationFailed(
                {"peer": gettext("no peer site %(code)s") % {"code": repr(peer_code)}}
            )
    return Exchange.objects.create(url=clean, started_by=actor_user(actor), peer=peer)


def exchange_spawn(*, actor: Actor | None, record: Exchange) -> threading.Thread:
    """Run the exchange in a thread of this process (the page that started it shows its
    progress from the record); its database connection is closed when it ends."""

    def run() -> None:
        try:
            exchange_run(actor=actor, record=record)
        except LifelineError:
            pass  # the record says why it stopped
        except Exception as error:  # a thread's error reaches no one: the record says it
            logger.exception("sync exchange %s stopped", record.pk)
            record.state = Exchange.State.FAILED
            record.message = f"stopped by an error: {error!r}"[:500]
            record.finished_at = timezone.now()
            record.save(update_fields=["state", "message", "finished_at"])
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=f"sync-exchange-{record.pk}", daemon=True)
    thread.start()
    return thread


def exchange_get(*, actor: Actor | None, exchange_id: uuid.UUID) -> Exchange:
    permission_require(actor, "sync.view_peer", doing=gettext("see the sync status"))
    record = Exchange.objects.select_related("peer__site").filter(pk=exchange_id).first()
    if record is None:
        raise NotFound(gettext("no exchange %(id)s") % {"id": exchange_id})
    return record


# A running exchange whose record has not moved for this long has stopped (its process ended:
# the thread lives in a web server that may have been restarted).
STALLED_AFTER = timedelta(minutes=5)


def exchange_stalled(record: Exchange) -> bool:
    """True when the exchange says it runs but has made no progress for STALLED_AFTER."""
    return (
        record.state == Exchange.State.RUNNING
        and timezone.now() - record.updated_at > STALLED_AFTER
    )


def peer_urls(*, actor: Actor | None) -> dict[str, str]:
    """Each peer's known address, by site code (learnt at its last exchange)."""
    permission_require(actor, "sync.view_peer", doing=gettext("see the sync status"))
    return dict(PeerLink.objects.exclude(url="").values_list("peer__site__code", "url"))


def exchanges_recent(*, actor: Actor | None, limit: int = 5) -> list[Exchange]:
    permission_require(actor, "sync.view_peer", doing=gettext("see the sync status"))
    return list(Exchange.objects.select_related("peer__site")[:limit])


def exchange_run(
    *,
    actor: Actor | None,
    record: Exchange,
    chunk: int = exchange.CHUNK_DEFAULT,
    timeout: float = 20.0,
    give_up_after: float = 300.0,
    progress: ProgressFn | None = None,
) -> Exchange:
    """Pull then push with the peer at `record.url` until both sides have each other's
    changes; the record says how far it got (and why it stopped, when it failed)."""
    permission_require(actor, "sync.change_peer", doing=gettext("exchange with a peer site"))

    def retried() -> None:
        record.retries += 1
        _saved(record, progress, "retries")

    link = _Link(
        base=record.url,
        timeout=timeout,
        deadline=time.monotonic() + give_up_after,
        record=record,
        on_retry=retried,
    )
    try:
        if not 1 <= chunk <= exchange.CHUNK_MAX:
            raise ValidationFailed(
                {"chunk": gettext("from 1 to %(max)s changes") % {"max": exchange.CHUNK_MAX}}
            )
        if timeout <= 0 or give_up_after < 0:
            raise ValidationFailed(
                {"timeout": gettext("seconds above 0 (and give-up-after from 0)")}
            )
        _exchange(link, record, chunk, progress)
    except (LifelineError, FeedRefused) as error:
        record.state = Exchange.State.FAILED
        record.message = error.message[:500]
        record.finished_at = timezone.now()
        _saved(record, progress, "state", "message", "finished_at")
        raise
    record.state = Exchange.State.DONE
    record.finished_at = timezone.now()
    _saved(record, progress, "state", "finished_at")
    audit_record(
        actor=actor,
        action="sync.exchange",
        obj=record.peer.site if record.peer is not None else None,
        summary=f"exchange with {record.url}: {record.pulled} received ({record.applied} "
        f"applied), {record.pushed} sent",
    )
    return record


def _exchange(link: _Link, record: Exchange, chunk: int, progress: ProgressFn | None) -> None:
    hello = link.hello()
    here = site_local()
    if hello["site"] == here.pk:
        raise ValidationFailed(
            {"url": gettext("%(url)s is this site itself") % {"url": record.url}}
        )
    peer = Peer.objects.select_related("site").filter(site_id=hello["site"]).first()
    expected = record.peer
    if expected is not None and hello["site"] != expected.site_id:
        raise ValidationFailed(
            {
                "url": gettext("%(name)s answers at %(url)s, not %(expected)s")
                % {"name": hello["name"], "url": record.url, "expected": expected.site.name}
            }
        )
    if peer is None:
        raise ExchangeRefused(
            "unknown_site",
            gettext(
                "%(name)s answers at %(url)s but is not a registered peer here: "
                "register it with `lifeline sync peer add IDENTITY` first"
            )
            % {"name": hello["name"], "url": record.url},
        )
    link.peer = peer
    record.peer = peer
    record.phase = "pull"
    _saved(record, progress, "peer", "phase")
    PeerLink.objects.update_or_create(peer=peer, defaults={"url": record.url})

    # Pull: from what this site has (its cursors); within the exchange, from what it received.
    since = cursors_mine()
    theirs: dict[str, str] = {}
    while True:
        body = exchange.small_pack({"since": since, "cursors": cursors_mine(), "limit": chunk})
        feed = exchange.feed_read(link.call("pull", body))
        exchange.chunk_check(feed, sender=peer.site, here=here)
        try:
            with transaction.atomic():
                report = feed_apply(feed).apply
                locked = Peer.objects.select_for_update().get(pk=peer.pk)
                theirs = exchange.versions_read(feed.get("cursors"), "cursors")
                for source, version in theirs.items():
                    if version > locked.acked.get(source, ""):
                        locked.acked[source] = version
                locked.last_received_at = timezone.now()
                locked.save(update_fields=["acked", "last_received_at"])
        except FeedRefused as exc:
            raise exchange.feed_refused(exc) from exc
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ExchangeRefused(
                "body",
                gettext("a change from the peer cannot be read: %(error)s") % {"error": repr(exc)},
            ) from exc
        remaining = int(feed.get("remaining") or 0)
        record.pull_total = max(record.pull_total, record.pulled + remaining)
        record.pulled += len(feed["changes"])
        record.applied += report.applied
        _saved(record, progress, "pull_total", "pulled", "applied")
        if not _advance(since, feed) or not feed.get("more"):
            break

    # Push: from what the peer said it has.
    record.phase = "push"
    sent_from = dict(theirs)
    record.push_total = exchange.changes_lacking(sent_from, protected=peer.may_hold_protected)
    _saved(record, progress, "phase", "push_total")
    size = chunk
    while True:
        out = feed_build(
            scope=FeedScope(since=sent_from, protected=peer.may_hold_protected),
            recipient=peer.site,
            limit=size,
        )
        if not out["changes"]:
            break
        try:
            answer = exchange.small_unpack(
                link.call("push", feed_pack(out)), gettext("push answer")
            )
        except _TooLarge:
            if size == 1:
                raise ExchangeFailed(
                    gettext("the peer refuses even one change as too large")
                ) from None
            size = max(1, size // 2)
            continue
        have = exchange.versions_read(answer.get("cursors"), "cursors")
        with transaction.atomic():
            locked = Peer.objects.select_for_update().get(pk=peer.pk)
            for source, version in have.items():
                if version > locked.acked.get(source, ""):
                    locked.acked[source] = version
            locked.last_sent_at = timezone.now()
            locked.save(update_fields=["acked", "last_sent_at"])
        record.pushed += len(out["changes"])
        record.push_total = max(record.push_total, record.pushed)
        _saved(record, progress, "pushed", "push_total")
        if not _advance(sent_from, out) or not out.get("more"):
            break
