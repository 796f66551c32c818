"""Radio codec benchmark: packet bytes of every report type against the same reports as
Cursor-on-Target XML, and encodes and decodes per second.

    python benchmarks/codec.py [--scale N]    (N reports, default 10,000)

Baselines, the same reports in each (what a team would otherwise send over the radio):
- CoT XML, as `intel.cot.cot_export` writes it and `cot_import` reads it back;
- TAK's protobuf (TAK Protocol version 1, mesh framing, through `takproto`, the TAK
  community's library): the CoT event's typed fields, the rest of its detail as the
  `xmlDetail` text TAK keeps for it. Encode: report -> CoT -> protobuf (`xml2proto`, as
  a TAK client fed our reports would); decode: protobuf -> TakMessage (`parse_proto`),
  not back to a report (takproto has no way back to one), so its decodes are flattered;
- zlib-compressed CoT XML (level 9): encode is CoT then compress, decode is decompress
  then `cot_import`.

Pure Python, no database. Writes var/bench/codec.json (see /work/shared/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import zlib
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
    # Only `make bench` installs takproto (the bench extra); the corpus test does not need it.
    import takproto

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
    cot_bytes = [c.encode() for c in cots]
    taks = [bytes(takproto.xml2proto(c)) for c in cot_bytes]
    assert all(takproto.parse_proto(t) is not None for t in taks[:100]), "takproto round trip"
    zipped = [zlib.compress(c, 9) for c in cot_bytes]
    assert all(zlib.decompress(z) == c for z, c in zip(zipped[:100], cot_bytes, strict=False))
    tak_sizes, zlib_sizes = [len(t) for t in taks], [len(z) for z in zipped]
    tak_mean, zlib_mean = statistics.fmean(tak_sizes), statistics.fmean(zlib_sizes)
    tak_encodes = best_rate(
        reports, lambda r: takproto.xml2proto(cot_export(r, mission_start=START).encode())
    )
    tak_decodes = best_rate(taks, lambda t: takproto.parse_proto(bytearray(t)))
    zlib_encodes = best_rate(
        reports, lambda r: zlib.compress(cot_export(r, mission_start=START).encode(), 9)
    )
    zlib_decodes = best_rate(
        list(zip(zipped, tags, strict=True)),
        lambda pair: cot_import(
            zlib.decompress(pair[0]).decode(), mission_start=START, mission_tag=pair[1]
        ),
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
            Figure("TAK protobuf mean bytes", mean_bytes, tak_mean),
            Figure("TAK protobuf max bytes", max(sizes), max(tak_sizes)),
            Figure("TAK protobuf encodes per s", encodes, tak_encodes),
            Figure("TAK protobuf decodes per s", decodes, tak_decodes),
            Figure("zlib CoT mean bytes", mean_bytes, zlib_mean),
            Figure("zlib CoT max bytes", max(sizes), max(zlib_sizes)),
            Figure("zlib CoT encodes per s", encodes, zlib_encodes),
            Figure("zlib CoT decodes per s", decodes, zlib_decodes),
        ],
        notes=[
            f"TAK protobuf (takproto {takproto.__version__}, mesh framing) is "
            f"{tak_mean / mean_bytes:.1f}x our bytes, zlib-compressed CoT "
            f"{zlib_mean / mean_bytes:.1f}x; TAK decodes stop at its TakMessage "
            "(no way back to a report), ours and CoT's rebuild the report",
            "per type, mean/max bytes: "
            + ", ".join(f"{k} {statistics.fmean(v):.0f}/{max(v)}" for k, v in by_type.items()),
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
        "takproto_mean_bytes": round(tak_mean, 1),
        "takproto_max_bytes": max(tak_sizes),
        "takproto_ratio": round(tak_mean / mean_bytes, 2),
        "takproto_encodes_per_s": round(tak_encodes),
        "takproto_decodes_per_s": round(tak_decodes),
        "takproto_version": takproto.__version__,
        "zlib_cot_mean_bytes": round(zlib_mean, 1),
        "zlib_cot_max_bytes": max(zlib_sizes),
        "zlib_cot_ratio": round(zlib_mean / mean_bytes, 2),
        "zlib_cot_encodes_per_s": round(zlib_encodes),
        "zlib_cot_decodes_per_s": round(zlib_decodes),
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
