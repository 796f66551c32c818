"""Fixtures of supplies tests: a store, a few items, a household with members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lifeline.core.models import Site
from lifeline.people import services as people
from lifeline.people.models import Household
from lifeline.supplies import services
from lifeline.supplies.models import DistributionPoint, Item, Location, RationCycle


@pytest.fixture
def store(site: Site, logistics: Any) -> Location:
    return services.location_create(
        actor=logistics, code="main-store", name="Main store", site=site
    )


@pytest.fixture
def flour(logistics: Any) -> Item:
    return services.item_create(
        actor=logistics,
        code="flour",
        name="Wheat flour",
        category="food",
        unit="kg",
        kcal_per_unit=Decimal(3640),
        reorder_level=Decimal(100),
    )


@pytest.fixture
def water(logistics: Any) -> Item:
    return services.item_create(
        actor=logistics,
        code="water",
        name="Drinking water",
        category="water",
        unit="litre",
        litres_per_unit=Decimal(1),
    )


@pytest.fixture
def make_household(registrar: Any, site: Site) -> Callable[..., Household]:
    def make(card: str, size: int, status: str = "present") -> Household:
        household = people.household_create(actor=registrar, ration_card=card, site=site)
        for n in range(size):
            people.person_register(
                actor=registrar,
                given_name=f"Member{n}",
                family_name=card,
                household=household,
                status=status,
                site=site,
            )
        return household

    return make


@pytest.fixture
def cycle(logistics: Any, site: Site, flour: Item) -> RationCycle:
    return services.ration_cycle_create(
        actor=logistics,
        site=site,
        name="Cycle 7",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 3, 14),
        basket=[{"item": "flour", "per_person": "2.5"}],
        max_household_size=6,
    )


@pytest.fixture
def point(logistics: Any, site: Site, store: Location) -> DistributionPoint:
    return services.distribution_point_create(
        actor=logistics, site=site, name="Mess hall", location=store
    )


@pytest.fixture
def stocked_flour(logistics: Any, store: Location, flour: Item) -> None:
    """Enough flour in the store for a few rations."""
    services.stock_receive(
        actor=logistics, location=store, item=flour, quantity=Decimal(200), batch="S"
    )
