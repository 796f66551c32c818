"""The radio codec: every report round-trips, no packet exceeds 200 bytes, and anything cut,
corrupted or unknown is refused with a CodecError that says why (never another exception)."""

from __future__ import annotations

import contextlib
import datetime as dt
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline.intel import codec
from lifeline.intel.codec import (
    MAX_CACHE_ITEMS,
    MAX_COUNT,
    MAX_MEMBER,
    MAX_PACKET_BYTES,
    MAX_QUANTITY,
    MAX_SECONDS,
    MAX_SEQ,
    MAX_SURVIVOR_GROUPS,
    TEXT_LIMITS,
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
    Severity,
    Sighting,
    SitRep,
    SurvivorCondition,
    SurvivorGroup,
    Survivors,
    Unit,
    decode,
    encode,
    normalise,
    readback,
)
from lifeline.intel.cot import cot_export, cot_import

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=220)
fixes = st.builds(
    Fix,
    mission_tag=st.integers(0, 0xFFFFFFFF),
    member=st.integers(0, MAX_MEMBER),
    seq=st.integers(0, MAX_SEQ),
    seconds=st.integers(-MAX_SECONDS, MAX_SECONDS),
    lat_e6=st.integers(-90_000_000, 90_000_000),
    lon_e6=st.integers(-180_000_000, 180_000_000),
)
bodies = st.one_of(
    st.builds(CheckIn, st.sampled_from(CheckInStatus), texts),
    st.builds(SitRep, texts),
    st.builds(
        Sighting,
        st.integers(0, MAX_COUNT),
        st.sampled_from(Armed),
        st.sampled_from(Direction),
        texts,
        texts,
    ),
    st.builds(
        Survivors,
        st.lists(
            st.builds(
                SurvivorGroup,
                st.sampled_from(AgeBand),
                st.sampled_from(SurvivorCondition),
                st.integers(1, MAX_COUNT),
            ),
            max_size=MAX_SURVIVOR_GROUPS,
        ).map(tuple),
        texts,
        texts,
    ),
    st.builds(Casualty, st.integers(0, MAX_MEMBER), st.sampled_from(Severity), texts),
    st.builds(
        Cache,
        st.lists(
            st.builds(CacheItem, texts, st.integers(0, MAX_QUANTITY), st.sampled_from(Unit)),
            max_size=MAX_CACHE_ITEMS,
        ).map(tuple),
        texts,
    ),
)
reports = st.builds(RadioReport, fixes, bodies)
START = dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC)


@given(reports)
def test_every_report_decodes_to_the_report_it_was_made_from(report: RadioReport) -> None:
    packet = encode(report)
    assert len(packet) <= MAX_PACKET_BYTES
    assert decode(packet) == normalise(report)


@given(reports)
def test_normalising_twice_changes_nothing(report: RadioReport) -> None:
    once = normalise(report)
    assert normalise(once) == once
    assert encode(once) == encode(report)


@settings(max_examples=60)
@given(reports)
def test_every_strict_prefix_of_a_packet_is_refused(report: RadioReport) -> None:
    packet = encode(report)
    for end in range(len(packet)):
        with pytest.raises(CodecError):
            decode(packet[:end])


@given(reports, st.lists(st.integers(0, 10_000), min_size=1, max_size=3, unique=True))
def test_one_two_or_three_flipped_bits_are_always_caught(
    report: RadioReport, positions: list[int]
) -> None:
    packet = bytearray(encode(report))
    bits = {p % (len(packet) * 8) for p in positions}
    for bit in bits:
        packet[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(CodecError):
        decode(bytes(packet))


@given(reports, st.binary(min_size=1, max_size=40), st.integers(0, 300))
def test_garbage_behind_a_good_checksum_is_refused_or_decoded_never_crashes(
    report: RadioReport, noise: bytes, at: int
) -> None:
    # Corrupt the body and then fix length and checksum, so the parser itself sees garbage.
    body = bytearray(encode(report)[:-2])
    at = 2 + at % max(1, len(body) - 2)
    body[at : at + len(noise)] = noise
    body = body[: MAX_PACKET_BYTES - 2]
    body[1] = len(body) + 2
    packet = bytes(body) + struct.pack(">H", codec.crc16(bytes(body)))
    try:
        decoded = decode(packet)
    except CodecError:
        return
    assert encode(decoded) == packet


@given(st.binary(max_size=260))
def test_random_bytes_never_raise_anything_but_a_codec_error(data: bytes) -> None:
    with contextlib.suppress(CodecError):
        decode(data)


def _largest(body: codec.Body) -> RadioReport:
    fix = Fix(0xFFFFFFFF, MAX_MEMBER, MAX_SEQ, -MAX_SECONDS, -90_000_000, -180_000_000)
    return RadioReport(fix, body)


LONG = "é" * 400  # two bytes a character: the text limit cuts between characters


@pytest.mark.parametrize(
    "body",
    [
        CheckIn(CheckInStatus.RETURNING, LONG),
        SitRep(LONG),
        Sighting(MAX_COUNT, Armed.YES, Direction.STATIONARY, LONG, LONG),
        Survivors(
            tuple(
                SurvivorGroup(AgeBand.AGE_60_PLUS, SurvivorCondition.CRITICAL, MAX_COUNT)
                for _ in range(MAX_SURVIVOR_GROUPS)
            ),
            LONG,
            LONG,
        ),
        Casualty(MAX_MEMBER, Severity.KILLED, LONG),
        Cache(
            tuple(CacheItem(LONG, MAX_QUANTITY, Unit.DOSE) for _ in range(MAX_CACHE_ITEMS)), LONG
        ),
    ],
    ids=lambda b: type(b).__name__,
)
def test_the_largest_report_of_each_type_fits_in_one_packet(body: codec.Body) -> None:
    packet = encode(_largest(body))
    assert len(packet) <= MAX_PACKET_BYTES
    assert decode(packet) == normalise(_largest(body))


def test_a_long_text_is_cut_at_a_character_boundary_within_its_limit() -> None:
    report = normalise(_largest(SitRep("ab " + LONG)))
    assert isinstance(report.body, SitRep)
    text = report.body.text
    assert len(text.encode()) <= TEXT_LIMITS["text"]
    assert ("ab " + LONG).startswith(text)


def test_an_unknown_version_or_type_is_refused_by_name() -> None:
    packet = bytearray(encode(_largest(SitRep("hello"))))
    packet[0] = 0x21
    with pytest.raises(CodecError, match="version 2"):
        decode(bytes(packet))
    body = bytearray(packet[:-2])
    body[0] = 0x1F
    with pytest.raises(CodecError, match="unknown report type 15"):
        decode(bytes(body) + struct.pack(">H", codec.crc16(bytes(body))))


def test_a_number_out_of_range_is_refused_when_encoding() -> None:
    with pytest.raises(CodecError, match="count"):
        encode(_largest(Sighting(count=MAX_COUNT + 1)))


def test_the_readback_names_the_facts_a_radio_operator_reads_out() -> None:
    report = RadioReport(
        Fix(0x00AB12CD, 2, 5, 5400, 33_512_345, 36_276_543),
        Survivors(
            (
                SurvivorGroup(AgeBand.AGE_5_11, SurvivorCondition.UNHURT, 4),
                SurvivorGroup(AgeBand.AGE_60_PLUS, SurvivorCondition.ILL, 1),
            ),
            "Mavrah",
            "sending coordinates",
        ),
    )
    text = readback(report)
    assert text.startswith("SURVIVORS M00AB12CD U2 #5 T+01:30 33.51235N 36.27654E")
    assert "4 5-11 UNHURT, 1 60+ ILL" in text and "AT Mavrah" in text


@settings(max_examples=60)
@given(reports)
def test_cursor_on_target_round_trips_every_report(report: RadioReport) -> None:
    xml = cot_export(report, mission_start=START, callsign="RAFIQ")
    again = cot_import(xml, mission_start=START, mission_tag=report.fix.mission_tag)
    assert again == normalise(report)


def test_a_plain_tak_hostile_marker_imports_as_a_sighting() -> None:
    xml = (
        '<event version="2.0" uid="x" type="a-h-G-U-C" how="h-g-i-g-o" '
        'time="2026-11-01T07:00:00Z" start="2026-11-01T07:00:00Z" stale="2026-11-01T07:10:00Z">'
        '<point lat="33.5" lon="36.3" hae="0" ce="10" le="10"/>'
        "<detail><remarks>two technicals</remarks></detail></event>"
    )
    report = cot_import(xml, mission_start=START, mission_tag=7)
    assert isinstance(report.body, Sighting) and report.body.armed == Armed.YES
    assert report.fix.seconds == 3600 and report.body.remarks == "two technicals"


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<event", "not well-formed"),
        ("<foo/>", "root element"),
        ('<event time="2026-11-01T07:00:00Z"/>', "no <point>"),
        (
            '<!DOCTYPE e [<!ENTITY a "aaaa">]><event><point lat="1" lon="1"/></event>',
            "unsafe",
        ),
        ('<event time="x"><point lat="1" lon="1"/></event>', "ISO 8601"),
        ('<event time="2026-11-01T07:00:00Z"><point lat="91" lon="1"/></event>', "range"),
    ],
)
def test_bad_cursor_on_target_is_refused_with_the_reason(xml: str, reason: str) -> None:
    with pytest.raises(CodecError, match=reason):
        cot_import(xml, mission_start=START, mission_tag=1)
