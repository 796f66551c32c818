"""`lifeline stock ...` and `lifeline ration ...`: the same schemas and services as the API,
acting as the user named by --user (the root command maps errors to exit codes)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from lifeline.core import csvio
from lifeline.core.clock import site_local
from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed
from lifeline.core.services import permission_require
from lifeline.supplies import schemas, selectors, services, transfer
from lifeline.supplies.api import movement_record
from lifeline.supplies.rules import quantity_text
from lifeline.supplies.words import basis_word

stock_app = typer.Typer(help="Stock: what is where, receipts, issues, counts, alerts.")
ration_app = typer.Typer(help="Rations: cycles, entitlements, issuing at a distribution point.")


def _parsed(schema: type[serializers.Serializer[Any]], data: Mapping[str, Any]) -> dict[str, Any]:
    """Options given, parsed by the API's schema; errors name the options (--expiry-date)."""
    given = {k: v for k, v in data.items() if v is not None}
    parser = schema(data=given)
    if not parser.is_valid():
        problems = csvio.schema_problems(parser.errors)
        raise ValidationFailed({f"--{k.replace('_', '-')}": v for k, v in problems.items()})
    return dict(parser.validated_data)


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


@stock_app.command("list")
def stock_list(
    ctx: typer.Context,
    location: Annotated[str | None, typer.Option(help="location code")] = None,
    item: Annotated[str | None, typer.Option(help="item code")] = None,
) -> None:
    """Stock on hand per location and lot, earliest expiry first."""
    filters = _parsed(schemas.StockFilterInput, {"location": location, "item": item})
    for line in selectors.stock_on_hand(actor=state_of(ctx).actor(), **filters):
        expiry = f"{line.lot.expiry_date:%Y-%m-%d}" if line.lot.expiry_date else "-"
        typer.echo(
            f"{line.location.code:<16} {line.item.code:<14} {line.lot.batch or '-':<12} "
            f"{expiry:<10} {quantity_text(line.quantity):>10} {line.item.unit}"
        )


@stock_app.command("move")
def stock_move(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="receipt, salvage, issue, loss, expiry, damage")],
    location: Annotated[str, typer.Option(help="location code")],
    item: Annotated[str, typer.Option(help="item code")],
    quantity: Annotated[str, typer.Option(help="how much, in the item's unit")],
    batch: Annotated[str | None, typer.Option()] = None,
    expiry_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    vvm_stage: Annotated[int | None, typer.Option(help="vaccine vial monitor stage 1-4")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a movement; refused (nothing written) when it would take stock below zero."""
    values = _parsed(
        schemas.MovementInput,
        {
            "kind": kind,
            "location": location,
            "item": item,
            "quantity": quantity,
            "batch": batch,
            "expiry_date": expiry_date,
            "vvm_stage": vvm_stage,
            "note": note,
        },
    )
    for movement in movement_record(actor=state_of(ctx).actor(), values=values):
        typer.echo(
            _("%(kind)s %(qty)s lot %(lot)s")
            % {"kind": movement.kind, "qty": quantity_text(movement.quantity), "lot": movement.lot}
        )


@stock_app.command("days")
def stock_days(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="item code")],
    basis: Annotated[str, typer.Option(help="auto, sphere or observed")] = "auto",
) -> None:
    """Days of supply of an item at this site, and the projected stock-out date."""
    values = _parsed(schemas.DaysOfSupplyInput, {"item": item, "basis": basis})
    site = site_local()
    supply = selectors.days_of_supply(
        actor=state_of(ctx).actor(), item=values["item"], site=site, basis=values["basis"]
    )
    if supply.days is None:
        days = _("no consumption")
    else:
        days = ngettext("%(n)s day", "%(n)s days", round(supply.days)) % {"n": f"{supply.days:.1f}"}
    typer.echo(
        _("%(item)s at %(site)s: %(days)s (%(basis)s)")
        % {
            "item": values["item"].name,
            "site": site.name,
            "days": days,
            "basis": basis_word(supply.basis),
        }
    )
    if supply.stockout_on:
        typer.echo(_("runs out around %(day)s") % {"day": f"{supply.stockout_on:%Y-%m-%d}"})


@stock_app.command("alerts")
def stock_alerts(
    ctx: typer.Context,
    horizon_days: Annotated[int, typer.Option(help="look this many days ahead")] = 14,
    raise_alerts: Annotated[
        bool, typer.Option("--raise", help="open an alert for each (once)")
    ] = False,
) -> None:
    """Below reorder, stock-out soon, expiring lots, cold-chain excursions, VVM discard."""
    actor = state_of(ctx).actor()
    site = site_local()
    if raise_alerts:
        for alert in services.stock_alerts_raise(actor=actor, site=site, horizon_days=horizon_days):
            typer.echo(f"[{alert.severity}] {alert.title}")
        return
    for found in selectors.stock_alerts(actor=actor, site=site, horizon_days=horizon_days):
        typer.echo(f"[{found.severity}] {found.title}")


def _import(kind: str, ctx: typer.Context, path: Path, partial: bool) -> None:
    actor = state_of(ctx).actor()
    run = transfer.catalogue_import_csv if kind == "catalogue" else transfer.counts_import_csv
    with (
        path.open("rb") as stream,
        Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
        ) as progress,
    ):
        task = progress.add_task(_("importing %(what)s") % {"what": kind}, total=None)
        report = run(
            actor=actor,
            stream=stream,
            partial=partial,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    for error in report.errors:
        where = _("line %(n)s") % {"n": error.line} + (f", {error.column}" if error.column else "")
        typer.echo(f"  {where}: {error.message}", err=True)
    if report.errors and not report.written:
        problems = len(report.errors)
        typer.echo(
            ngettext(
                "%(n)s problem; nothing was imported",
                "%(n)s problems; nothing was imported",
                problems,
            )
            % {"n": problems},
            err=True,
        )
        raise typer.Exit(code=2)
    typer.echo(
        ngettext("imported %(n)s of %(rows)s row", "imported %(n)s of %(rows)s rows", report.rows)
        % {"n": report.imported, "rows": report.rows}
    )


@stock_app.command("import-catalogue")
def import_catalogue(
    ctx: typer.Context, path: Path, partial: Annotated[bool, typer.Option()] = False
) -> None:
    """Import items from CSV (header row and/or HXL hashtag row)."""
    _import("catalogue", ctx, path, partial)


@stock_app.command("import-counts")
def import_counts(
    ctx: typer.Context, path: Path, partial: Annotated[bool, typer.Option()] = False
) -> None:
    """Import a physical count sheet; differences go into the ledger as count rows."""
    _import("counts", ctx, path, partial)


@stock_app.command("export")
def stock_export(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="catalogue or counts")] = "counts",
) -> None:
    """Write the catalogue or a count sheet (stock on hand) as CSV with hashtags to stdout."""
    actor = state_of(ctx).actor()
    if what not in {"catalogue", "counts"}:
        raise ValidationFailed({"what": _("must be catalogue or counts")})
    text = (
        transfer.catalogue_export_csv(actor=actor)
        if what == "catalogue"
        else transfer.counts_export_csv(actor=actor)
    )
    sys.stdout.write(text)


@ration_app.command("cycles")
def ration_cycles(ctx: typer.Context) -> None:
    """The ration cycles and their ids."""
    for cycle in selectors.cycle_list(actor=state_of(ctx).actor()):
        state = _("closed") if cycle.closed_at else _("open")
        typer.echo(f"{cycle.pk}  {cycle.name}  {cycle.starts_on}..{cycle.ends_on}  {state}")


@ration_app.command("entitlement")
def ration_entitlement(
    ctx: typer.Context,
    card: Annotated[str, typer.Argument(help="ration card")],
    cycle: Annotated[str, typer.Option(help="cycle id")],
    point: Annotated[str, typer.Option(help="distribution point id")],
) -> None:
    """What a card is entitled to this cycle, and whether it has collected."""
    values = _parsed(schemas.IssueInput, {"cycle": cycle, "point": point, "ration_card": card})
    selectors.cycle_get(actor=state_of(ctx).actor(), cycle_id=values["cycle"].pk)
    entitlement = services.entitlement_for(
        cycle=values["cycle"], ration_card=card, site=values["point"].site
    )
    _print(schemas.EntitlementOutput(entitlement).data)


@ration_app.command("issue")
def ration_issue(
    ctx: typer.Context,
    card: Annotated[str, typer.Argument(help="ration card")],
    cycle: Annotated[str, typer.Option(help="cycle id")],
    point: Annotated[str, typer.Option(help="distribution point id")],
) -> None:
    """Issue a card its ration (exit code 5 when it has already collected)."""
    values = _parsed(schemas.IssueInput, {"cycle": cycle, "point": point, "ration_card": card})
    distribution = services.ration_issue(actor=state_of(ctx).actor(), **values)
    _print(schemas.DistributionOutput(distribution).data)


@ration_app.command("doubles")
def ration_doubles(ctx: typer.Context) -> None:
    """Find households that collected one cycle at two sites; raise an alert per pair."""
    permission_require(state_of(ctx).actor(), "supplies.manage_rations", doing=_("check rations"))
    found = services.double_collections_find()
    for pair in found:
        typer.echo(pair.alert.title)
    typer.echo(
        ngettext("%(n)s double collection", "%(n)s double collections", len(found))
        % {"n": len(found)}
    )
