"""What a ration card is owed in a cycle: the household's size (the members who eat from its
ration) read through the people app, and the cycle's plan of quantities by household size,
worked out once per process and per version of the cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.models import Site
from lifeline.people.models import Status
from lifeline.people.selectors import household_size_query
from lifeline.supplies import rules
from lifeline.supplies.models import Distribution, Item, RationCycle
from lifeline.supplies.services.rations._hot_path import _db_id

# Members who eat from the household's ration: those here or in the camp's care.
RATION_STATUSES = (Status.PRESENT, Status.IN_CARE)


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


def _household_and_cycle(cycle: RationCycle, card: str) -> tuple[Any, int, str, bool]:
    """(household id, persons eating from its ration, the cycle's version, cycle closed?) as
    the database has them now, in one query (the household's part is the people app's): the
    only read of an issue before its write."""
    household = household_size_query(ration_card=card, statuses=RATION_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.household_id, s.persons, c.version, c.closed_at IS NOT NULL"  # noqa: S608
            f" FROM supplies_rationcycle c LEFT JOIN ({household.sql}) s ON 1 = 1"
            " WHERE c.id = %s",
            [*household.params, _db_id(RationCycle, cycle.pk)],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("no ration cycle %(id)s") % {"id": cycle.pk})
    size = household.result(row[0], row[1])
    if size is None:
        raise NotFound(_("no household with ration card %(card)r") % {"card": card})
    return size.household_id, size.persons, str(row[2]), bool(row[3])


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
        raise ValidationFailed({"ration_card": _("enter or scan a ration card")})
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
