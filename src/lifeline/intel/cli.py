"""`lifeline report ...`: file a field report, encode a stored report as a radio packet, decode
or ingest a packet, export or import Cursor-on-Target XML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _

from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed
from lifeline.intel import codec, selectors, services
from lifeline.intel.api import decoded_of, packet_of
from lifeline.intel.schemas import PacketInput
from lifeline.missions import selectors as mission_selectors

app = typer.Typer(help="Field reports and radio packets.")


@app.command("file")
def report_file(
    ctx: typer.Context,
    mission_id: str,
    report: Annotated[str, typer.Argument(help='the report as JSON, e.g. {"kind": "sitrep", ...}')],
) -> None:
    """File a field report for a mission (its side effects in the same transaction)."""
    actor = state_of(ctx).actor()
    mission = mission_selectors.mission_get(actor=actor, mission_id=mission_id)
    try:
        data: Any = json.loads(report)
    except json.JSONDecodeError as exc:
        raise ValidationFailed({"report": _("is not JSON (%(why)s)") % {"why": exc.msg}}) from exc
    row = services.report_file_from_input(actor=actor, mission=mission, data=data)
    filed = _("%(kind)s filed for %(mission)s") % {
        "kind": row.get_kind_display(),
        "mission": mission.name,
    }
    typer.echo(f"{row.pk}  {filed}")


@app.command("encode")
def report_encode(ctx: typer.Context, report_id: str) -> None:
    """A stored report as one radio packet (base64 and hex) with its readback text."""
    report = selectors.report_get(actor=state_of(ctx).actor(), report_id=report_id)
    out = packet_of(report)
    typer.echo(f"base64: {out['packet_base64']}")
    typer.echo(f"hex:    {out['packet_hex']}")
    typer.echo(f"bytes:  {out['bytes']}")
    typer.echo(f"text:   {out['readback']}")


@app.command("decode")
def report_decode(
    packet: Annotated[str, typer.Argument(help="the packet as base64 or hex")],
) -> None:
    """Decode a packet and print it (nothing is recorded; no user needed)."""
    raw = input_parse_or_fail(PacketInput, {"packet": packet})["packet"]
    try:
        radio = codec.decode(raw)
    except codec.CodecError as exc:
        raise ValidationFailed({"packet": str(exc)}) from exc
    typer.echo(codec.readback(radio))
    typer.echo(json.dumps(decoded_of(radio), indent=2))


@app.command("ingest")
def report_ingest(
    ctx: typer.Context,
    packet: Annotated[str, typer.Argument(help="the packet as base64 or hex")],
) -> None:
    """Record a packet heard on the radio: a check-in or a report with its side effects."""
    raw = input_parse_or_fail(PacketInput, {"packet": packet})["packet"]
    result = services.report_ingest_packet(actor=state_of(ctx).actor(), packet=raw)
    said = {"mission": result.mission.name, "readback": codec.readback(result.radio)}
    if result.checkin:
        typer.echo(_("check-in recorded for %(mission)s: %(readback)s") % said)
    else:
        typer.echo(_("report recorded for %(mission)s: %(readback)s") % said)


@app.command("cot-export")
def report_cot_export(ctx: typer.Context, report_id: str) -> None:
    """A stored report as a Cursor-on-Target event (XML) for TAK clients."""
    report = selectors.report_get(actor=state_of(ctx).actor(), report_id=report_id)
    typer.echo(packet_of(report)["cot"])


@app.command("cot-import")
def report_cot_import(
    ctx: typer.Context,
    mission_id: str,
    file: Annotated[Path, typer.Argument(help="a file holding one CoT <event>")],
) -> None:
    """Record a Cursor-on-Target event from a TAK client for a mission."""
    actor = state_of(ctx).actor()
    mission = mission_selectors.mission_get(actor=actor, mission_id=mission_id)
    try:
        xml = file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            {"file": _("cannot be read (%(why)s)") % {"why": exc.strerror}}
        ) from exc
    result = services.report_ingest_cot(actor=actor, mission=mission, xml=xml)
    typer.echo(
        _("recorded for %(mission)s: %(readback)s")
        % {"mission": mission.name, "readback": codec.readback(result.radio)}
    )
