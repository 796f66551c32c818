"""Fixed test vectors of the radio wire format: packets written down as bytes. A change that
alters encode and decode together (which every round-trip test would miss) changes the bytes
that radios already in the field send and read, and fails here.

The check-in's bytes, read by hand:

    10            version 1 (high nibble), type 0: check-in
    1e            30 bytes in all
    1a2b3c4d      mission tag
    03            member 3
    11            sequence 17
    f901          seconds -125, zigzag varint (249)
    01ff65f8      latitude 33.515000 (micro-degrees, big-endian)
    02299aa8      longitude 36.281000
    00            status OK
    08 6174206b6d203432   note, 8 bytes: "at km 42"
    ee24          CRC-16 of everything before it
"""

from __future__ import annotations

import pytest

from lifeline.intel import codec as c

FIX = c.Fix(0x1A2B3C4D, 3, 17, -125, 33_515_000, 36_281_000)

VECTORS: dict[str, tuple[c.RadioReport, str]] = {
    "check-in": (
        c.RadioReport(FIX, c.CheckIn(c.CheckInStatus.OK, "at km 42")),
        "101e1a2b3c4d0311f90101ff65f802299aa800086174206b6d203432ee24",
    ),
    "sitrep": (
        c.RadioReport(FIX, c.SitRep("Bridge down")),
        "11201a2b3c4d0311f90101ff65f802299aa80b42726964676520646f776e18e8",
    ),
    "sighting": (
        c.RadioReport(FIX, c.Sighting(12, c.Armed.YES, c.Direction.NE, "Jackals", "2 trucks")),
        "12271a2b3c4d0311f90101ff65f802299aa80c22074a61636b616c73083220747275636b7318c8",
    ),
    "survivors": (
        c.RadioReport(
            FIX,
            c.Survivors(
                (c.SurvivorGroup(c.AgeBand.UNDER_5, c.SurvivorCondition.DEHYDRATED, 2),),
                "Mavrah",
                "",
            ),
        ),
        "131f1a2b3c4d0311f90101ff65f802299aa8011402064d617672616800a7bb",
    ),
    "casualty": (
        c.RadioReport(FIX, c.Casualty(2, c.Severity.SERIOUS, "leg")),
        "141a1a2b3c4d0311f90101ff65f802299aa80201036c6567af1c",
    ),
    "cache": (
        c.RadioReport(FIX, c.Cache((c.CacheItem("water", 40, c.Unit.PIECE),), "school")),
        "15241a2b3c4d0311f90101ff65f802299aa8010577617465722800067363686f6f6c8821",
    ),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_report_encodes_to_its_written_down_bytes(name: str) -> None:
    report, packet = VECTORS[name]
    assert c.encode(report).hex() == packet


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_the_written_down_bytes_decode_to_the_report(name: str) -> None:
    report, packet = VECTORS[name]
    assert c.decode(bytes.fromhex(packet)) == c.normalise(report)


def test_the_check_in_vector_reads_as_the_layout_says() -> None:
    raw = bytes.fromhex(VECTORS["check-in"][1])
    assert raw[0] >> 4 == 1 and raw[0] & 0x0F == c.ReportType.CHECK_IN
    assert raw[1] == len(raw) == 30
    assert raw[2:6] == bytes.fromhex("1a2b3c4d")
    assert raw[6:10] == bytes.fromhex("0311f901")  # member, sequence, seconds
    assert int.from_bytes(raw[10:14], "big", signed=True) == 33_515_000
    assert int.from_bytes(raw[-2:], "big") == c.crc16(raw[:-2])
