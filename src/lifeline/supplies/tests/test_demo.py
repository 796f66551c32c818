"""The supplies part of the demo loads through the services, once."""

from __future__ import annotations

from typing import Any

from lifeline.demo import supplies as demo
from lifeline.supplies import selectors
from lifeline.supplies.models import Item, Movement


def test_the_demo_loads_once_and_the_ledger_agrees(logistics: Any) -> None:
    cycle = demo.load(actor_by_role={"logistics": logistics})
    moves = Movement.objects.count()
    assert demo.load(actor_by_role={"logistics": logistics}) == cycle
    assert Movement.objects.count() == moves
    for item in Item.objects.all():
        assert selectors.on_hand_total(item=item) == selectors.on_hand_from_ledger(item=item)
    assert list(selectors.transfers_in_transit(actor=logistics))
