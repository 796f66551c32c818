"""The site's keys: one secret (an age X25519 identity) that encrypts the backups and, when the
database is encrypted at rest, keys it; and the recovery key that a headquarters holds.

Files (the key file may live on a USB stick: LIFELINE_KEY_FILE):

- the key file, `var/keys/site.key` by default: the site's identity, the only secret here;
- `var/keys/site.pub`: its public half, so backups are made without reading the secret;
- `var/keys/recovery.pub`: the recovery key's public half (the secret is held elsewhere);
- `var/keys/site.key.recovery`: the site's identity encrypted to the recovery key, so that
  `keys_unlock` with the recovery key brings the site back after `keys_lockdown`.

Lockdown destroys the key file; nothing left on the machine decrypts the backups or opens an
encrypted database without the recovery key.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pyrage
from django.conf import settings
from django.utils.translation import gettext as _

from lifeline.core.errors import Conflict, LifelineError, ValidationFailed

DATABASE_KEY_LABEL = b"lifeline database key v1"


class KeysLocked(LifelineError):
    """The site's key is missing: locked down, or never made (`manage.py lifeline_setup`)."""

    code = "locked"
    http_status = 503
    exit_code = 6


@dataclass(frozen=True)
class KeyPaths:
    key_file: Path
    public: Path
    recovery_public: Path
    wrapped: Path


def key_paths() -> KeyPaths:
    folder = Path(getattr(settings, "LIFELINE_KEY_DIR", "") or Path(settings.VAR_DIR) / "keys")
    configured = getattr(settings, "LIFELINE_KEY_FILE", "")
    return KeyPaths(
        key_file=Path(configured) if configured else folder / "site.key",
        public=folder / "site.pub",
        recovery_public=folder / "recovery.pub",
        wrapped=folder / "site.key.recovery",
    )


def file_write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner reads, atomically (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    directory_sync(path.parent)


def directory_sync(folder: Path) -> None:
    """fsync a folder so that a rename in it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class KeysMade:
    created: bool  # False: the site already had its keys
    recovery_identity: str  # the recovery secret when it was made here (print it, move it)


def keys_init(*, recovery_recipient: str = "") -> KeysMade:
    """Make the site's key once. The recovery key is the given public key (from the
    headquarters); without one it is made here and returned, to be moved off the machine."""
    paths = key_paths()
    if paths.key_file.exists() or paths.public.exists():
        return KeysMade(created=False, recovery_identity="")
    recovery_secret = ""
    if recovery_recipient:
        try:
            recovery = pyrage.x25519.Recipient.from_str(recovery_recipient.strip())
        except pyrage.RecipientError as exc:
            raise ValidationFailed({"recovery": _("not an age public key (age1...)")}) from exc
    else:
        recovery_identity = pyrage.x25519.Identity.generate()
        recovery = recovery_identity.to_public()
        recovery_secret = str(recovery_identity)
    identity = pyrage.x25519.Identity.generate()
    file_write_private(paths.recovery_public, f"{recovery}\n".encode())
    file_write_private(paths.wrapped, pyrage.encrypt(str(identity).encode(), [recovery]))
    file_write_private(paths.public, f"{identity.to_public()}\n".encode())
    file_write_private(paths.key_file, f"{identity}\n".encode())
    return KeysMade(created=True, recovery_identity=recovery_secret)


def keys_state() -> str:
    """'unlocked' (the key file is here), 'locked' (made, then destroyed) or 'none'."""
    paths = key_paths()
    if paths.key_file.exists():
        return "unlocked"
    return "locked" if paths.public.exists() else "none"


def site_identity() -> pyrage.x25519.Identity:
    paths = key_paths()
    try:
        text = paths.key_file.read_text().strip()
    except FileNotFoundError:
        raise KeysLocked(
            _(
                "the site's key is not here (locked down, or not set up): "
                "unlock it with the recovery key (lifeline unlock)"
            )
        ) from None
    try:
        return pyrage.x25519.Identity.from_str(text)
    except pyrage.IdentityError as exc:
        raise KeysLocked(
            _("the key file %(path)s does not hold an age key") % {"path": paths.key_file}
        ) from exc


def backup_recipients() -> list[pyrage.x25519.Recipient]:
    """Whom a backup is encrypted to: this site, and the recovery key held elsewhere."""
    paths = key_paths()
    found = []
    for path in (paths.public, paths.recovery_public):
        if path.exists():
            found.append(pyrage.x25519.Recipient.from_str(path.read_text().strip()))
    if not found:
        raise KeysLocked(_("the site has no keys yet: run `manage.py lifeline_setup`"))
    return found


def database_key(identity: pyrage.x25519.Identity | None = None) -> str:
    """The raw SQLCipher key (64 hex digits), derived from the site's identity."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = str(identity or site_identity()).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DATABASE_KEY_LABEL)
    return derived.derive(secret).hex()


def keys_lockdown() -> bool:
    """Destroy the site's key file (overwritten, then removed). False: there was none."""
    path = key_paths().key_file
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    # Overwriting helps on a plain disk; on flash and journalling file systems the old blocks
    # may survive (docs/security.md says so): the encryption, not the erasing, is the guard.
    with path.open("r+b") as handle:
        handle.write(secrets.token_bytes(max(size, 64)))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    directory_sync(path.parent)
    return True


def keys_unlock(*, recovery_identity: str) -> None:
    """Bring back the site's key from its copy encrypted to the recovery key."""
    paths = key_paths()
    if paths.key_file.exists():
        raise Conflict(_("the site is not locked: its key is here"))
    try:
        recovery = pyrage.x25519.Identity.from_str(recovery_identity.strip())
    except pyrage.IdentityError as exc:
        raise ValidationFailed(
            {"recovery": _("not an age secret key (AGE-SECRET-KEY-1...)")}
        ) from exc
    try:
        wrapped = paths.wrapped.read_bytes()
    except FileNotFoundError:
        raise KeysLocked(
            _("no recovery copy of the site's key at %(path)s") % {"path": paths.wrapped}
        ) from None
    try:
        text = pyrage.decrypt(wrapped, [recovery]).decode().strip()
    except pyrage.DecryptError as exc:
        raise ValidationFailed({"recovery": _("this is not this site's recovery key")}) from exc
    identity = pyrage.x25519.Identity.from_str(text)
    if paths.public.exists() and paths.public.read_text().strip() != str(identity.to_public()):
        raise ValidationFailed({"recovery": _("the recovered key is not this site's")})
    file_write_private(paths.key_file, f"{identity}\n".encode())


AGE_MAGIC = b"age-encryption.org/v1"


def at_rest_seal(data: bytes) -> bytes:
    """Bytes an app keeps in a file beside the database (the name index), encrypted to the
    site's key when the database is encrypted at rest; as they are otherwise."""
    from lifeline.core.sqlcipher import sqlcipher_enabled

    if not sqlcipher_enabled():
        return data
    return pyrage.encrypt(data, [backup_recipients()[0]])


def at_rest_open(data: bytes) -> bytes:
    """The bytes `at_rest_seal` kept (decrypted with the site's key when they were sealed)."""
    if not data.startswith(AGE_MAGIC):
        return data
    try:
        return pyrage.decrypt(data, [site_identity()])
    except pyrage.DecryptError as exc:
        raise ValueError(f"sealed with another key or damaged: {exc}") from exc
