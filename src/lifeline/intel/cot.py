"""Cursor-on-Target XML for radio reports, so TAK clients (ATAK, WinTAK, iTAK) show our teams
and their sightings. Pure: no ORM.

Export writes one `<event>` per report: our teams as friendly ground units, a sighting as a
hostile (armed) or unknown ground contact, the other reports as markers; `<remarks>` carry the
readback text that a TAK user reads, and a `<lifeline>` detail element carries every field so
that our own import gets the same report back. Import parses with defusedxml (the XML comes
from other devices: no entity expansion, no external entities) and accepts plain TAK events
too: a friendly position becomes a check-in, a hostile or unknown one a sighting, anything else
a situation report from its remarks.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from enum import IntEnum
from typing import TypeVar

from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]

from lifeline.intel.codec import (
    AgeBand,
    Armed,
    Cache,
    CacheItem,
    Casualty,
    CheckIn,
    CheckInStatus,
    CodecError,
    Direction,
    Fix,
    RadioReport,
    ReportType,
    Severity,
    Sighting,
    SitRep,
    SurvivorCondition,
    SurvivorGroup,
    Survivors,
    Unit,
    degrees_to_e6,
    e6_to_degrees,
    moment_at,
    normalise,
    readback,
    seconds_since,
)

_E = TypeVar("_E", bound=IntEnum)

STALE_AFTER = dt.timedelta(minutes=30)
MAX_COT_BYTES = 64 * 1024

COT_TYPES = {
    ReportType.CHECK_IN: "a-f-G-U-C",  # friendly ground unit, combat
    ReportType.SITREP: "b-m-p-s-m",  # spot map marker
    ReportType.SURVIVORS: "b-m-p-s-m",
    ReportType.CASUALTY: "b-r-f-h-c",  # casualty evacuation request
    ReportType.CACHE: "b-m-p-s-m",
}


def _cot_type(report: RadioReport) -> str:
    body = report.body
    if isinstance(body, Sighting):
        return "a-h-G" if body.armed == Armed.YES else "a-u-G"
    return COT_TYPES[report.type]


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _attrs(values: dict[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


def cot_export(
    report: RadioReport, *, mission_start: dt.datetime, callsign: str = "", uid: str = ""
) -> str:
    """One CoT `<event>` for the report, as XML text."""
    report = normalise(report)
    fix, body = report.fix, report.body
    when = moment_at(mission_start, fix.seconds)
    event = ET.Element(
        "event",
        _attrs(
            {
                "version": "2.0",
                "uid": uid or f"lifeline-{fix.mission_tag:08x}-{fix.member}-{fix.seq}",
                "type": _cot_type(report),
                "how": "h-g-i-g-o",
                "time": _stamp(when),
                "start": _stamp(when),
                "stale": _stamp(when + STALE_AFTER),
            }
        ),
    )
    ET.SubElement(
        event,
        "point",
        _attrs(
            {
                "lat": f"{e6_to_degrees(fix.lat_e6):.6f}",
                "lon": f"{e6_to_degrees(fix.lon_e6):.6f}",
                "hae": "9999999.0",
                "ce": "10.0",
                "le": "9999999.0",
            }
        ),
    )
    detail = ET.SubElement(event, "detail")
    ET.SubElement(detail, "contact", {"callsign": callsign or f"U{fix.member}"})
    ET.SubElement(detail, "__group", {"name": "Cyan", "role": "Team Member"})
    ET.SubElement(detail, "remarks").text = readback(report)
    ours = ET.SubElement(
        detail,
        "lifeline",
        _attrs(
            {
                "report": report.type.name.lower(),
                "mission": f"{fix.mission_tag:08x}",
                "member": fix.member,
                "seq": fix.seq,
                "t": fix.seconds,
            }
        ),
    )
    if isinstance(body, CheckIn):
        ours.set("status", body.status.name.lower())
        ours.set("note", body.note)
    elif isinstance(body, SitRep):
        ours.set("text", body.text)
    elif isinstance(body, Sighting):
        ours.attrib.update(
            _attrs(
                {
                    "count": body.count,
                    "armed": body.armed.name.lower(),
                    "direction": body.direction.name.lower(),
                    "group": body.group,
                    "remarks": body.remarks,
                }
            )
        )
    elif isinstance(body, Survivors):
        ours.set("place", body.place)
        ours.set("remarks", body.remarks)
        for group in body.groups:
            ET.SubElement(
                ours,
                "survivors",
                _attrs(
                    {
                        "age_band": group.age_band.name.lower(),
                        "condition": group.condition.name.lower(),
                        "count": group.count,
                    }
                ),
            )
    elif isinstance(body, Casualty):
        ours.attrib.update(
            _attrs(
                {
                    "casualty": body.casualty_member,
                    "severity": body.severity.name.lower(),
                    "remarks": body.remarks,
                }
            )
        )
    elif isinstance(body, Cache):
        ours.set("remarks", body.remarks)
        for item in body.items:
            ET.SubElement(
                ours,
                "item",
                _attrs(
                    {"name": item.name, "quantity": item.quantity, "unit": item.unit.name.lower()}
                ),
            )
    return ET.tostring(event, encoding="unicode")


# ---- import --------------------------------------------------------------------------------


def _int(element: ET.Element, name: str, default: int | None = None) -> int:
    raw = element.get(name)
    if raw is None:
        if default is None:
            raise CodecError(f"CoT: <{element.tag}> has no {name}")
        return default
    try:
        return int(raw)
    except ValueError:
        raise CodecError(f"CoT: {name}={raw!r} is not a whole number") from None


def _name(kind: type[_E], element: ET.Element, name: str, default: _E) -> _E:
    raw = element.get(name)
    if raw is None:
        return default
    try:
        return kind[raw.upper()]
    except KeyError:
        raise CodecError(
            f"CoT: {name}={raw!r} is not one of {[m.name.lower() for m in kind]}"
        ) from None


def _time(raw: str | None) -> dt.datetime:
    if not raw:
        raise CodecError("CoT: the event has no time")
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise CodecError(f"CoT: time {raw!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise CodecError(f"CoT: time {raw!r} has no time zone")
    return moment


def cot_import(xml: str | bytes, *, mission_start: dt.datetime, mission_tag: int) -> RadioReport:
    """The report in one CoT `<event>`; CodecError says why one is refused."""
    if len(xml) > MAX_COT_BYTES:
        raise CodecError(f"CoT: the event is larger than {MAX_COT_BYTES} bytes")
    try:
        event = SafeET.fromstring(xml)
    except Exception as exc:  # defusedxml raises ParseError or its own refusals
        raise CodecError(f"CoT: not well-formed or unsafe XML ({exc})") from None
    if event.tag != "event":
        raise CodecError(f"CoT: the root element is <{event.tag}>, not <event>")
    point = event.find("point")
    if point is None:
        raise CodecError("CoT: the event has no <point>")
    try:
        lat, lon = float(point.get("lat", "")), float(point.get("lon", ""))
    except ValueError:
        raise CodecError("CoT: <point> lat/lon are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CodecError("CoT: <point> lat/lon out of range")
    when = _time(event.get("time"))
    ours = event.find("detail/lifeline")
    remarks = event.findtext("detail/remarks") or ""
    if ours is None:
        fix = Fix(
            mission_tag=mission_tag,
            seconds=seconds_since(mission_start, when),
            lat_e6=degrees_to_e6(lat),
            lon_e6=degrees_to_e6(lon),
        )
        kind = event.get("type", "")
        if kind.startswith("a-f"):
            return normalise(RadioReport(fix, CheckIn(note=remarks)))
        if kind.startswith(("a-h", "a-u", "a-s")):
            armed = Armed.YES if kind.startswith("a-h") else Armed.UNKNOWN
            return normalise(RadioReport(fix, Sighting(count=1, armed=armed, remarks=remarks)))
        return normalise(RadioReport(fix, SitRep(text=remarks)))
    fix = Fix(
        mission_tag=mission_tag,
        member=_int(ours, "member", 0),
        seq=_int(ours, "seq", 0),
        seconds=_int(ours, "t", seconds_since(mission_start, when)),
        lat_e6=degrees_to_e6(lat),
        lon_e6=degrees_to_e6(lon),
    )
    report_name = ours.get("report", "")
    body: CheckIn | SitRep | Sighting | Survivors | Casualty | Cache
    if report_name == "check_in":
        body = CheckIn(_name(CheckInStatus, ours, "status", CheckInStatus.OK), ours.get("note", ""))
    elif report_name == "sitrep":
        body = SitRep(ours.get("text", remarks))
    elif report_name == "sighting":
        body = Sighting(
            _int(ours, "count", 0),
            _name(Armed, ours, "armed", Armed.UNKNOWN),
            _name(Direction, ours, "direction", Direction.UNKNOWN),
            ours.get("group", ""),
            ours.get("remarks", ""),
        )
    elif report_name == "survivors":
        groups = tuple(
            SurvivorGroup(
                _name(AgeBand, g, "age_band", AgeBand.UNKNOWN),
                _name(SurvivorCondition, g, "condition", SurvivorCondition.UNHURT),
                _int(g, "count"),
            )
            for g in ours.findall("survivors")
        )
        body = Survivors(groups, ours.get("place", ""), ours.get("remarks", ""))
    elif report_name == "casualty":
        body = Casualty(
            _int(ours, "casualty", 0),
            _name(Severity, ours, "severity", Severity.MINOR),
            ours.get("remarks", ""),
        )
    elif report_name == "cache":
        items = tuple(
            CacheItem(i.get("name", ""), _int(i, "quantity"), _name(Unit, i, "unit", Unit.PIECE))
            for i in ours.findall("item")
        )
        body = Cache(items, ours.get("remarks", ""))
    else:
        raise CodecError(f"CoT: unknown lifeline report {report_name!r}")
    return normalise(RadioReport(fix, body))
