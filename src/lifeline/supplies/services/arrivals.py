"""What supplies rebuilds when rows arrive from another site (sync's apply hooks, registered
in SuppliesConfig.ready): the on-hand cache of the lots and locations whose movements arrived
(an overdrawn lot raises an alert, see `ledger.stock_balances_refresh`), and the
double-collection alerts of the households whose distributions arrived."""

from __future__ import annotations

import uuid
from collections.abc import Set

from lifeline.supplies.models import Distribution, Movement
from lifeline.supplies.services.ledger import stock_balances_refresh
from lifeline.supplies.services.reconciliation import double_collections_find


def movements_arrived(ids: Set[uuid.UUID]) -> None:
    pairs = set(Movement.objects.filter(pk__in=list(ids)).values_list("location_id", "lot_id"))
    stock_balances_refresh(pairs)


def distributions_arrived(ids: Set[uuid.UUID]) -> None:
    households = set(
        Distribution.objects.filter(pk__in=list(ids)).values_list("household_id", flat=True)
    )
    double_collections_find(households=households)
