"""A site encrypted at rest from the command line, as `make run` sets it up: keys made before
migrate, a database that plain sqlite3 cannot read, a backup made and verified, a lockdown that
leaves nothing readable and an unlock that brings it all back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]


@pytest.mark.slow
def test_an_encrypted_site_is_backed_up_locked_down_and_unlocked(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LIFELINE_VAR_DIR": str(tmp_path),
        "LIFELINE_ENCRYPTED": "1",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path]),
    }
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and commands
            [sys.executable, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=REPO,
        )

    def lifeline(*args: str) -> subprocess.CompletedProcess[str]:
        return run("-c", "from lifeline.cli import main; main()", *args)

    assert run("manage.py", "lifeline_keys").returncode == 0
    migrated = run("manage.py", "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    assert run("manage.py", "lifeline_setup").returncode == 0

    database = tmp_path / "lifeline-encrypted.sqlite3"
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchone()

    made = lifeline("backup", "create")
    assert made.returncode == 0, made.stderr
    assert "verified" in made.stdout
    backup = Path(made.stdout.splitlines()[0].strip())

    assert lifeline("lockdown", "--yes").returncode == 0
    shown = lifeline("site", "show")
    assert shown.returncode != 0 and "locked down" in shown.stderr
    assert lifeline("backup", "verify", str(backup)).returncode != 0

    unlocked = lifeline("unlock", str(tmp_path / "RECOVERY-KEY.txt"))
    assert unlocked.returncode == 0, unlocked.stderr
    assert lifeline("site", "show").returncode == 0
    verified = lifeline("backup", "verify", str(backup))
    assert verified.returncode == 0 and "good" in verified.stdout
