"""Pure rules of supplies: first-expiry-first-out picking, ration entitlement, days of supply
against the Sphere standards, cold-chain limits. No ORM here; tested without a database."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

# Sphere minimum standards, per person per day; a site may set its own (core.Setting).
SPHERE_WATER_LITRES = Decimal(15)
SPHERE_KCAL = Decimal(2100)
SETTING_WATER = "supplies.water_litres_per_person_day"
SETTING_KCAL = "supplies.kcal_per_person_day"

COLD_CHAIN_MIN_C = Decimal(2)
COLD_CHAIN_MAX_C = Decimal(8)
VVM_DISCARD_STAGE = 3

K = TypeVar("K")


class NotEnoughStock(ValueError):
    def __init__(self, wanted: Decimal, available: Decimal) -> None:
        super().__init__(f"wanted {wanted}, only {available} on hand")
        self.wanted = wanted
        self.available = available


@dataclass(frozen=True)
class Available(Generic[K]):
    key: K  # what the caller uses to find the lot again
    expiry: dt.date | None
    quantity: Decimal
    order: str = ""  # tie-break for lots with the same expiry (e.g. the lot id)


def fefo_order(lots: Iterable[Available[K]]) -> list[Available[K]]:
    """First expiry first out; lots with no expiry date go last."""
    return sorted(lots, key=lambda a: (a.expiry is None, a.expiry or dt.date.max, a.order))


def fefo_pick(lots: Iterable[Available[K]], wanted: Decimal) -> list[tuple[K, Decimal]]:
    """Which lots to take `wanted` from, earliest expiry first. Raises NotEnoughStock."""
    if wanted <= 0:
        raise ValueError("the quantity must be positive")
    ordered = [a for a in fefo_order(lots) if a.quantity > 0]
    available = sum((a.quantity for a in ordered), Decimal(0))
    if available < wanted:
        raise NotEnoughStock(wanted, available)
    picks: list[tuple[K, Decimal]] = []
    left = wanted
    for lot in ordered:
        take = min(lot.quantity, left)
        picks.append((lot.key, take))
        left -= take
        if left == 0:
            break
    return picks


def entitlement(per_person: Decimal, household_size: int, max_household_size: int) -> Decimal:
    """A household's share of one basket item: per person, for at least one and at most the
    cycle's cap of persons."""
    persons = max(1, min(household_size, max_household_size))
    return per_person * persons


@dataclass(frozen=True)
class DaysOfSupply:
    on_hand: Decimal
    daily_need: Decimal  # units per day
    basis: str  # "sphere_kcal", "sphere_water", "observed" or "none"
    days: float | None  # None when nothing is used up
    stockout_on: dt.date | None


def daily_need_sphere(
    *,
    people: int,
    kcal_per_unit: Decimal | None,
    litres_per_unit: Decimal | None,
    kcal_per_person: Decimal = SPHERE_KCAL,
    litres_per_person: Decimal = SPHERE_WATER_LITRES,
) -> tuple[Decimal, str] | None:
    """Units per day the people present need of an item that gives kcal or litres."""
    if kcal_per_unit:
        return Decimal(people) * kcal_per_person / kcal_per_unit, "sphere_kcal"
    if litres_per_unit:
        return Decimal(people) * litres_per_person / litres_per_unit, "sphere_water"
    return None


def daily_use_observed(consumed: Decimal, days: int) -> Decimal:
    return consumed / days if days > 0 else Decimal(0)


def days_of_supply(
    *, on_hand: Decimal, daily_need: Decimal, basis: str, today: dt.date
) -> DaysOfSupply:
    if daily_need <= 0:
        return DaysOfSupply(on_hand, Decimal(0), basis if basis else "none", None, None)
    days = float(on_hand / daily_need)
    stockout = today + dt.timedelta(days=math.floor(days))
    return DaysOfSupply(on_hand, daily_need, basis, days, stockout)


def burn_down(
    *, on_hand: Decimal, daily_need: Decimal, today: dt.date, horizon: int = 60
) -> list[tuple[dt.date, Decimal]]:
    """The projected stock on each day from today until it runs out (or the horizon)."""
    points = [(today, on_hand)]
    level = on_hand
    for day in range(1, horizon + 1):
        if daily_need <= 0 or level <= 0:
            break
        level = max(Decimal(0), level - daily_need)
        points.append((today + dt.timedelta(days=day), level))
    return points


def temperature_excursion(temperature_c: Decimal) -> bool:
    return not (COLD_CHAIN_MIN_C <= temperature_c <= COLD_CHAIN_MAX_C)


def vvm_past_discard(stage: int | None) -> bool:
    return stage is not None and stage >= VVM_DISCARD_STAGE


def history_levels(
    movements: Sequence[tuple[dt.date, Decimal]], on_hand: Decimal, since: dt.date, today: dt.date
) -> list[tuple[dt.date, Decimal]]:
    """The stock level at the end of each day from `since` to today, worked backwards from
    today's on-hand through the movements (date, signed quantity) of that period."""
    by_day: dict[dt.date, Decimal] = {}
    for day, quantity in movements:
        by_day[day] = by_day.get(day, Decimal(0)) + quantity
    levels: list[tuple[dt.date, Decimal]] = []
    level = on_hand
    day = today
    while day >= since:
        levels.append((day, level))
        level -= by_day.get(day, Decimal(0))
        day -= dt.timedelta(days=1)
    levels.reverse()
    return levels


def quantity_text(quantity: Decimal) -> str:
    """A quantity as people write it: 10, 2.5 (not 10.000)."""
    text = f"{quantity.normalize():f}"
    return "0" if text in {"-0", ""} else text


# Days of supply below these are critical / a warning, on every page that colours them.
DAYS_CRITICAL = 3
DAYS_WARNING = 7


def days_severity(
    days: float | None, on_hand: Decimal | None = None, reorder_level: Decimal | None = None
) -> str:
    """Critical, warning or ok for a number of days of supply (None: nothing is used up);
    stock below its reorder level is a warning at least."""
    if days is not None and days < DAYS_CRITICAL:
        return "critical"
    if days is not None and days < DAYS_WARNING:
        return "warning"
    if reorder_level and on_hand is not None and on_hand < reorder_level:
        return "warning"
    return "ok"


def day_text(day: dt.date | None) -> str:
    """A day as every page shows it ("7 Dec 2026"), for titles stored in English."""
    return "" if day is None else f"{day.day} {day:%b %Y}"


def days_text(days: float | None) -> str:
    """Days of supply in words, as the pages' `days_left` says it."""
    if days is None:
        return "no use recorded"
    if days < 1:
        return "under a day"
    n = int(days)
    return f"{n} day" if n == 1 else f"{n} days"
