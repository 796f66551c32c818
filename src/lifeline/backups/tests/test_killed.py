"""A backup killed with SIGKILL halfway through writing leaves the earlier backups good and no
half-file that passes for a backup or verifies."""

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

from lifeline.backups import archive, services
from lifeline.backups.archive import BackupInvalid
from lifeline.backups.settings import backup_folder

# Run in another process over a copy of the test's database: the encryption writes half of the
# backup, says so, and waits to be killed.
CHILD = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "lifeline.settings"
import django
django.setup()
from lifeline.backups import archive, services

real = archive.encrypt_to

def half_then_wait(source, target, recipients):
    import io
    whole = io.BytesIO()
    real(source, whole, recipients)
    target.write(whole.getvalue()[: len(whole.getvalue()) // 2])
    target.flush()
    os.fsync(target.fileno())
    print("HALF", flush=True)
    time.sleep(600)

archive.encrypt_to = half_then_wait
services.backup_create(actor=None)
print("FINISHED", flush=True)
"""


def database_url_for_child(var: Path) -> str:
    """The test's database for another process: a copy of the SQLite file in var/ (where the
    child's settings look), or the PostgreSQL test database itself."""
    if connection.vendor == "postgresql":
        from urllib.parse import quote

        db = connection.settings_dict
        user = quote(str(db.get("USER") or ""), safe="")
        password = quote(str(db.get("PASSWORD") or ""), safe="")
        login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        return f"postgres://{login}{db.get('HOST') or ''}:{db.get('PORT') or 5432}/{db['NAME']}"
    copy = sqlite3.connect(var / "lifeline.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    return ""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_killed_halfway_leaves_the_earlier_ones_good(
    site_keys: Any, camp: dict[str, Any], settings: Any
) -> None:
    earlier = services.backup_create(actor=None)
    var = Path(settings.VAR_DIR)
    env = {
        **os.environ,
        "LIFELINE_VAR_DIR": str(var),
        "DATABASE_URL": database_url_for_child(var),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "HALF"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    folder = backup_folder()
    partials = list(folder.glob(".*.partial"))
    assert len(partials) == 1  # the half-file is there, hidden, under a name no listing takes
    assert archive.archives_in(folder, settings.LIFELINE_SITE) == [folder / earlier.file_name]
    assert services.backup_verify(path=folder / earlier.file_name).ok
    with pytest.raises(BackupInvalid, match="damaged or truncated"):
        services.backup_verify(path=partials[0])
