"""Row identifiers: UUIDv7, time-ordered so that inserts stay local in B-tree indexes."""

from __future__ import annotations

import uuid
from typing import Any

import uuid_utils.compat
from django.utils.translation import gettext as _

from lifeline.core.errors import ValidationFailed


def uuid7() -> uuid.UUID:
    return uuid_utils.compat.uuid7()


def id_parse(value: Any, field: str) -> uuid.UUID:
    """An id given at a boundary (URL, CLI argument, form): a UUID, or a ValidationFailed
    naming the field."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed(
            {field: _("%(value)r is not a valid id") % {"value": value}}
        ) from exc


# The namespace of ids derived from what a row is (fixed forever: changing it splits rows).
_NAMED = uuid.UUID("5d1e6c1c-3f0b-4c8e-9a57-1f7e5a6b2c01")


def uuid_named(kind: str, *parts: object) -> uuid.UUID:
    """The id of a row whose identity is what it names (a catalogue item by its code, a
    tracing match by its request and person): every site that writes it writes the same row,
    so their writes meet as one row when they sync instead of colliding on a unique code."""
    return uuid.uuid5(_NAMED, "\x1f".join([kind, *(str(p) for p in parts)]))
