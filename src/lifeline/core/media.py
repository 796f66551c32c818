"""Uploaded media (photos) on the camp's own disk, encrypted at rest with the database.

When the database is encrypted (LIFELINE_ENCRYPTED; `settings.LIFELINE_MEDIA_ENCRYPTED`
follows it), every file saved through Django's default storage is sealed with AES-256-GCM
under a key derived from the site's key (core.keys), like the database's: what is on disk is
ciphertext with no JPEG or PNG header, opened (decrypted) only by the server, for the pages
that may show it. A lockdown destroys the site's key and the media with it; backups copy the
sealed files as they are (restored, they open with the site's key brought back). A file
written before encryption was switched on (no seal) is read as it is.
"""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

MEDIA_KEY_LABEL = b"lifeline media key v1"
SEAL = b"LLMEDIA1"  # the first bytes of a sealed file
NONCE_BYTES = 12
TAG_BYTES = 16
OVERHEAD = len(SEAL) + NONCE_BYTES + TAG_BYTES


def media_encrypted() -> bool:
    return bool(getattr(settings, "LIFELINE_MEDIA_ENCRYPTED", False))


def media_key() -> bytes:
    """The media key (32 bytes), derived from the site's identity; KeysLocked after a
    lockdown."""
    from lifeline.core.keys import site_identity

    secret = str(site_identity()).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=MEDIA_KEY_LABEL)
    return derived.derive(secret)


def media_seal(data: bytes) -> bytes:
    """A file's bytes sealed (authenticated: an altered file does not open)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return SEAL + nonce + AESGCM(media_key()).encrypt(nonce, data, None)


def media_unseal(data: bytes) -> bytes:
    """A sealed file's bytes opened (a file with no seal is returned as it is); raises
    cryptography's InvalidTag when it was altered or is not this site's."""
    if not data.startswith(SEAL):
        return data
    nonce = data[len(SEAL) : len(SEAL) + NONCE_BYTES]
    return AESGCM(media_key()).decrypt(nonce, data[len(SEAL) + NONCE_BYTES :], None)


class SiteMediaStorage(FileSystemStorage):
    """FileSystemStorage that seals what it saves and opens what it reads when media are
    encrypted at rest (the default storage: photos of facilities and persons)."""

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        if not media_encrypted():
            return super().save(name, content, max_length)
        if name is None:
            name = content.name
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        raw = data if isinstance(data, bytes) else str(data).encode()
        return super().save(name, ContentFile(media_seal(raw)), max_length)

    def open(self, name: str, mode: str = "rb") -> File[Any]:
        handle: File[Any] = super().open(name, mode)
        if not media_encrypted() or "b" not in mode:
            return handle
        with handle:
            data = handle.read()
        return ContentFile(media_unseal(data), name=name)

    def size(self, name: str) -> int:
        size = int(super().size(name))
        if not media_encrypted():
            return size
        with open(self.path(name), "rb") as handle:
            sealed = handle.read(len(SEAL)) == SEAL
        return size - OVERHEAD if sealed else size
