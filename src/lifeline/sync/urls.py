"""The sync API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.sync import api

urlpatterns: list[URLPattern] = [
    *operations("sync/status/", api.SyncStatusApi, name="api-sync-status"),
    *operations(
        "sync/records/<str:model>/<uuid:object_id>/",
        api.RecordSitesApi,
        name="api-sync-record-sites",
    ),
]
