"""Which records the duplicate finder compares at all (`matching.linkage` weighs them).
Pure: no Django.

Blocking: records are compared when they share a pair of name keys (consonant skeletons), or
would after one consonant is deleted from one name of each record (so one changed, missing or
extra consonant still meets: Sohaib and Shoaib, Badr and Bard), in any order (swapped given
and family names). A key shared by more records than a block holds is not dropped: its
records are compared in order of birth year, each with its nearest neighbours (the sorted
neighbourhood method, Hernández and Stolfo 1995).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lifeline.people.matching.names import ParsedName, token_key

IntArray = npt.NDArray[np.int64]

SLOTS = 4  # names of a record compared (given, father's, grandfather's, family)


class Blockable(Protocol):
    """What blocking reads of a record (`linkage.LinkRecord`)."""

    @property
    def name(self) -> ParsedName: ...

    @property
    def placeholder(self) -> bool: ...

    @property
    def birth_year(self) -> int | None: ...


# ---- keys ---------------------------------------------------------------------------------

MAX_BLOCK = 40  # records compared all with all under one key; beyond, nearest neighbours
NEIGHBOURS = 12  # each record's neighbours (by birth year) in a larger block


def skeleton_deletions(skeleton: str) -> list[str]:
    """A skeleton with each of its consonants left out in turn, and itself (sh as s)."""
    if skeleton.startswith("~") or not skeleton:
        return []
    plain = skeleton.replace("S", "s")  # sh written as one letter or as s and h: one key
    if len(plain) < 2:
        return [plain]  # Sa and Ss (sh and s): one key, as in longer names
    shorter = {plain[:i] + plain[i + 1 :] for i in range(len(plain))}
    # A final d or b is read t or p in a skeleton (names.token_make): a consonant dropped
    # after one leaves it final, and it is read so too (Wardak less its k is Warda, wrt).
    shorter |= {d[:-1] + FINAL_READING[d[-1]] for d in shorter if d[-1:] in FINAL_READING}
    return list(shorter | {plain})


FINAL_READING = {"d": "t", "b": "p"}


def blocking_keys(name: ParsedName) -> set[str]:
    """The keys of one record's names (see the module's docstring)."""
    skeletons = list(dict.fromkeys(token_key(t) for t in name.tokens[:SLOTS]))
    if len(skeletons) == 1:
        return {skeletons[0], *skeleton_deletions(skeletons[0])}
    keys: set[str] = set()
    for i, a in enumerate(skeletons):
        for b in skeletons[i + 1 :]:
            for x in (a, *skeleton_deletions(a)):
                keys.add(f"{min(x, b)}|{max(x, b)}")
            for y in (b, *skeleton_deletions(b)):
                keys.add(f"{min(a, y)}|{max(a, y)}")
    return keys


def candidate_pairs(records: Sequence[Blockable]) -> tuple[IntArray, IntArray]:
    """Pairs of positions in `records` worth scoring (lower first), as two arrays."""
    key_ids: dict[str, int] = {}
    keys: list[int] = []
    rows: list[int] = []
    for position, record in enumerate(records):
        if record.placeholder or not record.name.tokens:
            continue
        for key in blocking_keys(record.name):
            keys.append(key_ids.setdefault(key, len(key_ids)))
            rows.append(position)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key_array = np.array(keys, dtype=np.int64)
    row_array = np.array(rows, dtype=np.int64)
    years = np.array([r.birth_year or 0 for r in records], dtype=np.int64)
    order = np.lexsort((years[row_array], key_array))
    key_array, row_array = key_array[order], row_array[order]
    starts = np.concatenate(([0], np.nonzero(np.diff(key_array))[0] + 1))
    sizes = np.diff(np.append(starts, len(key_array)))
    firsts: list[IntArray] = []
    seconds: list[IntArray] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_BLOCK)]).tolist():
        block_starts = starts[sizes == size]
        members = row_array[block_starts[:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        firsts.append(members[:, i].ravel())
        seconds.append(members[:, j].ravel())
    # A larger block: each record with its nearest neighbours by birth year (sorted above).
    for start, size in zip(
        starts[sizes > MAX_BLOCK].tolist(), sizes[sizes > MAX_BLOCK].tolist(), strict=True
    ):
        members = row_array[start : start + size]
        for k in range(1, NEIGHBOURS + 1):
            firsts.append(members[:-k])
            seconds.append(members[k:])
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    low, high = np.minimum(a, b), np.maximum(a, b)
    code = np.unique(low * len(records) + high)
    low, high = code // len(records), code % len(records)
    keep = low != high
    return low[keep], high[keep]
