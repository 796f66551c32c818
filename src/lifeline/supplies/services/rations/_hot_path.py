"""The write of ration issues, private to `rations.issue`: a batch of issues worked out
before the write (`_Issue`), the lots they need read (and locked on PostgreSQL) once per
location, their rows inserted one statement per table, the balances moved in one update; and
the group-commit glue that lets the issuers of one host hand their issues to whichever holds
the writers' lock (lifeline.core.groupcommit).

A ration is issued at most once per household and cycle at this installation by the
database's unique constraint (on the origin site, which is the distribution's site for every
row written here), not by a prior check, so two clients racing on one card cannot both
succeed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import Conflict, LifelineError, ValidationFailed
from lifeline.core.groupcommit import GroupCommit
from lifeline.core.models import Site, replicated_create_many
from lifeline.core.services import audit_entry, audit_record_many
from lifeline.people.models import Household
from lifeline.supplies import rules
from lifeline.supplies.models import Distribution, Item, Location, Lot, Movement, MovementKind
from lifeline.supplies.rules import quantity_text as q
from lifeline.supplies.words import unit_word


def _db_id(model: type[Any], value: Any) -> Any:
    """A key as the database holds it (hex text on SQLite, uuid on PostgreSQL), for raw SQL."""
    return model._meta.pk.get_db_prep_value(value, connection)


def _decimal(value: Any) -> Decimal:
    # Raw SQL: SQLite gives NUMERIC columns back as int or float, PostgreSQL as Decimal.
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(Decimal("0.001"))


def _collected_message(cycle_name: str, card: str, site_name: str, at: dt.datetime | None) -> str:
    words = {"card": card, "cycle": cycle_name, "site": site_name}
    if at is None:
        return _("ration card %(card)s has already collected %(cycle)s at %(site)s") % words
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
    return _("ration card %(card)s has already collected %(cycle)s at %(site)s on %(when)s") % {
        **words,
        "when": when,
    }


class _Collected(Conflict):
    """The card has collected this cycle here: the refusal keeps when, so that the process
    that asked (in its user's language) words it, not the group-commit leader."""

    def __init__(self, issue: _Issue, at: dt.datetime | None) -> None:
        super().__init__(_collected_message(issue.cycle_name, issue.card, issue.site_name, at))
        self.at = at


class _LotsChanged(Exception):
    """The lots read as enough were not, once locked: another issuer drew on them meanwhile."""


# The lots an issue draws on, in one statement: per item, in first-expiry-first-out order
# (no expiry last, then by lot), only those with stock before which less than the wanted
# quantity is on hand, i.e. the lots actually needed (and every lot when there is not
# enough). The outer select locks them on PostgreSQL, in one order for every issuer.
_LOTS_NEEDED = """
SELECT b.id, b.lot_id, b.item_id, b.quantity, b.expiry_date FROM supplies_stockbalance b
WHERE b.id IN (
    SELECT w.id FROM (
        SELECT id, item_id, SUM(quantity) OVER (
            PARTITION BY item_id ORDER BY expiry_date IS NULL, expiry_date, lot_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS before
        FROM supplies_stockbalance
        WHERE location_id = %s AND quantity > 0 AND item_id IN ({items})
    ) w
    WHERE w.before IS NULL OR w.before < CASE w.item_id {wanted} END
)
ORDER BY b.id"""
_LOTS_ALL = """
SELECT b.id, b.lot_id, b.item_id, b.quantity, b.expiry_date FROM supplies_stockbalance b
WHERE b.location_id = %s AND b.quantity > 0 AND b.item_id IN ({items})
ORDER BY b.id"""

# A lot as an issue sees it: (balance id, lot id) and what is on hand.
_Lots = dict[Any, list[rules.Available[tuple[int, Any]]]]


@dataclass(frozen=True)
class _Want:
    item_id: Any
    quantity: Decimal
    name: str  # for the refusal's message
    unit: str


@dataclass(frozen=True)
class _Issue:
    """One ration to write, worked out before the write (outside the writers' lock): the
    distribution row's id and values, and what the household is owed. It crosses processes as
    JSON when SQLite writers group their commits (`payload`, `from_payload`)."""

    id: Any
    issued_at: dt.datetime
    actor_id: int | None
    actor_username: str
    cycle_id: Any
    cycle_name: str
    household_id: Any
    size: int
    card: str
    site_id: Any
    site_name: str
    point_id: Any
    location_id: Any
    location_name: str
    wants: tuple[_Want, ...]

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "issued_at": self.issued_at.isoformat(),
            "actor": [self.actor_id, self.actor_username],
            "cycle": [str(self.cycle_id), self.cycle_name],
            "household": [str(self.household_id), self.size, self.card],
            "site": [str(self.site_id), self.site_name],
            "point": str(self.point_id),
            "location": [str(self.location_id), self.location_name],
            "wants": [[str(w.item_id), str(w.quantity), w.name, w.unit] for w in self.wants],
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> _Issue:
        uid = Distribution._meta.pk.to_python
        return cls(
            id=uid(p["id"]),
            issued_at=dt.datetime.fromisoformat(p["issued_at"]),
            actor_id=p["actor"][0],
            actor_username=p["actor"][1],
            cycle_id=uid(p["cycle"][0]),
            cycle_name=p["cycle"][1],
            household_id=uid(p["household"][0]),
            size=int(p["household"][1]),
            card=p["household"][2],
            site_id=uid(p["site"][0]),
            site_name=p["site"][1],
            point_id=uid(p["point"]),
            location_id=uid(p["location"][0]),
            location_name=p["location"][1],
            wants=tuple(_Want(uid(i), Decimal(q), n, u) for i, q, n, u in p["wants"]),
        )

    def distribution(self) -> Distribution:
        return Distribution(
            id=self.id,
            cycle_id=self.cycle_id,
            household_id=self.household_id,
            site_id=self.site_id,
            point_id=self.point_id,
            household_size=self.size,
            issued_at=self.issued_at,
            issued_by_id=self.actor_id,
            created_at=self.issued_at,
        )


def _lots_read(location_id: Any, wants: Mapping[Any, Decimal], *, every_lot: bool) -> _Lots:
    """The lots at a location of the wanted items (with stock), by item: those needed for
    the wanted quantities, or every one; locked on PostgreSQL."""
    marks = ", ".join(["%s"] * len(wants))
    params: list[Any] = [_db_id(Location, location_id)]
    params += [_db_id(Item, item_id) for item_id in wants]
    if every_lot:
        sql = _LOTS_ALL.format(items=marks)
    else:
        sql = _LOTS_NEEDED.format(
            items=marks, wanted=" ".join(["WHEN %s THEN CAST(%s AS NUMERIC)"] * len(wants))
        )
        for item_id, quantity in wants.items():
            params += [_db_id(Item, item_id), quantity]
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    lots: _Lots = {}
    to_item = Item._meta.pk.to_python
    to_lot = Lot._meta.pk.to_python
    expiry_field = Lot._meta.get_field("expiry_date")
    for balance_id, lot_id, item_id, quantity, expiry in rows:
        lot = to_lot(lot_id)
        lots.setdefault(to_item(item_id), []).append(
            rules.Available(
                key=(balance_id, lot),
                expiry=expiry_field.to_python(expiry),
                quantity=_decimal(quantity),
                order=str(lot),
            )
        )
    return lots


# (balance id, lot id, item id, quantity taken)
_Take = tuple[int, Any, Any, Decimal]


def _issues_takes(issues: Sequence[_Issue]) -> list[list[_Take] | ValidationFailed]:
    """What each issue takes, first expiry first out, the issues served in order from the
    lots of their location (read once per location for all of them); an issue that the
    stock left cannot cover gets its refusal, and the others go on."""
    out: list[list[_Take] | ValidationFailed] = [[] for _ in issues]
    by_location: dict[Any, list[int]] = {}
    for index, issue in enumerate(issues):
        if any(w.quantity > 0 for w in issue.wants):
            by_location.setdefault(issue.location_id, []).append(index)
    for location_id, indexes in by_location.items():
        total: dict[Any, Decimal] = {}
        for index in indexes:
            for want in issues[index].wants:
                if want.quantity > 0:
                    total[want.item_id] = total.get(want.item_id, Decimal(0)) + want.quantity
        # Where rows are locked (PostgreSQL), every lot of the items is locked at once in id
        # order: locking the needed ones first and the rest after a shortfall took locks out
        # of order, and two issuers at one point deadlocked.
        every_lot = bool(connection.features.has_select_for_update)
        while True:
            try:
                lots = _lots_read(location_id, total, every_lot=every_lot)
                for index in indexes:
                    out[index] = _issue_takes(issues[index], lots, every_lot=every_lot)
                break
            except _LotsChanged:
                every_lot = True  # rare: read (and lock) every lot of the items, plan again
    return out


def _issue_takes(issue: _Issue, lots: _Lots, *, every_lot: bool) -> list[_Take] | ValidationFailed:
    """One issue's takes from `lots`, which it then draws down (the next issue sees less)."""
    takes: list[_Take] = []
    for want in issue.wants:
        if want.quantity <= 0:
            continue
        try:
            picks = rules.fefo_pick(lots.get(want.item_id, []), want.quantity)
        except rules.NotEnoughStock as exc:
            if not every_lot:
                raise _LotsChanged from exc
            return ValidationFailed(
                {
                    "quantity": _(
                        "only %(available)s %(unit)s of %(item)s on hand at %(where)s; cannot "
                        "take %(wanted)s"
                    )
                    % {
                        "available": q(exc.available),
                        "unit": unit_word(want.unit),
                        "item": want.name,
                        "where": issue.location_name,
                        "wanted": q(want.quantity),
                    }
                }
            )
        takes += [(balance_id, lot, want.item_id, take) for (balance_id, lot), take in picks]
    for balance_id, lot, item_id, take in takes:
        lots[item_id] = [
            replace(a, quantity=a.quantity - take) if a.key == (balance_id, lot) else a
            for a in lots[item_id]
        ]
    return takes


def _balances_take(takes: Sequence[_Take]) -> None:
    """Every balance a batch of issues draws on, moved in one statement (the check constraint
    would refuse a negative one, which the plan has already ruled out)."""
    per_balance: dict[int, Decimal] = {}
    for balance_id, _lot, _item, take in takes:
        per_balance[balance_id] = per_balance.get(balance_id, Decimal(0)) + take
    if not per_balance:
        return
    cases = " ".join(["WHEN %s THEN CAST(%s AS NUMERIC)"] * len(per_balance))
    params: list[Any] = []
    for balance_id, take in per_balance.items():
        params += [balance_id, take]
    params += list(per_balance)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE supplies_stockbalance SET quantity = quantity - CASE id {cases} END"  # noqa: S608
            f" WHERE id IN ({', '.join(['%s'] * len(per_balance))})",
            params,
        )


def _collected_keys(issues: Sequence[_Issue]) -> set[tuple[Any, Any, Any]]:
    """(cycle, household, installation) of the households of these issues that have
    collected (as the unique constraint sees them)."""
    households = sorted({_db_id(Household, issue.household_id) for issue in issues})
    to_id = Distribution._meta.pk.to_python
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cycle_id, household_id, origin_site_id FROM supplies_distribution"  # noqa: S608
            f" WHERE household_id IN ({', '.join(['%s'] * len(households))})",
            households,
        )
        return {(to_id(c), to_id(h), to_id(s)) for c, h, s in cursor.fetchall()}


def _collected_refusal(issue: _Issue) -> Conflict:
    earlier = (
        Distribution.objects.filter(
            cycle_id=issue.cycle_id, household_id=issue.household_id, origin_site_id=issue.site_id
        )
        .values_list("issued_at", flat=True)
        .first()
    )
    return _Collected(issue, earlier)


def _issues_write(issues: Sequence[_Issue]) -> list[Distribution | LifelineError]:
    """Write a batch of ration issues in the caller's transaction: per issue its distribution
    row, its ledger rows, their change-log rows and clock versions, its audit row; the stock
    balances moved once. Each issue gets its own outcome: its distribution, or the refusal
    (already collected, in this batch or before; not enough stock) that leaves no row of it.

    The unique constraint on (cycle, household, site) still decides: the look-up of earlier
    collections only keeps a repeat from failing the whole batch. A collection that it does
    not see (on PostgreSQL, one committed meanwhile) fails the insert with IntegrityError,
    and the caller's transaction with it."""
    outcomes: list[Distribution | LifelineError | None] = [None] * len(issues)
    # One issue alone needs no look-up: the constraint refuses a repeat with its own error.
    collected = _collected_keys(issues) if len(issues) > 1 else set()
    first_of: dict[tuple[Any, Any, Any], _Issue] = {}
    for index, issue in enumerate(issues):
        key = (issue.cycle_id, issue.household_id, issue.site_id)
        if key in collected:
            outcomes[index] = _collected_refusal(issue)
        elif key in first_of:  # the same card twice in this batch: the first one collects
            at = first_of[key].issued_at
            outcomes[index] = _Collected(issue, at)
        else:
            first_of[key] = issue
    pending = [i for i, outcome in enumerate(outcomes) if outcome is None]
    all_takes: list[_Take] = []
    distributions: list[Distribution] = []
    movements: list[Movement] = []
    audits = []
    for index, takes in zip(pending, _issues_takes([issues[i] for i in pending]), strict=True):
        if isinstance(takes, ValidationFailed):
            outcomes[index] = takes
            continue
        issue = issues[index]
        actor = User(pk=issue.actor_id, username=issue.actor_username) if issue.actor_id else None
        distribution = issue.distribution()
        distributions.append(distribution)
        movements += [
            Movement(
                kind=MovementKind.RATION,
                item_id=item_id,
                lot_id=lot_id,
                location_id=issue.location_id,
                quantity=-take,
                distribution=distribution,
                occurred_at=issue.issued_at,
                recorded_by_id=issue.actor_id,
                created_at=issue.issued_at,
            )
            for _balance, lot_id, item_id, take in takes
        ]
        all_takes += takes
        audits.append(
            audit_entry(
                actor=actor,
                action="ration.issue",
                obj=distribution,
                summary=f"{issue.cycle_name} to card {issue.card} ({issue.size} persons)",
            )
        )
        outcomes[index] = distribution
    # The distribution rows go in first: a second collection fails on the unique constraint
    # before any stock moves. One clock tick and one insert per table for the whole batch.
    replicated_create_many([*distributions, *movements])
    _balances_take(all_takes)
    audit_record_many(audits)
    return [outcome for outcome in outcomes if outcome is not None]


def _issue_write_alone(issue: _Issue) -> Distribution | LifelineError:
    """One issue in a transaction of its own; a repeat caught by the unique constraint (a
    racing writer on PostgreSQL) becomes the refusal."""
    try:
        with transaction.atomic():
            return _issues_write([issue])[0]
    except IntegrityError:
        if not _collected_keys([issue]):
            raise
        return _collected_refusal(issue)


def _issues_write_grouped(payloads: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The group-commit leader's write: the batch in one transaction, and each issue's
    outcome as JSON for the process that asked for it. Should the batch fail on the unique
    constraint after all, each issue is written in a transaction of its own instead."""
    issues = [_Issue.from_payload(p) for p in payloads]
    if len(issues) == 1:
        return [_outcome_payload(_issue_write_alone(issues[0]))]
    try:
        with transaction.atomic():
            outcomes = _issues_write(issues)
    except IntegrityError:
        outcomes = [_issue_write_alone(issue) for issue in issues]
    return [_outcome_payload(outcome) for outcome in outcomes]


def _outcome_payload(outcome: Distribution | LifelineError) -> dict[str, Any]:
    if isinstance(outcome, Distribution):
        return {
            "version": outcome.version,
            "origin_site": str(outcome.origin_site_id),
            "updated_at": outcome.updated_at.isoformat(),
            "created_at": outcome.created_at.isoformat(),
        }
    if isinstance(outcome, ValidationFailed):
        return {"invalid": outcome.fields}
    if isinstance(outcome, _Collected):
        return {"collected_at": outcome.at.isoformat() if outcome.at is not None else None}
    return {"conflict": outcome.message}


def _outcome_of(issue: _Issue, payload: Mapping[str, Any]) -> Distribution | LifelineError:
    if "invalid" in payload:
        return ValidationFailed(payload["invalid"])
    if "collected_at" in payload:
        at = payload["collected_at"]
        return _Collected(issue, dt.datetime.fromisoformat(at) if at is not None else None)
    if "conflict" in payload:
        return Conflict(payload["conflict"])
    distribution = issue.distribution()
    distribution.version = payload["version"]
    distribution.origin_site_id = Site._meta.pk.to_python(payload["origin_site"])
    distribution.updated_at = dt.datetime.fromisoformat(payload["updated_at"])
    distribution.created_at = dt.datetime.fromisoformat(payload["created_at"])
    distribution._state.adding = False
    distribution._state.db = connection.alias
    return distribution


# One group-commit spool per SQLite file, beside it (see lifeline.core.groupcommit).
_GROUPS: dict[str, GroupCommit] = {}


def _group_commit() -> GroupCommit | None:
    """The group commit of this connection's database, not inside a caller's transaction (a
    batch written there would commit only with the caller's): SQLite in a file, its spool
    beside it; PostgreSQL, a spool under VAR_DIR shared by this host's server processes
    (another host has its own: the row locks and the unique constraint still order them)."""
    if connection.in_atomic_block:
        return None
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name.startswith((":memory:", "file:")) or "mode=memory" in name:
            return None
        spool = f"{name}.rations"
    elif connection.vendor == "postgresql":
        server = f"{db.get('HOST') or 'local'}-{db.get('PORT') or 5432}-{db['NAME']}"
        spool = str(Path(settings.VAR_DIR) / "rations" / server.replace("/", "_"))
    else:
        return None
    group = _GROUPS.get(spool)
    if group is None:
        group = _GROUPS[spool] = GroupCommit(spool)
    return group
