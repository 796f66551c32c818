"""`lifeline site ...`: where this site is, and the settings it may change; `lifeline audit`:
the audit log (the commander)."""

from __future__ import annotations

import json
from itertools import islice
from typing import Annotated

import typer
from django.utils.translation import gettext as _

from lifeline.core import services
from lifeline.core.clock import site_local
from lifeline.core.commandline import state_of
from lifeline.core.selectors import AuditFilters, audit_list, site_settings_list
from lifeline.core.site_settings import value_text

app = typer.Typer(help="This site: where it is and the settings it may change.")


@app.command("show")
def site_show() -> None:
    """This site's position and every setting it may change, with its value or the default."""
    site = site_local()
    where = (
        f"{site.latitude:.5f},{site.longitude:.5f}"
        if site.latitude is not None and site.longitude is not None
        else _("not set (lifeline site position LAT LON): no camp risk alerts until it is")
    )
    typer.echo(
        _("%(site)s (%(code)s), at %(where)s")
        % {"site": site.name, "code": site.code, "where": where}
    )
    for spec, value in site_settings_list(site=site):
        shown = (
            value_text(value)
            if value is not None
            else _("default: %(default)s") % {"default": spec.default}
        )
        typer.echo(f"{spec.key} = {shown}\n    {spec.meaning}")


@app.command("set")
def site_set(ctx: typer.Context, key: str, value: str) -> None:
    """Change a setting: lifeline site set care.allocation_children_first yes"""
    row = services.site_setting_set(
        actor=state_of(ctx).actor(), site=site_local(), key=key, text=value
    )
    typer.echo(f"{row.key} = {value_text(row.value)}")


@app.command("unset")
def site_unset(ctx: typer.Context, key: str) -> None:
    """Put a setting back to its default."""
    cleared = services.site_setting_clear(actor=state_of(ctx).actor(), site=site_local(), key=key)
    typer.echo(
        _("%(key)s: back to the default") % {"key": key}
        if cleared
        else _("%(key)s was not set") % {"key": key}
    )


@app.command("position")
def site_position(
    ctx: typer.Context,
    latitude: Annotated[float, typer.Argument(help="decimal degrees, north positive")],
    longitude: Annotated[float, typer.Argument(help="decimal degrees, east positive")],
) -> None:
    """Where the camp is (risk rising near it raises an alert)."""
    site = services.site_position_set(
        actor=state_of(ctx).actor(), site=site_local(), latitude=latitude, longitude=longitude
    )
    typer.echo(
        _("%(site)s is at %(latitude).5f,%(longitude).5f")
        % {"site": site.name, "latitude": site.latitude, "longitude": site.longitude}
    )


def lockdown(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask (for scripts)")] = False,
) -> None:
    """Destroy this site's key now: nothing here can be read again without the recovery key."""
    import getpass

    if not yes and not typer.confirm(
        _(
            "Destroy this site's key? Backups (and the database, when encrypted) cannot be read "
            "again until the recovery key held elsewhere unlocks them"
        ),
        default=False,
    ):
        typer.echo(_("Nothing destroyed."))
        raise typer.Exit(code=1)
    state = state_of(ctx)
    destroyed = services.site_lockdown(
        actor=state.actor() if state.username else None, detail={"os_user": getpass.getuser()}
    )
    typer.echo(
        _("Locked down: the site's key is destroyed.") if destroyed else _("Already locked.")
    )


def unlock(
    ctx: typer.Context,
    recovery_key: Annotated[
        typer.FileText, typer.Argument(help="file with the recovery key ('-': read stdin)")
    ],
) -> None:
    """Bring the site back with the recovery key held at the headquarters."""
    import getpass

    state = state_of(ctx)
    services.site_unlock(
        actor=state.actor() if state.username else None,
        recovery_identity=recovery_key.read(),
        detail={"os_user": getpass.getuser()},
    )
    typer.echo(_("Unlocked: the site's key is back."))


audit_app = typer.Typer(help="The audit log: who wrote or saw what, when (the commander).")


@audit_app.callback(invoke_without_command=True)
def audit_show(
    ctx: typer.Context,
    actor: Annotated[str, typer.Option(help="only this user's entries (a username)")] = "",
    record: Annotated[
        str, typer.Option(help="only this record (an id) or kind of record (people.person)")
    ] = "",
    action: Annotated[
        str, typer.Option(help="only this action (person.register), or a kind (person.)")
    ] = "",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="at most this many")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """The audit log, newest first. Reading it is itself logged."""
    rows = audit_list(
        actor=state_of(ctx).actor(),
        filters=AuditFilters(actor=actor, record=record, action=action),
    )
    shown = 0
    for entry in islice(rows.iterator(), limit):
        shown += 1
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "at": entry.at.isoformat(),
                        "actor": entry.actor_username,
                        "action": entry.action,
                        "record_type": entry.object_type,
                        "record_id": entry.object_id,
                        "summary": entry.summary,
                        "detail": entry.detail,
                    },
                    default=str,
                )
            )
        else:
            record_text = f"{entry.object_type} {entry.object_id}".strip()
            typer.echo(
                f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.actor_username:<12} {entry.action:<20} "
                f"{record_text}  {entry.summary}".rstrip()
            )
    if not shown and not as_json:
        typer.echo(_("No entries."))
