"""The alert inbox over HTTP: list the alerts the caller's role may see (critical first),
acknowledge one, resolve one with a note."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.alerts import selectors, services
from lifeline.alerts.schemas import AlertFilterInput, AlertOutput, AlertResolveInput
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ListApiView,
    Needs,
    input_parse,
    path_id,
)

ALERT_ID = path_id("alert_id", "alert")


class AlertListApi(ListApiView):
    """The site's alerts that concern the caller's role: open ones by default, critical
    first, then those nobody has acknowledged, then the newest."""

    @extend_schema(
        operation_id="alert_list",
        tags=["alerts"],
        parameters=[
            OpenApiParameter("state", str, enum=["open", "resolved", "all"]),
            OpenApiParameter("kind", str),
        ],
        responses={200: AlertOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = input_parse(AlertFilterInput, request.query_params, strict=False)
        alerts = selectors.alert_inbox(
            actor=request.user, state=filters["state"], kind=filters.get("kind")
        )
        return self.page_response(alerts, AlertOutput)


class AlertAcknowledgeApi(ApiView):
    """Say that someone has seen the alert and is on it; it stays open."""

    permission = Needs("alerts.acknowledge_alert", gettext_lazy("acknowledge alerts"))

    @extend_schema(
        operation_id="alert_acknowledge",
        tags=["alerts"],
        parameters=[ALERT_ID],
        request=None,
        responses={200: AlertOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, alert_id: str) -> Response:
        alert = selectors.alert_get(actor=request.user, alert_id=alert_id)
        alert = services.alert_acknowledge(actor=request.user, alert=alert)
        return Response(AlertOutput(alert).data)


class AlertResolveApi(ApiView):
    """Close the alert with a note of how it was resolved."""

    permission = Needs("alerts.resolve_alert", gettext_lazy("resolve alerts"))

    @extend_schema(
        operation_id="alert_resolve",
        tags=["alerts"],
        parameters=[ALERT_ID],
        request=AlertResolveInput,
        responses={200: AlertOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, alert_id: str) -> Response:
        values = input_parse(AlertResolveInput, request.data)
        alert = selectors.alert_get(actor=request.user, alert_id=alert_id)
        alert = services.alert_resolve(
            actor=request.user, alert=alert, resolution=values["resolution"]
        )
        return Response(AlertOutput(alert).data)
