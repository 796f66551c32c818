"""Smoke test of the duplicates benchmark at a tiny scale on its small hand-written crowd (no
names-dataset, no Splink needed): it registers through the services, runs the finder as the
product does, prints its table and writes var/bench/duplicates.json with the keys
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
    "persons", "planted_pairs", "precision", "recall", "f1", "splink_precision",
    "splink_recall", "splink_f1", "namesakes_proposed", "placeholder_pairs", "heldout_f1",
    "seconds", "splink_seconds",
)  # fmt: skip


@pytest.mark.slow
def test_the_duplicates_benchmark_runs_at_a_tiny_scale_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "LIFELINE_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [
            sys.executable, str(HERE / "duplicates.py"), "--scale", "300", "--crowd", "fixture",
            "--no-splink",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip

    assert done.returncode in (0, 1), done.stderr  # 1: a target missed, said in the table
    assert "placeholder_pairs" in done.stdout
    figures = json.loads((tmp_path / "bench" / "duplicates.json").read_text())
    for key in KEYS:
        assert key in figures
    assert figures["persons"] == 300
    assert 0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["recall"] <= 1.0
    assert figures["placeholder_pairs"] == 0
    assert figures["splink_f1"] is None  # left out, said so rather than made up
    assert {"cores", "memory_mb", "python", "database"} <= set(figures["machine"])
    assert not list((tmp_path / "bench").glob("duplicates.sqlite3*"))
