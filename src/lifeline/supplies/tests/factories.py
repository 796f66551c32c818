"""Rows of each supplies model built directly, for the core change-log test (FACTORIES)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lifeline.core.clock import site_local
from lifeline.core.models import ReplicatedModel
from lifeline.people.models import Household
from lifeline.supplies.models import (
    ColdChainReading,
    Distribution,
    DistributionPoint,
    Item,
    Location,
    Lot,
    Movement,
    RationCycle,
    Transfer,
)

_counter = iter(range(10**9))


def _n() -> int:
    return next(_counter)


def item() -> Item:
    row = Item(code=f"item-{_n()}", name="Wheat flour", unit="kg")
    row.save()
    return row


def location() -> Location:
    row = Location(code=f"loc-{_n()}", name="Main store", site=site_local())
    row.save()
    return row


def lot() -> Lot:
    row = Lot(item=item(), batch=f"B{_n()}")
    row.save()
    return row


def cycle() -> RationCycle:
    row = RationCycle(
        site=site_local(), name="Cycle", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 14)
    )
    row.save()
    return row


def point() -> DistributionPoint:
    row = DistributionPoint(site=site_local(), name="Mess hall", location=location())
    row.save()
    return row


def household() -> Household:
    row = Household(ration_card=f"RC-{_n()}")
    row.save()
    return row


def distribution() -> Distribution:
    row = Distribution(
        cycle=cycle(), household=household(), site=site_local(), point=point(), household_size=3
    )
    row.save()
    return row


def _movement() -> Movement:
    the_lot = lot()
    return Movement(
        kind="receipt", item=the_lot.item, lot=the_lot, location=location(), quantity=Decimal(5)
    )


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Item: (lambda: Item(code=f"item-{_n()}", name="Water"), "unit", "litre"),
    Location: (
        lambda: Location(code=f"loc-{_n()}", name="Cache", site=site_local()),
        "notes",
        "behind the well",
    ),
    Lot: (lambda: Lot(item=item(), batch="A1"), "vvm_stage", 2),
    Transfer: (lambda: Transfer(source=location(), destination=location()), "note", "convoy"),
    Movement: (_movement, "note", "counted"),
    ColdChainReading: (
        lambda: ColdChainReading(location=location(), temperature_c=Decimal("5.0")),
        "note",
        "door left open",
    ),
    RationCycle: (
        lambda: RationCycle(
            site=site_local(),
            name="Cycle 1",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 1, 14),
        ),
        "name",
        "Cycle one",
    ),
    DistributionPoint: (
        lambda: DistributionPoint(site=site_local(), name="Gate", location=location()),
        "name",
        "North gate",
    ),
    Distribution: (
        lambda: Distribution(
            cycle=cycle(), household=household(), site=site_local(), point=point(), household_size=2
        ),
        "household_size",
        4,
    ),
}
