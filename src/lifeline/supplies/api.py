"""The supplies REST API: one class per operation; each parses with `supplies.schemas`, calls
one service or selector and renders an output schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import ApiView, ListApiView, Needs, actor_of, input_parse
from lifeline.core.clock import site_local
from lifeline.supplies import schemas, selectors, services
from lifeline.supplies.fields import TransferField

TAGS = ["supplies"]


class ItemListApi(ListApiView):
    """The catalogue."""

    @extend_schema(operation_id="item_list", tags=TAGS, responses=schemas.ItemOutput(many=True))
    def get(self, request: Request) -> Response:
        category = request.query_params.get("category") or None
        return self.page_response(
            selectors.item_list(actor=actor_of(request), category=category), schemas.ItemOutput
        )


class ItemCreateApi(ApiView):
    """Add an item to the catalogue."""

    permission = Needs("supplies.manage_catalogue", gettext_noop("change the catalogue"))

    @extend_schema(
        operation_id="item_create",
        tags=TAGS,
        request=schemas.ItemInput,
        responses={201: schemas.ItemOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.ItemInput, request.data)
        item = services.item_create(actor=actor_of(request), **values)
        return Response(schemas.ItemOutput(item).data, status=status.HTTP_201_CREATED)


class ItemLedgerApi(ListApiView):
    """The stock ledger of one item, newest first."""

    @extend_schema(
        operation_id="item_ledger", tags=TAGS, responses=schemas.MovementOutput(many=True)
    )
    def get(self, request: Request, ref: str) -> Response:
        actor = actor_of(request)
        item = selectors.item_get(actor=actor, ref=ref)
        return self.page_response(
            selectors.item_ledger(actor=actor, item=item), schemas.MovementOutput
        )


class LocationListApi(ListApiView):
    @extend_schema(
        operation_id="location_list", tags=TAGS, responses=schemas.LocationOutput(many=True)
    )
    def get(self, request: Request) -> Response:
        return self.page_response(
            selectors.location_list(actor=actor_of(request)), schemas.LocationOutput
        )


class LocationCreateApi(ApiView):
    """A store, a cache (with its coordinates) or a vehicle."""

    permission = Needs("supplies.manage_catalogue", gettext_noop("add stock locations"))

    @extend_schema(
        operation_id="location_create",
        tags=TAGS,
        request=schemas.LocationInput,
        responses={201: schemas.LocationOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.LocationInput, request.data)
        location = services.location_create(actor=actor_of(request), **values)
        return Response(schemas.LocationOutput(location).data, status=status.HTTP_201_CREATED)


class StockApi(ApiView):
    """Stock on hand per location and lot, earliest expiry first."""

    @extend_schema(
        operation_id="stock_on_hand",
        tags=TAGS,
        parameters=[schemas.StockFilterInput],
        responses=schemas.StockLineOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = input_parse(schemas.StockFilterInput, request.query_params, strict=False)
        lines = selectors.stock_on_hand(actor=actor_of(request), **filters)
        return Response(schemas.StockLineOutput(lines, many=True).data)


class MovementCreateApi(ApiView):
    """Record a receipt, salvage, issue or write-off. Refused (nothing written) when it would
    take the stock below zero."""

    permission = Needs("supplies.manage_stock", gettext_noop("record stock"))

    @extend_schema(
        operation_id="movement_create",
        tags=TAGS,
        request=schemas.MovementInput,
        responses={201: schemas.MovementOutput(many=True)},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.MovementInput, request.data)
        movements = movement_record(actor=actor_of(request), values=values)
        return Response(
            schemas.MovementOutput(movements, many=True).data, status=status.HTTP_201_CREATED
        )


def movement_record(*, actor: Any, values: dict[str, Any]) -> list[Any]:
    """Route one MovementInput to its service (shared by the API, the CLI and the pages)."""
    kind = values.pop("kind")
    common = {
        "location": values["location"],
        "item": values["item"],
        "quantity": values["quantity"],
        "note": values.get("note", ""),
    }
    if kind in {"receipt", "salvage"}:
        return [
            services.stock_receive(
                actor=actor,
                batch=values.get("batch", ""),
                expiry_date=values.get("expiry_date"),
                vvm_stage=values.get("vvm_stage"),
                salvage=kind == "salvage",
                **common,
            )
        ]
    if kind == "issue":
        return services.stock_issue(actor=actor, **common)
    return services.stock_write_off(actor=actor, kind=kind, lot=values.get("lot"), **common)


class CountCreateApi(ApiView):
    """A physical count of a lot; the difference goes into the ledger."""

    permission = Needs("supplies.manage_stock", gettext_noop("record stock counts"))

    @extend_schema(
        operation_id="count_create",
        tags=TAGS,
        request=schemas.CountInput,
        responses={201: schemas.MovementOutput(many=True)},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.CountInput, request.data)
        movement = services.stock_count(actor=actor_of(request), **values)
        out = [movement] if movement is not None else []
        return Response(schemas.MovementOutput(out, many=True).data, status=201)


class TransferCreateApi(ApiView):
    permission = Needs("supplies.manage_stock", gettext_noop("transfer stock"))

    @extend_schema(
        operation_id="transfer_send",
        tags=TAGS,
        request=schemas.TransferInput,
        responses={201: schemas.TransferOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.TransferInput, request.data)
        lines = [services.TransferLine(v["item"], v["quantity"]) for v in values.pop("lines")]
        transfer = services.transfer_send(actor=actor_of(request), lines=lines, **values)
        return Response(schemas.TransferOutput(transfer).data, status=201)


class TransferReceiveApi(ApiView):
    permission = Needs("supplies.manage_stock", gettext_noop("receive transfers"))

    @extend_schema(
        operation_id="transfer_receive", tags=TAGS, request=None, responses=schemas.TransferOutput
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        transfer = input_parse(schemas.IdOnly.of(TransferField), {"id": transfer_id})["id"]
        services.transfer_receive(actor=actor_of(request), transfer=transfer)
        transfer.refresh_from_db()
        return Response(schemas.TransferOutput(transfer).data)


class ColdChainCreateApi(ApiView):
    permission = Needs("supplies.manage_stock", gettext_noop("record cold-chain readings"))

    @extend_schema(
        operation_id="cold_chain_record", tags=TAGS, request=schemas.ColdChainInput, responses=None
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.ColdChainInput, request.data)
        reading = services.cold_chain_record(actor=actor_of(request), **values)
        return Response({"id": str(reading.pk)}, status=201)


class DaysOfSupplyApi(ApiView):
    @extend_schema(
        operation_id="days_of_supply",
        tags=TAGS,
        parameters=[schemas.DaysOfSupplyInput],
        responses=schemas.DaysOfSupplyOutput,
    )
    def get(self, request: Request) -> Response:
        values = input_parse(schemas.DaysOfSupplyInput, request.query_params, strict=False)
        site = values.get("site") or site_local()
        supply = selectors.days_of_supply(
            actor=actor_of(request), item=values["item"], site=site, basis=values["basis"]
        )
        data = {**supply.__dict__, "item": values["item"].code, "site": site.code}
        return Response(schemas.DaysOfSupplyOutput(data).data)


class StockAlertsApi(ApiView):
    """Stock problems at a site now (computed; `lifeline stock alerts --raise` opens alerts)."""

    @extend_schema(
        operation_id="stock_alerts",
        tags=TAGS,
        parameters=[schemas.AlertFilterInput],
        responses=schemas.StockAlertOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        values = input_parse(schemas.AlertFilterInput, request.query_params, strict=False)
        found = selectors.stock_alerts(
            actor=actor_of(request),
            site=values.get("site") or site_local(),
            horizon_days=values["horizon_days"],
        )
        return Response(schemas.StockAlertOutput(found, many=True).data)


class CycleListApi(ListApiView):
    @extend_schema(operation_id="cycle_list", tags=TAGS, responses=schemas.CycleOutput(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            selectors.cycle_list(actor=actor_of(request)), schemas.CycleOutput
        )


class CycleCreateApi(ApiView):
    permission = Needs("supplies.manage_rations", gettext_noop("set up ration cycles"))

    @extend_schema(
        operation_id="cycle_create",
        tags=TAGS,
        request=schemas.CycleInput,
        responses={201: schemas.CycleOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.CycleInput, request.data)
        cycle = services.ration_cycle_create(actor=actor_of(request), **values)
        return Response(schemas.CycleOutput(cycle).data, status=201)


class PointListApi(ListApiView):
    """The distribution points, by name; `site` (a code or id) keeps one site's."""

    @extend_schema(
        operation_id="point_list",
        tags=TAGS,
        parameters=[schemas.PointFilterInput],
        responses=schemas.PointOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        values = input_parse(schemas.PointFilterInput, request.query_params, strict=False)
        points = selectors.point_list(actor=actor_of(request), site=values.get("site"))
        return self.page_response(points, schemas.PointOutput)


class PointCreateApi(ApiView):
    permission = Needs("supplies.manage_rations", gettext_noop("set up distribution points"))

    @extend_schema(
        operation_id="point_create",
        tags=TAGS,
        request=schemas.PointInput,
        responses={201: schemas.PointOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.PointInput, request.data)
        point = services.distribution_point_create(actor=actor_of(request), **values)
        return Response(schemas.PointOutput(point).data, status=201)


class EntitlementApi(ApiView):
    """What a ration card is entitled to in a cycle, and whether it has collected already."""

    @extend_schema(
        operation_id="ration_entitlement",
        tags=TAGS,
        parameters=[schemas.IssueInput],
        responses=schemas.EntitlementOutput,
    )
    def get(self, request: Request) -> Response:
        values = input_parse(schemas.IssueInput, request.query_params, strict=False)
        actor = actor_of(request)
        selectors.cycle_get(actor=actor, cycle_id=values["cycle"].pk)
        entitlement = services.entitlement_for(
            cycle=values["cycle"], ration_card=values["ration_card"], site=values["point"].site
        )
        return Response(schemas.EntitlementOutput(entitlement).data)


class RationIssueApi(ApiView):
    """Issue a ration: a distribution row and its ledger rows; once per household, cycle and
    site (409 the second time)."""

    permission = Needs("supplies.issue_ration", gettext_noop("issue rations"))

    @extend_schema(
        operation_id="ration_issue",
        tags=TAGS,
        request=schemas.IssueInput,
        responses={201: schemas.DistributionOutput},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.IssueInput, request.data)
        distribution = services.ration_issue(actor=actor_of(request), **values)
        return Response(schemas.DistributionOutput(distribution).data, status=201)
