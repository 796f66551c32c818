"""The codec benchmark's corpus round-trips and fits the radio budget (a quick run; no timing)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lifeline.intel import codec
from lifeline.intel.cot import cot_export


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_codec", Path(__file__).with_name("codec.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_report_of_the_benchmark_corpus_fits_and_round_trips() -> None:
    bench = _bench()
    reports = bench.report_corpus(600)
    assert {r.type for r in reports} == set(codec.ReportType)
    packets = [codec.encode(r) for r in reports]
    assert max(len(p) for p in packets) <= codec.MAX_PACKET_BYTES
    assert all(codec.decode(p) == codec.normalise(r) for p, r in zip(packets, reports, strict=True))
    ours = sum(len(p) for p in packets)
    cot = sum(len(cot_export(r, mission_start=bench.START).encode()) for r in reports)
    assert cot / ours >= 10
