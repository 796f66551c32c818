"""What people rebuilds and checks when rows arrive from another site (sync's apply hooks,
registered in PeopleConfig.ready).

Derived state: a person's status and site (from the status events, their own and their merged
records'), their folded search text, and the name index, so that `person_search` finds a
person registered at another site right after the apply. Tracing: a request that arrives is
matched against the persons registered here, and a person who arrives against the open
requests here. Rules across sites: merges made at two sites settle on one survivor
(`person_merges_settle`), two households holding one ration card and two open protection
cases for one child are kept and raised as alerts for a person to review.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Severity
from lifeline.alerts.services import alert_raise
from lifeline.people import protection, rules
from lifeline.people.matching.index_store import index_persons_refresh
from lifeline.people.matching.names import candidate_score
from lifeline.people.matching.selectors import person_candidate
from lifeline.people.models import (
    CaseStatus,
    Household,
    Person,
    PersonMerge,
    ProtectionCase,
    Status,
    StatusEvent,
    TracingRequest,
    TracingStatus,
)

CARD_SHARED_KIND = "people.ration_card_shared"
CASES_TWICE_KIND = "people.protection_case_twice"
# Above this many (person, request) pairs in one batch, tracing asks the index per request.
EXHAUSTIVE_PAIRS = 20_000


# ---- persons and their derived state ----------------------------------------------------------


@transaction.atomic
def persons_arrived(ids: Set[uuid.UUID]) -> None:
    """Persons registered or changed at another site: merges settled, their state and search
    text derived here, the name index brought up to date, open tracing requests matched."""
    _persons_and_events_arrived(ids, set())


@transaction.atomic
def status_events_arrived(ids: Set[uuid.UUID]) -> None:
    """Status events from another site move their person (and the survivor their record was
    merged into): status, site and place derived again, and the site in the name index."""
    _persons_and_events_arrived(set(), ids)


@transaction.atomic
def persons_and_events_arrived(applied: Mapping[str, Set[uuid.UUID]]) -> None:
    """Persons and status events of one batch together (sync's hook over both models): each
    person's state is derived once, however many of its rows and events came."""
    _persons_and_events_arrived(
        applied.get("people.person", set()), applied.get("people.statusevent", set())
    )


def _persons_and_events_arrived(ids: Set[uuid.UUID], event_ids: Set[uuid.UUID]) -> None:
    derive: set[uuid.UUID] = set()
    if ids:
        links: dict[uuid.UUID, uuid.UUID | None] = {}
        for chunk in _chunks(ids):
            links.update(Person.objects.filter(pk__in=chunk).values_list("id", "merged_into_id"))
        merged = {pk for pk, into in links.items() if into is not None}
        touched = person_merges_settle(merged) if merged else set()
        # The survivors their records were merged into count those records' events too.
        derive |= set(ids) | touched | {into for into in links.values() if into is not None}
    for chunk in _chunks(event_ids):
        pairs = StatusEvent.objects.filter(pk__in=chunk).values_list(
            "person_id", "person__merged_into_id"
        )
        derive.update(pid for pair in pairs for pid in pair if pid is not None)
    persons_state_derive(derive)
    index_persons_refresh(derive)
    if ids:
        _tracing_match_arrivals(ids)


@transaction.atomic
def merges_arrived(ids: Set[uuid.UUID]) -> None:
    """Merges made at another site: settled with ours on one survivor (see below)."""
    pairs = PersonMerge.objects.filter(pk__in=list(ids)).values_list("survivor_id", "duplicate_id")
    involved = {pid for pair in pairs for pid in pair}
    touched = person_merges_settle(involved)
    persons = touched | involved
    persons_state_derive(persons)
    index_persons_refresh(persons)


# The derived columns of a person: a local cache, written without a version or a change-log
# row (what `save(update_fields=<derived>)` does), in one statement for a batch.
_DERIVED = [f for f in Person._meta.concrete_fields if f.name in Person.derived_fields]
_DERIVED_NAMES = [f.attname for f in _DERIVED]
_NAME_FIELDS = ("given_name", "family_name", "other_names", "callsign")
# What the derivation reads of a status event, the newest by (occurred_at, version) winning.
_EVENT_VALUES = (
    "person_id", "occurred_at", "version", "status", "site_id", "area", "latitude", "longitude",
)  # fmt: skip


def persons_state_derive(ids: Iterable[uuid.UUID]) -> None:
    """What `services.person_state_refresh` and the search text give each person, for a
    batch: the events of the persons and of their merged records read once (as plain values,
    not model instances: a batch may hold tens of thousands), one statement writing the
    persons whose derived columns change (derived fields: local, no new version)."""
    wanted = list(dict.fromkeys(ids))
    owner = {pk: pk for pk in wanted}
    if not owner:
        return
    for chunk in _chunks(owner):
        merged = Person.objects.filter(merged_into_id__in=chunk).values_list("id", "merged_into")
        owner.update({pid: into for pid, into in merged if into is not None})
    latest: dict[uuid.UUID, tuple[Any, ...]] = {}
    for chunk in _chunks(owner):
        events = StatusEvent.objects.alive().filter(person_id__in=chunk)
        for event in events.values_list(*_EVENT_VALUES):
            mine = owner[event[0]]
            known = latest.get(mine)
            if known is None or event[1:3] > known[1:3]:
                latest[mine] = event
    changed: list[list[Any]] = []
    for chunk in _chunks(wanted):
        for pk, given, family, others, callsign, *before in Person.objects.filter(
            pk__in=chunk
        ).values_list("id", *_NAME_FIELDS, *_DERIVED_NAMES):
            last = latest.get(pk)
            derived = {
                "search_text": rules.search_text([given, family, *(others or []), callsign]),
                "status": last[3] if last else Status.PRESENT,
                "current_site_id": last[4] if last else None,
                "current_area": last[5] if last else "",
                "current_latitude": last[6] if last else None,
                "current_longitude": last[7] if last else None,
                "status_since": last[1] if last else None,
            }
            after = [derived[name] for name in _DERIVED_NAMES]
            if after != before:
                changed.append([*after, pk])
    _derived_write(changed)


def persons_derive(persons: list[Person]) -> None:
    """`persons_state_derive` for persons at hand."""
    persons_state_derive(p.pk for p in persons)


def _derived_write(rows: list[list[Any]]) -> None:
    """Rows of the derived columns' values (in `_DERIVED` order) followed by the person's id."""
    if not rows:
        return
    conn = transaction.get_connection()
    quote = conn.ops.quote_name
    pk = next(f for f in Person._meta.concrete_fields if f.primary_key)
    sets = ", ".join(f"{quote(f.column)} = %s" for f in _DERIVED)
    table, key = quote(Person._meta.db_table), quote(pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {key} = %s"  # noqa: S608
    # Text and numbers are stored as they are; the other columns through their field.
    plain = [
        isinstance(f, models.CharField | models.FloatField) and not f.is_relation for f in _DERIVED
    ]
    prepared = [
        [
            value if simple or value is None else f.get_db_prep_save(value, conn)
            for f, simple, value in zip(_DERIVED, plain, row, strict=False)
        ]
        + [pk.get_db_prep_save(row[-1], conn)]
        for row in rows
    ]
    with conn.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _chunks(ids: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    """Ids in slices a query's parameters can hold (SQLite's limit)."""
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---- merges made at two sites ----------------------------------------------------------------


def person_merges_settle(ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Settle the merges around these records on one survivor, the same on every site.

    A merge folds a duplicate into a survivor (`merged_into`, the duplicate tombstoned). Two
    sites merging while apart can leave:

    * a cycle: A merged into B at one site, B into A at the other (or longer: A into B, B
      into C, C into A). The record with the lowest id survives: it is restored (no longer
      merged, no longer tombstoned) and the merge rows that folded it away are marked undone;
      the others stay merged, into it.
    * a chain: A merged into B at one site, B into C at the other. Every record is repointed
      to the end of its chain (C), as a merge at one site flattens them.

    Both sites apply the same rule to the same rows, so they write the same values and
    converge whatever order the rows arrive in. Returns the ids of the records it changed.
    """
    parent = _merge_graph(set(ids))
    survivors: set[uuid.UUID] = set()
    for start in sorted(parent):
        path: list[uuid.UUID] = []
        node: uuid.UUID | None = start
        while node is not None and parent.get(node) is not None and node not in path:
            path.append(node)
            node = parent[node]
        if node is not None and node in path:  # a cycle: the lowest id of it survives
            cycle = path[path.index(node) :]
            kept = min(cycle)
            parent[kept] = None
            survivors.add(kept)
    changed: set[uuid.UUID] = set()
    rows: dict[uuid.UUID, Person] = {}
    for chunk in _chunks(parent):
        rows.update(Person.objects.select_for_update().in_bulk(chunk))
    now = timezone.now()
    for pid, person in sorted(rows.items()):
        root = _root(pid, parent)
        if pid in survivors:
            person.merged_into = None
            person.deleted_at = None
            person.save(update_fields=["merged_into", "deleted_at"])
            for merge in PersonMerge.objects.filter(duplicate=person, undone_at__isnull=True):
                merge.undone_at = now  # superseded by the merge the other way
                merge.save(update_fields=["undone_at"])
            changed.add(pid)
        elif root != pid and person.merged_into_id != root:
            person.merged_into_id = root
            person.save(update_fields=["merged_into"])
            changed.update({pid, root})
    return changed


def _merge_graph(ids: set[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """`merged_into` of these records and of every record linked to them by merges."""
    parent: dict[uuid.UUID, uuid.UUID | None] = {}
    frontier = set(ids)
    while frontier:
        rows = Person.objects.filter(pk__in=list(frontier)).values_list("id", "merged_into_id")
        children = Person.objects.filter(merged_into_id__in=list(frontier)).values_list(
            "id", "merged_into_id"
        )
        parent.update(dict(rows))
        found = {pid for pair in (*rows, *children) for pid in pair if pid is not None}
        parent.update({pid: into for pid, into in children})
        frontier = found - set(parent)
    return parent


def _root(pid: uuid.UUID, parent: dict[uuid.UUID, uuid.UUID | None]) -> uuid.UUID:
    seen = {pid}
    node = pid
    while (up := parent.get(node)) is not None and up not in seen:
        seen.add(up)
        node = up
    return node


# ---- tracing ---------------------------------------------------------------------------------


def _tracing_match_arrivals(ids: Set[uuid.UUID]) -> None:
    """Persons registered at another site scored against the open requests here (once for the
    whole batch, not a read of the requests per person)."""
    requests = list(
        TracingRequest.objects.alive().filter(
            status__in=[TracingStatus.OPEN, TracingStatus.MATCHED]
        )
    )
    if not requests:
        return
    if len(ids) * len(requests) > EXHAUSTIVE_PAIRS:
        # A large bundle: each request asks the name index (which holds the arrivals now)
        # for its best matches, rather than scoring every pair.
        for request in requests:
            protection.tracing_match_run(request=request)
        return
    probes = [(request, protection.tracing_probe(request)) for request in requests]
    for person in Person.objects.alive().filter(pk__in=list(ids)).select_related("current_site"):
        candidate = person_candidate(person)
        for request, probe in probes:
            scored = candidate_score(probe, candidate)
            if scored.score >= protection.TRACING_THRESHOLD:
                protection.tracing_match_propose(request, person, scored.score, scored.reasons)


@transaction.atomic
def tracing_requests_arrived(ids: Set[uuid.UUID]) -> None:
    """A request filed at another site is matched against the persons registered here."""
    requests = TracingRequest.objects.alive().filter(
        pk__in=list(ids), status__in=[TracingStatus.OPEN, TracingStatus.MATCHED]
    )
    for request in requests:
        protection.tracing_match_run(request=request)


# ---- unique per site, reviewed across sites ---------------------------------------------------


@transaction.atomic
def households_arrived(ids: Set[uuid.UUID]) -> None:
    """Two households holding one ration card (given at two sites while apart): both kept,
    an alert per card asks a registrar to give one of them a new card."""
    cards = set(
        Household.objects.filter(pk__in=list(ids), ration_card__isnull=False).values_list(
            "ration_card", flat=True
        )
    )
    shared = (
        Household.objects.alive()
        .filter(ration_card__in=cards)
        .values("ration_card")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("ration_card", flat=True)
    )
    for card in sorted(c for c in shared if c):
        holders = list(
            Household.objects.alive().filter(ration_card=card).select_related("site").order_by("id")
        )
        places = ", ".join(h.site.name if h.site else "-" for h in holders)
        alert_raise(
            kind=CARD_SHARED_KIND,
            key=card,
            title=gettext_lazy("Ration card %(card)s is held by %(count)s households"),
            detail=gettext_lazy(
                "Given at two sites while they were apart (%(places)s). Rations go to the first "
                "registered until one of them is given a new card."
            ),
            params={"card": card, "count": len(holders), "places": places},
            subject=holders[-1],
        )


@transaction.atomic
def protection_cases_arrived(ids: Set[uuid.UUID]) -> None:
    """Two open cases for one child (opened at two sites while apart): both kept, an alert,
    seen only by protection officers, asks for one to be closed into the other."""
    children = set(
        ProtectionCase.objects.filter(pk__in=list(ids)).values_list("child_id", flat=True)
    )
    twice = (
        ProtectionCase.objects.alive()
        .filter(child_id__in=children, status=CaseStatus.OPEN)
        .values("child_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("child_id", flat=True)
    )
    for child_id in sorted(twice, key=str):
        cases = _open_cases(child_id)
        alert_raise(
            kind=CASES_TWICE_KIND,
            key=str(child_id),
            title=gettext_lazy("A child has %(count)s open protection cases"),
            detail=gettext_lazy(
                "Opened at two sites while they were apart (%(places)s). Both are kept: keep "
                "one, close the other."
            ),
            params={"count": len(cases), "places": ", ".join(c.origin_site.name for c in cases)},
            severity=Severity.WARNING,
            subject=cases[0],
            permission="people.view_protection",
        )


def _open_cases(child_id: Any) -> list[ProtectionCase]:
    return list(
        ProtectionCase.objects.alive()
        .filter(child_id=child_id, status=CaseStatus.OPEN)
        .select_related("origin_site")
        .order_by("id")
    )
