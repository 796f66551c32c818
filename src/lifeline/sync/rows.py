"""Writing what arrived in bulk: new rows straight from their changes' JSON values, and the
change-log rows, one executemany each, with no model instance in between.

A change's values are already JSON (strings, numbers, lists); each column gets a converter
from that JSON form to what the database stores. On SQLite the common kinds (text, numbers,
UUIDs, datetimes, JSON) are converted directly, which is most of the apply path's speed;
any other kind, and every column on another database, goes through the field's own
`to_python` and `get_db_prep_save`, so the stored value is the one Django would store.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from lifeline.core.models import ChangeLogEntry, ReplicatedModel
from lifeline.sync.changes import Change

if TYPE_CHECKING:
    from lifeline.sync.apply import NewRow

Convert = Callable[[Any], Any]
_TEXT = (models.CharField, models.TextField, models.SlugField)
_NUMBER = (models.IntegerField, models.FloatField, models.BooleanField)


def _uuid_hex(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value.hex
    text = str(value)
    return text.replace("-", "") if len(text) == 36 else uuid.UUID(text).hex


def _datetime_sqlite(value: Any) -> Any:
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return str(moment)


def _json_text(value: Any) -> Any:
    if not value and isinstance(value, dict | list):  # most bases, lists and versions
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value)


def converter(field: models.Field[Any, Any], conn: BaseDatabaseWrapper) -> Convert:
    """From a change's JSON value to the column's stored value."""
    if conn.vendor == "sqlite":
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        if isinstance(target, models.UUIDField):
            return _uuid_hex
        if isinstance(target, models.DateTimeField):
            return _datetime_sqlite
        if isinstance(field, models.JSONField) and field.encoder is None:
            return _json_text
        if isinstance(target, (*_TEXT, *_NUMBER)):
            return _same
        if isinstance(target, models.DateField):
            return _same  # ISO "YYYY-MM-DD" is what SQLite stores
    return lambda value: field.get_db_prep_save(field.to_python(value), conn)


def _same(value: Any) -> Any:
    return value


class RowInserter:
    """Inserts new rows of one model from their create changes."""

    def __init__(self, model: type[ReplicatedModel], merged: Sequence[str]) -> None:
        conn = transaction.get_connection()
        meta = model._meta
        self.model = model
        self.conn = conn
        self.fields = [f for f in meta.concrete_fields if not f.generated]
        self.merged = set(merged)
        self.convert = {f.attname: converter(f, conn) for f in self.fields}
        # The columns a create does not carry (derived caches): their defaults, prepared once.
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), conn)
            for f in self.fields
            if f.attname not in self.merged
        }
        quote = conn.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608

    def insert(self, new_rows: Sequence[NewRow], now: dt.datetime) -> None:
        if not new_rows:
            return
        convert = self.convert
        updated_at = convert["updated_at"](now)
        own = {"id", "origin_site_id", "version", "field_versions", "updated_at"}
        # Per column: its position, and either a converter of the change's value or a default.
        carried = [
            (i, f.attname, convert[f.attname])
            for i, f in enumerate(self.fields)
            if f.attname in self.merged and f.attname not in own
        ]
        template = [self.defaults.get(f.attname) for f in self.fields]
        at = {f.attname: i for i, f in enumerate(self.fields)}
        id_at, origin_at, version_at = at["id"], at["origin_site_id"], at["version"]
        versions_at, updated_at_at = at["field_versions"], at["updated_at"]
        to_id, to_origin = convert["id"], convert["origin_site_id"]
        to_versions = convert["field_versions"]
        rows = []
        for new in new_rows:
            row = list(template)
            values = new.fields
            for i, name, to_column in carried:
                if name in values:
                    row[i] = to_column(values[name])
            row[id_at] = to_id(new.object_id)
            row[origin_at] = to_origin(new.origin_site)
            row[version_at] = new.version
            row[versions_at] = to_versions(new.field_versions)
            row[updated_at_at] = updated_at
            rows.append(row)
        with self.conn.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def log_entries_insert(changes: Sequence[Change], now: dt.datetime) -> None:
    """The change-log rows of the changes applied, as they arrived (the writer's version,
    fields, base and schema), in one executemany."""
    if not changes:
        return
    conn = transaction.get_connection()
    meta = ChangeLogEntry._meta
    by_name = {f.name: f for f in meta.concrete_fields}
    names = (
        "model", "object_id", "op", "version", "origin_site", "source_site", "fields", "base",
        "schema", "at",
    )  # fmt: skip
    fields = [by_name[n] for n in names]
    uuid_of = converter(by_name["object_id"], conn)
    site_of = converter(by_name["origin_site"], conn)
    source_of = converter(by_name["source_site"], conn)
    json_of = converter(models.JSONField(), conn)  # plain JSON: the values are JSON already
    at = converter(by_name["at"], conn)(now)
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    rows = [
        (
            c.model,
            uuid_of(c.object_id),
            c.op,
            c.version,
            site_of(c.origin_site),
            source_of(c.source_site),
            json_of(c.fields),
            json_of(c.base),
            c.schema,
            at,
        )
        for c in changes
    ]
    with conn.cursor() as cursor:
        cursor.executemany(sql, rows)
