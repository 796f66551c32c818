"""Smoke test of the backup benchmark at a tiny scale: it runs, prints its table and writes
var/bench/backup.json with the keys shared/BENCHMARKS.md names (with a `pg_` prefix when
DATABASE_URL points at PostgreSQL). Times are not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.slow
def test_the_backup_benchmark_runs_at_a_tiny_scale_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    # Its own var/ folder: the smoke test never overwrites the figures of a real run.
    env = {**os.environ, "LIFELINE_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(HERE / "backup.py"), "--scale", "60"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "backup_s" in done.stdout
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    prefix = "pg_" if on_pg else ""
    figures = json.loads((tmp_path / "bench" / "backup.json").read_text())
    for key in ("persons", "backup_s", "backup_bytes", "restore_s", "verified"):
        assert prefix + key in figures
    assert figures[prefix + "persons"] == 60
    assert figures[prefix + "verified"] is True and figures["targets_hold"] is True
    assert {"cores", "memory_mb", "python", "database"} <= set(figures[prefix + "machine"])
    if on_pg:
        assert figures["pg_database"].startswith("PostgreSQL")
    assert not list((tmp_path / "bench").glob("backup.sqlite3*"))
    assert not (tmp_path / "bench" / "backup-var").exists()
    assert not (tmp_path / "keys").exists()  # the benchmark's keys were its own
