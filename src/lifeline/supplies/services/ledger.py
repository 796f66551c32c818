"""Writes of the stock ledger: lots, receipts, issues, write-offs, counts and transfers, each
as append-only movements. Every write checks the actor's permission and writes its audit row
in the same transaction as the ledger rows; `StockBalance` (the on-hand cache) is moved in that
transaction too, and a movement that would take it below zero is refused.

Concurrency: on PostgreSQL the balance rows a movement draws on are locked (`select_for_update`)
before they are read; SQLite's IMMEDIATE transactions serialise writers already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.alerts.services import alert_raise
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.ids import uuid_named
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies import rules
from lifeline.supplies.models import (
    Distribution,
    Item,
    Location,
    LocationKind,
    Lot,
    Movement,
    MovementKind,
    StockBalance,
    Transfer,
)
from lifeline.supplies.rules import quantity_text as q
from lifeline.supplies.words import unit_word

WRITE_OFF_KINDS = (MovementKind.LOSS, MovementKind.EXPIRY, MovementKind.DAMAGE)


def _user(actor: Actor | None) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _positive(quantity: Decimal, name: str = "quantity") -> Decimal:
    if quantity is None or quantity <= 0:
        raise ValidationFailed({name: _("must be more than zero")})
    return quantity


def _lot_ensure(item: Item, batch: str, expiry_date: dt.date | None, vvm_stage: int | None) -> Lot:
    """The lot of this item with this batch (and expiry), created on first receipt."""
    batch = batch.strip()
    lot = (
        Lot.objects.alive().filter(item=item, batch=batch, expiry_date=expiry_date).first()
        if batch or expiry_date
        else None
    )
    if lot is None and (batch or expiry_date):
        lot = Lot.objects.filter(pk=lot_id_of(item, batch, expiry_date)).first()
        if lot is not None:  # tombstoned once: the same batch again
            lot.undelete()
    if lot is None:
        lot = Lot(item=item, batch=batch, expiry_date=expiry_date, vvm_stage=vvm_stage)
        if batch or expiry_date:
            lot.id = lot_id_of(item, batch, expiry_date)
        lot.save()
    return lot


def lot_id_of(item: Item, batch: str, expiry_date: dt.date | None) -> Any:
    """The id of a named lot, the same at every site that receives that batch (a lot with no
    batch and no expiry is anonymous: a new one per receipt, with an id of its own)."""
    expiry = expiry_date.isoformat() if expiry_date else ""
    return uuid_named("supplies.lot", item.pk, batch.strip(), expiry)


def _balance_move(lot: Lot, location: Location, quantity: Decimal, item: Item) -> Decimal:
    """Move the cached on-hand of a lot at a location; refuse to go below zero."""
    balance = StockBalance.objects.select_for_update().filter(location=location, lot=lot).first()
    current = balance.quantity if balance is not None else Decimal(0)
    after = current + quantity
    if after < 0:
        raise ValidationFailed(
            {
                "quantity": _(
                    "only %(available)s %(unit)s of %(item)s (lot %(lot)s) on hand at "
                    "%(where)s; cannot take %(wanted)s"
                )
                % {
                    "available": q(current),
                    "unit": unit_word(item.unit),
                    "item": item.name,
                    "lot": lot,
                    "where": location.name,
                    "wanted": q(-quantity),
                }
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
                "quantity": _(
                    "only %(available)s %(unit)s of %(item)s on hand at %(where)s; cannot "
                    "take %(wanted)s"
                )
                % {
                    "available": q(exc.available),
                    "unit": unit_word(item.unit),
                    "item": item.name,
                    "where": location.name,
                    "wanted": q(quantity),
                }
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
    permission_require(actor, "supplies.manage_stock", doing=_("record stock"))
    _positive(quantity)
    if vvm_stage is not None and not 1 <= vvm_stage <= 4:
        raise ValidationFailed({"vvm_stage": _("must be 1, 2, 3 or 4")})
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
    permission_require(actor, "supplies.manage_stock", doing=_("issue stock"))
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
    permission_require(actor, "supplies.manage_stock", doing=_("write off stock"))
    _positive(quantity)
    if kind not in WRITE_OFF_KINDS:
        raise ValidationFailed(
            {"kind": _("must be one of %(kinds)s") % {"kinds": ", ".join(WRITE_OFF_KINDS)}}
        )
    if lot is not None and lot.item_id != item.pk:
        raise ValidationFailed(
            {"lot": _("is a lot of another item, not of %(item)s") % {"item": item.name}}
        )
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
    permission_require(actor, "supplies.manage_stock", doing=_("record stock counts"))
    if counted is None or counted < 0:
        raise ValidationFailed({"counted": _("must be zero or more")})
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
    permission_require(actor, "supplies.manage_stock", doing=_("record stock counts"))
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
    permission_require(actor, "supplies.manage_stock", doing=_("transfer stock"))
    problems: dict[str, str] = {}
    if source.pk == destination.pk:
        problems["destination"] = _("is the source itself")
    if vehicle is not None and vehicle.kind != LocationKind.VEHICLE:
        problems["vehicle"] = _("%(name)s is a %(kind)s, not a vehicle") % {
            "name": vehicle.name,
            "kind": vehicle.get_kind_display().lower(),
        }
    if not lines:
        problems["lines"] = _("send at least one item")
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
    permission_require(actor, "supplies.manage_stock", doing=_("receive transfers"))
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.received_at is not None:
        raise Conflict(
            _("this transfer was received on %(when)s")
            % {"when": f"{transfer.received_at:%Y-%m-%d %H:%M}"}
        )
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


OVERDRAWN_KIND = "supplies.lot_overdrawn"


def stock_balances_rebuild() -> int:
    """Rebuild the on-hand cache from the ledger (after sync brought movements, or to check).
    A lot the merged ledgers overdraw raises an alert instead of aborting the rebuild (see
    `stock_balances_refresh`)."""
    with transaction.atomic():
        StockBalance.objects.all().delete()
        return len(stock_balances_refresh())


@transaction.atomic
def stock_balances_refresh(pairs: Collection[tuple[Any, Any]] | None = None) -> list[StockBalance]:
    """Sum the ledger again into the on-hand cache for these (location, lot) pairs, or all.

    Two sites' ledgers, merged, can take more of a lot than either had (each issued the last
    crates while they were apart). The ledger keeps both: the sum below zero is cached as
    nothing on hand (the database refuses a negative balance, and there is nothing to issue)
    and an alert per lot and location asks a person to count it; the rebuild goes on."""
    sums = Movement.objects.alive().values("location_id", "lot_id", "item_id", "lot__expiry_date")
    balances = StockBalance.objects.select_for_update()
    wanted: set[tuple[Any, Any]] | None = None
    if pairs is not None:
        wanted = set(pairs)
        lots = {lot for _, lot in wanted}
        sums = sums.filter(lot_id__in=lots)
        balances = balances.filter(lot_id__in=lots)
    cached = {(b.location_id, b.lot_id): b for b in balances}
    created: list[StockBalance] = []
    changed: list[StockBalance] = []
    overdrawn: list[tuple[Any, Any, Decimal]] = []
    for row in sums.annotate(total=Sum("quantity")).order_by():
        key = (row["location_id"], row["lot_id"])
        if wanted is not None and key not in wanted:
            continue
        total = row["total"]
        if total < 0:
            overdrawn.append((*key, total))
        balance = cached.pop(key, None)
        if balance is None:
            balance = StockBalance(location_id=key[0], lot_id=key[1], item_id=row["item_id"])
            created.append(balance)
        else:
            changed.append(balance)
        balance.expiry_date = row["lot__expiry_date"]
        balance.quantity = max(total, Decimal(0))
    for key, balance in cached.items():  # every movement of it tombstoned since
        if wanted is None or key in wanted:
            balance.quantity = Decimal(0)
            changed.append(balance)
    # The cache is local (never replicated): bulk writes are fine here.
    StockBalance.objects.bulk_create(created, batch_size=2000)
    StockBalance.objects.bulk_update(changed, ["expiry_date", "quantity"], batch_size=2000)
    for location_id, lot_id, total in overdrawn:
        _overdrawn_alert(location_id, lot_id, total)
    return [*created, *changed]


def _overdrawn_alert(location_id: Any, lot_id: Any, total: Decimal) -> None:
    lot = Lot.objects.select_related("item").get(pk=lot_id)
    location = Location.objects.get(pk=location_id)
    alert_raise(
        kind=OVERDRAWN_KIND,
        key=f"{location_id}:{lot_id}",
        title=gettext_lazy("%(item)s (lot %(lot)s) overdrawn at %(location)s"),
        detail=gettext_lazy(
            "The ledgers of the sites, merged, take %(quantity)s %(unit)s more than "
            "was ever there. Every movement is kept; count the lot and record the count."
        ),
        params={
            "item": lot.item.name,
            "lot": str(lot),
            "location": location.name,
            "quantity": str(q(-total)),
            "unit": lot.item.unit,
        },
        subject=lot,
    )
