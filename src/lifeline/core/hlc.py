"""Hybrid logical clock (Kulkarni et al. 2014): physical milliseconds, a counter, and the site.

A version orders every write across sites: later physical time wins, the counter breaks ties
inside one millisecond, and the site breaks ties between sites. It stays monotonic when the
wall clock steps back. Pure: no database here; `core.services.clock_tick` persists it.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTER_LIMIT = 0xFFFF
MS_LIMIT = 0xFFFF_FFFF_FFFF
_MS_HEX = 12
_COUNTER_HEX = 4


class ClockFormatError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Timestamp:
    ms: int
    counter: int
    site: str

    def encode(self) -> str:
        """Fixed-width hex so that string order equals clock order (site hex last)."""
        return f"{self.ms:0{_MS_HEX}x}{self.counter:0{_COUNTER_HEX}x}-{self.site}"


ZERO = Timestamp(0, 0, "")


def decode(version: str) -> Timestamp:
    head, sep, site = version.partition("-")
    if not sep or len(head) != _MS_HEX + _COUNTER_HEX or not site:
        raise ClockFormatError(f"not a clock version: {version!r}")
    try:
        ms = int(head[:_MS_HEX], 16)
        counter = int(head[_MS_HEX:], 16)
    except ValueError as exc:
        raise ClockFormatError(f"not a clock version: {version!r}") from exc
    return Timestamp(ms, counter, site)


def _advance(ms: int, counter: int, site: str) -> Timestamp:
    # A counter that would overflow moves the clock one millisecond ahead of the wall instead.
    if counter > COUNTER_LIMIT:
        return Timestamp(ms + 1, 0, site)
    return Timestamp(ms, counter, site)


def tick(last: Timestamp, now_ms: int, site: str) -> Timestamp:
    """The version of a local write made after `last` with the wall clock reading `now_ms`."""
    if now_ms > last.ms:
        return Timestamp(now_ms, 0, site)
    return _advance(last.ms, last.counter + 1, site)


def tick_many(last: Timestamp, now_ms: int, site: str, count: int) -> list[Timestamp]:
    """`count` successive `tick`s from `last` at one wall-clock reading: the versions of the
    rows of one transaction, made without a loop over `tick` (a bulk import stamps many)."""
    if count <= 0:
        return []
    first = tick(last, now_ms, site)
    if first.counter + count - 1 <= COUNTER_LIMIT:
        ms, start = first.ms, first.counter
        return [Timestamp(ms, start + i, site) for i in range(count)]
    stamps = [first]
    for _ in range(count - 1):
        stamps.append(tick(stamps[-1], now_ms, site))
    return stamps


def receive(last: Timestamp, remote: Timestamp, now_ms: int, site: str) -> Timestamp:
    """The local clock after seeing a version from another site: later than both."""
    top = max(last.ms, remote.ms, now_ms)
    if top == last.ms == remote.ms:
        counter = max(last.counter, remote.counter) + 1
    elif top == last.ms:
        counter = last.counter + 1
    elif top == remote.ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return _advance(top, counter, site)
