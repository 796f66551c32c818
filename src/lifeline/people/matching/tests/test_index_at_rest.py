"""The name index file is encrypted to the site's key when the database is encrypted at rest,
and read back with it; after a lockdown it is not read."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from lifeline.core import sqlcipher
from lifeline.core.keys import KeysLocked, keys_init, keys_lockdown
from lifeline.people.matching import index_store
from lifeline.people.matching.index import IndexRecord, NameIndex


def test_the_name_index_file_is_ciphertext_when_the_database_is_encrypted(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys_init()
    monkeypatch.setattr(sqlcipher, "sqlcipher_enabled", lambda alias="default": True)
    person = uuid.uuid4()
    index = NameIndex().build([IndexRecord(person, ("Meriem", "Amrani"), "female", 1990)])
    path = tmp_path / "index.npz"
    index_store.index_file_write(index, path, database="here")

    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"amrani" not in data.lower()
    loaded = index_store.index_file_read(path, database="here")
    assert loaded is not None and person in loaded

    keys_lockdown()
    with pytest.raises(KeysLocked):
        index_store.index_file_read(path, database="here")
