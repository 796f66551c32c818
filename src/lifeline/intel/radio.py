"""Between the radio codec and the report schema: a `RadioReport` as the plain values the
report services take, and back. Pure: no ORM (the services look up missions and members)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lifeline.intel.codec import (
    AGE_BAND_CODES,
    AgeBand,
    Armed,
    Body,
    Cache,
    CacheItem,
    Casualty,
    CheckIn,
    CheckInStatus,
    Direction,
    Fix,
    RadioReport,
    Severity,
    Sighting,
    SitRep,
    SurvivorCondition,
    SurvivorGroup,
    Survivors,
    Unit,
)

# The names the schema and the models use for each codec enumeration.
ARMED = [m.name.lower() for m in Armed]
DIRECTIONS = [m.name.lower() for m in Direction]
SURVIVOR_CONDITIONS = [m.name.lower() for m in SurvivorCondition]
SEVERITIES = [m.name.lower() for m in Severity]
UNITS = [m.name.lower() for m in Unit]
CHECKIN_STATUSES = [m.name.lower() for m in CheckInStatus]
AGE_BANDS = [code for code in AGE_BAND_CODES.values() if code]
_BAND_OF_CODE = {code: band for band, code in AGE_BAND_CODES.items()}

KIND_OF_BODY = {
    CheckIn: "checkin",
    SitRep: "sitrep",
    Sighting: "sighting",
    Survivors: "survivors",
    Casualty: "casualty",
    Cache: "cache",
}


@dataclass(frozen=True)
class ReportValues:
    """What a packet says, in the schema's words. `casualty_member` and the sender are radio
    numbers here; the services turn them into team members."""

    kind: str
    values: dict[str, Any]


def values_of(report: RadioReport) -> ReportValues:
    body = report.body
    kind = KIND_OF_BODY[type(body)]
    values: dict[str, Any]
    if isinstance(body, CheckIn):
        values = {"status": body.status.name.lower(), "note": body.note}
    elif isinstance(body, SitRep):
        values = {"text": body.text}
    elif isinstance(body, Sighting):
        values = {
            "count": body.count,
            "armed": body.armed.name.lower(),
            "direction": body.direction.name.lower(),
            "hostile_group": body.group,
            "text": body.remarks,
        }
    elif isinstance(body, Survivors):
        values = {
            "groups": [
                {
                    "age_band": AGE_BAND_CODES[g.age_band],
                    "condition": g.condition.name.lower(),
                    "count": g.count,
                }
                for g in body.groups
            ],
            "place": body.place,
            "text": body.remarks,
        }
    elif isinstance(body, Casualty):
        values = {
            "casualty_radio_number": body.casualty_member,
            "severity": body.severity.name.lower(),
            "text": body.remarks,
        }
    else:
        values = {
            "items": [
                {"name": i.name, "quantity": i.quantity, "unit": i.unit.name.lower()}
                for i in body.items
            ],
            "text": body.remarks,
        }
    return ReportValues(kind, values)


def body_of(kind: str, values: dict[str, Any]) -> Body:
    """The codec body of a report's values (as stored in FieldReport text and details)."""
    text = str(values.get("text") or "")
    if kind == "checkin":
        return CheckIn(
            CheckInStatus[str(values.get("status", "ok")).upper()], values.get("note", "")
        )
    if kind == "sitrep":
        return SitRep(text)
    if kind == "sighting":
        return Sighting(
            int(values.get("count") or 0),
            Armed[str(values.get("armed") or "unknown").upper()],
            Direction[str(values.get("direction") or "unknown").upper()],
            str(values.get("hostile_group") or ""),
            text,
        )
    if kind == "survivors":
        return Survivors(
            tuple(
                SurvivorGroup(
                    _BAND_OF_CODE.get(str(g.get("age_band") or ""), AgeBand.UNKNOWN),
                    SurvivorCondition[str(g.get("condition") or "unhurt").upper()],
                    int(g["count"]),
                )
                for g in values.get("groups") or []
            ),
            str(values.get("place") or ""),
            text,
        )
    if kind == "casualty":
        return Casualty(
            int(values.get("casualty_radio_number") or 0),
            Severity[str(values.get("severity") or "minor").upper()],
            text,
        )
    if kind == "cache":
        return Cache(
            tuple(
                CacheItem(
                    str(i["name"]), int(i["quantity"]), Unit[str(i.get("unit") or "piece").upper()]
                )
                for i in values.get("items") or []
            ),
            text,
        )
    raise ValueError(f"unknown report kind {kind!r}")


def radio_report(kind: str, values: dict[str, Any], fix: Fix) -> RadioReport:
    return RadioReport(fix, body_of(kind, values))
