"""The embedded database encrypted at rest: Django's ORM works over the SQLCipher backend, and
the file is ciphertext that plain sqlite3 calls "not a database"; without the site's key (after
a lockdown) the backend refuses to open it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.utils import load_backend

from lifeline.core.keys import KeysLocked, keys_init, keys_lockdown
from lifeline.core.models import Setting, Site


@pytest.fixture
def encrypted(settings: Any, tmp_path: Path, django_db_blocker: Any) -> Iterator[tuple[str, Path]]:
    keys_init()
    path = tmp_path / "encrypted.sqlite3"
    config = {
        **connections.settings["default"],
        "ENGINE": "lifeline.core.sqlcipher",
        "NAME": str(path),
    }
    alias = "encrypted_test"
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    connections[alias] = wrapper  # this thread only, not a configured database
    try:
        with django_db_blocker.unblock():  # a database of its own, not the test database
            yield alias, path
    finally:
        wrapper.close()
        del connections[alias]


def test_the_database_file_is_ciphertext_that_plain_sqlite_cannot_open(
    encrypted: tuple[str, Path],
) -> None:
    alias, path = encrypted
    with connections[alias].schema_editor() as editor:
        editor.create_model(Site)
        editor.create_model(Setting)
    site = Site.objects.using(alias).create(code="qasr-al-hanif", name="Qasr al-Hanif")
    Setting.objects.using(alias).create(site=site, key="protection.note", value="Amal Haddad")
    assert Setting.objects.using(alias).get().value == "Amal Haddad"
    connections[alias].close()

    data = path.read_bytes()
    assert b"Haddad" not in data and b"Qasr" not in data and b"SQLite format 3" not in data
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_without_the_sites_key_the_encrypted_database_does_not_open(
    encrypted: tuple[str, Path],
) -> None:
    alias, _path = encrypted
    with connections[alias].schema_editor() as editor:
        editor.create_model(Site)
    connections[alias].close()
    keys_lockdown()
    with pytest.raises(KeysLocked):
        Site.objects.using(alias).count()


def test_a_database_encrypted_with_sqlcipher_defaults_still_opens(
    settings: Any, tmp_path: Path
) -> None:
    import sqlcipher3  # type: ignore[import-untyped]

    from lifeline.core.keys import database_key
    from lifeline.core.sqlcipher import sqlcipher_key_pragma, sqlcipher_open

    keys_init()
    path = tmp_path / "older.sqlite3"
    older = sqlcipher3.connect(str(path))
    sqlcipher_key_pragma(older, database_key(), settings_apply=False)  # SQLCipher 4 defaults
    older.execute("CREATE TABLE note (text TEXT)")
    older.execute("INSERT INTO note VALUES ('kept')")
    older.commit()
    older.close()

    db = sqlcipher_open(lambda: sqlcipher3.connect(str(path)), database_key())
    assert db.execute("SELECT text FROM note").fetchone() == ("kept",)
    db.close()
    fresh = sqlcipher_open(
        lambda: sqlcipher3.connect(str(tmp_path / "new.sqlite3")), database_key()
    )
    assert fresh.execute("PRAGMA cipher_hmac_algorithm").fetchone() == ("HMAC_SHA256",)
    fresh.close()


def test_the_sqlcipher_driver_loaded_is_the_optimised_build() -> None:
    """The `sqlcipher3` module in use is sqlcipher3-wheels' (byte for byte, by its RECORD's
    hash), not sqlcipher3-binary's unoptimised (-O0) build of the same module, which made the
    encrypted database lose a third of a ration queue's throughput."""
    import base64
    import hashlib
    from importlib.metadata import distribution

    import sqlcipher3._sqlite3 as driver  # type: ignore[import-untyped, unused-ignore]

    loaded = Path(driver.__file__)
    recorded = {
        str(f): f.hash.value
        for f in distribution("sqlcipher3-wheels").files or []
        if f.hash is not None and f.name == loaded.name
    }
    digest = base64.urlsafe_b64encode(hashlib.sha256(loaded.read_bytes()).digest())
    assert digest.rstrip(b"=").decode() in recorded.values()
