"""Sites, the replicated-row base, the change log, the clock state, the audit log and settings.

Every replicated row carries a UUIDv7 id, the site that created it and a hybrid-logical-clock
version; it is never deleted, only tombstoned. `ReplicatedModel.save` appends the change-log row
in the same transaction, so the feed that sync ships cannot miss a write.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lifeline.core.dbvalues import db_converter, plain_read
from lifeline.core.ids import uuid7


class Site(models.Model):
    """A camp or a headquarters: one installation of Lifeline, with a stable id."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClockState(models.Model):
    """The last clock version issued at a site; locked and advanced by every write."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE)
    ms = models.BigIntegerField(default=0)
    counter = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"clock of {self.site_id}: {self.ms}.{self.counter}"


_Row = TypeVar("_Row", bound="ReplicatedModel")


class ReplicatedQuerySet(models.QuerySet[_Row]):
    def alive(self) -> ReplicatedQuerySet[_Row]:
        return self.filter(deleted_at__isnull=True)

    def update(self, **kwargs: Any) -> int:
        raise TypeError("replicated rows change through save(), so that the change log sees them")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("replicated rows are tombstoned one by one through delete()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("replicated rows are created through save(), so each gets its version")


class ReplicatedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    origin_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", editable=False
    )
    version = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The version of each field, for the per-field merge of another site's changes (sync):
    # {"*": v} gives every field not named its version v; {} means every field is at `version`
    # (a row written once). Kept compact because most rows are written once.
    field_versions = models.JSONField(default=dict, blank=True, editable=False)

    objects = ReplicatedQuerySet.as_manager()

    # Fields derived from other rows (caches of a ledger): local, never shipped.
    derived_fields: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        from lifeline.core.clock import clock_tick

        update_fields: Iterable[str] | None = kwargs.pop("update_fields", None)
        if update_fields is not None and set(update_fields) <= self.derived_fields:
            # A cache refresh: local only, so no new version and no change-log row.
            super().save(*args, update_fields=update_fields, **kwargs)
            return
        # No savepoint: a failed write fails the service's whole transaction, which is what a
        # service wants, and two fewer statements per row on the registry's hot path.
        with transaction.atomic(savepoint=False):
            creating = self._state.adding
            stamp = clock_tick()
            if creating and self.origin_site_id is None:
                self.origin_site_id = stamp.site_id
            previous = self.version
            self.version = stamp.version
            self.updated_at = timezone.now()
            if update_fields is not None:
                changed = {_attname(self, name) for name in update_fields}
                update_fields = set(update_fields) | {"version", "updated_at", "field_versions"}
            else:
                changed = None
            base = {} if creating else self._field_versions_advance(previous, changed)
            super().save(*args, update_fields=update_fields, **kwargs)
            if changed is None or changed - self.derived_fields:
                change_append(
                    self, op="create" if creating else "update", changed=changed, base=base
                )

    def _field_versions_advance(self, previous: str, changed: set[str] | None) -> dict[str, str]:
        """Give the written fields the new version; return the versions they had (the base of
        this write, which tells another site whether the writer had seen its value)."""
        before = dict(self.field_versions or {})
        before.setdefault("*", previous)
        if changed is None:  # every field written
            self.field_versions = {}
            return before
        after = dict(before)
        derived = {_attname(self, name) for name in self.derived_fields}
        for name in changed - derived:
            after[name] = self.version
        self.field_versions = after
        return {name: str(before.get(name, before["*"])) for name in changed - derived}

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Tombstone: the row stays so that the deletion can replicate and be undone."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])
        return (1, {self._meta.label: 1})

    def undelete(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def _attname(instance: models.Model, name: str) -> str:
    """The column attribute of a field named either way ("household" or "household_id")."""
    return str(getattr(instance._meta.get_field(name), "attname", name))


def _json_value(field: models.Field[Any, Any], instance: models.Model) -> object:
    value = field.value_from_object(instance)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime | time):
        # Whole microseconds (DjangoJSONEncoder would keep milliseconds): a site that applies
        # the change must hold the very value its writer holds.
        return value.isoformat()
    return value


class ChangeLogEntry(models.Model):
    """One row per write of a replicated row, written here or applied from another site: the
    feed that multi-site sync ships. A change keeps the version its writer gave it wherever it
    travels, so the version identifies it (applying it twice finds it here)."""

    seq = models.BigAutoField(primary_key=True)  # local order only; never crosses a site
    model = models.CharField(max_length=100)
    object_id = models.UUIDField(db_index=True)
    op = models.CharField(max_length=10)
    version = models.CharField(max_length=64, unique=True)
    # The site that created the row (not necessarily the writer of this change).
    origin_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    # The site whose clock stamped this change (the writer): what cursors count by. No foreign
    # key: a change may arrive (relayed) before its writer's site row.
    source_site = models.UUIDField(null=True, blank=True)
    fields = models.JSONField(encoder=DjangoJSONEncoder)
    # The versions the written fields had before this write ({"*": v} for the fields not
    # named); empty for a create.
    base = models.JSONField(default=dict, blank=True)
    # The writer's migration number of the model's app when it wrote the change.
    schema = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["model", "object_id"]),
            models.Index(fields=["source_site", "version"], name="changelog_source_version"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.op} @{self.version}"


def change_append(
    instance: ReplicatedModel,
    *,
    op: str,
    changed: Iterable[str] | None = None,
    base: dict[str, str] | None = None,
) -> ChangeLogEntry:
    entry = change_entry(instance, op=op, changed=changed, base=base)
    entry.save()
    return entry


_schema_numbers: dict[str, int] = {}


def app_schema_number(app_label: str) -> int:
    """This installation's latest migration number of an app (0004_... is 4), read once from
    the migration files: every change carries it so that another site knows what wrote it."""
    if not _schema_numbers:
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(None, ignore_no_migrations=True)
        for label, name in loader.graph.leaf_nodes():
            head = name.split("_", 1)[0]
            number = int(head) if head.isdigit() else 0
            _schema_numbers[label] = max(number, _schema_numbers.get(label, 0))
    return _schema_numbers.get(app_label, 0)


def change_entry(
    instance: ReplicatedModel,
    *,
    op: str,
    changed: Iterable[str] | None = None,
    base: dict[str, str] | None = None,
) -> ChangeLogEntry:
    """The change-log row of a write, not yet saved."""
    meta = instance._meta
    wanted = set(changed) if changed is not None else None
    values: dict[str, object] = {}
    for field in meta.concrete_fields:
        if field.name in _NOT_SHIPPED or field.name in instance.derived_fields:
            continue
        if wanted is not None and field.name not in wanted and field.attname not in wanted:
            continue
        values[field.attname] = _json_value(field, instance)
    if op == "update" and instance.deleted_at is not None and wanted == {"deleted_at"}:
        op = "delete"
    return ChangeLogEntry(
        model=meta.label_lower,
        object_id=instance.pk,
        op=op,
        version=instance.version,
        origin_site_id=instance.origin_site_id,
        source_site=_version_site(instance.version),
        fields=values,
        base=base or {},
        schema=app_schema_number(meta.app_label),
    )


# The version and the per-field versions travel as the change's own metadata, not as fields.
_NOT_SHIPPED = frozenset({"version", "field_versions"})


def _version_site(version: str) -> uuid.UUID | None:
    _, _, site_hex = version.partition("-")
    try:
        return uuid.UUID(hex=site_hex)
    except ValueError:
        return None


def replicated_create_many(rows: Sequence[ReplicatedModel]) -> None:
    """Create new replicated rows of one transaction with one clock tick, one INSERT per model
    and one INSERT of their change-log rows: what a hot path (a ration queue) needs. Each row
    still gets its own version, in order, and its change-log row, as `save()` would give it."""
    from lifeline.core.clock import clock_tick_many

    if not rows:
        return
    with transaction.atomic(savepoint=False):
        stamps = clock_tick_many(len(rows))
        plan = replicated_create_prepare(rows, site_id=stamps[0].site_id)
        _plan_write(plan, [stamp.version for stamp in stamps])


@dataclass
class _Group:
    """The rows of one model in a plan: their INSERT's columns of parameters (the version
    column filled when written) and their places among the plan's rows."""

    inserter: _Inserter
    columns: list[list[Any]]
    places: list[int]


@dataclass
class CreatePlan:
    """New replicated rows and their change-log rows already turned into INSERT parameters,
    all but their clock versions (`replicated_create_prepare`). A bulk write prepares a chunk
    before it takes the writer's lock and only stamps and inserts it inside
    (`replicated_create_write`): on SQLite the lock is then held for the inserts alone."""

    rows: list[ReplicatedModel]
    site_id: Any  # the site whose clock will stamp them (this one)
    groups: list[_Group]
    changes: list[list[Any]]  # the change log's columns (_CHANGE_COLUMNS), rows in order


def replicated_create_prepare(rows: Sequence[ReplicatedModel], *, site_id: Any) -> CreatePlan:
    """Prepare new rows of this site (`site_id`: `clock.site_local().pk`) for
    `replicated_create_write`. Nothing is written; their `updated_at` and the change log's
    time are now, their versions are given when they are written."""
    conn = transaction.get_connection()
    now = timezone.now()
    by_model: dict[type[ReplicatedModel], list[int]] = {}
    for index, row in enumerate(rows):
        if not row._state.adding:
            raise ValueError("replicated_create_many creates rows; save() changes them")
        if row.origin_site_id is None:
            row.origin_site_id = site_id
        row.updated_at = now
        by_model.setdefault(type(row), []).append(index)
    count = len(rows)
    groups = []
    fields: list[Any] = [None] * count
    labels: list[str] = [""] * count
    schemas: list[int] = [0] * count
    for model, places in by_model.items():
        inserter = _inserter(model, conn)
        same = [rows[i] for i in places]
        values = inserter.columns_of_rows(same)
        groups.append(_Group(inserter, inserter.columns_convert(values), places))
        shape = _change_shape(model)
        # The change ships the values as they are (JSON), not as the database keeps them.
        shipped = [_json_column(values[inserter.position(name)]) for name in shape.attnames]
        for place, row_fields in zip(places, zip(*shipped, strict=True), strict=True):
            fields[place] = dict(zip(shape.attnames, row_fields, strict=True))
            labels[place] = shape.label
            schemas[place] = shape.schema
    changes: list[list[Any]] = [
        labels,
        [row.pk for row in rows],
        ["create"] * count,
        [""] * count,  # the versions, given when written
        [row.origin_site_id for row in rows],
        [site_id] * count,  # the writer's site: the clock that stamps the change
        fields,
        [{}] * count,
        schemas,
        [now] * count,
    ]
    change_inserter = _inserter(ChangeLogEntry, conn, _CHANGE_COLUMNS)
    return CreatePlan(list(rows), site_id, groups, change_inserter.columns_convert(changes))


def replicated_create_write(plan: CreatePlan) -> None:
    """Write prepared rows: one clock tick for them all, then one INSERT per model and one of
    their change-log rows (executemany). Inside the caller's transaction."""
    from lifeline.core.clock import clock_tick_many

    if not plan.rows:
        return
    with transaction.atomic(savepoint=False):
        stamps = clock_tick_many(len(plan.rows))
        if stamps[0].site_id != plan.site_id:
            raise ValueError("the rows were prepared for another site than this clock's")
        _plan_write(plan, [stamp.version for stamp in stamps])


def _plan_write(plan: CreatePlan, versions: list[str]) -> None:
    for row, version in zip(plan.rows, versions, strict=True):
        row.version = version
    for group in plan.groups:
        group.columns[group.inserter.position("version")] = [versions[i] for i in group.places]
        group.inserter.execute_columns(group.columns)
    plan.changes[_CHANGE_COLUMNS.index("version")] = versions
    conn = transaction.get_connection()
    _inserter(ChangeLogEntry, conn, _CHANGE_COLUMNS).execute_columns(plan.changes)
    for row in plan.rows:
        row._state.adding = False
        row._state.db = conn.alias


# The change-log columns a create fills, in the order the prepared rows give them.
_CHANGE_COLUMNS = (
    "model",
    "object_id",
    "op",
    "version",
    "origin_site_id",
    "source_site",
    "fields",
    "base",
    "schema",
    "at",
)
# Values a change's JSON keeps as they are; others go through _json_value's rule.
_JSON_AS_IS = frozenset({str, int, float, bool, type(None), list, dict})


@dataclass
class _ChangeShape:
    """What a create's change-log row ships of a model's rows: `change_entry` with every
    field."""

    attnames: list[str]
    label: str
    schema: int


def _json_column(values: list[Any]) -> list[Any]:
    """`_json_value`'s rule over a column of values read already (a UUID as the change's
    encoder writes it): most columns need nothing."""
    kinds = set(map(type, values))
    if kinds <= _JSON_AS_IS:
        return values
    if kinds == {uuid.UUID}:  # ids and keys: most of a change's columns that need a rule
        return list(map(str, values))
    if len(values) > 1 and values.count(values[0]) == len(values):  # one time for a batch
        return [_json_plain(values[0])] * len(values)
    return [v if type(v) in _JSON_AS_IS else _json_plain(v) for v in values]


def _json_plain(value: object) -> object:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


_change_shapes: dict[type[ReplicatedModel], _ChangeShape] = {}


def _change_shape(model: type[ReplicatedModel]) -> _ChangeShape:
    shape = _change_shapes.get(model)
    if shape is None:
        meta = model._meta
        shipped = [
            f.attname
            for f in meta.concrete_fields
            if f.name not in _NOT_SHIPPED and f.name not in model.derived_fields
        ]
        shape = _ChangeShape(shipped, meta.label_lower, app_schema_number(meta.app_label))
        _change_shapes[model] = shape
    return shape


def replicated_rows_update(
    model: type[ReplicatedModel], rows: Sequence[ReplicatedModel], attnames: Sequence[str]
) -> None:
    """Write `attnames` of rows that arrived from another site as they are (their versions
    kept, no change-log row: the sync apply path logs the changes it applied itself), one
    UPDATE per row in one executemany."""
    if not rows:
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    conn = transaction.get_connection()
    quote = conn.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = meta.pk
    if pk is None:  # every concrete model has one; narrows the type
        raise TypeError(f"{meta.label} has no primary key")
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), conn) for f in fields]
        + [pk.get_db_prep_save(row.pk, conn)]
        for row in rows
    ]
    with conn.cursor() as cursor:
        cursor.executemany(sql, params)


def replicated_discard_created(model: type[ReplicatedModel], ids: Sequence[Any]) -> int:
    """Remove rows that a failed batch created (and their change-log rows), as if the batch
    had never run: a batch written in several transactions is rolled back this way. Only for
    rows the batch itself created; anything else is tombstoned through delete()."""
    plain = model._base_manager  # the replicated manager refuses deletes, on purpose
    removed = 0
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        ChangeLogEntry.objects.filter(
            model=model._meta.label_lower, object_id__in=chunk
        )._raw_delete(ChangeLogEntry.objects.db)
        removed += plain.filter(pk__in=chunk)._raw_delete(plain.db)
    return removed


def insert_many(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """New rows of a model that is not replicated (audit rows), in one INSERT."""
    if issubclass(model, ReplicatedModel):
        raise TypeError("replicated rows are created through replicated_create_many or save()")
    _insert_many(model, rows)


def _insert_many(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """New rows in one executemany of one INSERT, their values prepared as bulk_create
    prepares them, without its per-call query building (a ration issue calls this three
    times). ReplicatedQuerySet refuses bulk_create to stop writes that skip the version and
    the change log; replicated_create_many writes both."""
    if not rows:
        return
    conn = transaction.get_connection()  # the connection itself, not the per-call proxy
    inserter = _inserter(model, conn)
    inserter.execute_columns(inserter.columns_convert(inserter.columns_of_rows(rows)))
    for row in rows:
        row._state.adding = False
        row._state.db = conn.alias


@dataclass
class InsertPlan:
    """New rows of a model that is not replicated (audit rows) turned into INSERT parameters
    before the transaction that writes them (`insert_prepare`, then `write()` inside it)."""

    inserter: _Inserter
    columns: list[list[Any]]

    def write(self) -> None:
        self.inserter.execute_columns(self.columns)


def insert_prepare(model: type[models.Model], columns: Mapping[str, list[Any]]) -> InsertPlan:
    """New rows given as columns of values ({attname: values}, every column as long), with
    no model instance built for them: what a batch of audit rows needs."""
    if issubclass(model, ReplicatedModel):
        raise TypeError("replicated rows are prepared through replicated_create_prepare")
    inserter = _inserter(model, transaction.get_connection(), tuple(columns))
    return InsertPlan(inserter, inserter.columns_convert(list(columns.values())))


class _Inserter:
    """One model's INSERT statement on one connection and how rows become its parameters,
    column by column: the fields' values read with one attrgetter per row, and converted
    only in the columns that need it."""

    def __init__(
        self, model: type[models.Model], conn: Any, attnames: Sequence[str] | None = None
    ) -> None:
        meta = model._meta
        if attnames is None:
            fields = [
                f for f in meta.concrete_fields if f is not meta.auto_field and not f.generated
            ]
        else:
            by_attname = {f.attname: f for f in meta.concrete_fields}
            fields = [by_attname[name] for name in attnames]
        self.conn = conn
        self.attnames = [f.attname for f in fields]
        quote = conn.ops.quote_name
        # Table and column names come from the model; every value is a parameter.
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.read = attrgetter(*self.attnames)
        self.single = len(fields) == 1
        self.pre_saved = [(i, f) for i, f in enumerate(fields) if not plain_read(f)]
        self.converters = [db_converter(f, conn) for f in fields]

    def position(self, attname: str) -> int:
        return self.attnames.index(attname)

    def columns_of_rows(self, rows: Sequence[models.Model]) -> list[list[Any]]:
        """The rows' values to save, column by column."""
        if self.single:
            columns = [[self.read(row) for row in rows]]
        else:
            columns = [list(column) for column in zip(*map(self.read, rows), strict=True)]
        for index, field in self.pre_saved:
            columns[index] = [field.pre_save(row, True) for row in rows]
        return columns

    def columns_convert(self, columns: list[list[Any]]) -> list[list[Any]]:
        """Columns of values (in this inserter's order) as database parameters."""
        return [convert(values) for convert, values in zip(self.converters, columns, strict=True)]

    def execute_columns(self, columns: list[list[Any]]) -> None:
        if columns and columns[0]:
            with self.conn.cursor() as cursor:
                cursor.executemany(self.sql, list(zip(*columns, strict=True)))


_inserters: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], _Inserter]] = (
    weakref.WeakKeyDictionary()
)


def _inserter(
    model: type[models.Model], conn: Any, attnames: Sequence[str] | None = None
) -> _Inserter:
    """The inserter of a model on a connection (built once per connection)."""
    kept = _inserters.setdefault(conn, {})
    key = (model, tuple(attnames) if attnames is not None else None)
    inserter = kept.get(key)
    if inserter is None:
        inserter = kept[key] = _Inserter(model, conn, attnames)
    return inserter


class AuditEntry(models.Model):
    """Who did or saw what, when: every write and every read of a protected record."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_username = models.CharField(max_length=150, blank=True)
    site_code = models.CharField(max_length=50, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, encoder=DjangoJSONEncoder, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = gettext_lazy("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.summary}"


class Setting(models.Model):
    """A per-site setting (key, JSON value): Sphere standards, flags such as the demo marker."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="settings")
    key = models.CharField(max_length=100)
    value = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="setting_unique_key_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value!r}"


class UserPreference(models.Model):
    """What a user chose for themself: the language of their pages (an empty choice follows
    the browser and then the site's default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True, default="")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


__all__ = [
    "AuditEntry",
    "ChangeLogEntry",
    "ClockState",
    "ReplicatedModel",
    "Setting",
    "Site",
    "UserPreference",
    "change_append",
    "insert_many",
    "replicated_create_many",
    "replicated_rows_update",
    "uuid",
]


class WriteBatch(models.Model):
    """Rows written in several transactions as one (a bulk import): `open` from before its
    first row is written until its last is, then `done`; `discarded` once its rows were
    removed (a failure, or its writer killed before it finished: `core.batches`). Local to
    this installation, never shipped."""

    OPEN, DONE, DISCARDED = "open", "done", "discarded"  # states (shown to no one)

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    kind = models.CharField(max_length=40)  # "<app>.<what>": whose sweeper removes its rows
    state = models.CharField(max_length=10, default=OPEN)
    # A clock version taken when the batch opened: every row it writes has a later one, so
    # sync ships none of this site's changes from here on while the batch is open.
    low_version = models.CharField(max_length=64)
    holder = models.CharField(max_length=120, blank=True)  # host and process, for people
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state"], name="writebatch_state")]

    def __str__(self) -> str:
        return f"{self.kind} batch {self.pk} ({self.state})"
