"""The radio codec: every field report and check-in as one binary packet of at most 200 bytes
(a Meshtastic packet carries 233 application bytes; on LongFast every byte costs airtime).

Pure: no ORM. `encode` and `decode` are exact inverses on a `normalise`d report; `readback`
gives the short text form for SMS or voice.

Packet layout (all integers unsigned LEB128 varints unless said otherwise):

    byte 0      version (high nibble, now 1) | report type (low nibble)
    byte 1      total packet length in bytes (so a cut packet is told from a corrupt one)
    4 bytes     mission tag (big-endian; the last 4 bytes of the mission's id)
    varint      reporter: the team member's radio number in the mission (0 = unknown)
    varint      sequence number of this reporter's packets (deduplication of repeats)
    varint      seconds since the mission's planned start, zigzag (may be negative)
    4+4 bytes   latitude, longitude in microdegrees, signed big-endian (about 0.1 m)
    ...         the body of the report type (below)
    2 bytes     CRC-16/CCITT-FALSE of everything before it

Text rule: each text field has a byte limit (TEXT_LIMITS); a longer text is cut at the last
whole UTF-8 character that fits, with no marker, and surrounding spaces are dropped. The limits
are chosen so that the largest possible packet of every type fits in MAX_PACKET_BYTES; a test
proves it by building the largest one of each type.
"""

from __future__ import annotations

import binascii
import datetime as dt
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import TypeVar

from lifeline.people.rules import BIDI_CONTROLS

VERSION = 1
MAX_PACKET_BYTES = 200
HEADER_FIXED = 2 + 4 + 8 + 2  # version/type, length, tag, coordinates, CRC

# Bounds that keep every varint short and every packet within MAX_PACKET_BYTES.
MAX_MEMBER = 999
MAX_SEQ = 65_535
MAX_SECONDS = 60 * 86_400  # two months either side of the planned start
MAX_COUNT = 9_999
MAX_QUANTITY = 999_999
MAX_SURVIVOR_GROUPS = 20
MAX_CACHE_ITEMS = 7

TEXT_LIMITS = {
    "note": 60,  # check-in
    "text": 168,  # situation report
    "group": 24,  # hostile group name
    "remarks": 80,  # sighting, casualty
    "place": 24,  # survivors
    "survivor_remarks": 60,
    "item": 16,  # cache item name
    "cache_remarks": 24,
}


_E = TypeVar("_E", bound=IntEnum)


class CodecError(ValueError):
    """A packet that cannot be decoded (or a report that cannot be encoded), with the reason."""


class ReportType(IntEnum):
    CHECK_IN = 0
    SITREP = 1
    SIGHTING = 2
    SURVIVORS = 3
    CASUALTY = 4
    CACHE = 5


# Enumerations travel as their small integer; the names are those the models store.
class CheckInStatus(IntEnum):
    OK = 0
    DELAYED = 1
    NEED_HELP = 2
    CONTACT = 3
    RETURNING = 4


class Armed(IntEnum):
    UNKNOWN = 0
    NO = 1
    YES = 2


class Direction(IntEnum):
    """Where the contact is heading: eight compass points, stationary or unknown."""

    UNKNOWN = 0
    N = 1
    NE = 2
    E = 3
    SE = 4
    S = 5
    SW = 6
    W = 7
    NW = 8
    STATIONARY = 9


class AgeBand(IntEnum):
    """The registry's age bands (people.rules.AGE_BANDS), by position; UNKNOWN when unsure."""

    UNKNOWN = 0
    UNDER_5 = 1
    AGE_5_11 = 2
    AGE_12_17 = 3
    AGE_18_59 = 4
    AGE_60_PLUS = 5


AGE_BAND_CODES = {
    AgeBand.UNKNOWN: "",
    AgeBand.UNDER_5: "0-4",
    AgeBand.AGE_5_11: "5-11",
    AgeBand.AGE_12_17: "12-17",
    AgeBand.AGE_18_59: "18-59",
    AgeBand.AGE_60_PLUS: "60+",
}


class SurvivorCondition(IntEnum):
    UNHURT = 0
    WOUNDED = 1
    ILL = 2
    MALNOURISHED = 3
    DEHYDRATED = 4
    CRITICAL = 5


class Severity(IntEnum):
    MINOR = 0
    SERIOUS = 1
    CRITICAL = 2
    KILLED = 3


class Unit(IntEnum):
    PIECE = 0
    BOX = 1
    CRATE = 2
    LITRE = 3
    KG = 4
    DOSE = 5


# ---- reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """Who sent it, when and where: the part every packet has."""

    mission_tag: int
    member: int = 0
    seq: int = 0
    seconds: int = 0
    lat_e6: int = 0
    lon_e6: int = 0


@dataclass(frozen=True)
class CheckIn:
    status: CheckInStatus = CheckInStatus.OK
    note: str = ""


@dataclass(frozen=True)
class SitRep:
    text: str = ""


@dataclass(frozen=True)
class Sighting:
    count: int = 0
    armed: Armed = Armed.UNKNOWN
    direction: Direction = Direction.UNKNOWN
    group: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class SurvivorGroup:
    age_band: AgeBand
    condition: SurvivorCondition
    count: int


@dataclass(frozen=True)
class Survivors:
    groups: tuple[SurvivorGroup, ...] = ()
    place: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class Casualty:
    casualty_member: int = 0
    severity: Severity = Severity.MINOR
    remarks: str = ""


@dataclass(frozen=True)
class CacheItem:
    name: str
    quantity: int
    unit: Unit = Unit.PIECE


@dataclass(frozen=True)
class Cache:
    items: tuple[CacheItem, ...] = ()
    remarks: str = ""


Body = CheckIn | SitRep | Sighting | Survivors | Casualty | Cache

BODY_TYPES: dict[type[Body], ReportType] = {
    CheckIn: ReportType.CHECK_IN,
    SitRep: ReportType.SITREP,
    Sighting: ReportType.SIGHTING,
    Survivors: ReportType.SURVIVORS,
    Casualty: ReportType.CASUALTY,
    Cache: ReportType.CACHE,
}


@dataclass(frozen=True)
class RadioReport:
    fix: Fix
    body: Body = field(default_factory=CheckIn)

    @property
    def type(self) -> ReportType:
        return BODY_TYPES[type(self.body)]


# ---- coordinates and times ----------------------------------------------------------------


def degrees_to_e6(value: float) -> int:
    return round(value * 1_000_000)


def e6_to_degrees(value: int) -> float:
    return value / 1_000_000


def seconds_since(start: dt.datetime, moment: dt.datetime) -> int:
    return round((moment - start).total_seconds())


def moment_at(start: dt.datetime, seconds: int) -> dt.datetime:
    return start + dt.timedelta(seconds=seconds)


# ---- normalising (the truncation rule) ----------------------------------------------------


def _unprintable(char: str) -> bool:
    # Bidi controls would let a radio text show reversed or disguised (see people.rules).
    return unicodedata.category(char) == "Cc" or char in "\ufffe\uffff" or char in BIDI_CONTROLS


def text_fit(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` UTF-8 bytes at a character boundary; strip spaces."""
    # Lone surrogates (possible in JSON input) cannot travel; they become "?". Control
    # characters (line breaks included) and U+FFFE/U+FFFF are dropped: XML cannot carry them.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = "".join(c for c in text if not _unprintable(c)).strip()
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore").strip()


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise CodecError(what)


def _enum(kind: type[_E], value: int, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise CodecError(f"{what} {value!r} is not one of {[m.name for m in kind]}") from None


def normalise(report: RadioReport) -> RadioReport:
    """The report as it will arrive: texts cut to their limits. Numbers out of range are not
    silently changed: they raise CodecError naming the field."""
    fix = report.fix
    _check(0 <= fix.mission_tag <= 0xFFFFFFFF, "mission_tag must fit in 32 bits")
    _check(0 <= fix.member <= MAX_MEMBER, f"member must be 0..{MAX_MEMBER}")
    _check(0 <= fix.seq <= MAX_SEQ, f"seq must be 0..{MAX_SEQ}")
    _check(abs(fix.seconds) <= MAX_SECONDS, f"seconds must be within ±{MAX_SECONDS}")
    _check(abs(fix.lat_e6) <= 90_000_000, "latitude must be between -90 and 90")
    _check(abs(fix.lon_e6) <= 180_000_000, "longitude must be between -180 and 180")
    body = report.body
    if isinstance(body, CheckIn):
        body = replace(
            body,
            status=_enum(CheckInStatus, body.status, "status"),
            note=text_fit(body.note, TEXT_LIMITS["note"]),
        )
    elif isinstance(body, SitRep):
        body = replace(body, text=text_fit(body.text, TEXT_LIMITS["text"]))
    elif isinstance(body, Sighting):
        _check(0 <= body.count <= MAX_COUNT, f"count must be 0..{MAX_COUNT}")
        body = replace(
            body,
            armed=_enum(Armed, body.armed, "armed"),
            direction=_enum(Direction, body.direction, "direction"),
            group=text_fit(body.group, TEXT_LIMITS["group"]),
            remarks=text_fit(body.remarks, TEXT_LIMITS["remarks"]),
        )
    elif isinstance(body, Survivors):
        _check(len(body.groups) <= MAX_SURVIVOR_GROUPS, f"at most {MAX_SURVIVOR_GROUPS} groups")
        for group in body.groups:
            _check(1 <= group.count <= MAX_COUNT, f"a group's count must be 1..{MAX_COUNT}")
        body = replace(
            body,
            groups=tuple(
                SurvivorGroup(
                    _enum(AgeBand, g.age_band, "age_band"),
                    _enum(SurvivorCondition, g.condition, "condition"),
                    g.count,
                )
                for g in body.groups
            ),
            place=text_fit(body.place, TEXT_LIMITS["place"]),
            remarks=text_fit(body.remarks, TEXT_LIMITS["survivor_remarks"]),
        )
    elif isinstance(body, Casualty):
        _check(0 <= body.casualty_member <= MAX_MEMBER, f"casualty_member must be 0..{MAX_MEMBER}")
        body = replace(
            body,
            severity=_enum(Severity, body.severity, "severity"),
            remarks=text_fit(body.remarks, TEXT_LIMITS["remarks"]),
        )
    elif isinstance(body, Cache):
        _check(len(body.items) <= MAX_CACHE_ITEMS, f"at most {MAX_CACHE_ITEMS} items")
        for item in body.items:
            _check(0 <= item.quantity <= MAX_QUANTITY, f"a quantity must be 0..{MAX_QUANTITY}")
        body = replace(
            body,
            items=tuple(
                CacheItem(
                    text_fit(i.name, TEXT_LIMITS["item"]), i.quantity, _enum(Unit, i.unit, "unit")
                )
                for i in body.items
            ),
            remarks=text_fit(body.remarks, TEXT_LIMITS["cache_remarks"]),
        )
    else:  # pragma: no cover - the type union is closed
        raise CodecError(f"unknown report body {type(body).__name__}")
    return RadioReport(fix=fix, body=body)


# ---- primitives ----------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _unzigzag(value: int) -> int:
    return value // 2 if value % 2 == 0 else -(value + 1) // 2


def _text(value: str) -> bytes:
    raw = value.encode("utf-8")
    return _varint(len(raw)) + raw


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): detects every 1-, 2- and 3-bit error
    in a packet this short."""
    return binascii.crc_hqx(data, 0xFFFF)


class _Reader:
    def __init__(self, data: bytes, start: int) -> None:
        self.data = data
        self.pos = start

    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.data):
            raise CodecError(f"packet ends inside {what}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def varint(self, what: str, maximum: int) -> int:
        value = shift = 0
        for _ in range(5):
            (byte,) = self.take(1, what)
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                if byte == 0 and shift > 7:
                    raise CodecError(f"{what} is an overlong varint an encoder never writes")
                if value > maximum:
                    raise CodecError(f"{what} is {value}, above its limit {maximum}")
                return value
        raise CodecError(f"{what} is a varint longer than 5 bytes")

    def enum(self, kind: Callable[[int], IntEnum], what: str) -> IntEnum:
        value = self.varint(what, 255)
        try:
            return kind(value)
        except ValueError:
            raise CodecError(f"{what} {value} is not a known value") from None

    def text(self, what: str, limit: int) -> str:
        size = self.varint(f"{what} length", limit)
        raw = self.take(size, what)
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CodecError(f"{what} is not valid UTF-8") from None
        if value != value.strip() or any(_unprintable(c) for c in value):
            raise CodecError(f"{what} has spaces or control characters an encoder never writes")
        return value


# ---- encode --------------------------------------------------------------------------------


def _body_bytes(body: Body) -> bytes:
    if isinstance(body, CheckIn):
        return _varint(body.status) + _text(body.note)
    if isinstance(body, SitRep):
        return _text(body.text)
    if isinstance(body, Sighting):
        return (
            _varint(body.count)
            + bytes([body.armed << 4 | body.direction])
            + _text(body.group)
            + _text(body.remarks)
        )
    if isinstance(body, Survivors):
        out = bytearray(_varint(len(body.groups)))
        for group in body.groups:
            out += bytes([group.age_band << 4 | group.condition]) + _varint(group.count)
        return bytes(out) + _text(body.place) + _text(body.remarks)
    if isinstance(body, Casualty):
        return _varint(body.casualty_member) + _varint(body.severity) + _text(body.remarks)
    if isinstance(body, Cache):
        out = bytearray(_varint(len(body.items)))
        for item in body.items:
            out += _text(item.name) + _varint(item.quantity) + _varint(item.unit)
        return bytes(out) + _text(body.remarks)
    raise CodecError(f"unknown report body {type(body).__name__}")  # pragma: no cover


def encode(report: RadioReport) -> bytes:
    """The packet of a report (texts cut to their limits first; see `normalise`)."""
    report = normalise(report)
    fix = report.fix
    head = (
        struct.pack(">I", fix.mission_tag)
        + _varint(fix.member)
        + _varint(fix.seq)
        + _varint(_zigzag(fix.seconds))
        + struct.pack(">ii", fix.lat_e6, fix.lon_e6)
    )
    return frame(report.type, head + _body_bytes(report.body))


# ---- the frame every packet shares ---------------------------------------------------------

# The packet kind of a sync digest (`lifeline.sync.radio`): a site's urgent changes carried in
# this codec's frame, beside the report types (which stay below it).
SYNC_DIGEST = 0x0E
FRAME_OVERHEAD = 2 + 2  # version/kind and length, then the CRC


def frame(kind: int, payload: bytes) -> bytes:
    """A packet: version and kind, length, the payload, CRC-16 (what `unframe` checks)."""
    length = FRAME_OVERHEAD + len(payload)
    if length > MAX_PACKET_BYTES:
        raise CodecError(f"packet needs {length} bytes, more than {MAX_PACKET_BYTES}")
    if not 0 <= kind <= 0x0F:
        raise CodecError(f"packet kind {kind} is not a nibble")
    packet = bytes([VERSION << 4 | kind, length]) + payload
    return packet + struct.pack(">H", crc16(packet))


def unframe(packet: bytes, *, minimum: int = FRAME_OVERHEAD) -> tuple[int, bytes]:
    """The kind and payload of a packet whose version, length and checksum hold, or
    CodecError saying why it is refused."""
    if not isinstance(packet, bytes | bytearray | memoryview):
        raise CodecError("a packet is bytes")
    data = bytes(packet)
    if len(data) < minimum:
        raise CodecError(f"packet too short: {len(data)} bytes, a packet has at least {minimum}")
    version, kind = data[0] >> 4, data[0] & 0x0F
    if version != VERSION:
        raise CodecError(f"unsupported codec version {version} (this end speaks {VERSION})")
    if data[1] != len(data):
        cut = "truncated" if data[1] > len(data) else "has trailing bytes"
        raise CodecError(f"packet {cut}: header says {data[1]} bytes, received {len(data)}")
    (expected,) = struct.unpack(">H", data[-2:])
    if crc16(data[:-2]) != expected:
        raise CodecError("checksum mismatch: the packet was corrupted on the way")
    return kind, data[2:-2]


# ---- decode --------------------------------------------------------------------------------


def decode(packet: bytes) -> RadioReport:
    """The report in a packet, or CodecError saying why the packet is refused."""
    kind, payload = unframe(packet, minimum=HEADER_FIXED)
    if kind == SYNC_DIGEST:
        raise CodecError("this packet is a sync digest, not a field report: lifeline sync radio")
    try:
        report_type = ReportType(kind)
    except ValueError:
        raise CodecError(f"unknown report type {kind}") from None
    reader = _Reader(payload, 0)
    (tag,) = struct.unpack(">I", reader.take(4, "mission tag"))
    member = reader.varint("member", MAX_MEMBER)
    seq = reader.varint("seq", MAX_SEQ)
    seconds = _unzigzag(reader.varint("seconds", 2 * MAX_SECONDS))
    lat, lon = struct.unpack(">ii", reader.take(8, "coordinates"))
    if abs(lat) > 90_000_000 or abs(lon) > 180_000_000:
        raise CodecError("coordinates out of range")
    fix = Fix(tag, member, seq, seconds, lat, lon)
    body = _BODY_READERS[report_type](reader)
    if reader.pos != len(reader.data):
        raise CodecError(f"{len(reader.data) - reader.pos} unread bytes after the report")
    return RadioReport(fix=fix, body=body)


def _read_check_in(r: _Reader) -> CheckIn:
    status = CheckInStatus(r.enum(CheckInStatus, "status"))
    return CheckIn(status, r.text("note", TEXT_LIMITS["note"]))


def _read_sitrep(r: _Reader) -> SitRep:
    return SitRep(r.text("text", TEXT_LIMITS["text"]))


def _read_sighting(r: _Reader) -> Sighting:
    count = r.varint("count", MAX_COUNT)
    (flags,) = r.take(1, "armed/direction")
    try:
        armed, direction = Armed(flags >> 4), Direction(flags & 0x0F)
    except ValueError:
        raise CodecError(f"armed/direction byte {flags:#04x} is not known") from None
    group = r.text("group", TEXT_LIMITS["group"])
    return Sighting(count, armed, direction, group, r.text("remarks", TEXT_LIMITS["remarks"]))


def _read_survivors(r: _Reader) -> Survivors:
    groups = []
    for _ in range(r.varint("group count", MAX_SURVIVOR_GROUPS)):
        (cell,) = r.take(1, "age band/condition")
        try:
            band, condition = AgeBand(cell >> 4), SurvivorCondition(cell & 0x0F)
        except ValueError:
            raise CodecError(f"age band/condition byte {cell:#04x} is not known") from None
        count = r.varint("survivor count", MAX_COUNT)
        if count == 0:
            raise CodecError("a survivor group of 0")
        groups.append(SurvivorGroup(band, condition, count))
    place = r.text("place", TEXT_LIMITS["place"])
    return Survivors(tuple(groups), place, r.text("remarks", TEXT_LIMITS["survivor_remarks"]))


def _read_casualty(r: _Reader) -> Casualty:
    member = r.varint("casualty member", MAX_MEMBER)
    severity = Severity(r.enum(Severity, "severity"))
    return Casualty(member, severity, r.text("remarks", TEXT_LIMITS["remarks"]))


def _read_cache(r: _Reader) -> Cache:
    items = []
    for _ in range(r.varint("item count", MAX_CACHE_ITEMS)):
        name = r.text("item name", TEXT_LIMITS["item"])
        quantity = r.varint("quantity", MAX_QUANTITY)
        items.append(CacheItem(name, quantity, Unit(r.enum(Unit, "unit"))))
    return Cache(tuple(items), r.text("remarks", TEXT_LIMITS["cache_remarks"]))


_BODY_READERS: dict[ReportType, Callable[[_Reader], Body]] = {
    ReportType.CHECK_IN: _read_check_in,
    ReportType.SITREP: _read_sitrep,
    ReportType.SIGHTING: _read_sighting,
    ReportType.SURVIVORS: _read_survivors,
    ReportType.CASUALTY: _read_casualty,
    ReportType.CACHE: _read_cache,
}


# ---- text forms ----------------------------------------------------------------------------


def _latlon(fix: Fix) -> str:
    lat, lon = e6_to_degrees(fix.lat_e6), e6_to_degrees(fix.lon_e6)
    return f"{abs(lat):.5f}{'N' if lat >= 0 else 'S'} {abs(lon):.5f}{'E' if lon >= 0 else 'W'}"


def _elapsed(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"T{sign}{minutes // 60:02d}:{minutes % 60:02d}"


_ARMED_WORDS = {Armed.UNKNOWN: "ARMED?", Armed.NO: "UNARMED", Armed.YES: "ARMED"}


def readback(report: RadioReport) -> str:
    """A short text for SMS or for reading over voice: type, sender, time, place, facts."""
    fix, body = report.fix, report.body
    head = f"{report.type.name} M{fix.mission_tag:08X} U{fix.member} #{fix.seq} "
    head += f"{_elapsed(fix.seconds)} {_latlon(fix)}"
    parts: list[str] = []
    if isinstance(body, CheckIn):
        parts = [body.status.name, body.note]
    elif isinstance(body, SitRep):
        parts = [body.text]
    elif isinstance(body, Sighting):
        parts = [
            f"{body.count} {_ARMED_WORDS[body.armed]}",
            f"HDG {body.direction.name}",
            f"GRP {body.group}" if body.group else "",
            body.remarks,
        ]
    elif isinstance(body, Survivors):
        parts = [
            ", ".join(
                f"{g.count} {AGE_BAND_CODES[g.age_band] or 'age?'} {g.condition.name}"
                for g in body.groups
            ),
            f"AT {body.place}" if body.place else "",
            body.remarks,
        ]
    elif isinstance(body, Casualty):
        parts = [f"U{body.casualty_member} {body.severity.name}", body.remarks]
    elif isinstance(body, Cache):
        parts = [
            ", ".join(f"{i.quantity} {i.unit.name} {i.name}" for i in body.items),
            body.remarks,
        ]
    return " / ".join([head, *(p for p in parts if p)])


__all__ = [
    "FRAME_OVERHEAD",
    "MAX_PACKET_BYTES",
    "SYNC_DIGEST",
    "TEXT_LIMITS",
    "AgeBand",
    "Armed",
    "Body",
    "Cache",
    "CacheItem",
    "Casualty",
    "CheckIn",
    "CheckInStatus",
    "CodecError",
    "Direction",
    "Fix",
    "RadioReport",
    "ReportType",
    "Severity",
    "Sighting",
    "SitRep",
    "SurvivorCondition",
    "SurvivorGroup",
    "Survivors",
    "Unit",
    "decode",
    "encode",
    "frame",
    "normalise",
    "readback",
    "unframe",
]
