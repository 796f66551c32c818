"""The sync API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.sync import api, api_exchange

urlpatterns: list[URLPattern] = [
    *operations("sync/status/", api.SyncStatusApi, name="api-sync-status"),
    *operations(
        "sync/exchange/hello/", api_exchange.ExchangeHelloApi, name="api-sync-exchange-hello"
    ),
    *operations("sync/exchange/pull/", api_exchange.ExchangePullApi, name="api-sync-exchange-pull"),
    *operations("sync/exchange/push/", api_exchange.ExchangePushApi, name="api-sync-exchange-push"),
    *operations(
        "sync/records/<str:model>/<uuid:object_id>/",
        api.RecordSitesApi,
        name="api-sync-record-sites",
    ),
]
