"""Double collection across sites and installations: a distribution's site is the
installation that issued it, two installations' rows for one household and cycle are both
kept when they meet, and the apply hook raises one alert per pair collected in one period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lifeline.alerts.models import Alert
from lifeline.core.models import Site
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote
from lifeline.people.models import Household
from lifeline.supplies import services
from lifeline.supplies.models import (
    Distribution,
    DistributionPoint,
    Item,
    Location,
    RationCycle,
)

pytestmark = pytest.mark.django_db
KIND = "supplies.double_collection"


@pytest.fixture
def stocked(logistics: Any, store: Location, flour: Item) -> None:
    services.stock_receive(
        actor=logistics, location=store, item=flour, quantity=Decimal(100), batch="b1"
    )


def _issued_elsewhere(
    where: Site, cycle: RationCycle, household: Household, point: DistributionPoint
) -> Distribution:
    """The row the service writes at installation `where`, as it arrives here."""
    row = Distribution(cycle=cycle, household=household, site=where, point=point, household_size=3)
    return row_arrive(row, site=where)


def test_a_distributions_site_is_the_installation_that_issued_it(
    logistics: Any,
    make_household: Callable[..., Household],
    flour: Item,
    site: Site,
) -> None:
    # This laptop issues at a point another installation of the camp set up.
    other = site_remote("forest-camp-2", "Forest camp, second laptop")
    their_store = services.location_create(
        actor=logistics, code="tent-store", name="Tent store", site=other
    )
    their_point = services.distribution_point_create(
        actor=logistics, site=other, name="Tent 2", location=their_store
    )
    their_cycle = services.ration_cycle_create(
        actor=logistics,
        site=other,
        name="Cycle 7 (tent 2)",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 3, 14),
        basket=[{"item": "flour", "per_person": "1"}],
    )
    services.stock_receive(actor=logistics, location=their_store, item=flour, quantity=Decimal(5))
    make_household("RC-1", 1)
    row = services.ration_issue(
        actor=logistics, point=their_point, cycle=their_cycle, ration_card="RC-1"
    )
    assert (row.site_id, row.origin_site_id) == (site.pk, site.pk)


def test_two_laptops_rows_for_one_card_and_cycle_are_both_kept_and_raise_an_alert(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    household = make_household("RC-5", 3)
    mine = services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-5")
    laptop = site_remote("desert-base-2", "Desert base, second laptop")
    theirs = _issued_elsewhere(laptop, cycle, household, point)  # no unique-constraint clash
    rows_applied(theirs)
    assert Distribution.objects.filter(household=household).count() == 2
    alert = Alert.objects.get(kind=KIND)
    first, second = sorted([mine.pk, theirs.pk])
    assert alert.key == f"{first}:{second}"
    assert "at Desert base, second laptop" in alert.title
    rows_applied(theirs)  # applied again: still one alert
    assert Alert.objects.filter(kind=KIND).count() == 1


def test_collections_at_two_sites_in_one_period_pair_though_their_cycles_differ(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    household = make_household("RC-6", 3)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-6")
    forest = site_remote()
    forest_cycle = row_arrive(
        RationCycle(
            site=forest,
            name="Forest week 2",
            starts_on=dt.date(2025, 3, 10),
            ends_on=dt.date(2025, 3, 16),
        ),
        site=forest,
    )
    theirs = _issued_elsewhere(forest, forest_cycle, household, point)
    rows_applied(forest_cycle, theirs)
    alert = Alert.objects.get(kind=KIND)
    assert "Cycle 7 at" in alert.title or "Forest week 2 at" in alert.title
    assert "in the same period" in alert.title


def test_collections_at_two_sites_in_periods_that_do_not_overlap_are_no_double(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    household = make_household("RC-7", 3)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-7")
    forest = site_remote()
    later = row_arrive(
        RationCycle(
            site=forest,
            name="Forest April",
            starts_on=dt.date(2025, 4, 1),
            ends_on=dt.date(2025, 4, 14),
        ),
        site=forest,
    )
    rows_applied(_issued_elsewhere(forest, later, household, point))
    assert not Alert.objects.filter(kind=KIND).exists()


def test_the_finder_run_for_a_cycle_finds_the_pairs_of_the_period(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    household = make_household("RC-8", 3)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-8")
    _issued_elsewhere(site_remote(), cycle, household, point)  # no hook: found by the finder
    found = services.double_collections_find(cycle=cycle)
    assert len(found) == 1
    assert found[0].first.origin_site_id != found[0].second.origin_site_id
    assert services.double_collections_find() == found  # idempotent: the same alert
    assert Alert.objects.filter(kind=KIND).count() == 1
