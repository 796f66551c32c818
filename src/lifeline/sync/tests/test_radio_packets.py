"""Radio packets of a sync digest (pure, no database): every packet within 200 bytes, a message
whole again from its packets in any order and heard twice, and nothing but the codec's error
from anything else."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline.intel import codec
from lifeline.intel.codec import CodecError
from lifeline.sync import radio

TAG = b"\x01\x02\x03\x04"


@given(st.binary(min_size=1, max_size=radio.MAX_MESSAGE_BYTES), st.randoms())
def test_a_message_comes_back_whole_from_its_packets_in_any_order_heard_twice(
    message: bytes, rng: random.Random
) -> None:
    packets = radio.message_packets(message, sender_tag=TAG)
    assert all(len(p) <= codec.MAX_PACKET_BYTES for p in packets)
    heard = packets + rng.sample(packets, k=len(packets) // 2)
    rng.shuffle(heard)
    lines = [radio.packet_line(p) for p in heard]

    assembled = radio.parts_assemble(radio.packet_part(radio.line_packet(x)) for x in lines)

    assert assembled.messages == [(TAG, message)]
    assert assembled.incomplete == []


def test_a_message_whose_parts_differ_is_refused_alone_and_the_others_come_whole() -> None:
    bad, good = bytes(range(256)) * 2, b"a second message, whole"
    bad_parts = [radio.packet_part(p) for p in radio.message_packets(bad, sender_tag=TAG)]
    first = bad_parts[0]
    other = radio.Part(first.sender_tag, first.message_tag, 0, first.count, b"x" * len(first.data))
    good_parts = [radio.packet_part(p) for p in radio.message_packets(good, sender_tag=TAG)]

    assembled = radio.parts_assemble([*bad_parts, other, *good_parts])

    assert assembled.messages == [(TAG, good)]
    assert assembled.refused == [(TAG, radio.message_tag(bad), radio.PART_DIFFERS)]


def test_a_message_with_a_packet_lost_waits_and_says_what_it_has() -> None:
    message = bytes(range(256)) * 2
    packets = radio.message_packets(message, sender_tag=TAG)
    assert len(packets) == 3

    assembled = radio.parts_assemble(radio.packet_part(p) for p in packets[:2])

    assert assembled.messages == []
    assert assembled.incomplete == [(TAG, radio.message_tag(message), 2, 3)]


def test_a_message_too_large_for_sixteen_packets_is_refused() -> None:
    with pytest.raises(CodecError, match="more than"):
        radio.message_packets(b"x" * (radio.MAX_MESSAGE_BYTES + 1), sender_tag=TAG)


def test_a_corrupted_packet_is_refused_with_the_codecs_error() -> None:
    packet = bytearray(radio.message_packets(b"status: missing", sender_tag=TAG)[0])
    packet[12] ^= 0x40
    with pytest.raises(CodecError, match="checksum"):
        radio.packet_part(bytes(packet))
    with pytest.raises(CodecError, match="truncated"):
        radio.packet_part(bytes(packet[:-3]))


def test_a_field_report_is_not_a_digest_packet_nor_a_digest_packet_a_report() -> None:
    report = codec.encode(codec.RadioReport(fix=codec.Fix(1, 2, 3, 4, 5, 6)))
    with pytest.raises(CodecError, match="field report"):
        radio.packet_part(report)
    with pytest.raises(CodecError, match="sync digest"):
        codec.decode(radio.message_packets(b"x" * 40, sender_tag=TAG)[0])


def test_a_line_that_is_not_base64_is_refused() -> None:
    with pytest.raises(CodecError, match="base64"):
        radio.line_packet("not a packet!")


@settings(max_examples=300)
@given(st.binary(max_size=260))
def test_any_bytes_are_a_part_or_the_codecs_error(data: bytes) -> None:
    try:
        part = radio.packet_part(data)
    except CodecError:
        return
    assert len(data) <= codec.MAX_PACKET_BYTES and part.number < part.count


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_any_text_is_a_packet_or_the_codecs_error(text: str) -> None:
    try:
        part = radio.packet_part(radio.line_packet(text))
    except CodecError:
        return
    assert part.number < part.count


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=200), max_size=6), st.binary(min_size=1, max_size=400))
def test_stray_and_damaged_packets_among_good_ones_give_the_message_or_the_codecs_error(
    strays: list[bytes], message: bytes
) -> None:
    packets = radio.message_packets(message, sender_tag=TAG)
    parts = []
    for data in [*packets, *strays, *(p[:-1] + bytes([p[-1] ^ 1]) for p in packets)]:
        try:
            parts.append(radio.packet_part(data))
        except CodecError:
            continue
    assembled = radio.parts_assemble(parts)
    if any(tag == radio.message_tag(message) for _sender, tag, _why in assembled.refused):
        return
    assert (TAG, message) in assembled.messages
