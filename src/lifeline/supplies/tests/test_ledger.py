"""The stock ledger: on hand is the sum of the movements, never negative, issued FEFO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import Site
from lifeline.supplies import selectors, services
from lifeline.supplies.models import Item, Location, Movement, StockBalance

D = Decimal
EXPIRIES = [dt.date(2025, 5, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1), None]

operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(1, 50), st.sampled_from(range(len(EXPIRIES)))),
    st.tuples(st.just("issue"), st.integers(1, 60), st.just(0)),
    st.tuples(st.just("loss"), st.integers(1, 30), st.just(0)),
    st.tuples(st.just("count"), st.integers(0, 40), st.sampled_from(range(len(EXPIRIES)))),
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_on_hand_is_the_sum_of_movements_never_negative_and_issued_first_expiry_first(
    ops: list[tuple[str, int, int]], logistics: Any, store: Location, flour: Item
) -> None:
    from django.db import transaction

    with transaction.atomic():
        for kind, amount, which in ops:
            expiry = EXPIRIES[which]
            before = {
                b.lot_id: b.quantity
                for b in StockBalance.objects.filter(location=store, item=flour)
            }
            try:
                if kind == "receive":
                    services.stock_receive(
                        actor=logistics,
                        location=store,
                        item=flour,
                        quantity=D(amount),
                        batch=f"B{which}",
                        expiry_date=expiry,
                    )
                elif kind == "issue":
                    moved = services.stock_issue(
                        actor=logistics, location=store, item=flour, quantity=D(amount)
                    )
                    # FEFO: every lot drawn on, except the last, was emptied; no lot that
                    # expires sooner than one drawn on still has stock.
                    drawn = [m.lot for m in moved]
                    for m in moved[:-1]:
                        assert not StockBalance.objects.filter(lot=m.lot, quantity__gt=0).exists()
                    latest = drawn[-1].expiry_date
                    for lot_id, qty in before.items():
                        if qty > 0 and lot_id not in {lot.pk for lot in drawn}:
                            other = StockBalance.objects.get(lot_id=lot_id, location=store)
                            assert latest is not None and (
                                other.expiry_date is None or other.expiry_date >= latest
                            )
                elif kind == "loss":
                    services.stock_write_off(
                        actor=logistics, location=store, item=flour, quantity=D(amount), kind="loss"
                    )
                else:
                    lot = flour.lots.filter(batch=f"B{which}").first()
                    if lot is not None:
                        services.stock_count(
                            actor=logistics, location=store, lot=lot, counted=D(amount)
                        )
            except ValidationFailed as exc:
                assert "quantity" in exc.fields and "on hand" in exc.message
                total = sum(before.values(), D(0))
                assert total < amount  # refused only when there was not enough
            for balance in StockBalance.objects.filter(location=store):
                assert balance.quantity >= 0
                ledger = sum(
                    (m.quantity for m in Movement.objects.filter(location=store, lot=balance.lot)),
                    D(0),
                )
                assert balance.quantity == ledger
            assert selectors.on_hand_total(item=flour) == selectors.on_hand_from_ledger(item=flour)
        transaction.set_rollback(True)


def test_an_issue_larger_than_the_stock_is_refused_and_writes_nothing(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(10))
    with pytest.raises(ValidationFailed) as caught:
        services.stock_issue(actor=logistics, location=store, item=flour, quantity=D(11))
    assert "only 10 kg of Wheat flour on hand at Main store" in caught.value.fields["quantity"][0]
    assert Movement.objects.filter(kind="issue").count() == 0
    assert selectors.on_hand_total(item=flour) == D(10)


def test_a_transfer_is_in_transit_until_received(
    logistics: Any, site: Site, store: Location, flour: Item
) -> None:
    cache = services.location_create(
        actor=logistics,
        code="qasr-cache",
        name="Qasr al-Hanif cache",
        site=site,
        kind="cache",
        latitude=31.2,
        longitude=35.5,
    )
    truck = services.location_create(
        actor=logistics, code="truck-2", name="Second convoy truck", site=site, kind="vehicle"
    )
    services.stock_receive(
        actor=logistics, location=cache, item=flour, quantity=D(40), salvage=True
    )
    transfer = services.transfer_send(
        actor=logistics,
        source=cache,
        destination=store,
        vehicle=truck,
        lines=[services.TransferLine(flour, D(30))],
    )
    assert selectors.on_hand_total(item=flour) == D(10)
    assert list(selectors.transfers_in_transit(actor=logistics)) == [transfer]
    services.transfer_receive(actor=logistics, transfer=transfer)
    assert selectors.on_hand_total(item=flour, location=store) == D(30)
    assert selectors.on_hand_total(item=flour) == selectors.on_hand_from_ledger(item=flour)
    with pytest.raises(Conflict):
        services.transfer_receive(actor=logistics, transfer=transfer)


def test_a_cache_needs_coordinates(logistics: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.location_create(actor=logistics, code="c", name="C", site=site, kind="cache")
    assert "latitude" in caught.value.fields


def test_a_viewer_cannot_record_stock(viewer: Any, store: Location, flour: Item) -> None:
    with pytest.raises(Forbidden):
        services.stock_receive(actor=viewer, location=store, item=flour, quantity=D(1))


def test_rebuilding_the_balances_from_the_ledger_gives_the_same_figures(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(10), batch="a")
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(5), batch="b")
    services.stock_issue(actor=logistics, location=store, item=flour, quantity=D(12))
    before = sorted(StockBalance.objects.values_list("lot_id", "quantity"))
    services.stock_balances_rebuild()
    assert sorted(StockBalance.objects.values_list("lot_id", "quantity")) == before
