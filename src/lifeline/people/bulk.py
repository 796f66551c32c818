"""Registering many persons at once (a CSV import) without stopping the camp.

Every row meets the rules of one registration (`services.person_draft`: the same checks,
permissions, history, change log and audit rows), but the rows are written set-based, in
short transactions of CHUNK_ROWS persons. Each chunk is turned into INSERT parameters before
its transaction (`core.models.replicated_create_prepare`), so that on SQLite the one writer's
lock is held only while the rows are inserted (a few hundredths of a second), and the importer
leaves a gap between chunks in which a waiting registration, ration or login gets its turn.

All or nothing still holds. Every row is checked before the first is written (a bad row
writes nothing), and the rows written belong to one batch (`core.batches`; `batch` in their
audit rows): a failure while writing (the database gone, a constraint) removes every row of
the batch before the error goes on (`replicated_discard_created`), as if the import had never
run. An importer killed outright (SIGKILL, power) leaves its batch open with nobody holding
it: the next start of the server, the worker or the `lifeline` command, or sync before it
builds a feed, removes its rows (`import_batch_sweep`), and sync never ships them meanwhile.

What follows a registration is worked out for the whole file before anything is written (a
child's household may list its adults further down the file): the protection case of a
child with no adult of theirs present is written in the chunk of the child; open tracing
requests are read once and scored against every newcomer.
"""

from __future__ import annotations

import gc
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.batches import batch_discarded, batch_finish, batch_open, batch_release
from lifeline.core.clock import site_local
from lifeline.core.models import (
    AuditEntry,
    ReplicatedModel,
    Site,
    WriteBatch,
    replicated_create_prepare,
    replicated_create_write,
    replicated_discard_created,
)
from lifeline.core.services import (
    Actor,
    AuditItem,
    audit_entry,
    audit_prepare,
    audit_record,
    audit_record_many,
    permission_require,
)
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    ProtectionCase,
    StatusEvent,
)
from lifeline.people.services import PersonDraft

Progress = Callable[[int, int], None]
T = TypeVar("T")

BATCH_KIND = "people.import"

# Persons per transaction: their rows (person, status event, conditions, new households,
# cases, change log and audit: ~6 rows a person) take SQLite's writer lock for ~60-150 ms
# (fewer, longer turns: each commit may checkpoint the WAL; a writer still waits well under
# the second that benchmarks/import.py allows).
CHUNK_ROWS = 1000
# SQLite: a writer waiting for the lock polls it (its busy handler) every 25 ms in its first
# tenth of a second and every 100 ms after a third of a second, so the importer leaves it
# at least this long after each chunk; preparing the next chunk usually takes longer, and
# then it does not wait at all. PostgreSQL locks rows, not the database: no pause there.
SQLITE_PAUSE_S = 0.06


@dataclass
class BulkPerson:
    """One checked row: what it registers, and the ration card of its household if any."""

    draft: PersonDraft
    card: str | None = None


@dataclass
class BulkResult:
    batch: uuid.UUID
    persons: int = 0
    households_created: int = 0
    cases_opened: int = 0


@dataclass
class _Written:
    """What the batch has written so far, by model: what a failure removes."""

    rows: dict[type[ReplicatedModel], list[Any]] = field(default_factory=dict)
    audit: list[Any] = field(default_factory=list)

    def note(self, rows: Iterable[ReplicatedModel], audit: Iterable[Any]) -> None:
        for row in rows:
            self.rows.setdefault(type(row), []).append(row.pk)
        self.audit.extend(audit)


class _Turns:
    """The gap the importer leaves other writers between two of its transactions."""

    def __init__(self) -> None:
        self.last = 0.0

    def wait(self) -> None:
        if connection.vendor != "sqlite":
            return
        rest = SQLITE_PAUSE_S - (time.monotonic() - self.last)
        if rest > 0:
            time.sleep(rest)

    def done(self) -> None:
        self.last = time.monotonic()


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a file is checked and written: its passes
    walk every live object, and an import keeps a few objects per row alive until it ends
    (a third of an import's CPU at 10,000 rows, more the larger the file). Rows form no
    cycles worth collecting meanwhile; the collector resumes as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def households_for_cards(
    *, actor: Actor | None, cards: Iterable[str]
) -> tuple[dict[str, Household], set[str]]:
    """The households holding these cards ({card: household}) and the cards of deleted
    households (which no import may reuse)."""
    wanted = sorted(set(cards))
    found: dict[str, Household] = {}
    deleted: set[str] = set()
    for chunk in _chunks(wanted, 500):
        for household in Household.objects.filter(ration_card__in=chunk):
            if household.is_deleted:
                deleted.add(str(household.ration_card))
            else:
                found[str(household.ration_card)] = household
    return found, deleted


def persons_register_many(
    *,
    actor: Actor | None,
    rows: Sequence[BulkPerson],
    households: dict[str, Household],
    on_progress: Progress | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> BulkResult:
    """Write checked rows (see `services.person_draft`) in short chunks. `households` maps the
    cards that exist already; the others get a new household, written with the first row
    that names it. The import's own audit row (`person.import`, with `summary` and `detail`)
    is written last, with the batch id."""
    permission_require(actor, "people.add_person", doing=_("import people"))
    if any(row.card and row.card not in households for row in rows):
        permission_require(actor, "people.add_household", doing=_("create households"))
    batch = batch_open(BATCH_KIND)
    result = BulkResult(batch=batch.pk)
    written = _Written()
    turns = _Turns()
    try:
        place = site_local()
        households = dict(households)
        existing = len(households)
        cases = _cases_to_open(rows, households)
        for part in _chunks(rows, CHUNK_ROWS):
            _persons_write(actor, part, households, cases, result.batch, written, place, turns)
            result.persons += len(part)
            if on_progress is not None:
                on_progress(result.persons, len(rows))
        result.households_created = len(households) - existing
        result.cases_opened = len(cases)
        _tracing_after(rows, turns)
        turns.wait()
        with transaction.atomic():
            entry = audit_entry(
                actor=actor,
                action="person.import",
                summary=summary or f"{result.persons} persons imported",
                detail={**(detail or {}), "batch": str(result.batch)},
            )
            audit_record_many([entry])
            batch_finish(batch)
        batch_release(batch)
    except BaseException:
        # A failure here (SIGKILL aside: then `import_batch_sweep` does this at the next start)
        _discard(written)
        batch_discarded(batch)
        raise
    return result


def _persons_write(
    actor: Actor | None,
    chunk: Sequence[BulkPerson],
    households: dict[str, Household],
    cases: dict[Any, ProtectionCase],
    batch: uuid.UUID,
    written: _Written,
    place: Site,
    turns: _Turns,
) -> None:
    """Write one chunk in one short transaction: the households its rows are the first to
    name (added to `households`), the persons with their first status and intake
    conditions, the cases of its children."""
    created: list[ReplicatedModel] = []
    persons: list[ReplicatedModel] = []
    others: list[ReplicatedModel] = []
    audit: list[AuditItem] = []
    tag = {"batch": str(batch)}
    for row in chunk:
        person = row.draft.person
        if row.card:
            household = households.get(row.card)
            if household is None:
                household = households[row.card] = Household(ration_card=row.card, site=place)
                created.append(household)
                audit.append(AuditItem("household.create", household, str(household), tag))
            person.household = household
        persons.append(person)
        others.append(row.draft.event)
        others.extend(row.draft.observations)
        audit.append(AuditItem("person.register", person, person.full_name, tag))
    for row in chunk:
        case = cases.get(row.draft.person.pk)
        if case is not None:
            others.append(case)
            # The audit summary names no child: the audit log is read more widely than cases.
            audit.append(
                AuditItem(
                    "protection.open",
                    case,
                    f"{case.get_kind_display()} case opened (at registration)",
                    {"child": str(case.child_id), **tag},
                )
            )
    rows = created + persons + others
    # Everything but the clock versions is prepared before the writer's lock is taken.
    plan = replicated_create_prepare(rows, site_id=place.pk)
    audit_plan, audit_ids = audit_prepare(actor=actor, items=audit)
    turns.wait()
    try:
        with transaction.atomic():
            replicated_create_write(plan)
            audit_plan.write()
            written.note(rows, audit_ids)
    finally:
        turns.done()


def _cases_to_open(
    rows: Sequence[BulkPerson], households: dict[str, Household]
) -> dict[Any, ProtectionCase]:
    """The protection case each child of the file needs ({child id: case}), seeing the whole
    file and the members already registered in the households it names: one query per 500
    households, none per row."""
    from lifeline.people.protection import child_protection_kind

    today = timezone.localdate()
    children = [
        row for row in rows if child_protection_kind(row.draft.person, members=[], today=today)
    ]
    if not children:
        return {}
    members: dict[str, list[Person]] = {}
    for row in rows:
        if row.card:
            members.setdefault(row.card, []).append(row.draft.person)
    existing: dict[Any, str] = {
        households[r.card].pk: r.card for r in children if r.card and r.card in households
    }
    ids = sorted(existing)
    for start in range(0, len(ids), 500):
        registered = (
            Person.objects.alive()
            .filter(household_id__in=ids[start : start + 500])
            .only("id", "household_id", "date_of_birth", "status", "deleted_at")
        )
        for member in registered:
            members.setdefault(existing[member.household_id], []).append(member)
    cases = {}
    for row in children:
        child = row.draft.person
        kind = child_protection_kind(child, members.get(row.card, []) if row.card else [], today)
        if kind is not None:
            cases[child.pk] = ProtectionCase(child=child, kind=kind)
    return cases


def _tracing_after(rows: Sequence[BulkPerson], turns: _Turns) -> None:
    """Open tracing requests matched against every newcomer: the requests read and scored
    once for the file, the few matches proposed in short transactions."""
    from lifeline.people.protection import tracing_match_propose, tracing_scores

    scores = tracing_scores(persons=[row.draft.person for row in rows])
    for part in _chunks(scores, CHUNK_ROWS):
        turns.wait()
        try:
            with transaction.atomic():
                for request, person, score, reasons in part:
                    tracing_match_propose(request, person, score, reasons)
        finally:
            turns.done()


# Children before parents: a row is removed only once nothing of the batch points to it.
_DISCARD_ORDER: tuple[type[ReplicatedModel], ...] = (
    ProtectionCase,
    ConditionObservation,
    StatusEvent,
    Person,
    Household,
)


def _discard(written: _Written) -> None:
    """Remove what a failed batch wrote. Tracing matches proposed for its persons go with
    them (they point to them)."""
    from lifeline.people.models import TracingMatch

    if not written.rows and not written.audit:
        return
    with transaction.atomic():
        persons = written.rows.get(Person, [])
        matches: list[Any] = []
        for chunk in _chunks(persons, 500):
            matches += TracingMatch.objects.filter(person_id__in=chunk).values_list("pk", flat=True)
        if matches:
            replicated_discard_created(TracingMatch, matches)
        for model in _DISCARD_ORDER:
            ids = written.rows.get(model, [])
            if ids:
                replicated_discard_created(model, ids)
        for start in range(0, len(written.audit), 500):
            AuditEntry.objects.filter(pk__in=written.audit[start : start + 500]).delete()


# What an import's per-row audit rows name, by the model of the row they were written for.
_AUDITED: dict[str, type[ReplicatedModel]] = {
    "people.person": Person,
    "people.household": Household,
    "people.protectioncase": ProtectionCase,
}


def import_batch_sweep(batch: WriteBatch) -> None:
    """Remove what an import killed before it finished wrote (`core.batches` calls this at the
    next start): the rows named by its audit rows (each chunk wrote them in one transaction
    with the rows), the persons' status events and conditions, the tracing matches proposed
    for them; then one audit row says so. Inside the sweep's transaction."""
    tag = str(batch.pk)
    written = _Written()
    audited = AuditEntry.objects.filter(detail__batch=tag).values_list(
        "pk", "object_type", "object_id"
    )
    for pk, object_type, object_id in audited.iterator(chunk_size=2000):
        written.audit.append(pk)
        model = _AUDITED.get(object_type)
        if model is not None and object_id:
            written.rows.setdefault(model, []).append(uuid.UUID(object_id))
    persons = written.rows.get(Person, [])
    for part in _chunks(persons, 500):
        for model in (StatusEvent, ConditionObservation):
            ids = model._base_manager.filter(person_id__in=part).values_list("pk", flat=True)
            written.rows.setdefault(model, []).extend(ids)
    _discard(written)
    audit_record(
        actor=None,
        action="person.import_discard",
        summary=f"{len(persons)} persons of an unfinished import removed",
        detail={"batch": tag, "persons": len(persons), "started_by": batch.holder},
    )
    if persons:
        from lifeline.people.matching.index_store import index_persons_refresh

        index_persons_refresh(persons)
