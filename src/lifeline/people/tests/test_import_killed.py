"""A `lifeline person import` killed with SIGKILL in the middle of its file leaves nothing: the
chunks it had committed are removed at the next start of the `lifeline` command, the database
is whole, and importing the same file again writes each person once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from lifeline.core.models import Site

# The child works on a copy of the test's database in a file: SQLite's.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="sqlite_only: the child opens the database file"
)

ROWS = 300
CHUNK = 50

# The real command, in another process: after its second chunk is committed it says so and
# waits to be killed.
KILLED = f"""
import sys, time
import django
django.setup()
from lifeline.people import bulk

bulk.CHUNK_ROWS = {CHUNK}
real = bulk._persons_write
done = []

def write_then_wait(*args, **kwargs):
    real(*args, **kwargs)
    done.append(1)
    if len(done) == 2:
        print("TWO CHUNKS", flush=True)
        time.sleep(600)

bulk._persons_write = write_then_wait
sys.argv = ["lifeline", "--user", "registrar", *sys.argv[1:]]
from lifeline.cli import main
main()
"""
PLAIN = """
import sys
sys.argv = ["lifeline", "--user", "registrar", *sys.argv[1:]]
from lifeline.cli import main
main()
"""


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


@sqlite_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_file_leaves_nothing_and_imports_whole_when_run_again(
    registrar: Any, site: Site, settings: Any, tmp_path: Path
) -> None:
    var = tmp_path / "var"
    var.mkdir()
    db = var / "lifeline.sqlite3"
    copy = sqlite3.connect(db)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    people = tmp_path / "people.csv"
    people.write_text(
        "given_name,family_name,sex,age_years,ration_card,conditions\n"
        + "".join(
            f"Person{i},Family{i // 4},{'female' if i % 2 else 'male'},{(i * 7) % 60},"
            f"K-{i // 4},{'ill' if i % 5 == 0 else ''}\n"
            for i in range(ROWS)
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "LIFELINE_VAR_DIR": str(var),
        "LIFELINE_ENCRYPTED": "0",
        "LIFELINE_CLI_TRUST_USER": "1",
        "LIFELINE_SITE": settings.LIFELINE_SITE,
        "DJANGO_SETTINGS_MODULE": "lifeline.settings",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }

    def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", KILLED, "person", "import", str(people)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "TWO CHUNKS"
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    # What it had committed is there, its batch open, until something starts.
    assert _count(db, "SELECT count(*) FROM people_person") == 2 * CHUNK
    assert _count(db, "SELECT count(*) FROM core_writebatch WHERE state = 'open'") == 1

    started = run(PLAIN, "--help")  # any start of the command sweeps first
    assert started.returncode == 0, started.stderr

    for table in (
        "people_person",
        "people_statusevent",
        "people_conditionobservation",
        "people_household",
        "people_protectioncase",
        "people_tracingmatch",
    ):
        assert _count(db, f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608
    assert _count(db, "SELECT count(*) FROM core_changelogentry WHERE model LIKE 'people.%'") == 0
    assert (
        _count(
            db,
            "SELECT count(*) FROM core_auditentry"
            " WHERE action IN ('person.register', 'household.create', 'protection.open')",
        )
        == 0
    )
    assert _count(db, "SELECT count(*) FROM core_auditentry WHERE action = 'person.import_discard'")
    assert _count(db, "SELECT count(*) FROM core_writebatch WHERE state = 'discarded'") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert not list((var / "batches").glob("*.lock"))

    again = run(PLAIN, "person", "import", str(people))

    assert again.returncode == 0, again.stderr
    assert _count(db, "SELECT count(*) FROM people_person") == ROWS
    assert _count(db, "SELECT count(DISTINCT given_name) FROM people_person") == ROWS
    assert _count(db, "SELECT count(*) FROM people_statusevent") == ROWS
    assert _count(db, "SELECT count(*) FROM people_household") == ROWS // 4
    assert (
        _count(db, "SELECT count(*) FROM core_changelogentry WHERE model = 'people.person'") == ROWS
    )
    assert _count(db, "SELECT count(*) FROM core_writebatch WHERE state = 'done'") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
