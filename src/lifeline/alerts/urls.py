"""The alerts API routes, under /api/."""

from django.urls import URLPattern

from lifeline.alerts import api
from lifeline.core.api import operations

urlpatterns: list[URLPattern] = [
    *operations("alerts/", api.AlertListApi, name="api-alerts"),
    *operations(
        "alerts/<str:alert_id>/acknowledge/", api.AlertAcknowledgeApi, name="api-alert-acknowledge"
    ),
    *operations("alerts/<str:alert_id>/resolve/", api.AlertResolveApi, name="api-alert-resolve"),
]
