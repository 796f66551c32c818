"""Group commit between writers: each request is written once, in some writer's batch, and
its result comes back to the writer that asked, however the batches fell."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from lifeline.core.groupcommit import GroupCommit, GroupCommitFailed, Payload


def test_each_writer_gets_the_results_of_its_own_requests_when_others_wrote_them(
    tmp_path: Path,
) -> None:
    group = GroupCommit(tmp_path / "spool")
    batches: list[list[str]] = []
    start = threading.Barrier(6)
    got: dict[int, list[Payload]] = {}

    def write(requests: Sequence[Payload]) -> list[Payload]:
        batches.append([r["key"] for r in requests])
        time.sleep(0.003)  # a transaction's time: the others queue up meanwhile
        return [{"echo": r["key"]} for r in requests]

    def writer(k: int) -> None:
        start.wait()
        got[k] = [group.submit({"key": f"{k}-{n}"}, write) for n in range(25)]

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    for k in range(6):
        assert got[k] == [{"echo": f"{k}-{n}"} for n in range(25)]
    written = [key for batch in batches for key in batch]
    assert sorted(written) == sorted(f"{k}-{n}" for k in range(6) for n in range(25))
    assert max(len(batch) for batch in batches) > 1  # some batch held several writers' requests
    assert not list((tmp_path / "spool").glob("*.req"))


def test_a_failing_batch_fails_its_requests_and_leaves_nothing_to_retry(tmp_path: Path) -> None:
    group = GroupCommit(tmp_path / "spool")

    def write(requests: Sequence[Payload]) -> list[Payload]:
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        group.submit({"key": "a"}, write)
    assert not list((tmp_path / "spool").glob("*.req"))
    assert group.submit({"key": "b"}, lambda requests: [{"ok": True} for _ in requests]) == {
        "ok": True
    }


def test_a_waiter_is_told_when_the_batch_it_was_in_failed(tmp_path: Path) -> None:
    group = GroupCommit(tmp_path / "spool")
    in_write = threading.Event()
    outcomes: dict[str, object] = {}

    def write(requests: Sequence[Payload]) -> list[Payload]:
        if requests[0]["key"] == "b":
            raise ValueError("disk full")
        in_write.set()
        deadline = time.monotonic() + 5
        while len(list((tmp_path / "spool").glob("*.req"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.001)  # until the other writer's request is in the spool
        return [{"ok": r["key"]} for r in requests]

    def submit(key: str) -> None:
        if key == "b":
            in_write.wait()
        try:
            outcomes[key] = group.submit({"key": key}, write)
        except GroupCommitFailed as exc:
            outcomes[key] = exc

    threads = [threading.Thread(target=submit, args=(key,)) for key in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # "a" led its batch, then wrote "b" (which came in meanwhile) as the next one, which failed.
    assert outcomes["a"] == {"ok": "a"}
    assert isinstance(outcomes["b"], GroupCommitFailed) and "disk full" in str(outcomes["b"])
    assert not list((tmp_path / "spool").glob("*.req"))


def test_requests_left_by_a_leader_that_died_are_written_by_the_next(tmp_path: Path) -> None:
    group = GroupCommit(tmp_path / "spool")
    group.submit({"key": "warm-up"}, lambda requests: [{} for _ in requests])  # makes the folder
    orphan = {"pipe": "999999999-1.pipe", "request": {"key": "orphan"}}  # its writer has gone
    (tmp_path / "spool" / "00000000000000000001-0000001-000000001.req").write_text(
        json.dumps(orphan)
    )
    seen: list[str] = []

    def write(requests: Sequence[Payload]) -> list[Payload]:
        seen.extend(r["key"] for r in requests)
        return [{"ok": r["key"]} for r in requests]

    assert group.submit({"key": "next"}, write) == {"ok": "next"}
    assert seen == ["orphan", "next"]
    assert not list((tmp_path / "spool").glob("*.req"))
