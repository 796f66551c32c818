"""The one path by which another site's changes are written here, whatever carried them.

`changes_apply` takes changes in this site's terms (actors already translated to local users)
and, in one transaction:

1. skips every change already here (its version is in the change log or waiting): a change
   applied twice is applied once;
2. holds back a change stamped too far ahead of this site's clock (the drift guard), raising
   an alert, so that a laptop whose clock runs a year ahead cannot win every field forever;
3. parks a change whose parent row (a foreign key) has not arrived, or an update whose row has
   not, until it does;
4. merges each row field by field, the later version winning (hybrid logical clock, so ties
   cannot happen), and keeps the value that lost in a `Conflict` when neither write had seen
   the other (the winner's base is not the loser);
5. writes the rows with the versions they carry (the local clock only receives them), appends
   each change to the change log as it arrived (unknown fields of a newer peer included, so
   they travel on), and releases the changes that were waiting for these rows;
6. runs the other apps' apply hooks once (`core.replication.after_apply_run`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lifeline.core import hlc
from lifeline.core.clock import site_local, wall_ms
from lifeline.core.models import (
    ChangeLogEntry,
    ClockState,
    ReplicatedModel,
    Site,
    insert_many,
    replicated_rows_update,
)
from lifeline.core.replication import after_apply_run
from lifeline.core.services import setting_get
from lifeline.sync.changes import Change
from lifeline.sync.models import Conflict, PendingChange
from lifeline.sync.rows import RowInserter, converter, log_entries_insert

CLOCK_AHEAD_KIND = "sync.clock_ahead"
CLOCK_AHEAD_SETTING = "sync.clock_ahead_limit_minutes"
CLOCK_AHEAD_DEFAULT_MINUTES = 10
_CHUNK = 500  # ids per IN (...) query: below every database's parameter limit
# Fields that describe the row here, not what was written: never merged from a change.
_LOCAL_FIELDS = frozenset({"id", "version", "field_versions", "updated_at"})


@dataclass
class ApplyReport:
    received: int = 0
    applied: int = 0
    duplicates: int = 0
    waiting: int = 0  # parked until their parent row arrives
    held: int = 0  # held back by the drift guard
    conflicts: int = 0
    applied_ids: dict[str, set[uuid.UUID]] = field(default_factory=dict)

    def add(self, other: ApplyReport) -> None:
        self.applied += other.applied
        self.conflicts += other.conflicts
        for label, ids in other.applied_ids.items():
            self.applied_ids.setdefault(label, set()).update(ids)


@dataclass(frozen=True)
class ModelPlan:
    """What the apply path needs to know of one replicated model."""

    model: type[ReplicatedModel]
    fields: dict[str, models.Field[Any, Any]]  # attname -> field, the merged ones
    parents: tuple[tuple[str, str], ...]  # (attname, target label) rows that must exist first
    actors: tuple[str, ...]  # attnames of foreign keys to users: keys in the feed
    columns: tuple[str, ...]  # attnames written on update


_plans: dict[str, ModelPlan | None] = {}


def model_plan(label: str) -> ModelPlan | None:
    """The plan of a model label, or None when this site has no such replicated model (a newer
    peer's): its changes are logged and passed on, not applied."""
    if label in _plans:
        return _plans[label]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        _plans[label] = None
        return None
    if not issubclass(model, ReplicatedModel):
        _plans[label] = None
        return None
    derived = {
        str(getattr(model._meta.get_field(name), "attname", name)) for name in model.derived_fields
    }
    merged: dict[str, models.Field[Any, Any]] = {}
    parents: list[tuple[str, str]] = []
    actors: list[str] = []
    user_model = get_user_model()
    for f in model._meta.concrete_fields:
        if f.attname in _LOCAL_FIELDS or f.attname in derived:
            continue
        merged[f.attname] = f
        target = f.related_model if f.is_relation else None
        if isinstance(target, type) and (issubclass(target, ReplicatedModel) or target is Site):
            parents.append((f.attname, target._meta.label_lower))
        elif target is user_model:
            actors.append(f.attname)
    columns = (*merged, "version", "field_versions", "updated_at")
    plan = ModelPlan(model, merged, tuple(parents), tuple(actors), columns)
    _plans[label] = plan
    return plan


def replicated_model_labels() -> list[str]:
    return sorted(
        m._meta.label_lower
        for m in apps.get_models()
        if issubclass(m, ReplicatedModel) and not m._meta.abstract
    )


def clock_ahead_limit_ms() -> int:
    minutes = setting_get(
        site=site_local(), key=CLOCK_AHEAD_SETTING, default=CLOCK_AHEAD_DEFAULT_MINUTES
    )
    return int(float(minutes) * 60_000)


def changes_apply(changes: Sequence[Change], *, now_ms: int | None = None) -> ApplyReport:
    """Apply another site's changes here (see the module's docstring). Idempotent."""
    with transaction.atomic():
        report = ApplyReport(received=len(changes))
        now = wall_ms() if now_ms is None else now_ms
        fresh = _unseen(changes, report)
        fresh = _drift_guard(fresh, now, report)
        batch = fresh
        while batch:
            ready = _parents_present(batch, report)
            done = _merge_and_write(ready)
            report.add(done)
            _clock_receive([c.version for c in ready])
            batch = _released_by(done.applied_ids)
        after_apply_run(report.applied_ids)
    return report


def pending_release_due(*, now_ms: int | None = None) -> ApplyReport:
    """Apply the changes the drift guard held that this site's clock has now caught up with,
    and any waiting change whose parent is here by now."""
    now = wall_ms() if now_ms is None else now_ms
    limit = now + clock_ahead_limit_ms()
    due: list[Change] = []
    with transaction.atomic():
        for pending in PendingChange.objects.select_for_update().order_by("version"):
            change = Change.from_json(pending.change)
            if pending.reason == PendingChange.Reason.CLOCK and change.ms > limit:
                continue
            due.append(change)
            pending.delete()
        return changes_apply(due, now_ms=now)


def _unseen(changes: Sequence[Change], report: ApplyReport) -> list[Change]:
    by_version: dict[str, Change] = {}
    for change in changes:
        by_version.setdefault(change.version, change)
    versions = list(by_version)
    version_field = ChangeLogEntry._meta.get_field("version")
    pending_field = PendingChange._meta.get_field("version")
    seen = column_values_present(ChangeLogEntry, version_field, versions)
    seen |= column_values_present(PendingChange, pending_field, versions)
    report.duplicates = len(changes) - len(by_version) + len(seen)
    return [c for v, c in by_version.items() if v not in seen]


def _drift_guard(changes: list[Change], now: int, report: ApplyReport) -> list[Change]:
    limit = now + clock_ahead_limit_ms()
    kept: list[Change] = []
    ahead: dict[uuid.UUID, list[Change]] = defaultdict(list)
    for change in changes:
        if change.ms > limit:
            ahead[change.source_site].append(change)
        else:
            kept.append(change)
    for source, held in ahead.items():
        _park(held, reason=PendingChange.Reason.CLOCK, detail="clock ahead")
        report.held += len(held)
        _alert_clock_ahead(source, held, now)
    return kept


def _alert_clock_ahead(source: uuid.UUID, held: list[Change], now: int) -> None:
    from lifeline.alerts.models import Severity
    from lifeline.alerts.services import alert_raise

    site = Site.objects.filter(pk=source).first()
    name = site.name if site is not None else str(source)
    ahead_min = max(c.ms for c in held) - now
    alert_raise(
        kind=CLOCK_AHEAD_KIND,
        key=f"sync.clock_ahead:{source}",
        title=gettext_lazy("%(name)s's clock is %(minutes)s min ahead: its changes are held back"),
        severity=Severity.WARNING,
        detail=gettext_lazy(
            "%(count)s change(s) from %(name)s are stamped later than this site's clock allows; "
            "they are applied once this site's clock reaches them, or after the other site's "
            "clock is corrected and its changes are sent again."
        ),
        params={"name": name, "minutes": ahead_min // 60_000, "count": len(held)},
    )


def _park(
    changes: Iterable[Change],
    *,
    reason: str,
    waiting: dict[str, tuple[str, str]] | None = None,
    detail: str = "",
) -> None:
    rows = []
    for change in changes:
        model, object_id = (waiting or {}).get(change.version, ("", ""))
        rows.append(
            PendingChange(
                version=change.version,
                source_site=change.source_site,
                model=change.model,
                object_id=change.object_id,
                reason=reason,
                waiting_for_model=model,
                waiting_for_id=object_id,
                detail=detail[:300],
                change=change.as_json(),
            )
        )
    insert_many(PendingChange, rows)


def _parents_present(changes: list[Change], report: ApplyReport) -> list[Change]:
    """The changes whose parent rows (and, for an update, whose own row) are here or come in
    this batch; the others are parked, waiting for the first missing one."""
    needed: dict[str, set[str]] = defaultdict(set)
    refs: dict[str, list[tuple[str, str]]] = {}
    for change in changes:
        plan = model_plan(change.model)
        mine: list[tuple[str, str]] = []
        if plan is not None:
            for attname, target in plan.parents:
                value = change.fields.get(attname)
                if value is not None:
                    mine.append((target, str(value)))
            if change.op != "create":
                mine.append((change.model, str(change.object_id)))
        refs[change.version] = mine
        for target, value in mine:
            needed[target].add(value)
    present: dict[str, set[str]] = {label: _existing(label, ids) for label, ids in needed.items()}
    accepted = list(changes)
    while True:
        created: dict[str, set[str]] = defaultdict(set)
        for change in accepted:
            if change.op == "create":
                created[change.model].add(str(change.object_id))
        keep: list[Change] = []
        waiting: dict[str, tuple[str, str]] = {}
        for change in accepted:
            missing = next(
                (
                    (t, v)
                    for t, v in refs[change.version]
                    if v not in present.get(t, ()) and v not in created.get(t, ())
                ),
                None,
            )
            if missing is None:
                keep.append(change)
            else:
                waiting[change.version] = missing
        if not waiting:
            return keep
        _park(
            [c for c in accepted if c.version in waiting],
            reason=PendingChange.Reason.PARENT,
            waiting=waiting,
            detail="waiting for its parent row",
        )
        report.waiting += len(waiting)
        accepted = keep


def _existing(label: str, ids: set[str]) -> set[str]:
    model = Site if label == "core.site" else apps.get_model(label)
    pk = model._meta.pk
    if pk is None:  # every concrete model has one; narrows the type
        raise TypeError(label)
    return {str(uuid.UUID(str(v))) for v in column_values_present(model, pk, ids)}


def column_values_present(
    model: type[models.Model], field: models.Field[Any, Any], values: Iterable[Any]
) -> set[Any]:
    """Which of `values` the column holds, as stored, in plain chunked IN queries (the ORM's
    query building costs more than the query itself at this rate)."""
    conn = transaction.get_connection()
    convert = converter(field, conn)
    stored = [convert(v) for v in values]
    quote = conn.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    found: set[Any] = set()
    size = 900  # below SQLite's oldest parameter limit
    with conn.cursor() as cursor:
        for start in range(0, len(stored), size):
            part = stored[start : start + size]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT {column} FROM {table} WHERE {column} IN ({marks})",  # noqa: S608
                part,
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def _field_version(row: ReplicatedModel, attname: str) -> str:
    versions = row.field_versions or {}
    return str(versions.get(attname) or versions.get("*") or row.version)


def _field_version_set(row: ReplicatedModel, attname: str, version: str) -> None:
    versions = dict(row.field_versions or {})
    versions.setdefault("*", row.version)
    versions[attname] = version
    row.field_versions = versions
    if version > row.version:
        row.version = version


def json_value(value: Any) -> Any:
    """A field's value as the change log and conflicts store it."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime | time):
        return value.isoformat()  # whole microseconds, as the change log keeps them
    return value


@dataclass(frozen=True)
class NewRow:
    """A row to insert, in its changes' JSON values."""

    object_id: uuid.UUID
    origin_site: uuid.UUID
    version: str
    fields: dict[str, Any]
    field_versions: dict[str, str]


class _Merge:
    """One batch's merge: the rows it loads, changes and creates, and the conflicts found."""

    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self.bases: dict[str, dict[str, str]] = {}  # version -> base, of changes in this batch
        self.now = timezone.now()

    def winner_base(self, version: str, attname: str) -> str:
        base = self.bases.get(version)
        if base is None:
            found = ChangeLogEntry.objects.filter(version=version).values_list("base", flat=True)
            base = dict(found.first() or {})
            self.bases[version] = base
        return str(base.get(attname, base.get("*", "")))

    def conflict(
        self,
        change: Change,
        attname: str,
        *,
        winner: tuple[Any, str],
        loser: tuple[Any, str],
    ) -> None:
        self.conflicts.append(
            Conflict(
                model=change.model,
                object_id=change.object_id,
                field=attname,
                winner_value=json_value(winner[0]),
                winner_version=winner[1],
                winner_site=_site_of(winner[1]),
                loser_value=json_value(loser[0]),
                loser_version=loser[1],
                loser_site=_site_of(loser[1]),
                detected_at=self.now,
            )
        )

    def fold(self, plan: ModelPlan, changes: list[Change]) -> NewRow:
        """A row not here yet, from its changes in this batch, merged as `update` merges
        (on their JSON values): it starts with its create, the earliest version of a row,
        since whoever changed it had seen it (`_parents_present` saw to that)."""
        changes.sort(key=lambda c: c.version)
        first = changes[0]
        if len(changes) == 1:
            return NewRow(first.object_id, first.origin_site, first.version, first.fields, {})
        values = dict(first.fields)
        versions: dict[str, str] = {"*": first.version}
        for change in changes[1:]:
            for attname, raw in change.fields.items():
                if attname not in plan.fields:
                    continue
                current = values.get(attname)
                current_version = versions.get(attname, first.version)
                if current != raw and change.base_of(attname) != current_version:
                    self.conflict(
                        change,
                        attname,
                        winner=(raw, change.version),
                        loser=(current, current_version),
                    )
                values[attname] = raw
                versions[attname] = change.version
        return NewRow(first.object_id, first.origin_site, changes[-1].version, values, versions)

    def update(self, plan: ModelPlan, row: ReplicatedModel, change: Change) -> None:
        for attname, raw in change.fields.items():
            f = plan.fields.get(attname)
            if f is None:
                continue  # a newer peer's field: kept in the change log, passed on
            value = f.to_python(raw)
            current = getattr(row, attname)
            current_version = _field_version(row, attname)
            if change.version > current_version:
                if current != value and change.base_of(attname) != current_version:
                    self.conflict(
                        change,
                        attname,
                        winner=(raw, change.version),
                        loser=(current, current_version),
                    )
                setattr(row, attname, value)
                _field_version_set(row, attname, change.version)
            elif current != value and self.winner_base(current_version, attname) != change.version:
                self.conflict(
                    change, attname, winner=(current, current_version), loser=(raw, change.version)
                )
        row.updated_at = self.now


def _site_of(version: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=hlc.decode(version).site)
    except (hlc.ClockFormatError, ValueError):
        return None


def _merge_and_write(changes: list[Change]) -> ApplyReport:
    report = ApplyReport()
    if not changes:
        return report
    merge = _Merge()
    for change in changes:
        merge.bases[change.version] = change.base
    by_model: dict[str, dict[uuid.UUID, list[Change]]] = defaultdict(lambda: defaultdict(list))
    for change in changes:
        by_model[change.model][change.object_id].append(change)
    for label, rows in by_model.items():
        plan = model_plan(label)
        if plan is None:
            continue
        ids = list(rows)
        existing: dict[uuid.UUID, ReplicatedModel] = {}
        for start in range(0, len(ids), _CHUNK):
            for row in plan.model._base_manager.filter(pk__in=ids[start : start + _CHUNK]):
                existing[row.pk] = row
        changed: list[ReplicatedModel] = []
        fresh: list[NewRow] = []
        for object_id, its_changes in rows.items():
            found = existing.get(object_id)
            if found is None:
                fresh.append(merge.fold(plan, its_changes))
                continue
            its_changes.sort(key=lambda c: c.version)
            changes_left = iter(its_changes)
            row = found
            for change in changes_left:
                merge.update(plan, row, change)
            changed.append(row)
        RowInserter(plan.model, tuple(plan.fields)).insert(fresh, merge.now)
        replicated_rows_update(plan.model, changed, plan.columns)
        report.applied_ids[label] = set(rows)
    log_entries_insert(changes, merge.now)
    insert_many(Conflict, merge.conflicts)
    report.applied = len(changes)
    report.conflicts = len(merge.conflicts)
    return report


def _released_by(applied: dict[str, set[uuid.UUID]]) -> list[Change]:
    """The parked changes waiting for a row just applied, taken out of the waiting room."""
    if not applied or not PendingChange.objects.filter(reason=PendingChange.Reason.PARENT).exists():
        return []
    ids = [str(pk) for found in applied.values() for pk in found]
    released: list[Change] = []
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        waiting = list(
            PendingChange.objects.filter(
                reason=PendingChange.Reason.PARENT, waiting_for_id__in=part
            )
        )
        released.extend(Change.from_json(p.change) for p in waiting)
        PendingChange.objects.filter(version__in=[p.version for p in waiting]).delete()
    return released


def sites_released(site_ids: Iterable[uuid.UUID]) -> list[Change]:
    """Parked changes waiting for sites that just arrived."""
    wanted = [str(s) for s in site_ids]
    waiting = list(
        PendingChange.objects.filter(
            reason=PendingChange.Reason.PARENT,
            waiting_for_model="core.site",
            waiting_for_id__in=wanted,
        )
    )
    PendingChange.objects.filter(version__in=[p.version for p in waiting]).delete()
    return [Change.from_json(p.change) for p in waiting]


def _clock_receive(versions: list[str]) -> None:
    """The local clock receives the latest version applied, so a write made here afterwards is
    later than everything this site has seen."""
    if not versions:
        return
    latest = hlc.decode(max(versions))
    site = site_local()
    state = ClockState.objects.select_for_update().filter(site=site).first()
    if state is None:
        state = ClockState.objects.create(site=site)
    last = hlc.Timestamp(state.ms, state.counter, site.pk.hex)
    after = hlc.receive(last, latest, wall_ms(), site.pk.hex)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_clockstate SET ms = %s, counter = %s WHERE site_id = %s",
            [after.ms, after.counter, ClockState._meta.pk.get_db_prep_value(site.pk, connection)],
        )
