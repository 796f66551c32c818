"""Row identifiers: UUIDv7, time-ordered so that inserts stay local in B-tree indexes."""

from __future__ import annotations

import uuid
from typing import Any

import uuid_utils.compat

from lifeline.core.errors import ValidationFailed


def uuid7() -> uuid.UUID:
    return uuid_utils.compat.uuid7()


def id_parse(value: Any, field: str) -> uuid.UUID:
    """An id given at a boundary (URL, CLI argument, form): a UUID, or a ValidationFailed
    naming the field."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed({field: f"{value!r} is not a valid id"}) from exc
