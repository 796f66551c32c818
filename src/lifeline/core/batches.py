"""Write batches: many rows written in several short transactions as one (a bulk import), and
what becomes of a batch whose writer died before finishing it.

A batch is a `WriteBatch` row, `open` from before its first row is written until the
transaction of its last, which marks it `done`. While it is open its writer holds a lock that
dies with the process, even under SIGKILL: an OS lock on a file under `var/batches/` next to a
SQLite database, a session advisory lock on PostgreSQL (released when its connection drops).

`batches_sweep` finds the open batches whose lock nobody holds (their writer is gone) and
removes their rows through the sweeper the owning app registered for the batch's kind
(`batch_sweeper_register`), then marks them `discarded`. It runs when the server, the worker
and the `lifeline` command start, in the worker's every pass, and before sync builds a feed.

Why a sweep and not rows hidden until their batch is done: every reader (selectors, search,
the name index, exports, sync) would have to know of batches, and one that did not would show
or ship rows of a batch that may never finish. Sync is the reader that must never be wrong
(a change that left the site cannot be called back), so it alone also holds back: it ships no
change of this site at or after the clock version at which the oldest open batch began
(`shippable_top`), live batch or dead, until the batch is done or swept.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Min
from django.utils import timezone

from lifeline.core.keys import KeysLocked
from lifeline.core.models import WriteBatch

log = logging.getLogger(__name__)

# kind -> removes the rows of a batch of that kind (called inside a transaction)
Sweeper = Callable[[WriteBatch], None]
SWEEPERS: dict[str, Sweeper] = {}

# The locks this process holds, by batch id: a file (SQLite) or True (a PostgreSQL
# session lock, which this process's own connection would be granted again).
_HELD: dict[Any, Any] = {}


def batch_sweeper_register(kind: str, sweeper: Sweeper) -> None:
    """How the rows of an unfinished batch of `kind` are removed (the owning app's job)."""
    SWEEPERS[kind] = sweeper


def _lock_path(batch_id: Any) -> Path:
    folder = Path(settings.VAR_DIR) / "batches"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{batch_id}.lock"


def _advisory_key(batch_id: Any) -> int:
    return int.from_bytes(batch_id.bytes[8:], "big", signed=True)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def batch_open(kind: str) -> WriteBatch:
    """Open a batch (committed at once, in its own transaction, when called outside one) with
    this process holding its lock: taken before the row is visible, so that no sweep ever
    sees it open and unheld."""
    from lifeline.core.clock import clock_tick

    batch = WriteBatch(kind=kind, holder=f"{socket.gethostname()} {os.getpid()}")
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key(batch.pk)])
        _HELD[batch.pk] = True
    else:
        handle = _lock_path(batch.pk).open("a")
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        _HELD[batch.pk] = handle
    try:
        with transaction.atomic():
            batch.low_version = clock_tick().version
            batch.save()
    except BaseException:
        _release(batch.pk)
        raise
    return batch


def batch_finish(batch: WriteBatch) -> None:
    """Mark the batch done, inside the transaction that writes its last rows; then
    `batch_release` once that transaction is over."""
    WriteBatch.objects.filter(pk=batch.pk).update(state=WriteBatch.DONE, finished_at=_now())


def batch_release(batch: WriteBatch) -> None:
    """Let go of a finished batch's lock (a no-op when it was released already)."""
    _release(batch.pk)


def batch_discarded(batch: WriteBatch) -> None:
    """Mark the batch discarded (its writer removed its rows itself, after a failure)."""
    with transaction.atomic():
        WriteBatch.objects.filter(pk=batch.pk).update(
            state=WriteBatch.DISCARDED, finished_at=_now()
        )
    _release(batch.pk)


def _now() -> Any:
    return timezone.now()


def _release(batch_id: Any) -> None:
    held = _HELD.pop(batch_id, None)
    if held is None:
        return
    if held is True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(batch_id)])
        return
    held.close()  # closing the file releases its lock
    _lock_path(batch_id).unlink(missing_ok=True)


def _try_hold(batch_id: Any) -> Any:
    """The lock of a batch if nobody holds it (its writer is gone), else None."""
    if batch_id in _HELD:
        return None  # this process is writing it
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(batch_id)])
            row = cursor.fetchone()
        return True if row and row[0] else None
    handle = _lock_path(batch_id).open("a")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def batches_sweep() -> list[WriteBatch]:
    """Remove the rows of every open batch whose writer is gone; returns those batches."""
    swept = []
    for batch in WriteBatch.objects.filter(state=WriteBatch.OPEN).order_by("started_at"):
        sweeper = SWEEPERS.get(batch.kind)
        if sweeper is None:
            continue  # the app that owns it is not installed here: left as it is
        held = _try_hold(batch.pk)
        if held is None:
            continue
        _HELD[batch.pk] = held
        try:
            with transaction.atomic():
                # Read again under the lock: another sweep may have finished it meanwhile.
                current = WriteBatch.objects.select_for_update().filter(pk=batch.pk).first()
                if current is None or current.state != WriteBatch.OPEN:
                    continue
                sweeper(current)
                current.state, current.finished_at = WriteBatch.DISCARDED, _now()
                current.save(update_fields=["state", "finished_at"])
            swept.append(current)
            log.warning("removed the rows of %s: its writer stopped before finishing", current)
        finally:
            _release(batch.pk)
    return swept


def batches_sweep_quietly() -> list[WriteBatch]:
    """`batches_sweep` at a start (server, worker, command): a database that cannot be read
    yet (not migrated, busy, or locked down: `lifeline unlock` must still run) is logged,
    never fatal; the next start or pass sweeps."""
    try:
        return batches_sweep()
    except (DatabaseError, KeysLocked) as exc:
        log.warning("could not look for unfinished batches (%s); will look again later", exc)
        return []


def shippable_top(top: str) -> str:
    """The highest version of this site's changes that may leave it, given the highest one
    it has (`top`): short of the first version of the oldest open batch. Read `top` before
    calling: a batch opened after it has only later versions (this site's writes commit in
    clock order: the clock row is locked until each commits)."""
    low = WriteBatch.objects.filter(state=WriteBatch.OPEN).aggregate(low=Min("low_version"))
    if low["low"] is None or low["low"] > top:
        return top
    from lifeline.core import hlc

    stamp = hlc.decode(low["low"])
    if stamp.counter > 0:
        return hlc.Timestamp(stamp.ms, stamp.counter - 1, stamp.site).encode()
    return hlc.Timestamp(max(stamp.ms - 1, 0), hlc.COUNTER_LIMIT, stamp.site).encode()
