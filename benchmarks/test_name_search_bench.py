"""Smoke test of the name search benchmark at a tiny scale on the small hand-written crowd (no
names-dataset needed): it imports the registry through the services, searches through
person_search and the API, runs rapidfuzz, and writes var/bench/name_search.json with the keys
shared/BENCHMARKS.md names. Figures are not asserted beyond their presence and range."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
KEYS = (
    "persons", "queries", "build_s", "index_mb", "p50_ms", "p95_ms", "recall_at_1",
    "recall_at_10", "rapidfuzz_p95_ms", "rapidfuzz_recall_at_10", "user_path",
    "given_family", "given", "family", "arabic", "heldout_recall_at_10",
    "distinct_scored_same",
)  # fmt: skip


@pytest.mark.slow
def test_the_name_search_benchmark_runs_at_a_tiny_scale_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "LIFELINE_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [
            sys.executable, str(HERE / "name_search.py"), "--scale", "300", "--queries", "40",
            "--api-queries", "5", "--crowd", "fixture",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    figures = json.loads((tmp_path / "bench" / "name_search.json").read_text())
    for key in KEYS:
        assert key in figures
    assert figures["persons"] == 300 and figures["user_path"] is True
    for kind in ("given_family", "given", "family", "arabic"):
        block = figures[kind]
        assert 0.0 <= block["recall_at_1"] <= block["recall_at_10"] <= 1.0
        assert block["recall_at_10"] <= block["found_within_100"] <= 1.0
    assert not list((tmp_path / "bench").glob("name_search.sqlite3*"))
