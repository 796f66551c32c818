"""Smoke test of the sync benchmark at a tiny scale: it runs, prints its table and writes
var/bench/sync.json with the keys shared/BENCHMARKS.md names. Times are not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="sqlite_only: this benchmark runs on SQLite only for now",
)
@pytest.mark.slow
def test_the_sync_benchmark_runs_at_a_tiny_scale_and_writes_its_figures(tmp_path: Path) -> None:
    # Its own var/ folder: the smoke test never overwrites the figures of a real run.
    env = {**os.environ, "LIFELINE_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(HERE / "sync.py"), "--scale", "300"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert "apply_per_s" in done.stdout, done.stderr
    figures = json.loads((tmp_path / "bench" / "sync.json").read_text())
    for key in (
        "changes",
        "bundle_bytes",
        "json_bytes",
        "json_ratio",
        "apply_per_s",
        "baseline_apply_per_s",
        "converged",
        "lost",
    ):
        assert key in figures
    assert figures["changes"] >= 300
    assert figures["converged"] is True and figures["lost"] == 0
    assert figures["json_ratio"] >= 5
    assert {"cores", "memory_mb", "python", "database"} <= set(figures["machine"])
    assert not list((tmp_path / "bench").glob("sync-sites-*"))
