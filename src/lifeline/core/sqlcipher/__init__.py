"""The embedded database encrypted at rest: a Django backend over SQLCipher (`base.py`), keyed
with a key derived from the site's key (core.keys) when a connection opens. Off unless
LIFELINE_ENCRYPTED is set; `make run` sets it for the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

ENGINE = "lifeline.core.sqlcipher"


def sqlcipher_enabled(alias: str = "default") -> bool:
    return bool(settings.DATABASES[alias]["ENGINE"] == ENGINE)


# How pages are sealed. SQLCipher 4's default HMAC is SHA-512; SHA-256 is as sound for a page's
# integrity and runs in the CPU's SHA instructions: a page read from disk (every page a
# connection reads after another one wrote, since WAL mode empties its cache then) costs a
# third less, which is most of what encryption took from a ration queue's throughput.
# Kept, as measured with benchmarks/distribution.py --encrypted (8 processes, so each read after
# another's commit decrypts its pages again): SQLCipher's 4096-byte pages (1024 and 2048 made
# point reads cheaper but writes dearer: the ratio fell), the page HMAC (integrity of every page
# read; without it the ratio moved within the machine's noise), a raw key (no PBKDF2 at open).
# Counted under that benchmark: ~28 pages enciphered per ration issue (~11 read cold: its
# household and members, after another writer's commit; the rest written, one per index its
# rows touch, shared by a group commit's batch) at ~5 us each (AES and HMAC in OpenSSL): under
# a tenth of an issue's CPU, once the driver itself is built with optimisation (pyproject.toml
# says why sqlcipher3-wheels). A write after another process's commit, without group commit,
# starts cold and enciphers ~100 pages, as it would on any SQLCipher.
CIPHER_SETTINGS = ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",)


def sqlcipher_key_pragma(db: Any, key_hex: str, *, settings_apply: bool = True) -> None:
    """Key a fresh SQLCipher connection with a raw 256-bit key (no passphrase derivation) and
    this project's cipher settings (`settings_apply=False`: SQLCipher 4's defaults, what an
    encrypted database made before these settings uses)."""
    db.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    if settings_apply:
        for pragma in CIPHER_SETTINGS:
            db.execute(pragma)


def sqlcipher_open(connect: Callable[[], Any], key_hex: str) -> Any:
    """A keyed connection that reads its database: with this project's cipher settings, else
    (a database encrypted before them) with SQLCipher 4's defaults. Raises the driver's
    DatabaseError when neither opens it (another site's key, or a plain database)."""
    db = connect()
    sqlcipher_key_pragma(db, key_hex)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except Exception:  # the driver's DatabaseError: not with these settings
        db.close()
    db = connect()
    sqlcipher_key_pragma(db, key_hex, settings_apply=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        db.close()
        raise
    return db


def sqlcipher_file_connect(path: Path) -> Any:
    """A plain DB-API connection to an encrypted database file, keyed with the site's key."""
    import sqlcipher3  # type: ignore[import-untyped, unused-ignore]

    from lifeline.core.keys import database_key

    return sqlcipher_open(lambda: sqlcipher3.connect(str(path)), database_key())
