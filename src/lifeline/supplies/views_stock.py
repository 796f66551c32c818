"""The logistics officer's daily jobs as phone forms: receive stock, issue it, count it (the
variance written to the ledger and shown), send it to another location or site and receive it
there, and record a cold-chain reading (an excursion shown as one). Each view checks the
permission first, so that a role that would be refused sees no form (403); parses through the
one schema of `supplies.schemas` (`core.forms.SchemaForm`), calls one service and says what it
did."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.clock import site_local
from lifeline.core.forms import Choices, SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.services import Actor, permission_require
from lifeline.supplies import rules, schemas, selectors, services
from lifeline.supplies.models import LocationKind, MovementKind
from lifeline.supplies.rules import quantity_text as q
from lifeline.supplies.words import unit_word

MANAGE = "supplies.manage_stock"


def _item_choices(actor: Actor) -> Choices:
    return [(i.code, f"{i.name} ({unit_word(i.unit)})") for i in selectors.item_list(actor=actor)]


def _location_choices(actor: Actor, *, here_only: bool = True, kind: str | None = None) -> Choices:
    site = site_local()
    rows = selectors.location_list(actor=actor, site=site if here_only else None)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return [
        (loc.code, loc.name if loc.site_id == site.pk else f"{loc.name} ({loc.site.name})")
        for loc in rows
    ]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], form: SchemaForm
) -> HttpResponse:
    context = {"form": form, "here": "supplies", **context}
    return render(request, template, context, status=400 if form.has_errors else 200)


# ---- receive ---------------------------------------------------------------------------------

RECEIVE_FIELDS = ("kind", "item", "batch", "expiry_date", "vvm_stage", "quantity", "location")


def _receive_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        schemas.MovementInput,
        [*RECEIVE_FIELDS, "note"],
        data=data,
        initial={"kind": MovementKind.RECEIPT},
        labels={
            "kind": _("Where it comes from"),
            "item": _("Item"),
            "batch": _("Lot or batch number"),
            "expiry_date": _("Expiry date"),
            "vvm_stage": _("Vial monitor stage (vaccines)"),
            "quantity": _("Quantity"),
            "location": _("Put it in"),
            "note": _("Note"),
        },
        hints={
            "quantity": _("In the item's unit, shown beside its name."),
            "vvm_stage": _("1 or 2: usable; 3 or 4: do not use."),
            "batch": _("As printed on the box; leave empty if there is none."),
        },
        widgets={"quantity": "decimal", "note": "text"},
        choices={
            "kind": [
                (MovementKind.RECEIPT, _("A delivery")),
                (MovementKind.SALVAGE, _("Found in the field (salvage)")),
            ],
            "item": _item_choices(actor),
            "location": _location_choices(actor),
        },
    )


@page_view
def stock_receive_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, MANAGE, doing=_("record stock"))
    form = _receive_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        movement = form.submit(
            lambda v: services.stock_receive(
                actor=actor,
                location=v["location"],
                item=v["item"],
                quantity=v["quantity"],
                batch=v.get("batch", ""),
                expiry_date=v.get("expiry_date"),
                vvm_stage=v.get("vvm_stage"),
                salvage=v["kind"] == MovementKind.SALVAGE,
                note=v.get("note", ""),
            )
        )
        if movement is not None:
            messages.success(
                request,
                _("Received %(qty)s %(unit)s of %(item)s at %(where)s (lot %(lot)s).")
                % {
                    "qty": q(movement.quantity),
                    "unit": unit_word(movement.item.unit),
                    "item": movement.item.name,
                    "where": movement.location.name,
                    "lot": movement.lot,
                },
            )
            return redirect("supplies:receive")
    return _render(
        request, "supplies/job_form.html", {"job": "receive", "title": _("Receive stock")}, form
    )


# ---- issue -----------------------------------------------------------------------------------


def _issue_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        schemas.MovementInput,
        ["item", "quantity", "location", "note"],
        data=data,
        labels={
            "item": _("Item"),
            "quantity": _("Quantity"),
            "location": _("Take it from"),
            "note": _("Issued to, or what for"),
        },
        hints={"quantity": _("Earliest expiry is taken first.")},
        widgets={"quantity": "decimal", "note": "text"},
        choices={"item": _item_choices(actor), "location": _location_choices(actor)},
    )


@page_view
def stock_issue_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, MANAGE, doing=_("issue stock"))
    form = _issue_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        movements = form.submit(
            lambda v: services.stock_issue(
                actor=actor,
                location=v["location"],
                item=v["item"],
                quantity=v["quantity"],
                note=v.get("note", ""),
            ),
            prepare=lambda v: {**v, "kind": MovementKind.ISSUE},
        )
        if movements:
            first = movements[0]
            messages.success(
                request,
                _("Issued %(qty)s %(unit)s of %(item)s from %(where)s.")
                % {
                    "qty": q(-sum((m.quantity for m in movements), Decimal(0))),
                    "unit": unit_word(first.item.unit),
                    "item": first.item.name,
                    "where": first.location.name,
                },
            )
            return redirect("supplies:issue")
    return _render(
        request, "supplies/job_form.html", {"job": "issue", "title": _("Issue stock")}, form
    )


# ---- count -----------------------------------------------------------------------------------


def _count_form(
    actor: Actor,
    lines: list[selectors.StockLine],
    data: QueryDict | None = None,
    initial: dict[str, str] | None = None,
) -> SchemaForm:
    lots: dict[str, str] = {}
    for line in lines:
        lots.setdefault(str(line.lot.pk), f"{line.item.name} · {line.lot}")
    return SchemaForm(
        schemas.CountInput,
        ["location", "lot", "counted", "note"],
        data=data,
        initial=initial,
        labels={
            "location": _("Where"),
            "lot": _("Item and lot"),
            "counted": _("Counted"),
            "note": _("Note"),
        },
        hints={"counted": _("What is on the shelf, in the item's unit.")},
        widgets={"counted": "decimal", "note": "text"},
        choices={
            "location": _location_choices(actor),
            "lot": sorted(lots.items(), key=lambda kv: kv[1]),
        },
    )


@page_view
def stock_count_page(request: HttpRequest) -> HttpResponse:
    """A stock take: the ledger's lines to count (a tap fills the form), the count, and the
    variances recorded lately."""
    actor = request.user
    permission_require(actor, MANAGE, doing=_("record stock counts"))
    site = site_local()
    lines = selectors.lots_known(actor=actor, site=site)
    if request.method == "POST":
        form = _count_form(actor, lines, request.POST)
        before = {(ln.location.pk, ln.lot.pk): ln.quantity for ln in lines}
        counted = form.submit(lambda v: (v, services.stock_count(actor=actor, **v)))
        if counted is not None:
            values, movement = counted
            ledger = before.get((values["location"].pk, values["lot"].pk), Decimal(0))
            variance = movement.quantity if movement is not None else Decimal(0)
            messages.success(
                request,
                _(
                    "Counted %(counted)s %(unit)s of %(item)s at %(where)s; the ledger said "
                    "%(ledger)s: variance %(variance)s recorded."
                )
                % {
                    "counted": q(values["counted"]),
                    "unit": unit_word(values["lot"].item.unit),
                    "item": values["lot"].item.name,
                    "where": values["location"].name,
                    "ledger": q(ledger),
                    "variance": ("+" if variance > 0 else "") + q(variance),
                },
            )
            return redirect("supplies:count")
    else:
        initial = {k: request.GET[k] for k in ("location", "lot") if request.GET.get(k)}
        form = _count_form(actor, lines, initial=initial)
    return _render(
        request,
        "supplies/count.html",
        {
            "job": "count",
            "title": _("Count stock"),
            "lines": lines,
            "counts": selectors.counts_recent(actor=actor, site=site),
        },
        form,
    )


# ---- transfer --------------------------------------------------------------------------------


TRANSFER_FIELDS = (
    "source",
    "destination",
    "vehicle",
    "item",
    "quantity",
    "item_2",
    "quantity_2",
    "item_3",
    "quantity_3",
    "note",
)


def _transfer_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    items = _item_choices(actor)
    return SchemaForm(
        schemas.TransferFormInput,
        TRANSFER_FIELDS,
        data=data,
        labels={
            "source": _("From"),
            "destination": _("To"),
            "vehicle": _("On vehicle"),
            "item": _("Item"),
            "quantity": _("Quantity"),
            "item_2": _("Second item"),
            "quantity_2": _("Quantity of the second item"),
            "item_3": _("Third item"),
            "quantity_3": _("Quantity of the third item"),
            "note": _("Note"),
        },
        hints={
            "destination": _("A store here or at another site."),
            "quantity": _("Earliest expiry is sent first; it is in transit until received."),
        },
        widgets={
            "quantity": "decimal",
            "quantity_2": "decimal",
            "quantity_3": "decimal",
            "note": "text",
        },
        choices={
            "item_2": items,
            "item_3": items,
            "source": _location_choices(actor),
            "destination": _location_choices(actor, here_only=False),
            "vehicle": _location_choices(actor, here_only=False, kind=LocationKind.VEHICLE),
            "item": items,
        },
    )


@page_view
def stock_transfer_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, MANAGE, doing=_("transfer stock"))
    form = _transfer_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        transfer = form.submit(
            lambda v: services.transfer_send(
                actor=actor,
                source=v["source"],
                destination=v["destination"],
                vehicle=v.get("vehicle"),
                lines=[
                    services.TransferLine(item=item, quantity=quantity)
                    for item, quantity in schemas.TransferFormInput.lines(v)
                ],
                note=v.get("note", ""),
            )
        )
        if transfer is not None:
            messages.success(
                request,
                _("Sent from %(source)s to %(destination)s: in transit until received.")
                % {"source": transfer.source.name, "destination": transfer.destination.name},
            )
            return redirect("supplies:stock")
    return _render(
        request,
        "supplies/transfer.html",
        {"job": "transfer", "title": _("Transfer stock")},
        form,
    )


@page_view
@require_POST
def transfer_receive_page(request: HttpRequest, transfer_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    permission_require(actor, MANAGE, doing=_("receive transfers"))
    transfer = selectors.transfer_get(actor=actor, transfer_id=transfer_id)
    services.transfer_receive(actor=actor, transfer=transfer)
    messages.success(
        request, _("Received at %(destination)s.") % {"destination": transfer.destination.name}
    )
    return redirect("supplies:stock")


# ---- cold chain ------------------------------------------------------------------------------


def _cold_chain_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        schemas.ColdChainInput,
        ["location", "temperature_c", "recorded_at"],
        data=data,
        labels={
            "location": _("Fridge or cold box"),
            "temperature_c": _("Temperature (°C)"),
            "recorded_at": _("When"),
        },
        hints={
            "temperature_c": _("Keep between 2 and 8 °C."),
            "recorded_at": _("Leave empty for now."),
        },
        widgets={"temperature_c": "decimal"},
        choices={
            "location": [
                (code, name)
                for code, name in _location_choices(actor)
                if code in _cold_chain_codes(actor)
            ]
        },
    )


def _cold_chain_codes(actor: Actor) -> set[str]:
    return set(
        selectors.location_list(actor=actor, site=site_local())
        .filter(cold_chain=True)
        .values_list("code", flat=True)
    )


@page_view
def cold_chain_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, MANAGE, doing=_("record cold-chain readings"))
    form = _cold_chain_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        reading = form.submit(lambda v: services.cold_chain_record(actor=actor, **v))
        if reading is not None:
            words = {"t": reading.temperature_c, "where": reading.location.name}
            if rules.temperature_excursion(reading.temperature_c):
                messages.error(
                    request,
                    _(
                        "Excursion: %(t)s °C at %(where)s is outside 2-8 °C. An alert was "
                        "raised; check the vaccines' vial monitors before use."
                    )
                    % words,
                )
            else:
                messages.success(request, _("%(t)s °C at %(where)s: in range.") % words)
            return redirect("supplies:cold_chain")
    return _render(
        request,
        "supplies/cold_chain.html",
        {
            "job": "cold_chain",
            "title": _("Cold-chain reading"),
            "readings": selectors.cold_chain_recent(actor=actor, site=site_local()),
        },
        form,
    )
