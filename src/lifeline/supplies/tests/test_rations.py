"""Ration issues: entitlement by household size, ledger rows, at most once per cycle at one
installation (across sites and installations: test_rations_across_sites.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from lifeline.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lifeline.core.models import Site
from lifeline.people.models import Household
from lifeline.supplies import selectors, services
from lifeline.supplies.models import (
    Distribution,
    DistributionPoint,
    Item,
    Location,
    Movement,
    RationCycle,
)
from lifeline.supplies.services.rations._hot_path import _issues_write_grouped, _outcome_of
from lifeline.supplies.services.rations.issue import _issue_prepare

D = Decimal
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postgres_only: real row locks and concurrency"
)


@pytest.fixture
def stocked(logistics: Any, store: Location, flour: Item) -> None:
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(100),
        batch="late",
        expiry_date=__import__("datetime").date(2026, 1, 1),
    )
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(8),
        batch="early",
        expiry_date=__import__("datetime").date(2025, 6, 1),
    )


def test_a_ration_writes_a_distribution_and_ledger_rows_from_the_earliest_lot(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    make_household("RC-1", 4)
    distribution = services.ration_issue(
        actor=logistics, point=point, cycle=cycle, ration_card="RC-1"
    )
    assert distribution.household_size == 4
    moves = list(Movement.objects.filter(distribution=distribution).order_by("quantity"))
    # 4 persons x 2.5 kg = 10 kg: the 8 kg of the early lot first, then 2 kg of the late one.
    assert [(m.lot.batch, m.quantity) for m in moves] == [("early", D(-8)), ("late", D(-2))]
    assert all(m.kind == "ration" for m in moves)


def test_a_household_cannot_collect_twice_in_one_cycle_at_one_site(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    make_household("RC-2", 2)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-2")
    with pytest.raises(Conflict) as caught:
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-2")
    assert "RC-2 has already collected Cycle 7" in caught.value.message
    assert Distribution.objects.count() == 1
    assert Movement.objects.filter(kind="ration").count() == 1


def test_the_database_refuses_a_second_distribution_row_without_any_prior_check(
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    site: Site,
) -> None:
    household = make_household("RC-3", 1)
    row = dict(cycle=cycle, household=household, site=site, point=point, household_size=1)
    Distribution(**row).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution(**row).save()


def test_a_ration_beyond_the_stock_is_refused_and_leaves_no_distribution(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    store: Location,
    flour: Item,
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(3))
    make_household("RC-4", 2)
    with pytest.raises(ValidationFailed) as caught:
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-4")
    assert "only 3 kg of Wheat flour" in caught.value.message
    assert not Distribution.objects.exists()


def test_an_unknown_card_is_not_found(
    logistics: Any, cycle: RationCycle, point: DistributionPoint
) -> None:
    with pytest.raises(NotFound):
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="NOPE")


def test_a_viewer_cannot_issue_rations(
    viewer: Any, cycle: RationCycle, point: DistributionPoint
) -> None:
    with pytest.raises(Forbidden):
        services.ration_issue(actor=viewer, point=point, cycle=cycle, ration_card="RC-1")


def test_entitlement_counts_members_present_and_caps_large_households(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    site: Site,
) -> None:
    make_household("RC-BIG", 8)
    entitlement = services.entitlement_for(cycle=cycle, ration_card="RC-BIG", site=site)
    assert entitlement.household_size == 8
    assert [line.quantity for line in entitlement.lines] == [D(15)]  # capped at 6 persons


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_of_one_card_give_one_ration_on_postgresql(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    make_household("RC-RACE", 2)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def client() -> None:
        try:
            barrier.wait()
            services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-RACE")
            outcomes.append("issued")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["issued"] + ["refused"] * 7
    assert Distribution.objects.count() == 1
    assert selectors.on_hand_total(item=cycle_item(cycle)) == D(103)


def cycle_item(cycle: RationCycle) -> Item:
    return Item.objects.get(code=cycle.basket[0]["item"])


def test_a_ration_issue_takes_a_fixed_small_number_of_queries(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
    django_assert_max_num_queries: Any,
) -> None:
    make_household("RC-Q0", 2)
    make_household("RC-Q1", 3)
    logistics.has_perm("supplies.issue_ration")  # the permission cache, loaded once per user
    point = DistributionPoint.objects.select_related("location", "site").get(pk=point.pk)
    # The first issue of a process reads the cycle's basket once (its plan is then cached).
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-Q0")
    # The household with its size and the cycle's version; then, in the write: the lots
    # needed, the clock (read, update), the distribution, the movements and their change-log
    # rows, the balances in one update, the audit row; plus the test's savepoint statements.
    with django_assert_max_num_queries(11):
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-Q1")


def test_a_ration_issue_logs_each_row_with_its_own_version_for_sync(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    from lifeline.core.models import ChangeLogEntry

    make_household("RC-L", 4)
    distribution = services.ration_issue(
        actor=logistics, point=point, cycle=cycle, ration_card="RC-L"
    )
    rows = [distribution, *Movement.objects.filter(distribution=distribution)]
    entries = {
        e.object_id: e for e in ChangeLogEntry.objects.filter(object_id__in=[r.pk for r in rows])
    }
    assert len(entries) == 3
    versions = [entries[r.pk].version for r in rows]
    assert versions == [r.version for r in rows] and len(set(versions)) == 3
    assert entries[distribution.pk].fields["household_size"] == 4


def test_a_cycle_closed_elsewhere_refuses_the_next_issue_even_from_an_older_copy(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    stocked: None,
) -> None:
    make_household("RC-C1", 1)
    make_household("RC-C2", 1)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-C1")
    services.ration_cycle_close(actor=logistics, cycle=RationCycle.objects.get(pk=cycle.pk))
    with pytest.raises(Conflict, match="closed"):
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-C2")


def test_a_batch_of_issues_gives_each_card_its_own_outcome_and_keeps_the_ledger(
    logistics: Any,
    make_household: Callable[..., Household],
    cycle: RationCycle,
    point: DistributionPoint,
    store: Location,
    flour: Item,
) -> None:
    # What a group-commit leader writes in one transaction (`_issues_write_grouped`):
    # the issues of several queues, sent as JSON, each answered on its own.
    import datetime as dt

    for batch, quantity, expiry in (("early", 8, dt.date(2025, 6, 1)), ("late", 4, None)):
        services.stock_receive(
            actor=logistics,
            location=store,
            item=flour,
            quantity=D(quantity),
            batch=batch,
            expiry_date=expiry,
        )
    for card, size in (("RC-A", 2), ("RC-B", 1), ("RC-C", 6), ("RC-D", 1)):
        make_household(card, size)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-B")

    def prepared(card: str) -> Any:
        return _issue_prepare(actor=logistics, point=point, cycle=cycle, ration_card=card)

    issues = [prepared(card) for card in ("RC-A", "RC-A", "RC-B", "RC-C", "RC-D")]
    answers = _issues_write_grouped([issue.payload() for issue in issues])
    outcomes = [_outcome_of(i, a) for i, a in zip(issues, answers, strict=True)]

    issued_a, again_a, again_b, too_big, issued_d = outcomes
    assert isinstance(issued_a, Distribution) and isinstance(issued_d, Distribution)
    assert Distribution.objects.get(pk=issued_a.pk).version == issued_a.version
    assert isinstance(again_a, Conflict) and "RC-A has already collected" in again_a.message
    assert isinstance(again_b, Conflict) and "RC-B has already collected" in again_b.message
    assert isinstance(too_big, ValidationFailed) and "cannot take 15" in too_big.message
    assert Distribution.objects.count() == 3  # B before, then A and D
    # First expiry first: B and A took 7.5 of the early lot, D its last 0.5 and 2 of the late.
    taken = {
        (m.lot.batch, m.quantity)
        for m in Movement.objects.filter(distribution=issued_d).select_related("lot")
    }
    assert taken == {("early", D("-0.5")), ("late", D(-2))}
    assert selectors.on_hand_total(item=flour) == D(2) == selectors.on_hand_from_ledger(item=flour)
