"""The embedded database encrypted at rest: a Django backend over SQLCipher (`base.py`), keyed
with a key derived from the site's key (core.keys) when a connection opens. Off unless
LIFELINE_ENCRYPTED is set; `make run` sets it for the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

ENGINE = "lifeline.core.sqlcipher"


def sqlcipher_enabled(alias: str = "default") -> bool:
    return bool(settings.DATABASES[alias]["ENGINE"] == ENGINE)


def sqlcipher_key_pragma(db: Any, key_hex: str) -> None:
    """Key a fresh SQLCipher connection with a raw 256-bit key (no passphrase derivation)."""
    db.execute(f"PRAGMA key = \"x'{key_hex}'\"")


def sqlcipher_file_connect(path: Path) -> Any:
    """A plain DB-API connection to an encrypted database file, keyed with the site's key."""
    import sqlcipher3  # type: ignore[import-untyped]

    from lifeline.core.keys import database_key

    db = sqlcipher3.connect(str(path))
    sqlcipher_key_pragma(db, database_key())
    return db
