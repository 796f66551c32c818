"""The order among persons whose names score alike, vectorised for the name index: the rows
nearest the words the searcher typed first (`names.spelling_closeness`).

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

SCORE_PLACES = 4  # a score as searches show and sort it (names.candidate_score)


def rows_closeness(
    spelling: Sequence[str], words: Sequence[str], row_words: npt.NDArray[np.int32]
) -> npt.NDArray[np.float64]:
    """names.spelling_closeness of the typed words to each row's (`row_words`: ids into
    `words`, -1 for none), compared over the distinct words of these rows only."""
    out = np.zeros(len(row_words))
    if not spelling or not len(row_words) or not words:
        return out
    present, slots = np.unique(row_words, return_inverse=True)
    slots = slots.reshape(row_words.shape)
    texts = [words[w] if w >= 0 else "" for w in present.tolist()]
    sims = process.cdist(
        list(spelling), texts, scorer=Levenshtein.normalized_similarity, dtype=np.float32
    )
    sims[:, present < 0] = 0.0  # the padding
    for j in range(len(spelling)):
        out += sims[j][slots].max(axis=1)
    return out / len(spelling)


def best_with_ties(
    score: npt.NDArray[np.float64],
    k: int,
    closeness_of: Callable[[npt.NDArray[np.intp]], npt.NDArray[np.float64]] | None,
) -> npt.NDArray[np.intp]:
    """Indices of the k best scores; among those tied with the k-th (at the places searches
    show), the nearest by `closeness_of` (given the tied indices)."""
    if len(score) <= k:
        return np.arange(len(score))
    shown = np.round(score, SCORE_PLACES)
    kth = np.partition(-shown, k - 1)[k - 1]
    sure = np.nonzero(-shown < kth)[0]
    tied = np.nonzero(-shown == kth)[0]
    if closeness_of is None or len(sure) + len(tied) <= k:
        return np.concatenate([sure, tied])[:k]
    closeness = closeness_of(tied)
    chosen = tied[np.argsort(-closeness, kind="stable")[: k - len(sure)]]
    return np.concatenate([sure, chosen])
