"""The name index's keys: which (kind, skeleton id, skeleton id) keys a row of token ids is
filed under, vectorised over many rows. Pure (numpy and the names' own rules)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from lifeline.people.matching.names import NameToken, token_key
from lifeline.people.matching.readings import READINGS

KIND_TOKEN, KIND_PAIR, KIND_SKELETON_INITIAL = 1, 2, 3
# How many tokens the arrays cover, then per reading and token id its skeleton's id and its
# initial's id.
TokenArrays = tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]


def token_arrays_extend(
    tokens: Sequence[NameToken],
    skeleton_ids: Mapping[str, int],
    initial: int,
    cached: TokenArrays | None,
) -> TokenArrays:
    """Per reading ("" first, then READINGS), per token id: the id of its skeleton and of its
    skeleton's first `initial` consonants in that reading (the usual one's when it reads
    alike). `cached` is extended by the tokens added since (an upsert may add one)."""
    count = len(tokens)
    if cached is not None and cached[0] == count:
        return cached
    done = cached[0] if cached is not None else 0
    skel = np.zeros((1 + len(READINGS), max(1, count - done)), dtype=np.int64)
    prefix = np.zeros_like(skel)
    for column, token in enumerate(tokens[done:]):
        key = token_key(token)
        skel[:, column] = skeleton_ids[key]
        prefix[:, column] = skeleton_ids[key[:initial]]
        for other in token.alternates:
            v = 1 + READINGS.index(other.reading[:1])
            key = token_key(other)
            skel[v, column] = skeleton_ids[key]
            prefix[v, column] = skeleton_ids[key[:initial]]
    if cached is not None and done:
        skel = np.concatenate([cached[1], skel], axis=1)
        prefix = np.concatenate([cached[2], prefix], axis=1)
    return count, skel, prefix


def posting_key(kind: int, a: int, b: int = 0) -> int:
    if kind == KIND_PAIR and b < a:
        a, b = b, a
    return (kind << 60) | (a << 30) | b


def keys_of_rows(
    matrix: npt.NDArray[np.int32],
    rows: npt.NDArray[np.int32],
    skel_by_reading: npt.NDArray[np.int64],
    prefix_by_reading: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
    """Keys and rows for a block of rows' token matrix, vectorised: those of the usual
    reading, and of each other reading for the rows it changes (the same keys may come
    twice). `skel_by_reading`, `prefix_by_reading`: per reading, per token id, the id of its
    skeleton and of its initial (`token_arrays_extend`)."""
    present = matrix >= 0
    safe = np.where(present, matrix, 0)
    keys: list[npt.NDArray[np.int64]] = []
    owners: list[npt.NDArray[np.int32]] = []
    usual = np.where(present, skel_by_reading[0][safe], -1)
    for v in range(len(skel_by_reading)):
        skel = np.where(present, skel_by_reading[v][safe], -1)
        prefix = np.where(present, prefix_by_reading[v][safe], -1)
        if v:
            changed = (skel != usual).any(axis=1)
            if not changed.any():
                continue
            _reading_keys(skel[changed], prefix[changed], rows[changed], keys, owners)
        else:
            _reading_keys(skel, prefix, rows, keys, owners)
    all_keys = np.concatenate(keys).astype(np.uint64)
    all_rows = np.concatenate(owners).astype(np.int32)
    return all_keys, all_rows


def _reading_keys(
    skel: npt.NDArray[np.int64],
    prefix: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int32],
    keys: list[npt.NDArray[np.int64]],
    owners: list[npt.NDArray[np.int32]],
) -> None:
    """The keys of rows whose tokens read as these skeletons (and initials)."""
    for j in range(skel.shape[1]):
        ok = skel[:, j] >= 0
        keys.append((KIND_TOKEN << 60) | (skel[ok, j] << 30))
        owners.append(rows[ok])
        for k in range(skel.shape[1]):
            if k == j:
                continue
            # (skeleton of one name, initial of another): a typo or a variant inside the
            # other name still finds the person.
            a, b = skel[:, j], prefix[:, k]
            ok = (a >= 0) & (b >= 0) & (skel[:, j] != skel[:, k])
            keys.append((KIND_SKELETON_INITIAL << 60) | (a[ok] << 30) | b[ok])
            owners.append(rows[ok])
            if k > j:
                # Also a skeleton with itself when two names share it (Mohamed
                # Mohammed, Karim Karimi): the pair is rarer than the one skeleton.
                a, b = skel[:, j], skel[:, k]
                ok = (a >= 0) & (b >= 0)
                lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
                keys.append((KIND_PAIR << 60) | (lo << 30) | hi)
                owners.append(rows[ok])
