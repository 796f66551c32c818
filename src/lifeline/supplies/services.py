"""Writes of supplies: the catalogue, the stock ledger, cold-chain readings, ration cycles and
ration issues. Every write checks the actor's permission and writes its audit row in the same
transaction as the ledger rows; `StockBalance` (the on-hand cache) is moved in that transaction
too, and a movement that would take it below zero is refused.

Concurrency: on PostgreSQL the balance rows an issue draws on are locked (`select_for_update`)
before they are read; SQLite's IMMEDIATE transactions serialise writers already. A ration is
issued at most once per household, cycle and site by the database's unique constraint, not by
a prior check, so two clients racing on one card cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from lifeline.alerts.models import Alert, Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.errors import Conflict, LifelineError, NotFound, ValidationFailed
from lifeline.core.groupcommit import GroupCommit
from lifeline.core.ids import uuid7
from lifeline.core.models import Site, replicated_create_many
from lifeline.core.services import (
    Actor,
    audit_entry,
    audit_record,
    audit_record_many,
    permission_require,
)
from lifeline.people.models import Household, Status
from lifeline.supplies import rules
from lifeline.supplies.models import (
    ColdChainReading,
    Distribution,
    DistributionPoint,
    Item,
    Location,
    LocationKind,
    Lot,
    Movement,
    MovementKind,
    RationCycle,
    StockBalance,
    Transfer,
)
from lifeline.supplies.rules import quantity_text as q

# Members who eat from the household's ration: those here or in the camp's care.
RATION_STATUSES = (Status.PRESENT, Status.IN_CARE)
WRITE_OFF_KINDS = (MovementKind.LOSS, MovementKind.EXPIRY, MovementKind.DAMAGE)


def _user(actor: Actor | None) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _positive(quantity: Decimal, name: str = "quantity") -> Decimal:
    if quantity is None or quantity <= 0:
        raise ValidationFailed({name: "must be more than zero"})
    return quantity


# ---- catalogue -----------------------------------------------------------------------------

ITEM_FIELDS = (
    "name",
    "category",
    "unit",
    "kcal_per_unit",
    "litres_per_unit",
    "cold_chain",
    "reorder_level",
    "notes",
)


@transaction.atomic
def item_create(*, actor: Actor | None, code: str, name: str, **values: Any) -> Item:
    permission_require(actor, "supplies.manage_catalogue", doing="change the catalogue")
    unknown = sorted(set(values) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationFailed({n: "is not a field of an item" for n in unknown})
    if Item.objects.filter(code=code).exists():
        raise ValidationFailed({"code": f"{code!r} is already the code of an item"})
    item = Item(code=code, name=name, **values)
    item.save()
    audit_record(actor=actor, action="item.create", obj=item, summary=item.name)
    return item


@transaction.atomic
def item_update(*, actor: Actor | None, item: Item, changes: Mapping[str, Any]) -> Item:
    permission_require(actor, "supplies.manage_catalogue", doing="change the catalogue")
    unknown = sorted(set(changes) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationFailed({n: "cannot be changed here" for n in unknown})
    item = Item.objects.select_for_update().get(pk=item.pk)
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, changes[name])
    item.save(update_fields=changed)
    audit_record(
        actor=actor, action="item.update", obj=item, summary=item.name, detail={"fields": changed}
    )
    return item


@transaction.atomic
def location_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    site: Site,
    kind: str = LocationKind.STORE,
    latitude: float | None = None,
    longitude: float | None = None,
    cold_chain: bool = False,
    notes: str = "",
) -> Location:
    permission_require(actor, "supplies.manage_catalogue", doing="add stock locations")
    problems: dict[str, str] = {}
    if Location.objects.filter(code=code).exists():
        problems["code"] = f"{code!r} is already the code of a location"
    if kind not in LocationKind.values:
        problems["kind"] = f"must be one of {', '.join(LocationKind.values)}"
    if (latitude is None) != (longitude is None):
        problems["latitude" if latitude is None else "longitude"] = "give both coordinates"
    if kind == LocationKind.CACHE and latitude is None:
        problems["latitude"] = "a cache needs its coordinates, to be found again"
    if problems:
        raise ValidationFailed(problems)
    location = Location(
        code=code,
        name=name,
        site=site,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        cold_chain=cold_chain,
        notes=notes,
    )
    location.save()
    audit_record(actor=actor, action="location.create", obj=location, summary=location.name)
    return location


def _lot_ensure(item: Item, batch: str, expiry_date: dt.date | None, vvm_stage: int | None) -> Lot:
    """The lot of this item with this batch (and expiry), created on first receipt."""
    batch = batch.strip()
    lot = (
        Lot.objects.alive().filter(item=item, batch=batch, expiry_date=expiry_date).first()
        if batch or expiry_date
        else None
    )
    if lot is None:
        lot = Lot(item=item, batch=batch, expiry_date=expiry_date, vvm_stage=vvm_stage)
        lot.save()
    return lot


# ---- the ledger ----------------------------------------------------------------------------


def _balance_move(lot: Lot, location: Location, quantity: Decimal, item: Item) -> Decimal:
    """Move the cached on-hand of a lot at a location; refuse to go below zero."""
    balance = StockBalance.objects.select_for_update().filter(location=location, lot=lot).first()
    current = balance.quantity if balance is not None else Decimal(0)
    after = current + quantity
    if after < 0:
        raise ValidationFailed(
            {
                "quantity": (
                    f"only {q(current)} {item.unit} of {item.name} (lot {lot}) on hand at "
                    f"{location.name}; cannot take {q(-quantity)}"
                )
            }
        )
    if balance is None:
        StockBalance.objects.create(
            location=location, lot=lot, item=item, expiry_date=lot.expiry_date, quantity=after
        )
    else:
        StockBalance.objects.filter(pk=balance.pk).update(quantity=after)
    return after


def _movement_write(
    *,
    actor: Actor | None,
    kind: str,
    item: Item,
    lot: Lot,
    location: Location,
    quantity: Decimal,
    note: str = "",
    transfer: Transfer | None = None,
    distribution: Distribution | None = None,
    occurred_at: dt.datetime | None = None,
    balance_checked: bool = False,
) -> Movement:
    if not balance_checked:
        _balance_move(lot, location, quantity, item)
    movement = Movement(
        kind=kind,
        item=item,
        lot=lot,
        location=location,
        quantity=quantity,
        note=note[:300],
        transfer=transfer,
        distribution=distribution,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=_user(actor),
    )
    movement.save()
    return movement


def _fefo_plan(
    item: Item, location: Location, quantity: Decimal, balances: Sequence[StockBalance]
) -> list[tuple[StockBalance, Decimal]]:
    available = [
        rules.Available(key=b, expiry=b.expiry_date, quantity=b.quantity, order=str(b.lot_id))
        for b in balances
    ]
    try:
        return rules.fefo_pick(available, quantity)
    except rules.NotEnoughStock as exc:
        raise ValidationFailed(
            {
                "quantity": (
                    f"only {q(exc.available)} {item.unit} of {item.name} on hand at "
                    f"{location.name}; cannot take {q(quantity)}"
                )
            }
        ) from exc


def _fefo_take(
    *,
    actor: Actor | None,
    kind: str,
    item: Item,
    location: Location,
    quantity: Decimal,
    note: str = "",
    transfer: Transfer | None = None,
    distribution: Distribution | None = None,
    balances: Sequence[StockBalance] | None = None,
    usable_on: dt.date | None = None,
) -> list[Movement]:
    """Take `quantity` of an item from a location, first expiry first out, as ledger rows;
    with `usable_on`, lots that expired before that day are left where they are."""
    if balances is None:
        balances = list(
            StockBalance.objects.select_for_update()
            .filter(location=location, item=item, quantity__gt=0)
            .select_related("lot")
            .order_by("pk")  # the ration issue locks balances in id order too
        )
    if usable_on is not None:
        balances = [b for b in balances if b.expiry_date is None or b.expiry_date >= usable_on]
    picks = _fefo_plan(item, location, quantity, balances)
    movements = []
    for balance, take in picks:
        StockBalance.objects.filter(pk=balance.pk).update(quantity=F("quantity") - take)
        movements.append(
            _movement_write(
                actor=actor,
                kind=kind,
                item=item,
                lot=balance.lot,
                location=location,
                quantity=-take,
                note=note,
                transfer=transfer,
                distribution=distribution,
                balance_checked=True,
            )
        )
    return movements


def stock_take(
    *,
    actor: Actor | None,
    kind: str,
    item: Item,
    location: Location,
    quantity: Decimal,
    note: str = "",
    usable_on: dt.date | None = None,
) -> list[Movement]:
    """For another app's write, in its transaction (a dose given from the infirmary's store):
    take `quantity` first expiry first out and return the ledger rows. Lots that expired
    before `usable_on` are not taken (a medicine is not given past its date; those lots wait
    for their write-off). Refused with ValidationFailed when what is left is not enough."""
    return _fefo_take(
        actor=actor,
        kind=kind,
        item=item,
        location=location,
        quantity=quantity,
        note=note,
        usable_on=usable_on,
    )


@transaction.atomic
def stock_receive(
    *,
    actor: Actor | None,
    location: Location,
    item: Item,
    quantity: Decimal,
    batch: str = "",
    expiry_date: dt.date | None = None,
    vvm_stage: int | None = None,
    salvage: bool = False,
    note: str = "",
    occurred_at: dt.datetime | None = None,
) -> Movement:
    """Stock arriving: a delivery (receipt) or supplies found in the field (salvage)."""
    permission_require(actor, "supplies.manage_stock", doing="record stock")
    _positive(quantity)
    if vvm_stage is not None and not 1 <= vvm_stage <= 4:
        raise ValidationFailed({"vvm_stage": "must be 1, 2, 3 or 4"})
    lot = _lot_ensure(item, batch, expiry_date, vvm_stage)
    kind = MovementKind.SALVAGE if salvage else MovementKind.RECEIPT
    movement = _movement_write(
        actor=actor,
        kind=kind,
        item=item,
        lot=lot,
        location=location,
        quantity=quantity,
        note=note,
        occurred_at=occurred_at,
    )
    audit_record(
        actor=actor,
        action=f"stock.{kind}",
        obj=movement,
        summary=f"{q(quantity)} {item.unit} of {item.name} at {location.name}",
    )
    return movement


@transaction.atomic
def stock_issue(
    *, actor: Actor | None, location: Location, item: Item, quantity: Decimal, note: str = ""
) -> list[Movement]:
    """Issue stock for use (a clinic, a team): earliest expiry first."""
    permission_require(actor, "supplies.manage_stock", doing="issue stock")
    _positive(quantity)
    movements = _fefo_take(
        actor=actor,
        kind=MovementKind.ISSUE,
        item=item,
        location=location,
        quantity=quantity,
        note=note,
    )
    audit_record(
        actor=actor,
        action="stock.issue",
        obj=movements[0],
        summary=f"{q(quantity)} {item.unit} of {item.name} from {location.name}",
    )
    return movements


@transaction.atomic
def stock_write_off(
    *,
    actor: Actor | None,
    location: Location,
    item: Item,
    quantity: Decimal,
    kind: str,
    lot: Lot | None = None,
    note: str = "",
) -> list[Movement]:
    """Loss, expiry or damage: from a named lot, or earliest expiry first."""
    permission_require(actor, "supplies.manage_stock", doing="write off stock")
    _positive(quantity)
    if kind not in WRITE_OFF_KINDS:
        raise ValidationFailed({"kind": f"must be one of {', '.join(WRITE_OFF_KINDS)}"})
    if lot is not None and lot.item_id != item.pk:
        raise ValidationFailed({"lot": f"is a lot of another item, not of {item.name}"})
    if lot is None:
        movements = _fefo_take(
            actor=actor, kind=kind, item=item, location=location, quantity=quantity, note=note
        )
    else:
        movements = [
            _movement_write(
                actor=actor,
                kind=kind,
                item=item,
                lot=lot,
                location=location,
                quantity=-quantity,
                note=note,
            )
        ]
    audit_record(
        actor=actor,
        action=f"stock.{kind}",
        obj=movements[0],
        summary=f"{q(quantity)} {item.unit} of {item.name} written off at {location.name}",
    )
    return movements


@transaction.atomic
def stock_count(
    *,
    actor: Actor | None,
    location: Location,
    lot: Lot,
    counted: Decimal,
    note: str = "",
) -> Movement | None:
    """A physical count: the difference from the ledger is written as a count movement."""
    permission_require(actor, "supplies.manage_stock", doing="record stock counts")
    if counted is None or counted < 0:
        raise ValidationFailed({"counted": "must be zero or more"})
    balance = StockBalance.objects.select_for_update().filter(location=location, lot=lot).first()
    on_hand = balance.quantity if balance is not None else Decimal(0)
    difference = counted - on_hand
    movement = None
    if difference != 0:
        movement = _movement_write(
            actor=actor,
            kind=MovementKind.COUNT,
            item=lot.item,
            lot=lot,
            location=location,
            quantity=difference,
            note=note or f"counted {q(counted)}, ledger said {q(on_hand)}",
        )
    audit_record(
        actor=actor,
        action="stock.count",
        obj=movement or lot,
        summary=f"counted {q(counted)} {lot.item.unit} of {lot.item.name} (lot {lot}) at "
        f"{location.name}; difference {q(difference)}",
    )
    return movement


@transaction.atomic
def stock_count_batch(
    *,
    actor: Actor | None,
    location: Location,
    item: Item,
    counted: Decimal,
    batch: str = "",
    expiry_date: dt.date | None = None,
    note: str = "",
) -> Movement | None:
    """A count of a lot named by its batch and expiry (a count sheet row); a lot the ledger
    does not know yet is created, and the whole count is its first movement."""
    permission_require(actor, "supplies.manage_stock", doing="record stock counts")
    lot = _lot_ensure(item, batch, expiry_date, None)
    return stock_count(actor=actor, location=location, lot=lot, counted=counted, note=note)


@dataclass(frozen=True)
class TransferLine:
    item: Item
    quantity: Decimal


@transaction.atomic
def transfer_send(
    *,
    actor: Actor | None,
    source: Location,
    destination: Location,
    lines: Sequence[TransferLine],
    vehicle: Location | None = None,
    note: str = "",
) -> Transfer:
    """Send stock: transfer-out rows at the source; it is in transit until received."""
    permission_require(actor, "supplies.manage_stock", doing="transfer stock")
    problems: dict[str, str] = {}
    if source.pk == destination.pk:
        problems["destination"] = "is the source itself"
    if vehicle is not None and vehicle.kind != LocationKind.VEHICLE:
        problems["vehicle"] = f"{vehicle.name} is a {vehicle.kind}, not a vehicle"
    if not lines:
        problems["lines"] = "send at least one item"
    if problems:
        raise ValidationFailed(problems)
    transfer = Transfer(source=source, destination=destination, vehicle=vehicle, note=note)
    transfer.save()
    for line in lines:
        _positive(line.quantity)
        _fefo_take(
            actor=actor,
            kind=MovementKind.TRANSFER_OUT,
            item=line.item,
            location=source,
            quantity=line.quantity,
            transfer=transfer,
        )
    audit_record(
        actor=actor,
        action="stock.transfer_send",
        obj=transfer,
        summary=f"{len(lines)} items from {source.name} to {destination.name}",
    )
    return transfer


@transaction.atomic
def transfer_receive(*, actor: Actor | None, transfer: Transfer) -> list[Movement]:
    """The stock in transit arrives: transfer-in rows of the same lots at the destination."""
    permission_require(actor, "supplies.manage_stock", doing="receive transfers")
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.received_at is not None:
        raise Conflict(f"this transfer was received on {transfer.received_at:%Y-%m-%d %H:%M}")
    outs = list(
        transfer.movements.filter(kind=MovementKind.TRANSFER_OUT).select_related(
            "item", "lot", "location"
        )
    )
    destination = Location.objects.get(pk=transfer.destination_id)
    movements = [
        _movement_write(
            actor=actor,
            kind=MovementKind.TRANSFER_IN,
            item=out.item,
            lot=out.lot,
            location=destination,
            quantity=-out.quantity,
            transfer=transfer,
        )
        for out in outs
    ]
    transfer.received_at = timezone.now()
    transfer.save(update_fields=["received_at"])
    audit_record(
        actor=actor,
        action="stock.transfer_receive",
        obj=transfer,
        summary=f"transfer received at {destination.name}",
    )
    return movements


def stock_balances_rebuild() -> int:
    """Rebuild the on-hand cache from the ledger (after sync brought movements, or to check)."""
    with transaction.atomic():
        StockBalance.objects.all().delete()
        sums = (
            Movement.objects.alive()
            .values("location_id", "lot_id", "item_id", "lot__expiry_date")
            .annotate(total=Sum("quantity"))
        )
        rows = [
            StockBalance(
                location_id=s["location_id"],
                lot_id=s["lot_id"],
                item_id=s["item_id"],
                expiry_date=s["lot__expiry_date"],
                quantity=s["total"],
            )
            for s in sums
        ]
        StockBalance.objects.bulk_create(rows)
    return len(rows)


# ---- cold chain ----------------------------------------------------------------------------


@transaction.atomic
def cold_chain_record(
    *,
    actor: Actor | None,
    location: Location,
    temperature_c: Decimal,
    recorded_at: dt.datetime | None = None,
) -> ColdChainReading:
    """A temperature reading of a fridge or cold box; outside 2-8 °C raises an alert."""
    permission_require(actor, "supplies.manage_stock", doing="record cold-chain readings")
    reading = ColdChainReading(
        location=location,
        temperature_c=temperature_c,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=_user(actor),
    )
    reading.save()
    audit_record(
        actor=actor,
        action="coldchain.record",
        obj=reading,
        summary=f"{temperature_c} °C at {location.name}",
    )
    if rules.temperature_excursion(Decimal(temperature_c)):
        alert_raise(
            kind="supplies.cold_chain_excursion",
            key=f"{location.pk}:{reading.recorded_at:%Y-%m-%d}",
            title=f"Cold chain: {temperature_c} °C at {location.name} (keep 2-8 °C)",
            severity=Severity.CRITICAL,
            subject=reading,
        )
    return reading


@transaction.atomic
def lot_vvm_record(*, actor: Actor | None, lot: Lot, stage: int) -> Lot:
    """The vaccine vial monitor stage seen on a lot; past the discard point raises an alert."""
    permission_require(actor, "supplies.manage_stock", doing="record vial monitor stages")
    if not 1 <= stage <= 4:
        raise ValidationFailed({"vvm_stage": "must be 1, 2, 3 or 4"})
    lot = Lot.objects.select_for_update().select_related("item").get(pk=lot.pk)
    lot.vvm_stage = stage
    lot.save(update_fields=["vvm_stage"])
    audit_record(actor=actor, action="lot.vvm", obj=lot, summary=f"VVM stage {stage} on {lot}")
    if rules.vvm_past_discard(stage):
        alert_raise(
            kind="supplies.vvm_discard",
            key=str(lot.pk),
            title=f"{lot.item.name} lot {lot}: vial monitor at stage {stage}, do not use",
            severity=Severity.CRITICAL,
            subject=lot,
        )
    return lot


# ---- rations -------------------------------------------------------------------------------


@transaction.atomic
def ration_cycle_create(
    *,
    actor: Actor | None,
    site: Site,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    basket: Sequence[Mapping[str, Any]],
    max_household_size: int = 10,
) -> RationCycle:
    """A round of rations: what each person's share is ({"item": code, "per_person": q})."""
    permission_require(actor, "supplies.manage_rations", doing="set up ration cycles")
    problems: dict[str, str] = {}
    if ends_on < starts_on:
        problems["ends_on"] = "is before starts_on"
    if not basket:
        problems["basket"] = "list at least one item"
    codes = [str(line.get("item", "")) for line in basket]
    known = set(Item.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in known]
    if missing:
        problems["basket"] = f"unknown items: {', '.join(missing)}"
    clean: list[dict[str, str]] = []
    for index, line in enumerate(basket):
        try:
            per_person = Decimal(str(line.get("per_person")))
        except ArithmeticError:
            per_person = Decimal(-1)
        if not per_person.is_finite() or per_person <= 0:
            problems[f"basket[{index}].per_person"] = "must be a number above zero"
        clean.append({"item": str(line.get("item")), "per_person": str(per_person)})
    if max_household_size < 1:
        problems["max_household_size"] = "must be at least 1"
    if problems:
        raise ValidationFailed(problems)
    cycle = RationCycle(
        site=site,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        basket=clean,
        max_household_size=max_household_size,
    )
    cycle.save()
    audit_record(actor=actor, action="ration.cycle_create", obj=cycle, summary=name)
    return cycle


@transaction.atomic
def ration_cycle_close(*, actor: Actor | None, cycle: RationCycle) -> RationCycle:
    permission_require(actor, "supplies.manage_rations", doing="close ration cycles")
    cycle = RationCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.closed_at is not None:
        raise Conflict(f"{cycle.name} is already closed")
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["closed_at"])
    audit_record(actor=actor, action="ration.cycle_close", obj=cycle, summary=cycle.name)
    return cycle


@transaction.atomic
def distribution_point_create(
    *, actor: Actor | None, site: Site, name: str, location: Location
) -> DistributionPoint:
    permission_require(actor, "supplies.manage_rations", doing="set up distribution points")
    if location.site_id != site.pk:
        raise ValidationFailed({"location": f"{location.name} is not at {site.name}"})
    point = DistributionPoint(site=site, name=name, location=location)
    point.save()
    audit_record(actor=actor, action="ration.point_create", obj=point, summary=name)
    return point


@dataclass(frozen=True)
class EntitlementLine:
    item: Item
    quantity: Decimal


@dataclass(frozen=True)
class Entitlement:
    household_id: Any
    ration_card: str
    household_size: int
    lines: list[EntitlementLine]
    collected: Distribution | None  # this cycle's collection at this site, if any


def _basket_items(cycle: RationCycle) -> dict[str, Item]:
    codes = [line["item"] for line in cycle.basket]
    return {item.code: item for item in Item.objects.filter(code__in=codes)}


@dataclass(frozen=True)
class _CyclePlan:
    """What one cycle gives: the basket's items and, for every household size up to the
    cycle's cap, the quantity of each item (worked out once, not per ration)."""

    version: str
    items: tuple[Item, ...]
    by_size: tuple[tuple[Decimal, ...], ...]  # by_size[persons][n]: how much of items[n]

    def quantities(self, size: int) -> tuple[Decimal, ...]:
        return self.by_size[max(1, min(size, len(self.by_size) - 1))]


# Per process, by cycle id; an entry serves only while the cycle's version in the database
# (read with the household on every issue) is the one it was made from, so an edit or a close
# of the cycle is seen by the very next issue.
_CYCLE_PLANS: dict[Any, _CyclePlan] = {}


def _cycle_plan(cycle: RationCycle, version: str) -> _CyclePlan:
    plan = _CYCLE_PLANS.get(cycle.pk)
    if plan is not None and plan.version == version:
        return plan
    if cycle.version != version:  # the caller's copy is older than the database's row
        cycle.refresh_from_db()
    items = _basket_items(cycle)
    lines = [(items[line["item"]], Decimal(line["per_person"])) for line in cycle.basket]
    plan = _CyclePlan(
        version=cycle.version,
        items=tuple(item for item, _ in lines),
        by_size=tuple(
            tuple(rules.entitlement(each, size, cycle.max_household_size) for _, each in lines)
            for size in range(cycle.max_household_size + 1)
        ),
    )
    _CYCLE_PLANS[cycle.pk] = plan
    return plan


def _db_id(model: type[Any], value: Any) -> Any:
    """A key as the database holds it (hex text on SQLite, uuid on PostgreSQL), for raw SQL."""
    return model._meta.pk.get_db_prep_value(value, connection)


def _decimal(value: Any) -> Decimal:
    # Raw SQL: SQLite gives NUMERIC columns back as int or float, PostgreSQL as Decimal.
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(Decimal("0.001"))


def _household_and_cycle(cycle: RationCycle, card: str) -> tuple[Any, int, str, bool]:
    """(household id, persons eating from its ration, the cycle's version, cycle closed?) as
    the database has them now, in one query: the only read of an issue before its write."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.id, (SELECT COUNT(*) FROM people_person p WHERE p.household_id = h.id"
            " AND p.deleted_at IS NULL AND p.status IN (%s, %s)), c.version,"
            " c.closed_at IS NOT NULL FROM supplies_rationcycle c"
            " LEFT JOIN people_household h ON h.ration_card = %s AND h.deleted_at IS NULL"
            " WHERE c.id = %s",
            [*RATION_STATUSES, card, _db_id(RationCycle, cycle.pk)],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"no ration cycle {cycle.pk}")
    if row[0] is None:
        raise NotFound(f"no household with ration card {card!r}")
    household_id = Household._meta.pk.to_python(row[0])
    return household_id, int(row[1]), str(row[2]), bool(row[3])


def entitlement_for(
    *,
    cycle: RationCycle,
    ration_card: str,
    site: Site,
    items: Mapping[str, Item] | None = None,
) -> Entitlement:
    """What a card gets this cycle, and its collection at this site if it has collected.
    (`items` is accepted for older callers; the cycle's plan holds the basket's items.)"""
    card = ration_card.strip()
    if not card:
        raise ValidationFailed({"ration_card": "enter or scan a ration card"})
    household_id, size, version, _closed = _household_and_cycle(cycle, card)
    plan = _cycle_plan(cycle, version)
    lines = [
        EntitlementLine(item=item, quantity=quantity)
        for item, quantity in zip(plan.items, plan.quantities(size), strict=True)
    ]
    collected = Distribution.objects.filter(
        cycle=cycle, household_id=household_id, site=site
    ).first()
    return Entitlement(household_id, card, size, lines, collected)


def _collected_message(cycle_name: str, card: str, site_name: str, at: dt.datetime | None) -> str:
    when = f" on {timezone.localtime(at):%Y-%m-%d %H:%M}" if at is not None else ""
    return f"ration card {card} has already collected {cycle_name} at {site_name}{when}"


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
                    "quantity": (
                        f"only {q(exc.available)} {want.unit} of {want.name} on hand at "
                        f"{issue.location_name}; cannot take {q(want.quantity)}"
                    )
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
    """(cycle, household, site) of the households of these issues that have collected."""
    households = sorted({_db_id(Household, issue.household_id) for issue in issues})
    to_id = Distribution._meta.pk.to_python
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cycle_id, household_id, site_id FROM supplies_distribution"  # noqa: S608
            f" WHERE household_id IN ({', '.join(['%s'] * len(households))})",
            households,
        )
        return {(to_id(c), to_id(h), to_id(s)) for c, h, s in cursor.fetchall()}


def _collected_refusal(issue: _Issue) -> Conflict:
    earlier = (
        Distribution.objects.filter(
            cycle_id=issue.cycle_id, household_id=issue.household_id, site_id=issue.site_id
        )
        .values_list("issued_at", flat=True)
        .first()
    )
    return Conflict(_collected_message(issue.cycle_name, issue.card, issue.site_name, earlier))


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
            outcomes[index] = Conflict(
                _collected_message(issue.cycle_name, issue.card, issue.site_name, at)
            )
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
    return {"conflict": outcome.message}


def _outcome_of(issue: _Issue, payload: Mapping[str, Any]) -> Distribution | LifelineError:
    if "invalid" in payload:
        return ValidationFailed(payload["invalid"])
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


def _issue_prepare(
    *, actor: Actor | None, point: DistributionPoint, cycle: RationCycle, ration_card: str
) -> _Issue:
    """Everything an issue needs before its write, checked: the permission, the card, the
    household and its size, the cycle open, the entitlement."""
    permission_require(actor, "supplies.issue_ration", doing="issue rations")
    if cycle.site_id != point.site_id:
        raise ValidationFailed({"cycle": f"{cycle.name} is not a cycle of this point's site"})
    card = ration_card.strip()
    if not card:
        raise ValidationFailed({"ration_card": "enter or scan a ration card"})
    household_id, size, version, closed = _household_and_cycle(cycle, card)
    if closed or cycle.closed_at is not None:
        raise Conflict(f"{cycle.name} is closed")
    plan = _cycle_plan(cycle, version)
    user = _user(actor)
    return _Issue(
        id=uuid7(),
        issued_at=timezone.now(),
        actor_id=user.pk if user is not None else None,
        actor_username=user.get_username() if user is not None else "",
        cycle_id=cycle.pk,
        cycle_name=cycle.name,
        household_id=household_id,
        size=size,
        card=card,
        site_id=point.site_id,
        site_name=point.site.name,
        point_id=point.pk,
        location_id=point.location_id,
        location_name=point.location.name,
        wants=tuple(
            _Want(item.pk, quantity, item.name, item.unit)
            for item, quantity in zip(plan.items, plan.quantities(size), strict=True)
        ),
    )


def ration_issue(
    *,
    actor: Actor | None,
    point: DistributionPoint,
    cycle: RationCycle,
    ration_card: str,
    items: Mapping[str, Item] | None = None,
) -> Distribution:
    """Issue a household its ration for the cycle: one distribution row and the ledger rows.

    The hot path of a queue, so it counts statements and keeps SQLite's one writer busy only
    with writing. Before the write, outside any lock: the permission (from the actor's cache,
    which Django fills on the first check), one read of the household with its size and the
    cycle's state, the entitlement from a per-process plan of the cycle, the distribution
    row's id. Then one transaction: the earlier collections of the households, the lots needed,
    one clock tick for every row, one insert per table, the balances in one update, the audit
    rows.

    Concurrent issuers of one host group their commits (lifeline.core.groupcommit): each
    hands its issue to whichever of them holds the writers' lock, which writes every waiting
    issue in that one transaction and hands each its own outcome, so a queue of clients pays
    the transaction's fixed cost (and, on PostgreSQL, holds the lots' and the clock's row
    locks) once per batch rather than once per card, and on SQLite no writer sleeps in the
    busy handler while the database is free. The unique constraint still decides double
    collection. Inside a caller's transaction the issue is written alone. `items` is accepted
    for older callers and not needed.
    """
    issue = _issue_prepare(actor=actor, point=point, cycle=cycle, ration_card=ration_card)
    group = _group_commit()
    if group is None:
        outcome = _issue_write_alone(issue)
    else:
        outcome = _outcome_of(issue, group.submit(issue.payload(), _issues_write_grouped))
    if isinstance(outcome, LifelineError):
        raise outcome
    return outcome


@dataclass(frozen=True)
class DoubleCollection:
    first: Distribution
    second: Distribution
    alert: Alert


def double_collections_find(*, cycle: RationCycle | None = None) -> list[DoubleCollection]:
    """Households that collected one cycle at two sites (written while the sites were cut
    off from each other). Both rows stay; an alert per pair asks a person to resolve it.
    Sync calls this after applying a bundle; it is idempotent."""
    groups = Distribution.objects.alive()
    if cycle is not None:
        groups = groups.filter(cycle=cycle)
    doubled = (
        groups.values("cycle_id", "household_id")
        .annotate(sites=Count("site_id", distinct=True))
        .filter(sites__gt=1)
    )
    found: list[DoubleCollection] = []
    for group in doubled:
        rows = list(
            Distribution.objects.alive()
            .filter(cycle_id=group["cycle_id"], household_id=group["household_id"])
            .select_related("site", "cycle", "household")
            .order_by("issued_at", "id")
        )
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                if first.site_id == second.site_id:
                    continue
                alert = alert_raise(
                    kind="supplies.double_collection",
                    key=f"{first.pk}:{second.pk}",
                    title=(
                        f"Ration card {first.household} collected {first.cycle.name} at "
                        f"{first.site.name} and at {second.site.name}"
                    ),
                    detail=(
                        f"{first.site.name}: {first.issued_at:%Y-%m-%d %H:%M}; "
                        f"{second.site.name}: {second.issued_at:%Y-%m-%d %H:%M}. Both "
                        "distributions are kept; decide whether to deduct the next ration."
                    ),
                    severity=Severity.WARNING,
                    subject=second,
                )
                found.append(DoubleCollection(first, second, alert))
    return found


# ---- alerts --------------------------------------------------------------------------------


def stock_alerts_raise(*, actor: Actor | None, site: Site, horizon_days: int = 14) -> list[Alert]:
    """Raise an alert (once each) for every stock problem the selector finds at a site."""
    from lifeline.supplies.selectors import stock_alerts

    raised = []
    for found in stock_alerts(actor=actor, site=site, horizon_days=horizon_days):
        raised.append(
            alert_raise(
                kind=found.kind,
                key=found.key,
                title=found.title,
                severity=found.severity,
                detail=found.detail,
            )
        )
    return raised


def basket_lines(cycle: RationCycle) -> Iterable[tuple[str, Decimal]]:
    return [(line["item"], Decimal(line["per_person"])) for line in cycle.basket]
