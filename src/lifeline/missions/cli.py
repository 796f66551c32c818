"""`lifeline mission ...`: the missions board, plan, move a mission on, check a team in,
sweep for overdue teams. The same services, roles and audit as the API."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed
from lifeline.missions import selectors, services
from lifeline.missions.schemas import CheckInInput, MissionInput, TransitionInput

app = typer.Typer(help="Missions: the board, planning, state changes and check-ins.")


def _json_arg(raw: str, name: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed({name: _("is not JSON (%(error)s)") % {"error": exc.msg}}) from exc


@app.command("list")
def mission_list(ctx: typer.Context) -> None:
    """The missions board: teams out first (OVERDUE marked), then planned missions."""
    actor = state_of(ctx).actor()
    rows = selectors.mission_board(actor=actor)
    services.missions_overdue_sweep()
    if not rows:
        typer.echo(_("No missions."))
    for row in rows:
        m = row.mission
        last = f"{row.last_checkin_at:%Y-%m-%d %H:%M}" if row.last_checkin_at else "-"
        flag = "  " + _("OVERDUE") if row.overdue else ""
        typer.echo(
            f"{m.pk}  {m.state:<10} {m.name}  "
            + _("last check-in %(when)s") % {"when": last}
            + flag
        )


@app.command("show")
def mission_show(ctx: typer.Context, mission_id: str) -> None:
    """One mission: its team, points and timeline."""
    record = selectors.mission_record(actor=state_of(ctx).actor(), mission_id=mission_id)
    m = record.mission
    typer.echo(
        _("%(name)s (%(kind)s) - %(state)s, radio tag %(tag)s")
        % {
            "name": m.name,
            "kind": m.get_kind_display(),
            "state": m.get_state_display(),
            "tag": f"{m.radio_tag:08X}",
        }
    )
    if m.objective:
        typer.echo(_("Objective: %(text)s") % {"text": m.objective})
    if m.standing_orders:
        typer.echo(_("Standing orders: %(text)s") % {"text": m.standing_orders})
    for member in record.members:
        typer.echo(f"  U{member.radio_number} {member} ({member.get_role_display()})")
    for point in record.points:
        typer.echo(f"  {point} {point.latitude:.5f},{point.longitude:.5f}")
    for entry in record.timeline:
        typer.echo(f"  {entry.at:%Y-%m-%d %H:%M} {entry.kind:<10} {entry.summary} ({entry.by})")
    if record.status.overdue:
        typer.echo(
            _("OVERDUE: check-in was due at %(when)s") % {"when": f"{record.status.due_at:%H:%M}"}
        )


@app.command("plan")
def mission_plan(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="the plan as JSON (the API's mission_plan body)")],
) -> None:
    """Plan a mission from a JSON body, e.g. '{"name": "Recon", "kind": "recon",
    "planned_start": "2026-03-01T06:00Z"}'."""
    values = input_parse_or_fail(MissionInput, _json_arg(plan, "plan"))
    mission = services.mission_plan(actor=state_of(ctx).actor(), **values)
    typer.echo(f"{mission.pk}  " + _("planned: %(name)s") % {"name": mission.name})


@app.command("move")
def mission_move(
    ctx: typer.Context,
    mission_id: str,
    to: Annotated[str, typer.Argument(help="briefed, under_way, returning, complete, aborted")],
    note: Annotated[str, typer.Option(help="why, for the history")] = "",
) -> None:
    """Move a mission to its next state."""
    actor = state_of(ctx).actor()
    mission = selectors.mission_get(actor=actor, mission_id=mission_id)
    values = input_parse_or_fail(TransitionInput, {"to": to, "note": note})
    row = services.mission_transition(actor=actor, mission=mission, **values)
    typer.echo(f"{mission.name}: {row.from_state} -> {row.to_state}")


@app.command("checkin")
def mission_checkin(
    ctx: typer.Context,
    mission_id: str,
    lat: Annotated[float | None, typer.Option(help="latitude")] = None,
    lon: Annotated[float | None, typer.Option(help="longitude")] = None,
    status: Annotated[str, typer.Option(help="ok, delayed, need_help, contact, returning")] = "ok",
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Check a team in with its position and status."""
    actor = state_of(ctx).actor()
    mission = selectors.mission_get(actor=actor, mission_id=mission_id)
    data = {"latitude": lat, "longitude": lon, "status": status, "note": note}
    values = input_parse_or_fail(CheckInInput, {k: v for k, v in data.items() if v is not None})
    checkin = services.mission_checkin(actor=actor, mission=mission, **values)
    typer.echo(
        _("%(name)s: checked in %(status)s at %(when)s")
        % {
            "name": mission.name,
            "status": checkin.get_status_display(),
            "when": f"{checkin.at:%H:%M}",
        }
    )


@app.command("sweep")
def mission_sweep(ctx: typer.Context) -> None:
    """Raise alerts for teams that missed their check-in (what `lifeline_worker` does)."""
    state_of(ctx).actor()
    alerts = services.missions_overdue_sweep()
    for alert in alerts:
        typer.echo(alert.title)
    typer.echo(
        ngettext("%(n)s mission overdue", "%(n)s missions overdue", len(alerts))
        % {"n": len(alerts)}
    )
