"""Files the settings make under var/: the folder and the database are their owner's only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from lifeline.settings import sqlite_file_private, var_dir_private


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_var_folder_is_private_even_when_it_was_made_open_before(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    assert var_dir_private(var) == var
    assert mode(var) == 0o700
    assert mode(var_dir_private(tmp_path / "new" / "var")) == 0o700


def test_the_database_and_its_wal_files_are_readable_by_their_owner_only(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        path = sqlite_file_private(tmp_path / "lifeline.sqlite3")
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE t (x)")
            db.execute("INSERT INTO t VALUES (1)")
            wal = tmp_path / "lifeline.sqlite3-wal"
            assert wal.exists()
            assert mode(path) == 0o600
            assert mode(wal) == 0o600
    finally:
        os.umask(old)


def test_a_database_made_open_before_is_closed_again(tmp_path: Path) -> None:
    path = tmp_path / "lifeline.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    sqlite_file_private(path)
    assert mode(path) == 0o600
