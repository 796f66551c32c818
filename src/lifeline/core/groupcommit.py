"""Group commit between processes: writers that share one SQLite file hand their writes to
whichever of them holds the writers' lock, which writes every waiting request in one
transaction and hands each request its own result. No Django here.

SQLite lets one writer in at a time, and each transaction pays a fixed cost (taking the lock,
the clock row, one statement per table, the write-ahead-log pages of every index it touches)
that a queue of one-row writes pays again and again; its busy handler also polls with sleeps
that grow to 100 ms, so writers sleep while the database is free. Here a writer:

1. drops its request in a spool folder (a JSON file, written whole and then renamed in);
2. tries the writers' lock (an `flock` of a file in that folder) without waiting. If it gets
   it, it leads: it takes every request in the spool, calls `write(requests)` once, sends each
   other request's result to its writer and removes the requests; then it looks again, and
   writes the requests that came in meanwhile as the next batch, until the spool is empty (or
   it has led `MAX_ROUNDS` batches), before it lets the lock go.
3. Otherwise it waits for its result on its own named pipe (one per thread, kept open). The
   leader's write wakes it at once; if no result comes within `RETRY_S` (its request came in
   just as a leader was letting go), it tries the lock again.

`write` commits before it returns, so a result is only ever sent for a committed write. A
leader that dies mid-batch leaves the requests in the spool, and the next leader writes them;
one that dies after its commit but before sending the results leaves requests that the next
leader writes again, which the caller's own rules must refuse as repeats (a ration has the
database's unique constraint). If `write` raises, every request of that batch gets the error,
so that no waiter retries a batch that fails; the leader raises it too if its own request
was in that batch.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import json
import os
import select
import stat
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Payload = dict[str, Any]
Writer = Callable[[Sequence[Payload]], Sequence[Payload]]

MAX_BATCH = 64  # requests written in one transaction at most (bounds the lock-holding time)
MAX_ROUNDS = 16  # batches one leader writes before it lets another process lead
RETRY_S = 0.005  # a waiter with no result by then tries the lock itself

_ERROR = "__groupcommit_error__"
_counter = itertools.count()


class GroupCommitFailed(RuntimeError):
    """The batch this request was written in failed; the message is the leader's error."""


class GroupCommit:
    """The spool and lock of one database file: `GroupCommit(folder).submit(request, write)`."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._local = threading.local()

    # ---- per thread: the lock's descriptor and the pipe results come back on -------------

    def _fds(self) -> tuple[int, int, str]:
        """(lock descriptor, pipe descriptor, pipe name) of this thread of this process. A
        descriptor inherited through a fork is not reused: flock belongs to the open file,
        which a fork shares, and the pipe's name carries the process id."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = os.open(self.folder / "writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
            name = f"{os.getpid()}-{threading.get_ident()}.pipe"
            path = self.folder / name
            path.unlink(missing_ok=True)  # left by a dead process with the same id
            os.mkfifo(path, 0o600)
            # Read and write: opening does not wait for a writer, and reads never see an end.
            pipe = os.open(path, os.O_RDWR | os.O_NONBLOCK)
            local.pid, local.fds = os.getpid(), (lock, pipe, name)
        fds: tuple[int, int, str] = local.fds
        return fds

    def submit(self, request: Payload, write: Writer) -> Payload:
        """Write `request` (JSON-able) in some process's next batch and return its result."""
        lock, pipe, pipe_name = self._fds()
        name = f"{time.time_ns():020d}-{os.getpid():07d}-{next(_counter):09d}"
        self._put(f"{name}.req", {"pipe": pipe_name, "request": request})
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                result = self._wait(pipe, name, RETRY_S)
            else:
                try:
                    result = self._receive(pipe, name)  # sent just before the lock was free
                    if result is None:
                        result = self._lead(name, write)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
            if result is not None:
                break
        if _ERROR in result:
            raise GroupCommitFailed(str(result[_ERROR]))
        return result

    def _wait(self, pipe: int, name: str, timeout: float) -> Payload | None:
        readable, _, _ = select.select([pipe], [], [], timeout)
        return self._receive(pipe, name) if readable else None

    def _receive(self, pipe: int, name: str) -> Payload | None:
        """This request's result, if it has come; results of earlier requests (whose waiter
        gave up, e.g. interrupted) are dropped."""
        while True:
            try:
                data = os.read(pipe, 65536)
            except BlockingIOError:
                return None
            for line in data.decode().splitlines():
                message = json.loads(line)
                if message["name"] == name:
                    result: Payload = message["result"]
                    return result

    # ---- the leader ----------------------------------------------------------------------

    def _lead(self, own: str, write: Writer) -> Payload:
        mine: Payload | None = None
        for _ in range(MAX_ROUNDS):
            names = sorted(e.name[:-4] for e in os.scandir(self.folder) if e.name.endswith(".req"))
            if mine is None and own not in names:
                raise RuntimeError("the leader's own request is gone from the spool")
            if not names:
                break
            batch = names[:MAX_BATCH]
            if mine is None and own not in batch:  # more waiting than one batch takes
                batch = [own, *batch[: MAX_BATCH - 1]]
            spooled = [json.loads((self.folder / f"{n}.req").read_bytes()) for n in batch]
            requests = [s["request"] for s in spooled]
            try:
                results = list(write(requests))
                if len(results) != len(requests):
                    raise RuntimeError(f"{len(results)} results for {len(requests)} requests")
            except BaseException as exc:
                failed = [{_ERROR: f"{type(exc).__name__}: {exc}"} for _ in requests]
                self._send(batch, spooled, failed)
                if mine is None:  # its own request failed with the batch
                    raise
                break  # its own request was written in an earlier batch: that stands
            for n, result in zip(batch, results, strict=True):
                if n == own:
                    mine = result
            self._send(batch, spooled, results, skip=own)
        if mine is None:  # cannot be: its own request is in the first batch
            raise RuntimeError("the leader's own request was not written")
        return mine

    def _send(
        self,
        batch: list[str],
        spooled: list[Payload],
        results: list[Payload],
        skip: str | None = None,
    ) -> None:
        for n, s, result in zip(batch, spooled, results, strict=True):
            if n != skip:
                self._deliver(s["pipe"], n, result)
            (self.folder / f"{n}.req").unlink(missing_ok=True)

    def _deliver(self, pipe_name: str, name: str, result: Payload) -> None:
        line = (json.dumps({"name": name, "result": result}) + "\n").encode()
        try:
            fd = os.open(self.folder / pipe_name, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # nobody reads it: its process has gone
                (self.folder / pipe_name).unlink(missing_ok=True)
                return
            if exc.errno == errno.ENOENT:
                return
            raise
        try:
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):
                return
            os.write(fd, line)  # under PIPE_BUF bytes: written whole, never interleaved
        finally:
            os.close(fd)

    def _put(self, filename: str, payload: Payload) -> None:
        tmp = self.folder / f"{filename}.tmp"
        tmp.write_bytes(json.dumps(payload).encode())
        os.replace(tmp, self.folder / filename)
