"""A change as it travels between sites, whatever carries it (a bundle, HTTP, a radio digest).

A change is one write of one replicated row: the row's model and id, the version its writer's
clock gave it (which also names the writer site and identifies the change everywhere), the
site that created the row, the written fields as JSON values, the versions those fields had
before the write (its base), and the writer's schema number of the model's app.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lifeline.core import hlc


@dataclass(frozen=True)
class Change:
    model: str  # "people.person"
    object_id: uuid.UUID
    op: str  # "create", "update" or "delete"
    version: str  # hlc version: the change's identity
    origin_site: uuid.UUID
    fields: dict[str, Any]  # attname -> JSON value
    base: dict[str, str] = field(default_factory=dict)
    schema: int = 0
    # Decoded from the version once (read many times on the apply path).
    ms: int = field(init=False, repr=False, compare=False)
    source_site: uuid.UUID = field(init=False, repr=False, compare=False)  # the writer site

    def __post_init__(self) -> None:
        # Read many times on the apply path: decoded once. Also refuses a malformed version.
        stamp = hlc.decode(self.version)
        object.__setattr__(self, "ms", stamp.ms)
        object.__setattr__(self, "source_site", _site_uuid(stamp.site))

    def base_of(self, attname: str) -> str:
        """The version the field had when the writer wrote it ("" for a create)."""
        return self.base.get(attname, self.base.get("*", ""))

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "id": str(self.object_id),
            "op": self.op,
            "v": self.version,
            "origin": str(self.origin_site),
            "fields": self.fields,
            "base": self.base,
            "schema": self.schema,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            model=str(data["model"]),
            object_id=_uuid(data["id"]),
            op=str(data["op"]),
            version=str(data["v"]),
            origin_site=_uuid(data["origin"]),
            fields=dict(data["fields"]),
            base=dict(data.get("base") or {}),
            schema=int(data.get("schema") or 0),
        )


@lru_cache(maxsize=256)
def _site_uuid(hex_id: str) -> uuid.UUID:
    """A writer site's id (few sites, many changes: made once each)."""
    return uuid.UUID(hex=hex_id)


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def version_before(version: str) -> str:
    """The greatest version of the same site below `version`: a cursor that stops just short
    of a change that could not be applied yet."""
    stamp = hlc.decode(version)
    if stamp.counter > 0:
        return hlc.Timestamp(stamp.ms, stamp.counter - 1, stamp.site).encode()
    return hlc.Timestamp(max(stamp.ms - 1, 0), hlc.COUNTER_LIMIT, stamp.site).encode()
