"""Radio codec benchmark: packet bytes of every report type against the same reports as
Cursor-on-Target XML, and encodes and decodes per second.

    python benchmarks/codec.py [--scale N]    (N reports, default 10,000)

Pure Python, no database. Writes var/bench/codec.json (see /work/shared/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from common import Figure, machine_info, results_write, table_print

from lifeline.intel import codec
from lifeline.intel.codec import (
    AgeBand,
    Armed,
    Cache,
    CacheItem,
    Casualty,
    CheckIn,
    CheckInStatus,
    Direction,
    Fix,
    RadioReport,
    Severity,
    Sighting,
    SitRep,
    SurvivorCondition,
    SurvivorGroup,
    Survivors,
    Unit,
)
from lifeline.intel.cot import cot_export, cot_import

T = TypeVar("T")

START = dt.datetime(2026, 11, 1, 5, 0, tzinfo=dt.UTC)
PLACES = ["Mavrah", "Qasr al-Hanif", "Bravo", "old school", "water tower", "Wadi Sirr", "km 42"]
GROUPS = ["", "", "Black Scorpions", "Jackals", "Red Hand", "unknown militia"]
ITEMS = ["vaccine", "antibiotics", "water 20L", "rice", "flour", "fuel", "ORS", "blankets"]
SITREPS = [
    "Road clear to checkpoint {p}. Proceeding.",
    "Bridge at {p} down, rerouting north. ETA +40 min.",
    "Holding at {p}, dust storm, visibility 50 m.",
    "Village {p} empty, signs of looting, no bodies.",
    "Smoke seen east of {p}, investigating with caution.",
    "All quiet at {p}. Fuel at half.",
]
REMARKS = ["", "moving fast", "two technicals", "on foot", "dug in near {p}", "watching road"]


def report_corpus(n: int, seed: int = 6) -> list[RadioReport]:
    """`n` reports, every type, in proportions a field day might see; deterministic."""
    rng = random.Random(seed)
    out: list[RadioReport] = []
    for i in range(n):
        fix = Fix(
            mission_tag=rng.getrandbits(32),
            member=rng.randint(1, 8),
            seq=i % 500,
            seconds=rng.randint(0, 12 * 3600),
            lat_e6=33_500_000 + rng.randint(-300_000, 300_000),
            lon_e6=36_300_000 + rng.randint(-300_000, 300_000),
        )
        place = rng.choice(PLACES)
        kind = i % 6
        body: codec.Body
        if kind == 0:
            body = CheckIn(
                rng.choice(list(CheckInStatus)),
                rng.choice(["", "", "on route", f"at {place}"]),
            )
        elif kind == 1:
            body = SitRep(rng.choice(SITREPS).format(p=place))
        elif kind == 2:
            body = Sighting(
                rng.randint(1, 40),
                rng.choice(list(Armed)),
                rng.choice(list(Direction)),
                rng.choice(GROUPS),
                rng.choice(REMARKS).format(p=place),
            )
        elif kind == 3:
            groups = tuple(
                SurvivorGroup(
                    rng.choice(list(AgeBand)),
                    rng.choice(list(SurvivorCondition)),
                    rng.randint(1, 9),
                )
                for _ in range(rng.randint(1, 4))
            )
            body = Survivors(groups, place, rng.choice(["", "sending coordinates", "need water"]))
        elif kind == 4:
            body = Casualty(
                rng.randint(1, 8), rng.choice(list(Severity)), rng.choice(["", "leg", "burns"])
            )
        else:
            items = tuple(
                CacheItem(rng.choice(ITEMS), rng.randint(1, 400), rng.choice(list(Unit)))
                for _ in range(rng.randint(1, 4))
            )
            body = Cache(items, rng.choice(["", "marked for pickup", "cold box"]))
        out.append(RadioReport(fix, body))
    return out


def best_rate(work: Sequence[T], call: Callable[[T], object], rounds: int = 3) -> float:
    """Items per second over `work`, best of `rounds` (the machine is shared and noisy)."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for item in work:
            call(item)
        best = min(best, time.perf_counter() - began)
    return len(work) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="reports (default 10,000)")
    args = parser.parse_args()
    reports = report_corpus(args.scale)
    packets = [codec.encode(r) for r in reports]
    for report, packet in zip(reports, packets, strict=True):
        assert codec.decode(packet) == codec.normalise(report), "round trip failed"
    cots = [cot_export(r, mission_start=START, callsign=f"TEAM-{r.fix.member}") for r in reports]
    sizes = [len(p) for p in packets]
    cot_sizes = [len(c.encode()) for c in cots]
    mean_bytes, cot_mean = statistics.fmean(sizes), statistics.fmean(cot_sizes)
    cot_ratio = cot_mean / mean_bytes
    by_type: dict[str, list[int]] = {}
    for report, size in zip(reports, sizes, strict=True):
        by_type.setdefault(report.type.name.lower(), []).append(size)
    encodes = best_rate(reports, codec.encode)
    decodes = best_rate(packets, codec.decode)
    tags = [r.fix.mission_tag for r in reports]
    cot_encodes = best_rate(reports, lambda r: cot_export(r, mission_start=START))
    cot_decodes = best_rate(
        list(zip(cots, tags, strict=True)),
        lambda pair: cot_import(pair[0], mission_start=START, mission_tag=pair[1]),
    )
    holds_max = max(sizes) <= codec.MAX_PACKET_BYTES
    holds_ratio = cot_ratio >= 10
    table_print(
        f"codec: {len(reports):,} reports of every type (baseline: the same as CoT XML)",
        [
            Figure("mean bytes per report", mean_bytes, cot_mean),
            Figure("CoT bytes / ours", cot_ratio, None, ">= 10", holds_ratio),
            Figure("max bytes per report", max(sizes), max(cot_sizes), "<= 200", holds_max),
            Figure("encodes per s", encodes, cot_encodes),
            Figure("decodes per s", decodes, cot_decodes),
        ],
        notes=[
            "per type, mean/max bytes: "
            + ", ".join(f"{k} {statistics.fmean(v):.0f}/{max(v)}" for k, v in by_type.items())
        ],
    )
    result: dict[str, object] = {
        "reports": len(reports),
        "mean_bytes": round(mean_bytes, 1),
        "max_bytes": max(sizes),
        "cot_mean_bytes": round(cot_mean, 1),
        "cot_max_bytes": max(cot_sizes),
        "cot_ratio": round(cot_ratio, 2),
        "encodes_per_s": round(encodes),
        "decodes_per_s": round(decodes),
        "cot_encodes_per_s": round(cot_encodes),
        "cot_decodes_per_s": round(cot_decodes),
        "mean_bytes_by_type": {k: round(statistics.fmean(v), 1) for k, v in by_type.items()},
        "max_bytes_by_type": {k: max(v) for k, v in by_type.items()},
        "machine": machine_info("none (pure codec, no database)"),
        "targets_hold": holds_max and holds_ratio,
    }
    path = results_write("codec", result)
    print(f"wrote {path}")
    return 0 if result["targets_hold"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
