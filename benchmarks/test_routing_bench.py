"""The routing benchmark at a small scale: every key is there and every baseline finds the
same cost as the router (a quick run; no timing is asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_routing", Path(__file__).with_name("routing.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_routing_benchmark_runs_small_and_every_baseline_agrees_on_the_costs() -> None:
    result = _bench().measure(scale=900, queries=20, baseline_queries=4, zones=6, seed=3)
    assert result["cost_mismatches"] == 0
    assert result["routes_found"] > 0
    for key in (
        "cpu_p95_ms",
        "change_to_route_ms",
        "bidirectional_networkx_p95_ms",
        "scipy_p95_ms",
        "pyroutingkit_p95_ms",
        "update_ms",
        "speedup",
    ):
        assert key in result
    assert 0 < result["change_streets_share"] < 0.05  # type: ignore[operator]
