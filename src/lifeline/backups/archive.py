"""The backup file: a gzip-compressed tar of the parts (the database snapshot, the media files)
with a manifest last, encrypted with age to the site's key and the recovery key.

Written atomically: the encrypted bytes go to a hidden `.NAME.partial` in the destination,
fsynced, then renamed; a process killed halfway leaves only the partial, which no listing
takes for a backup and which age refuses to decrypt (its stream is authenticated chunk by
chunk, the last chunk marked, so a truncated file never decrypts to a whole archive).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import pyrage
from django.utils.translation import gettext as _

from lifeline.core.errors import LifelineError
from lifeline.core.keys import directory_sync

FORMAT = "lifeline-backup/1"
SUFFIX = ".lifeline-backup"
MANIFEST = "manifest.json"
NAME_PATTERN = re.compile(
    r"^lifeline-(?P<site>[A-Za-z0-9_.-]+?)-(?P<stamp>\d{8}T\d{6}\.\d{3}Z)" + re.escape(SUFFIX) + "$"
)
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
CHUNK = 1 << 20


class BackupInvalid(LifelineError):
    """A backup file that cannot be trusted: damaged, truncated, or not one of ours."""

    code = "backup_invalid"
    exit_code = 7


@dataclass(frozen=True)
class Part:
    name: str  # path inside the archive, e.g. "database.sqlite3", "media/photos/a.jpg"
    source: Path


def archive_name(site_code: str, at: dt.datetime) -> str:
    stamp = at.astimezone(dt.UTC).strftime(STAMP_FORMAT)
    return f"lifeline-{site_code}-{stamp[:-4]}Z{SUFFIX}"  # milliseconds, not microseconds


def archive_time(name: str) -> dt.datetime | None:
    """When the backup of this file name was made; None for a file that is no backup."""
    match = NAME_PATTERN.match(name)
    if match is None:
        return None
    return dt.datetime.strptime(match["stamp"][:-1] + "000Z", STAMP_FORMAT).replace(tzinfo=dt.UTC)


def archives_in(folder: Path, site_code: str) -> list[Path]:
    """The complete backups of a site in a folder, newest first (partial files are not)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME_PATTERN.match(path.name)
        if match is not None and match["site"] == site_code and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.name, reverse=True)


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


def _fsync_file(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def encrypt_to(source: Any, target: Any, recipients: list[Any]) -> None:
    """age-encrypt a stream (a seam for the test that kills a backup halfway)."""
    pyrage.encrypt_io(source, target, recipients)


def archive_write(
    *,
    folder: Path,
    name: str,
    parts: Iterable[Part],
    manifest: dict[str, Any],
    recipients: list[Any],
    staging: Path,
) -> Path:
    """Write the encrypted archive as folder/name; returns its path. `staging` is a private
    scratch folder for the compressed tar before it is encrypted (removed by the caller)."""
    plain = staging / "archive.tar.gz"
    sums: dict[str, dict[str, Any]] = {}
    with tarfile.open(plain, "w:gz", compresslevel=4) as tar:
        for part in parts:
            info = tar.gettarinfo(str(part.source), arcname=part.name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with part.source.open("rb") as raw:
                hashing = _Hashing(raw)
                tar.addfile(info, io.BufferedReader(hashing, CHUNK))
            if hashing.size != info.size:
                raise BackupInvalid(
                    _("%(name)s changed while it was copied; try again") % {"name": part.name}
                )
            sums[part.name] = {"sha256": hashing.sha256.hexdigest(), "bytes": hashing.size}
        body = json.dumps({**manifest, "parts": sums}, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
        tar.addfile(info, io.BytesIO(body))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = folder / name
    partial = folder / f".{name}.partial"
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with plain.open("rb") as source, os.fdopen(descriptor, "wb") as target:
            encrypt_to(source, target, recipients)
            _fsync_file(target)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    directory_sync(folder)
    return final


@dataclass
class Opened:
    """An archive decrypted and unpacked into a scratch folder, each part's hash checked."""

    manifest: dict[str, Any]
    folder: Path  # where the parts are, by their names
    problems: list[str] = field(default_factory=list)

    def part(self, name: str) -> Path:
        return self.folder / name


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name not in ("", ".")


def archive_open(path: Path, *, identities: list[Any], scratch: Path) -> Opened:
    """Decrypt and unpack a backup into `scratch`; BackupInvalid with a clear message when it
    is damaged, truncated, made for another key, or its parts do not match its manifest."""
    plain = scratch / "archive.tar.gz"
    try:
        with path.open("rb") as source, plain.open("wb") as target:
            pyrage.decrypt_io(source, target, identities)
    except FileNotFoundError:
        raise BackupInvalid(_("no backup file at %(path)s") % {"path": path}) from None
    except (pyrage.DecryptError, OSError, ValueError) as exc:
        raise BackupInvalid(
            _(
                "%(name)s cannot be decrypted: it is damaged or truncated, or it was not made "
                "for this site's key (%(exc)s)"
            )
            % {"name": path.name, "exc": exc}
        ) from exc
    content = scratch / "content"
    content.mkdir()
    sums: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(plain, "r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupInvalid(
                        _("%(name)s holds an unexpected entry %(entry)r")
                        % {"name": path.name, "entry": member.name}
                    )
                stream = tar.extractfile(member)
                if stream is None:  # never for a regular file
                    raise BackupInvalid(
                        _("%(name)s: %(entry)r cannot be read")
                        % {"name": path.name, "entry": member.name}
                    )
                if member.name == MANIFEST:
                    manifest = json.loads(stream.read())
                    continue
                target_path = content / member.name
                target_path.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target_path.open("wb") as out:
                    for chunk in iter(lambda s=stream: s.read(CHUNK), b""):  # type: ignore[misc]
                        digest.update(chunk)
                        out.write(chunk)
                sums[member.name] = {"sha256": digest.hexdigest(), "bytes": member.size}
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as exc:
        raise BackupInvalid(
            _("%(name)s is damaged: %(exc)s") % {"name": path.name, "exc": exc}
        ) from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupInvalid(
            _("%(name)s has no Lifeline manifest: it is not a Lifeline backup")
            % {"name": path.name}
        )
    opened = Opened(manifest=manifest, folder=content)
    listed = manifest.get("parts", {})
    for name in sorted(set(listed) | set(sums)):
        if name not in sums:
            opened.problems.append(
                _("%(name)s is listed in the manifest but missing") % {"name": name}
            )
        elif name not in listed:
            opened.problems.append(
                _("%(name)s is in the archive but not in the manifest") % {"name": name}
            )
        elif sums[name]["sha256"] != listed[name].get("sha256"):
            opened.problems.append(
                _("%(name)s does not match its sha256 in the manifest") % {"name": name}
            )
    return opened


@contextmanager
def scratch_folder(parent: Path) -> Iterator[Path]:
    """A private folder that is removed afterwards, whatever happens."""
    parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="backup-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def media_parts(media_root: Path) -> list[Part]:
    """Every file under MEDIA_ROOT, as the archive's media/ parts."""
    if not media_root.is_dir():
        return []
    return [
        Part(name=f"media/{path.relative_to(media_root).as_posix()}", source=path)
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    ]
