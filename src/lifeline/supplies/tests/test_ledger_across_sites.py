"""Identities that travel in the catalogue and the ledger, and balances rebuilt from what
arrives: the same item code at two sites is one item, location codes are unique per site, a
named lot is one lot everywhere (and moves with a transfer), and merged ledgers that overdraw
a lot raise an alert instead of aborting the rebuild."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lifeline.alerts.models import Alert
from lifeline.core.errors import ValidationFailed
from lifeline.core.models import Site
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote
from lifeline.supplies import selectors, services
from lifeline.supplies.models import Item, Location, Lot, Movement, MovementKind, StockBalance
from lifeline.supplies.services.catalogue import item_id_of
from lifeline.supplies.services.ledger import OVERDRAWN_KIND, lot_id_of

pytestmark = pytest.mark.django_db
D = Decimal
EXPIRY = dt.date(2027, 1, 31)


def test_the_same_item_code_created_at_two_sites_is_one_item(logistics: Any, settings: Any) -> None:
    ours = services.item_create(actor=logistics, code="amoxicillin", name="Amoxicillin")
    # The other site's item_create derives the same id from the code alone, so the two
    # rows meet as one row (their fields merge) instead of colliding on the code.
    settings.LIFELINE_SITE = "forest-camp"
    assert item_id_of("amoxicillin") == ours.pk != item_id_of("amoxicilline")


def test_two_sites_may_each_have_a_location_with_one_code(logistics: Any, site: Site) -> None:
    forest = site_remote()
    ours = services.location_create(actor=logistics, code="main-store", name="Ours", site=site)
    theirs = services.location_create(
        actor=logistics, code="main-store", name="Theirs", site=forest
    )
    assert ours.pk != theirs.pk
    with pytest.raises(ValidationFailed, match="main-store"):
        services.location_create(actor=logistics, code="main-store", name="Again", site=site)
    # Looked up by its code, this site's comes first.
    assert selectors.location_get(actor=logistics, ref="main-store") == ours


def test_a_batch_received_at_two_sites_is_one_lot(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(10),
        batch="B-7",
        expiry_date=EXPIRY,
    )
    lot = Lot.objects.get()
    assert lot.pk == lot_id_of(flour, "B-7", EXPIRY)


def test_a_lot_moves_with_a_transfer_by_its_id(
    logistics: Any, store: Location, flour: Item, site: Site
) -> None:
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(10),
        batch="B-7",
        expiry_date=EXPIRY,
    )
    forest_store = services.location_create(
        actor=logistics, code="forest-store", name="Forest store", site=site_remote()
    )
    transfer = services.transfer_send(
        actor=logistics,
        source=store,
        destination=forest_store,
        lines=[services.TransferLine(item=flour, quantity=D(4))],
    )
    services.transfer_receive(actor=logistics, transfer=transfer)
    arrived = Movement.objects.get(kind=MovementKind.TRANSFER_IN)
    assert arrived.lot_id == lot_id_of(flour, "B-7", EXPIRY)
    assert Lot.objects.count() == 1


def _remote_issue(site: Site, store: Location, lot: Lot, quantity: Decimal) -> Movement:
    row = Movement(
        kind=MovementKind.ISSUE, item=lot.item, lot=lot, location=store, quantity=-quantity
    )
    return row_arrive(row, site=site)


def test_merged_ledgers_that_overdraw_a_lot_raise_an_alert_and_cache_nothing_on_hand(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(10), batch="B-7")
    services.stock_issue(actor=logistics, location=store, item=flour, quantity=D(8))
    lot = Lot.objects.get()
    # The other laptop issued 5 of the same 10 while they were apart.
    theirs = _remote_issue(site_remote(), store, lot, D(5))
    rows_applied(theirs)
    balance = StockBalance.objects.get(location=store, lot=lot)
    assert balance.quantity == 0
    alert = Alert.objects.get(kind=OVERDRAWN_KIND)
    assert "3 kg more" in alert.detail
    assert sum(m.quantity for m in Movement.objects.all()) == D(-3)  # every movement kept


def test_a_full_rebuild_over_an_overdrawn_lot_does_not_abort(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(2), batch="x")
    _remote_issue(site_remote(), store, Lot.objects.get(), D(5))
    assert services.stock_balances_rebuild() == 1
    assert StockBalance.objects.get().quantity == 0
    assert Alert.objects.filter(kind=OVERDRAWN_KIND).count() == 1


def test_arrived_movements_move_the_balance_they_belong_to(
    logistics: Any, store: Location, flour: Item
) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(10), batch="B-7")
    rows_applied(_remote_issue(site_remote(), store, Lot.objects.get(), D(4)))
    assert StockBalance.objects.get().quantity == D(6)
    assert not Alert.objects.filter(kind=OVERDRAWN_KIND).exists()
