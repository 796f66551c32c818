"""Rows "arrived from another site", for the tests of the rules that hold across sites.

Sync's apply writes another site's rows with that site's origin and clock version, without
a local clock tick nor the services that would have refreshed derived state, then calls
`lifeline.core.replication.after_apply_run`. These helpers do the same with a raw save, so
that each app can test its apply hooks without the sync app.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from typing import TypeVar

from django.db import models

from lifeline.core import hlc
from lifeline.core.clock import wall_ms
from lifeline.core.models import ReplicatedModel, Site, change_append
from lifeline.core.replication import after_apply_run
from lifeline.core.services import site_ensure

_Row = TypeVar("_Row", bound=ReplicatedModel)
_counter = itertools.count(1)


def site_remote(code: str = "forest-camp", name: str = "Forest camp") -> Site:
    """Another site this installation syncs with."""
    return site_ensure(actor=None, code=code, name=name)


def version_remote(site: Site) -> str:
    """A clock version stamped at `site` (distinct per call, ordered as the wall clock)."""
    return hlc.Timestamp(wall_ms(), next(_counter) % hlc.COUNTER_LIMIT, site.pk.hex).encode()


def row_arrive(row: _Row, *, site: Site, update_fields: Iterable[str] | None = None) -> _Row:
    """Write `row` as an apply would: created at `site` (a new row) or changed there (an
    existing one, `update_fields` naming what changed), with that site's version, and the
    change appended to the change log as it arrived; no local clock tick, no service."""
    creating = row._state.adding
    if creating:
        row.origin_site = site
    row.version = version_remote(site)
    fields = None if update_fields is None else [*update_fields, "version"]
    models.Model.save(row, update_fields=fields)
    change_append(row, op="create" if creating else "update", changed=update_fields)
    return row


def rows_applied(*rows: ReplicatedModel) -> None:
    """Call the apply hooks for these rows, as sync does once per applied batch."""
    applied: dict[str, set[uuid.UUID]] = {}
    for row in rows:
        applied.setdefault(row._meta.label_lower, set()).add(row.pk)
    after_apply_run(applied)
