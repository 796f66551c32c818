"""Passwords the installation generates (the admin's, the demo accounts') and the private
files that keep them, readable only by their owner."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def password_generate() -> str:
    # Four groups of four: easy to read aloud and type on a phone, ~95 bits.
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def private_file_write(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600), whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    path.chmod(0o600)


def path_shown(path: Path) -> str:
    """A path as the operator typed it: relative to the project when it lies inside."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
