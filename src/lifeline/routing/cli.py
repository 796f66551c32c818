"""`lifeline route ...`: plan a safest route, import a road graph, generate the demo town;
`lifeline map ...`: add, list and make the offline basemaps the map draws."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _

from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed
from lifeline.routing import selectors, services
from lifeline.routing.models import StoredGraph
from lifeline.routing.schemas import RouteInput
from lifeline.routing.services import distance_words

app = typer.Typer(help="Safest routes around threat zones, and the road graph they use.")
map_app = typer.Typer(help="Offline basemaps: PMTiles files the map draws under its layers.")


@app.command("plan")
def route_plan(
    ctx: typer.Context,
    origin: Annotated[str, typer.Option("--from", help="LAT,LON of the start")],
    destination: Annotated[str, typer.Option("--to", help="LAT,LON of the destination")],
    risk_weight: Annotated[float, typer.Option(help="metres a unit of exposure costs")] = 1.0,
    avoid_level: Annotated[
        float | None, typer.Option(help="never enter cells at this risk level or above")
    ] = None,
    alternatives: Annotated[int, typer.Option(help="how many other routes to offer")] = 0,
    graph: Annotated[str | None, typer.Option(help="stored graph (default: the latest)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the plan as JSON")] = False,
) -> None:
    """Plan the safest route between two points."""
    data: dict[str, object] = {
        "origin": origin,
        "destination": destination,
        "risk_weight": risk_weight,
        "avoid_level": avoid_level,
        "alternatives": alternatives,
    }
    if graph:
        data["graph"] = graph
    parser = RouteInput(data={k: v for k, v in data.items() if v is not None})
    if not parser.is_valid():
        renamed = {"origin": "--from", "destination": "--to"}
        raise ValidationFailed(
            {
                renamed.get(k, f"--{k.replace('_', '-')}"): [str(m) for m in v]
                for k, v in parser.errors.items()
            }
        )
    values = dict(parser.validated_data)
    plan = services.route_safest(actor=state_of(ctx).actor(), **values)
    if as_json:
        typer.echo(json.dumps(asdict(plan), indent=2))
        return
    if not plan.found:
        typer.echo(_("No safe route: %(reason)s") % {"reason": plan.reason})
        if plan.least_exposed is not None:
            least = plan.least_exposed
            typer.echo(
                "  "
                + _("least exposed way: %(length)s, exposure %(exposure)s, peak risk %(peak)s")
                % {
                    "length": distance_words(least.length_m),
                    "exposure": f"{least.exposure:g}",
                    "peak": f"{least.peak_risk:g}",
                }
            )
        raise typer.Exit(code=1)
    for index, route in enumerate(plan.routes):
        said = {
            "n": index,
            "length": distance_words(route.length_m),
            "exposure": f"{route.exposure:g}",
            "peak": f"{route.peak_risk:g}",
            "points": len(route.path),
        }
        if index == 0:
            line = _(
                "safest: %(length)s, exposure %(exposure)s, peak risk %(peak)s, %(points)d points"
            )
        else:
            line = _(
                "alternative %(n)d: %(length)s, exposure %(exposure)s, peak risk %(peak)s, "
                "%(points)d points"
            )
        typer.echo(line % said)
        for turn in route.turns:
            typer.echo("  " + services.turn_line(turn))


@app.command("import-osm")
def route_import_osm(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="an .osm or .osm.pbf file")],
    name: Annotated[str, typer.Option(help="name of the stored graph")] = "",
) -> None:
    """Import roads and paths from an OpenStreetMap file."""
    stored = services.graph_import_osm(actor=state_of(ctx).actor(), path=file, name=name)
    typer.echo(_graph_line(stored))


def _graph_line(stored: StoredGraph) -> str:
    return _("road graph %(name)s v%(version)d: %(nodes)d nodes, %(edges)d edges") % {
        "name": stored.name,
        "version": stored.version,
        "nodes": stored.node_count,
        "edges": stored.edge_count,
    }


@app.command("demo-town")
def route_demo_town(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="name of the stored graph")] = "mavrah",
) -> None:
    """Generate the demo town of Mavrah as a road graph."""
    stored = services.graph_generate_demo(actor=state_of(ctx).actor(), name=name)
    typer.echo(_graph_line(stored))


@map_app.command("add")
def map_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="a PMTiles file (vector, PNG or JPEG tiles)")],
    name: Annotated[str, typer.Option(help="name it is kept under (default: the file's)")] = "",
) -> None:
    """Add a basemap: a PMTiles extract of the region, checked, then kept and served by us."""
    info = services.basemap_add(actor=state_of(ctx).actor(), source=file, name=name)
    kept = selectors.basemap_slug(name or file.name.split(".")[0])
    typer.echo(
        _("basemap %(name)s: %(type)s tiles, zoom %(min)s-%(max)s, %(area)s")
        % {
            "name": kept,
            "type": info.tile_type,
            "min": info.min_zoom,
            "max": info.max_zoom,
            "area": _bounds_words(info),
        }
    )


@map_app.command("list")
def map_list() -> None:
    """The basemaps kept, with the area each covers."""
    kept = selectors.basemap_list()
    if not kept:
        typer.echo(_("no basemap yet: lifeline map add FILE.pmtiles"))
    for row in kept:
        info = row.info
        typer.echo(
            _("%(name)s: %(type)s, zoom %(min)s-%(max)s, %(area)s, %(size)s bytes")
            % {
                "name": row.name,
                "type": info.tile_type,
                "min": info.min_zoom,
                "max": info.max_zoom,
                "area": _bounds_words(info),
                "size": info.size,
            }
        )


@map_app.command("demo")
def map_demo(
    ctx: typer.Context,
    graph: Annotated[str, typer.Option(help="stored road graph to draw")] = "mavrah",
) -> None:
    """Make the demo's basemap from a stored road graph (streets, places, houses)."""
    path = services.basemap_demo_make(actor=state_of(ctx).actor(), graph=graph)
    typer.echo(
        _("basemap %(name)s: %(size)s bytes") % {"name": path.stem, "size": path.stat().st_size}
    )


def _bounds_words(info: Any) -> str:
    # Coordinates stay in the one form GPS units read, whatever the language.
    return _("%(south)s,%(west)s to %(north)s,%(east)s") % {
        "south": f"{info.south:.4f}",
        "west": f"{info.west:.4f}",
        "north": f"{info.north:.4f}",
        "east": f"{info.east:.4f}",
    }
