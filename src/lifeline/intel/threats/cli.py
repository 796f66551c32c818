"""`lifeline threat ...`: hostile groups, sightings and the perimeter log."""

from __future__ import annotations

from typing import Annotated

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.intel.threats import selectors, services
from lifeline.intel.threats.api import (
    perimeter_parse_and_log,
    sighting_parse_and_record,
)
from lifeline.intel.threats.schemas import HostileGroupInput

app = typer.Typer(help="Hostile groups, sightings and the perimeter log.")


@app.command("groups")
def threat_groups(ctx: typer.Context) -> None:
    """The hostile groups known, with when and where each was last seen."""
    for group in selectors.hostile_group_list(actor=state_of(ctx).actor()):
        seen = (
            _("last seen %(when)s at %(where)s")
            % {
                "when": f"{group.last_seen_at:%Y-%m-%d %H:%M}",
                "where": f"{group.last_seen_latitude:.5f},{group.last_seen_longitude:.5f}",
            }
            if group.last_seen_at is not None
            else _("not seen yet")
        )
        size = f"~{group.size_estimate}" if group.size_estimate is not None else _("size unknown")
        count = getattr(group, "sighting_count", 0)
        sightings = ngettext("%(n)d sighting", "%(n)d sightings", count) % {"n": count}
        leader = group.leader or _("leader unknown")
        typer.echo(
            f"{group.pk}  {group.name} ({leader}, {size}, "
            f"{group.get_status_display()}): {seen}, {sightings}"
        )


@app.command("group-add")
def threat_group_add(
    ctx: typer.Context,
    name: str,
    leader: Annotated[str, typer.Option(help="who leads it")] = "",
    size: Annotated[int | None, typer.Option(help="how many they are, about")] = None,
    notes: Annotated[str, typer.Option(help="what is known of them")] = "",
) -> None:
    """Name a hostile group."""
    data: dict[str, object] = {"name": name, "leader": leader, "notes": notes}
    if size is not None:
        data["size_estimate"] = size
    values = input_parse_or_fail(HostileGroupInput, data)
    group = services.hostile_group_create(actor=state_of(ctx).actor(), **values)
    typer.echo(f"{group.pk}  {group.name}")


@app.command("sighting")
def threat_sighting(
    ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", help="LAT,LON where they were seen")],
    count: Annotated[int, typer.Option(help="how many")],
    confidence: Annotated[str, typer.Option(help="0..1, or low, medium, high")] = "medium",
    group: Annotated[str, typer.Option(help="the group's name, as reported")] = "",
    source: Annotated[str, typer.Option(help="report, watch or radio")] = "radio",
    notes: Annotated[str, typer.Option(help="anything else")] = "",
) -> None:
    """Record a sighting (it updates the risk map and may raise an alert)."""
    lat, _comma, lon = at.partition(",")
    sighting = sighting_parse_and_record(
        state_of(ctx).actor(),
        {
            "latitude": lat.strip(),
            "longitude": lon.strip(),
            "count": count,
            "confidence": confidence,
            "group_name": group,
            "source": source,
            "notes": notes,
        },
    )
    said = {"n": sighting.count}
    if sighting.hostile_group:
        said["group"] = sighting.hostile_group.name
        text = _("%(n)d seen (%(group)s)") % said
    else:
        text = _("%(n)d seen") % said
    typer.echo(f"{sighting.pk}  {text}")


@app.command("sightings")
def threat_sightings(ctx: typer.Context, limit: int = 20) -> None:
    """The latest sightings."""
    for row in selectors.sighting_list(actor=state_of(ctx).actor())[:limit]:
        who = row.hostile_group.name if row.hostile_group else row.group_name or _("unknown")
        line = _("%(n)s x %(who)s at %(where)s (%(source)s, confidence %(sure)s)") % {
            "n": f"{row.count:>4}",
            "who": who,
            "where": f"{row.latitude:.5f},{row.longitude:.5f}",
            "source": row.get_source_display(),
            "sure": f"{row.confidence:g}",
        }
        typer.echo(f"{row.seen_at:%Y-%m-%d %H:%M}  {line}")


@app.command("watch")
def threat_watch(
    ctx: typer.Context,
    post: Annotated[str, typer.Option(help="the watch post's id")],
    seen: Annotated[str, typer.Option(help="nothing, friendly, civilians, unknown, hostile")],
    count: int = 0,
    direction: Annotated[str, typer.Option(help="n, ne, e, se, s, sw, w, nw")] = "",
    distance: Annotated[int | None, typer.Option(help="metres from the post")] = None,
    confidence: str = "medium",
    notes: str = "",
) -> None:
    """Write an entry of the perimeter log (a hostile one becomes a sighting)."""
    data: dict[str, object] = {
        "post": post,
        "seen": seen,
        "count": count,
        "direction": direction,
        "confidence": confidence,
        "notes": notes,
    }
    if distance is not None:
        data["distance_m"] = distance
    entry = perimeter_parse_and_log(state_of(ctx).actor(), data)
    said = {"post": entry.post.name, "seen": entry.get_seen_display()}
    if entry.sighting_id:
        text = _("logged and a sighting: %(post)s, %(seen)s") % said
    else:
        text = _("logged: %(post)s, %(seen)s") % said
    typer.echo(f"{entry.pk}  {text}")
