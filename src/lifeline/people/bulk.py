"""Registering many persons at once (a CSV import) without stopping the camp.

Every row meets the rules of one registration (`services.person_draft`: the same checks,
permissions, history, change log and audit rows), but the rows are written set-based, in
short transactions of CHUNK_ROWS persons: on SQLite the one writer's lock is held for a
fraction of a second at a time, and the importer pauses between chunks so that a waiting
registration, ration or login gets its turn.

All or nothing still holds. Every row is checked before the first is written (a bad row
writes nothing), and the rows written belong to one batch (`batch` in their audit rows): a
failure while writing (the database gone, a constraint) removes every row of the batch
before the error goes on (`replicated_discard_created`), as if the import had never run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.ids import uuid7
from lifeline.core.models import (
    AuditEntry,
    ReplicatedModel,
    replicated_create_many,
    replicated_discard_created,
)
from lifeline.core.services import Actor, audit_entry, audit_record_many, permission_require
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    ProtectionCase,
    StatusEvent,
    TracingRequest,
    TracingStatus,
)
from lifeline.people.services import PersonDraft

Progress = Callable[[int, int], None]
T = TypeVar("T")

# Persons per transaction: ~0.1-0.3 s of SQLite's writer lock on a camp laptop.
CHUNK_ROWS = 500
# SQLite: a writer waiting for the lock polls it at most every 100 ms (its busy handler), so
# the importer leaves it a gap a little longer than that after each chunk. PostgreSQL locks
# rows, not the database: no pause there.
SQLITE_PAUSE_S = 0.11


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

    def note(self, rows: Iterable[ReplicatedModel], audit: Iterable[AuditEntry]) -> None:
        for row in rows:
            self.rows.setdefault(type(row), []).append(row.pk)
        self.audit.extend(entry.pk for entry in audit)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pause() -> None:
    if connection.vendor == "sqlite":
        time.sleep(SQLITE_PAUSE_S)


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
    cards that exist already; the others get a new household. The import's own audit row
    (`person.import`, with `summary` and `detail`) is written last, with the batch id."""
    permission_require(actor, "people.add_person", doing=_("import people"))
    result = BulkResult(batch=uuid7())
    written = _Written()
    new_cards = sorted({row.card for row in rows if row.card and row.card not in households})
    if new_cards:
        permission_require(actor, "people.add_household", doing=_("create households"))
    try:
        place = site_local()
        households = dict(households)
        for chunk in _chunks(new_cards, CHUNK_ROWS):
            with transaction.atomic():
                created = [Household(ration_card=card, site=place) for card in chunk]
                audit = [
                    _audit(actor, "household.create", h, str(h), result.batch) for h in created
                ]
                replicated_create_many(created)
                audit_record_many(audit)
                written.note(created, audit)
            households.update({str(h.ration_card): h for h in created})
            result.households_created += len(created)
            _pause()
        done = 0
        for part in _chunks(rows, CHUNK_ROWS):
            with transaction.atomic():
                _persons_write(actor, part, households, result.batch, written)
            done += len(part)
            result.persons = done
            if on_progress is not None:
                on_progress(done, len(rows))
            _pause()
        result.cases_opened = _after_registration(actor, rows, result.batch, written)
        with transaction.atomic():
            entry = audit_entry(
                actor=actor,
                action="person.import",
                summary=summary or f"{result.persons} persons imported",
                detail={**(detail or {}), "batch": str(result.batch)},
            )
            audit_record_many([entry])
    except BaseException:
        _discard(written)
        raise
    return result


def _audit(
    actor: Actor | None, action: str, obj: ReplicatedModel, summary: str, batch: uuid.UUID
) -> AuditEntry:
    return audit_entry(
        actor=actor, action=action, obj=obj, summary=summary, detail={"batch": str(batch)}
    )


def _persons_write(
    actor: Actor | None,
    chunk: Sequence[BulkPerson],
    households: dict[str, Household],
    batch: uuid.UUID,
    written: _Written,
) -> None:
    persons: list[ReplicatedModel] = []
    others: list[ReplicatedModel] = []
    audit = []
    for row in chunk:
        person = row.draft.person
        if row.card:
            person.household = households[row.card]
        persons.append(person)
        others.append(row.draft.event)
        others.extend(row.draft.observations)
        audit.append(_audit(actor, "person.register", person, person.full_name, batch))
    rows = persons + others
    replicated_create_many(rows)
    audit_record_many(audit)
    written.note(rows, audit)


def _after_registration(
    actor: Actor | None, rows: Sequence[BulkPerson], batch: uuid.UUID, written: _Written
) -> int:
    """What follows a registration, once every row is in (a child's household may list its
    adults further down the file): cases for children with no adult of theirs present, and
    open tracing requests matched against the newcomers."""
    from lifeline.people.protection import child_protection_kind, tracing_on_register

    today = timezone.localdate()
    persons = [row.draft.person for row in rows]
    children = [p for p in persons if child_protection_kind(p, members=[], today=today)]
    opened = 0
    for chunk in _chunks(children, CHUNK_ROWS):
        household_ids = {c.household_id for c in chunk if c.household_id}
        members: dict[Any, list[Person]] = {}
        for member in Person.objects.alive().filter(household_id__in=household_ids):
            members.setdefault(member.household_id, []).append(member)
        cases = []
        for child in chunk:
            kind = child_protection_kind(child, members.get(child.household_id, []), today)
            if kind is not None:
                cases.append(ProtectionCase(child=child, kind=kind))
        with transaction.atomic():
            # The audit summary names no child: the audit log is read more widely than cases.
            audit = [
                audit_entry(
                    actor=actor,
                    action="protection.open",
                    obj=case,
                    summary=f"{case.get_kind_display()} case opened (at registration)",
                    detail={"child": str(case.child_id), "batch": str(batch)},
                )
                for case in cases
            ]
            replicated_create_many(cases)
            audit_record_many(audit)
            written.note(cases, audit)
        opened += len(cases)
        _pause()
    if (
        TracingRequest.objects.alive()
        .filter(status__in=[TracingStatus.OPEN, TracingStatus.MATCHED])
        .exists()
    ):
        for chunk in _chunks(persons, CHUNK_ROWS):
            with transaction.atomic():
                for person in chunk:
                    tracing_on_register(person=person)
            _pause()
    return opened


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
