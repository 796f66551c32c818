"""`lifeline alert ...`: the alert inbox from the command line (list, acknowledge, resolve),
through the same selectors and services, roles and audit as the API and the inbox page."""

from __future__ import annotations

from typing import Annotated

import typer
from django.utils.translation import gettext as _

from lifeline.alerts import selectors, services
from lifeline.alerts.schemas import AlertFilterInput, AlertResolveInput
from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of

app = typer.Typer(help="Alerts: the inbox of what needs a person, acknowledge, resolve.")


@app.command("list")
def alert_list(
    ctx: typer.Context,
    state: Annotated[str, typer.Option(help="open (default), resolved or all")] = "open",
    kind: Annotated[str | None, typer.Option(help="only this kind, e.g. mission.overdue")] = None,
) -> None:
    """The alerts that concern you, critical first; ACK marks those someone is on."""
    values = input_parse_or_fail(
        AlertFilterInput, {"state": state, **({"kind": kind} if kind else {})}
    )
    alerts = selectors.alert_inbox(
        actor=state_of(ctx).actor(), state=values["state"], kind=values.get("kind")
    )
    shown = 0
    for alert in alerts:
        shown += 1
        if alert.resolved_at is not None:
            mark = _("RESOLVED by %(who)s: %(resolution)s") % {
                "who": alert.resolved_by or "Lifeline",
                "resolution": alert.shown_resolution,
            }
        elif alert.acknowledged_at is not None:
            mark = (_("ACK %(who)s") % {"who": alert.acknowledged_by or ""}).rstrip()
        else:
            mark = _("NEW")
        typer.echo(
            f"{alert.pk}  {alert.get_severity_display().upper():<8} "
            f"{alert.raised_at:%Y-%m-%d %H:%M}  {alert.kind}  {alert.shown_title}  [{mark}]"
        )
    if not shown:
        typer.echo(_("No alerts.") if values["state"] != "open" else _("No open alerts."))


@app.command("ack")
def alert_ack(ctx: typer.Context, alert_id: str) -> None:
    """Say you have seen an alert and are on it (it stays open)."""
    actor = state_of(ctx).actor()
    alert = selectors.alert_get(actor=actor, alert_id=alert_id)
    alert = services.alert_acknowledge(actor=actor, alert=alert)
    typer.echo(_("Acknowledged: %(title)s") % {"title": alert.shown_title})


@app.command("resolve")
def alert_resolve(
    ctx: typer.Context,
    alert_id: str,
    resolution: Annotated[str, typer.Option("--resolution", "-r", help="how it was resolved")],
) -> None:
    """Close an alert with a note of how it was resolved."""
    actor = state_of(ctx).actor()
    values = input_parse_or_fail(AlertResolveInput, {"resolution": resolution})
    alert = selectors.alert_get(actor=actor, alert_id=alert_id)
    alert = services.alert_resolve(actor=actor, alert=alert, resolution=values["resolution"])
    typer.echo(_("Resolved: %(title)s") % {"title": alert.shown_title})
