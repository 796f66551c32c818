"""Radio packets of a sync digest: a site's signed messages cut into packets of at most 200
bytes in the radio codec's frame (`lifeline.intel.codec.frame`, kind `SYNC_DIGEST`), and each
packet as one line of text a radio operator can send.

Pure: no Django. What a message holds (a change, signed) is `sync.digest`'s business; here a
message is bytes.

Packet payload, inside the codec's frame (version and kind, length, ..., CRC-16):

    4 bytes   sender tag: the last 4 bytes of the sending site's id
    4 bytes   message tag: the first 4 bytes of the message's SHA-256
    1 byte    part number (high nibble, from 0) | number of parts - 1 (low nibble)
    ...       the part's bytes

A message is cut into at most 16 parts. Parts arrive in any order, twice, or not at all: a
message is whole when every part is here and the parts' SHA-256 is its tag; a part heard twice
counts once; a message with a part missing waits (nothing of it is applied). A packet whose
frame, checksum or layout is wrong is refused with the codec's error, naming what was wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from lifeline.intel.codec import (
    FRAME_OVERHEAD,
    MAX_PACKET_BYTES,
    SYNC_DIGEST,
    CodecError,
    frame,
    unframe,
)

_HEAD = 4 + 4 + 1
PART_BYTES = MAX_PACKET_BYTES - FRAME_OVERHEAD - _HEAD  # what one packet carries of a message
MAX_PARTS = 16
MAX_MESSAGE_BYTES = PART_BYTES * MAX_PARTS


@dataclass(frozen=True)
class Part:
    sender_tag: bytes  # 4 bytes
    message_tag: bytes  # 4 bytes
    number: int  # from 0
    count: int
    data: bytes


def message_tag(message: bytes) -> bytes:
    return hashlib.sha256(message).digest()[:4]


def message_packets(message: bytes, *, sender_tag: bytes) -> list[bytes]:
    """The packets of one message (each at most MAX_PACKET_BYTES)."""
    if len(sender_tag) != 4:
        raise CodecError("a sender tag is 4 bytes")
    if not message:
        raise CodecError("an empty message has nothing to send")
    if len(message) > MAX_MESSAGE_BYTES:
        raise CodecError(
            f"message of {len(message)} bytes, more than {MAX_MESSAGE_BYTES} ({MAX_PARTS} packets)"
        )
    tag = message_tag(message)
    chunks = [message[i : i + PART_BYTES] for i in range(0, len(message), PART_BYTES)]
    count = len(chunks)
    return [
        frame(SYNC_DIGEST, sender_tag + tag + bytes([n << 4 | (count - 1)]) + chunk)
        for n, chunk in enumerate(chunks)
    ]


def packet_part(packet: bytes) -> Part:
    """The part a packet carries, or CodecError saying why the packet is refused."""
    kind, payload = unframe(packet, minimum=FRAME_OVERHEAD + _HEAD + 1)
    if kind != SYNC_DIGEST:
        raise CodecError(f"packet of kind {kind} is a field report, not a sync digest")
    number, count = payload[8] >> 4, (payload[8] & 0x0F) + 1
    if number >= count:
        raise CodecError(f"part {number + 1} of {count}: a part beyond the last")
    data = payload[_HEAD:]
    if number < count - 1 and len(data) != PART_BYTES:
        raise CodecError(f"part {number + 1} of {count} is short: only the last part may be")
    return Part(payload[:4], payload[4:8], number, count, data)


def packet_line(packet: bytes) -> str:
    """A packet as one line of text (URL-safe base64, no padding)."""
    return base64.urlsafe_b64encode(packet).rstrip(b"=").decode("ascii")


def line_packet(line: str) -> bytes:
    """The packet a line of text carries, or CodecError."""
    text = line.strip()
    if not text or len(text) > 2 * MAX_PACKET_BYTES:
        raise CodecError(f"a line of {len(text)} characters is not a packet")
    try:
        raw = text.encode("ascii")
        return base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise CodecError("the line is not a packet in base64 (copied wrongly?)") from None


@dataclass(frozen=True)
class Assembled:
    messages: list[tuple[bytes, bytes]]  # (sender tag, message), each whole and checked
    incomplete: list[tuple[bytes, bytes, int, int]]  # (sender tag, message tag, have, count)
    # (sender tag, message tag, why): parts that cannot make one message; the others still do
    refused: list[tuple[bytes, bytes, str]] = field(default_factory=list)


PARTS_COUNT_DISAGREE = "two packets of one message disagree on its number of parts"
PART_DIFFERS = "two packets of one message differ in one part"
PARTS_NOT_WHOLE = "the parts of a message do not make it whole (its tag differs)"


def _group_problem(group: list[Part]) -> str | None:
    counts = {part.count for part in group}
    if len(counts) > 1:
        return PARTS_COUNT_DISAGREE
    by_number: dict[int, bytes] = {}
    for part in group:
        if by_number.setdefault(part.number, part.data) != part.data:
            return PART_DIFFERS
    return None


def parts_assemble(parts: Iterable[Part]) -> Assembled:
    """The messages whose parts are all here (a part heard twice counts once); the others
    say how many parts they have of how many. A message whose parts disagree, or whose parts
    do not make it whole, is refused on its own: it does not stop the other messages."""
    groups: dict[tuple[bytes, bytes], list[Part]] = {}
    for part in parts:
        groups.setdefault((part.sender_tag, part.message_tag), []).append(part)
    messages: list[tuple[bytes, bytes]] = []
    incomplete: list[tuple[bytes, bytes, int, int]] = []
    refused: list[tuple[bytes, bytes, str]] = []
    for (sender, tag), group in groups.items():
        problem = _group_problem(group)
        if problem is not None:
            refused.append((sender, tag, problem))
            continue
        by_number = {part.number: part.data for part in group}
        count = group[0].count
        if len(by_number) < count:
            incomplete.append((sender, tag, len(by_number), count))
            continue
        message = b"".join(by_number[n] for n in range(count))
        if message_tag(message) != tag:
            refused.append((sender, tag, PARTS_NOT_WHOLE))
            continue
        messages.append((sender, message))
    return Assembled(messages, incomplete, refused)


__all__ = [
    "MAX_MESSAGE_BYTES",
    "PART_BYTES",
    "Assembled",
    "Part",
    "line_packet",
    "message_packets",
    "packet_line",
    "packet_part",
    "parts_assemble",
]
