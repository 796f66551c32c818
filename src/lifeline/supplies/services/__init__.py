"""The writes of supplies, the app's public service surface: the catalogue (`catalogue`), the
stock ledger and transfers (`ledger`), the cold chain (`cold_chain`), ration cycles, points,
entitlements and issues (`rations`), and what is raised for a person to resolve
(`reconciliation`). Other apps, the API, the CLI, the pages and the demo import from here."""

from lifeline.supplies.services.catalogue import (
    ITEM_FIELDS,
    item_create,
    item_update,
    location_create,
)
from lifeline.supplies.services.cold_chain import cold_chain_record, lot_vvm_record
from lifeline.supplies.services.ledger import (
    WRITE_OFF_KINDS,
    TransferLine,
    stock_balances_rebuild,
    stock_count,
    stock_count_batch,
    stock_issue,
    stock_receive,
    stock_take,
    stock_write_off,
    transfer_receive,
    transfer_send,
)
from lifeline.supplies.services.rations.cycles import (
    basket_lines,
    distribution_point_create,
    ration_cycle_close,
    ration_cycle_create,
)
from lifeline.supplies.services.rations.entitlements import (
    RATION_STATUSES,
    Entitlement,
    EntitlementLine,
    entitlement_for,
)
from lifeline.supplies.services.rations.issue import ration_issue
from lifeline.supplies.services.reconciliation import (
    DoubleCollection,
    double_collections_find,
    stock_alerts_raise,
)

__all__ = [
    "ITEM_FIELDS",
    "RATION_STATUSES",
    "WRITE_OFF_KINDS",
    "DoubleCollection",
    "Entitlement",
    "EntitlementLine",
    "TransferLine",
    "basket_lines",
    "cold_chain_record",
    "distribution_point_create",
    "double_collections_find",
    "entitlement_for",
    "item_create",
    "item_update",
    "location_create",
    "lot_vvm_record",
    "ration_cycle_close",
    "ration_cycle_create",
    "ration_issue",
    "stock_alerts_raise",
    "stock_balances_rebuild",
    "stock_count",
    "stock_count_batch",
    "stock_issue",
    "stock_receive",
    "stock_take",
    "stock_write_off",
    "transfer_receive",
    "transfer_send",
]
