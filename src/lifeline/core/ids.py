"""Row identifiers: UUIDv7, time-ordered so that inserts stay local in B-tree indexes."""

from __future__ import annotations

import uuid

import uuid_utils.compat


def uuid7() -> uuid.UUID:
    return uuid_utils.compat.uuid7()
