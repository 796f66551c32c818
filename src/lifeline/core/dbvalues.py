"""How a column of a field's values becomes database parameters for one executemany (what
`field.get_db_prep_save` gives each value, with the common cases done without it): the bulk
writes of `core.models` (`insert_many`, `replicated_create_many`) use it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField)
_PLAIN_TYPES = frozenset({str, int, float})
_PREPARED_KEPT = 4096  # distinct values a field keeps prepared (a batch repeats most)
_NONE = type(None)

Convert = Callable[[Any], Any]
ConvertColumn = Callable[[list[Any]], list[Any]]


def db_converter(field: models.Field[Any, Any], conn: Any) -> ConvertColumn:
    """How a column of a field's values becomes database parameters: what
    `field.get_db_prep_save` gives each, with the common cases done without it (it is most
    of the cost of a large batch, a bulk import) and most columns left as they are."""
    prep = field.get_db_prep_save
    target = getattr(field, "target_field", None) or field  # a foreign key: the key it holds

    def one(value: Any) -> Any:
        return prep(value, conn)

    if isinstance(field, models.JSONField):
        empty: dict[type, Any] = {dict: prep({}, conn), list: prep([], conn)}
        prepare: Convert = one
        if type(conn.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value and (
            type(field).get_prep_value is models.JSONField.get_prep_value
        ):
            # What adapt_json_value does (json.dumps(value, cls=encoder)) with one encoder
            # kept, not one built per value: a batch's change log is a JSON text per row.
            prepare = (field.encoder or json.JSONEncoder)().encode

        def json_value(value: Any) -> Any:
            if not value and type(value) in empty:
                return empty[type(value)]
            return prepare(value)

        return _column_of(json_value)
    if isinstance(target, models.UUIDField):
        if conn.features.has_native_uuid_field:
            return _column_of(one, as_is=frozenset({uuid.UUID, _NONE}))
        # A UUID is its hex on a database with no UUID type.
        hexes = attrgetter("hex")

        def uuid_hex(values: list[Any]) -> list[Any]:
            kinds = set(map(type, values))
            if kinds == {uuid.UUID}:
                return list(map(hexes, values))
            return [
                v.hex if type(v) is uuid.UUID else None if v is None else one(v) for v in values
            ]

        return uuid_hex
    if isinstance(field, models.DateTimeField) and settings.USE_TZ:
        if conn.vendor == "sqlite" and conn.timezone_name == "UTC":
            # SQLite keeps UTC as text: what adapt_datetimefield_value makes of a UTC time.
            # str() of the naive time is its isoformat(" "); a UTC one ends in "+00:00".
            def utc_text(values: list[Any]) -> list[Any]:
                if len(values) > 1 and values.count(values[0]) == len(values):
                    return utc_text(values[:1]) * len(values)  # one time for a batch
                return [
                    v.isoformat(" ")[:-6]
                    if type(v) is datetime and v.tzinfo is UTC
                    else None
                    if v is None
                    else one(v)
                    for v in values
                ]

            return utc_text
        if conn.vendor == "postgresql":
            return lambda values: [
                v if v is None or (type(v) is datetime and v.tzinfo is not None) else one(v)
                for v in values
            ]
    if isinstance(target, _PLAIN_FIELDS):
        # A plain str, int or float goes to the driver unchanged.
        return _column_of(_remembered(one), as_is=_PLAIN_TYPES | {_NONE})
    if isinstance(target, models.BooleanField):
        return _column_of(_remembered(one), as_is=frozenset({bool, _NONE}))
    return _column_of(_remembered(one))


def _column_of(convert: Convert, as_is: frozenset[type] = frozenset({_NONE})) -> ConvertColumn:
    """A column converter: values of the types `as_is` left, None kept, others converted."""

    def column(values: list[Any]) -> list[Any]:
        if set(map(type, values)) <= as_is:
            return values
        return [v if v is None or type(v) in as_is else convert(v) for v in values]

    return column


def _remembered(convert: Convert) -> Convert:
    """A converter that prepares each distinct (hashable) value once: a batch repeats most
    values (the site, the user, the transaction's time)."""
    prepared: dict[tuple[type, object], object] = {}

    def remembered(value: Any) -> Any:
        key = (type(value), value)
        try:
            return prepared[key]
        except KeyError:
            if len(prepared) >= _PREPARED_KEPT:
                prepared.clear()
            prepared[key] = result = convert(value)
            return result
        except TypeError:  # not hashable
            return convert(value)

    return remembered


def plain_read(field: models.Field[Any, Any]) -> bool:
    """Whether a field's value to save is its attribute as it is (no auto_now, no file to
    commit): most are, and reading them with attrgetter is what makes a batch fast."""
    if type(field).pre_save is models.Field.pre_save:
        return True
    return (
        isinstance(field, models.DateField)
        and not field.auto_now
        and not field.auto_now_add
        and type(field).pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save)
    )
