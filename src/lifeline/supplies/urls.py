"""The supplies API routes, under /api/supplies/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.supplies import api

urlpatterns: list[URLPattern] = [
    *operations("supplies/items/", api.ItemListApi, api.ItemCreateApi, name="api-items"),
    *operations("supplies/items/<str:ref>/ledger/", api.ItemLedgerApi, name="api-item-ledger"),
    *operations(
        "supplies/locations/", api.LocationListApi, api.LocationCreateApi, name="api-locations"
    ),
    *operations("supplies/stock/", api.StockApi, name="api-stock"),
    *operations("supplies/movements/", api.MovementCreateApi, name="api-movements"),
    *operations("supplies/counts/", api.CountCreateApi, name="api-counts"),
    *operations("supplies/transfers/", api.TransferCreateApi, name="api-transfers"),
    *operations(
        "supplies/transfers/<str:transfer_id>/receive/",
        api.TransferReceiveApi,
        name="api-transfer-receive",
    ),
    *operations("supplies/cold-chain/", api.ColdChainCreateApi, name="api-cold-chain"),
    *operations("supplies/days-of-supply/", api.DaysOfSupplyApi, name="api-days-of-supply"),
    *operations("supplies/alerts/", api.StockAlertsApi, name="api-stock-alerts"),
    *operations("supplies/cycles/", api.CycleListApi, api.CycleCreateApi, name="api-cycles"),
    *operations("supplies/points/", api.PointListApi, api.PointCreateApi, name="api-points"),
    *operations("supplies/entitlement/", api.EntitlementApi, name="api-entitlement"),
    *operations("supplies/issue/", api.RationIssueApi, name="api-ration-issue"),
]
