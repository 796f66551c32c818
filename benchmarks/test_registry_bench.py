"""Smoke test of the registry benchmark at a tiny scale: it runs, prints its table and writes
var/bench/registry.json with the keys shared/BENCHMARKS.md names. Times are not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.slow
def test_the_registry_benchmark_runs_at_a_tiny_scale_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    # Its own var/ folder: the smoke test never overwrites the figures of a real run.
    env = {**os.environ, "LIFELINE_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(HERE / "registry.py"), "--scale", "60", "--queries", "10"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "register_per_s" in done.stdout
    figures = json.loads((tmp_path / "bench" / "registry.json").read_text())
    for key in ("persons", "register_per_s", "list_p95_ms", "filter_p95_ms", "database"):
        assert key in figures
    assert figures["persons"] == 60
    assert figures["targets_hold"] is True
    assert {"cores", "memory_mb", "python", "database"} <= set(figures["machine"])
    assert not list((tmp_path / "bench").glob("registry.sqlite3*"))
