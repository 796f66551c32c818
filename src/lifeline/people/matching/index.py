"""The name index: finds the few persons worth scoring among a million, in milliseconds.

Each person is a compact row number. Postings map keys of their names to rows:
- each token's consonant skeleton (`t`), for a query of one name;
- each unordered pair of token skeletons (`p`), the usual query (given and family name, in any
  order);
- each token's skeleton with the first consonant of each other token (`i`), for a typo or
  an unusual spelling inside one of the names.
A query name that is not in the vocabulary (a partial name: "Abderr") stands for every known
skeleton that begins with its own.

Keys are 64-bit integers (kind, skeleton id, skeleton id), kept as one sorted array with the
rows beside it (`np.searchsorted` finds a key's rows). Rows added since the last compaction
sit in a small dictionary; a changed person gets a new row and the old one is marked dead.

Pure: no Django. Where it is saved and how it catches up with the registry is
`matching.index_store`.
"""

from __future__ import annotations

import bisect
import heapq
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from lifeline.people.matching.index_keys import (
    KIND_PAIR,
    KIND_SKELETON_INITIAL,
    KIND_TOKEN,
    TokenArrays,
    keys_of_rows,
    posting_key,
    token_arrays_extend,
)
from lifeline.people.matching.names import (
    GIVEN_MATCHED,
    GIVEN_UNMATCHED,
    OTHER_ENDING_APART,
    Evidence,
    NameToken,
    ParsedName,
    Probe,
    age_agreement,
    given_name_similarity,
    name_similarity,
    person_tokens,
    score_line,
    spelling_words,
    token_key,
    token_similarity,
)
from lifeline.people.matching.spelling_order import SCORE_PLACES, best_with_ties, rows_closeness

MAX_TOKENS = 6
MAX_CANDIDATES = 40_000
NARROW_AGE_GAP = 10  # years from the age sought kept when a name brings too many rows
SIMS_CACHE_FLOATS = 4_000_000  # similarity rows kept between queries (32 MB at most)
FULL_MATCH = 0.97  # a name score meaning every name of the query was found
SETTLED_SCORE = 0.96  # candidates this good leave no room for a wider tier's
RERANK = 30  # candidates scored again with the exact name rule
PREFIX_FANOUT = 30  # known skeletons a partial name may stand for
PREFIX_CANDIDATES = 3_000  # rows taken beyond the exact pairs, rarest keys first
NEAR_FANOUT = 80  # known skeletons one edit from a query name's that it may stand for
# When two names of the query each have a slip (Sars Agmed for Sara Ahmed), pairs of their
# most common one-edit neighbours: a few, so the tier stays small.
NEAR_BOTH = 8
# The fallback tier (`_rows_near`): per query name, the vocabulary names nearest it, and the
# rows of their skeletons looked through at most.
NEAR_TOKENS = 40
NEAR_TOKEN_FLOOR = 0.5
NEAR_ROWS = 60_000
PREFIX_TEXT = 4  # letters of a query name before the names it begins are looked for
INITIAL = 1  # consonants of the other name in a (skeleton, initial) key
SEX_CODES = {"female": 1, "male": 2}

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class IndexRecord:
    """What the index keeps of a person: id, names, sex, year of birth, household, site."""

    person_id: uuid.UUID
    names: tuple[str, ...]
    sex: str = ""
    birth_year: int | None = None
    household: str = ""  # the household's id, as text
    site: str = ""  # the current site's code


@dataclass(frozen=True)
class IndexHit:
    person_id: uuid.UUID
    score: float
    name_score: float


ROW_ARRAYS = ("row_sex", "row_year", "row_alive", "row_site", "row_household", "row_hi", "row_lo")


def _intern(values: list[str], ids: dict[str, int], value: str) -> int:
    found = ids.get(value)
    if found is None:
        found = ids[value] = len(values)
        values.append(value)
    return found


class NameIndex:
    """In-memory postings from name keys to person rows, with compact per-row attributes."""

    def __init__(self) -> None:
        self.tokens: list[NameToken] = []
        self.token_ids: dict[NameToken, int] = {}
        self.skeletons: list[str] = []
        self.skeleton_ids: dict[str, int] = {"": 0}
        self.skeletons.append("")
        # Per row.
        self.row_tokens = np.full((0, MAX_TOKENS), -1, dtype=np.int32)
        # The words as typed (names.spelling_words), ids into `words`: the order among ties.
        self.row_words = np.full((0, MAX_TOKENS), -1, dtype=np.int32)
        self.words: list[str] = []
        self.word_ids: dict[str, int] = {}
        self.row_sex = np.zeros(0, dtype=np.int8)
        self.row_year = np.zeros(0, dtype=np.int16)
        self.row_alive = np.zeros(0, dtype=bool)
        self.row_site = np.zeros(0, dtype=np.int32)
        self.row_household = np.zeros(0, dtype=np.int32)
        self.row_hi = np.zeros(0, dtype=np.uint64)
        self.row_lo = np.zeros(0, dtype=np.uint64)
        self.rows = 0
        # Postings: compacted (sorted keys, rows) and a delta for rows added since.
        self.keys = np.zeros(0, dtype=np.uint64)
        self.key_rows = np.zeros(0, dtype=np.int32)
        self.delta: dict[int, list[int]] = defaultdict(list)
        self.row_of: dict[uuid.UUID, int] = {}
        # Sites and households as small integers (0: none).
        self.sites: list[str] = [""]
        self.site_ids: dict[str, int] = {"": 0}
        self.households: list[str] = [""]
        self.household_ids: dict[str, int] = {"": 0}
        self._name_cache: dict[tuple[str, ...], tuple[int, ...]] = {}
        self._token_arrays_cache: TokenArrays | None = None
        self.watermark = 0
        self.database = ""
        # Token vocabulary as arrays, for vectorised scoring.
        self._vocab_dirty = True
        self._tok_skel = np.zeros(0, dtype=np.int32)
        self._tok_fem = np.zeros(0, dtype=bool)
        self._tok_open = np.zeros(0, dtype=bool)
        self._tok_text: list[str] = []
        self._sorted_text: list[str] = []
        self._sorted_ids: list[int] = []
        self._skel_text: list[str] = []
        self._prefix_cache: dict[str, tuple[int, list[int]]] = {}
        self._near_cache: dict[str, tuple[int, list[int]]] = {}
        self._sims_cache: dict[NameToken, npt.NDArray[np.float64]] = {}
        self._given_sims_cache: dict[NameToken, npt.NDArray[np.float64]] = {}

    # ---- building ---------------------------------------------------------------------------

    def _skeleton_id(self, text: str) -> int:
        sid = self.skeleton_ids.get(text)
        if sid is None:
            sid = len(self.skeletons)
            self.skeleton_ids[text] = sid
            self.skeletons.append(text)
        return sid

    def _token_id(self, token: NameToken) -> int:
        tid = self.token_ids.get(token)
        if tid is None:
            tid = len(self.tokens)
            self.token_ids[token] = tid
            self.tokens.append(token)
            for reading in (token, *token.alternates):
                key = token_key(reading)
                self._skeleton_id(key)
                self._skeleton_id(key[:INITIAL])
            self._vocab_dirty = True
        return tid

    def _grow(self, extra: int) -> None:
        need = self.rows + extra
        have = len(self.row_sex)
        if need <= have:
            return
        size = max(need, int(have * 1.25) + 1024)
        self.row_tokens = np.concatenate(
            [self.row_tokens, np.full((size - have, MAX_TOKENS), -1, dtype=np.int32)]
        )
        self.row_words = np.concatenate(
            [self.row_words, np.full((size - have, MAX_TOKENS), -1, dtype=np.int32)]
        )
        for name in ROW_ARRAYS:
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.zeros(size - have, dtype=old.dtype)]))

    def _row_put(self, record: IndexRecord, tokens: Sequence[int]) -> int:
        row = self.rows
        self._grow(1)
        self.rows += 1
        self.row_tokens[row, : len(tokens)] = tokens[:MAX_TOKENS]
        words = self._words_of(record)
        self.row_words[row, : len(words)] = words
        self.row_sex[row] = SEX_CODES.get(record.sex, 0)
        self.row_year[row] = record.birth_year or 0
        self.row_alive[row] = True
        self.row_site[row] = _intern(self.sites, self.site_ids, record.site)
        self.row_household[row] = _intern(self.households, self.household_ids, record.household)
        value = record.person_id.int
        self.row_hi[row] = value >> 64
        self.row_lo[row] = value & ((1 << 64) - 1)
        self.row_of[record.person_id] = row
        return row

    def _row_keys(self, tokens: Sequence[int]) -> set[int]:
        """The keys of one row (the same as `_keys_of_rows` gives for many at once)."""
        matrix = np.full((1, MAX_TOKENS), -1, dtype=np.int32)
        matrix[0, : len(tokens)] = tokens[:MAX_TOKENS]
        keys, _ = self._keys_of_rows(matrix, np.zeros(1, dtype=np.int32))
        return set(keys.tolist())

    def _token_arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        cached = token_arrays_extend(
            self.tokens, self.skeleton_ids, INITIAL, self._token_arrays_cache
        )
        self._token_arrays_cache = cached
        return cached[1], cached[2]

    def _keys_of_rows(
        self, matrix: npt.NDArray[np.int32], rows: npt.NDArray[np.int32]
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
        """Keys and rows for a block of rows' token matrix (index_keys.keys_of_rows)."""
        return keys_of_rows(matrix, rows, *self._token_arrays())

    def _tokens_of(self, record: IndexRecord) -> list[int]:
        """Token ids of the person's tokens as the scorer reads them (names.person_tokens)."""
        key = record.names
        ids = self._name_cache.get(key)
        if ids is None:
            ids = tuple(self._token_id(t) for t in person_tokens(record.names).tokens)
            self._name_cache[key] = ids
        return list(ids)

    def _words_of(self, record: IndexRecord) -> list[int]:
        return [_intern(self.words, self.word_ids, w) for w in spelling_words(record.names)][
            :MAX_TOKENS
        ]

    def build(self, records: Iterable[IndexRecord], *, watermark: int = 0) -> NameIndex:
        """Fill an empty index in one pass (keys made and sorted once at the end)."""
        for record in records:
            self._row_put(record, self._tokens_of(record))
        n = self.rows
        keys, rows = self._keys_of_rows(self.row_tokens[:n], np.arange(n, dtype=np.int32))
        # One posting per (key, row): a row whose tokens repeat a skeleton gives it twice.
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order]
        if len(keys):
            keep = np.ones(len(keys), dtype=bool)
            keep[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
            keys, rows = keys[keep], rows[keep]
        self.keys, self.key_rows = keys, rows
        self.watermark = watermark
        return self

    def _compact_with(self, keys: npt.NDArray[np.uint64], rows: npt.NDArray[np.int32]) -> None:
        keys = np.concatenate([self.keys, keys])
        rows = np.concatenate([self.key_rows, rows])
        order = np.lexsort((rows, keys))
        self.keys, self.key_rows = keys[order], rows[order]

    def compact(self) -> None:
        """Fold the delta into the sorted arrays (dead rows' postings are dropped too)."""
        if self.delta:
            keys = np.fromiter((k for k, rows in self.delta.items() for _ in rows), dtype=np.uint64)
            rows = np.fromiter((r for v in self.delta.values() for r in v), dtype=np.int32)
            self.delta = defaultdict(list)
            self._compact_with(keys, rows)
        alive = self.row_alive[self.key_rows]
        if not alive.all():
            self.keys, self.key_rows = self.keys[alive], self.key_rows[alive]

    # ---- changes ----------------------------------------------------------------------------

    def upsert(self, record: IndexRecord) -> None:
        """Index a new or changed person; an unchanged one is left alone."""
        tokens = self._tokens_of(record)
        old = self.row_of.get(record.person_id)
        if old is not None and self.row_alive[old]:
            same = (
                list(self.row_tokens[old][self.row_tokens[old] >= 0]) == tokens[:MAX_TOKENS]
                and list(self.row_words[old][self.row_words[old] >= 0]) == self._words_of(record)
                and self.row_sex[old] == SEX_CODES.get(record.sex, 0)
                and self.row_year[old] == (record.birth_year or 0)
                and self.sites[self.row_site[old]] == record.site
                and self.households[self.row_household[old]] == record.household
            )
            if same:
                return
            self.row_alive[old] = False
        row = self._row_put(record, tokens)
        for key in self._row_keys(tokens):
            self.delta[key].append(row)

    def remove(self, person_id: uuid.UUID) -> None:
        row = self.row_of.pop(person_id, None)
        if row is not None:
            self.row_alive[row] = False

    def __len__(self) -> int:
        return int(self.row_alive[: self.rows].sum())

    def __contains__(self, person_id: object) -> bool:
        row = self.row_of.get(person_id) if isinstance(person_id, uuid.UUID) else None
        return row is not None and bool(self.row_alive[row])

    # ---- search -----------------------------------------------------------------------------

    def _vocab_arrays(self) -> None:
        if not self._vocab_dirty:
            return
        self._tok_skel = np.array(
            [self.skeleton_ids[token_key(t)] for t in self.tokens], dtype=np.int32
        )
        self._tok_fem = np.array([t.feminine for t in self.tokens], dtype=bool)
        self._tok_open = np.array([t.vowels[-1] == "e" for t in self.tokens], dtype=bool)
        self._tok_text = [t.text for t in self.tokens]
        self._skel_text = list(self.skeletons)
        order = sorted(range(len(self._tok_text)), key=self._tok_text.__getitem__)
        self._sorted_text = [self._tok_text[i] for i in order]
        self._sorted_ids = order
        self._vocab_dirty = False

    def _tokens_beginning(self, text: str) -> list[int]:
        """Ids of at most PREFIX_FANOUT vocabulary names whose text begins with `text`."""
        start = bisect.bisect_left(self._sorted_text, text)
        found: list[int] = []
        for i in range(start, min(start + PREFIX_FANOUT, len(self._sorted_text))):
            if not self._sorted_text[i].startswith(text):
                break
            found.append(self._sorted_ids[i])
        return found

    def _postings(self, keys: Iterable[int]) -> list[npt.NDArray[np.int32]]:
        wanted = np.array(sorted(set(keys)), dtype=np.uint64)
        starts = np.searchsorted(self.keys, wanted, side="left")
        ends = np.searchsorted(self.keys, wanted, side="right")
        found = [self.key_rows[s:e] for s, e in zip(starts, ends, strict=True) if e > s]
        for key in wanted.tolist():
            extra = self.delta.get(key)
            if extra:
                found.append(np.array(extra, dtype=np.int32))
        return found

    def _skeletons_for(self, token: NameToken) -> list[int]:
        """The skeleton ids a query token stands for: its own, or those it begins."""
        key = token_key(token)
        sid = self.skeleton_ids.get(key)
        if sid is not None:
            return [sid]
        if len(key) < 2:
            return []
        cached = self._prefix_cache.get(key)
        if cached is None or cached[0] != len(self.skeletons):
            found = [i for i, s in enumerate(self.skeletons) if s.startswith(key)][:PREFIX_FANOUT]
            cached = (len(self.skeletons), found)
            self._prefix_cache[key] = cached
        return cached[1]

    def _reading_skeletons(self, token: NameToken) -> list[int]:
        """The known skeleton ids of the token's other readings (names.READINGS) that differ
        from its own: Cemal stands for Jamal too, Kaled for Khaled."""
        own = token_key(token)
        found = {self.skeleton_ids.get(token_key(t), -1) for t in token.alternates}
        found.discard(-1)
        found.discard(self.skeleton_ids.get(own, -1))
        return sorted(found)

    def _near_skeletons(self, token: NameToken) -> list[int]:
        """Known skeletons one edit from the token's (a consonant left out, added, changed or
        swapped with the next):
        a typo anywhere in a name, the first letter too (Eiri for Deiri, Inane for Imane),
        or a letter one spelling writes and another not (Cabdi, Abdi)."""
        key = token.skeleton
        if not key:
            return []
        cached = self._near_cache.get(key)
        if cached is None or cached[0] != len(self.skeletons):
            # Optimal string alignment: two letters swapped are one edit too, as in Damerau
            # (1964), who found four kinds of slip in about 80% of misspellings.
            found = process.extract(
                key, self._skel_text, scorer=OSA.distance, score_cutoff=1, limit=None
            )
            ids = [i for text, distance, i in found if distance == 1 and text]
            # The most common first: a typo is more often made in a common name.
            keys = np.array([posting_key(KIND_TOKEN, i) for i in ids], dtype=np.uint64)
            counts = np.searchsorted(self.keys, keys, side="right") - np.searchsorted(
                self.keys, keys, side="left"
            )
            ids = [ids[k] for k in np.argsort(-counts, kind="stable")[:NEAR_FANOUT].tolist()]
            cached = (len(self.skeletons), ids)
            self._near_cache[key] = cached
        return cached[1]

    def _query_keys(self, query: ParsedName) -> tuple[set[int], set[int], set[int], set[int]]:
        """The query's keys: exact skeleton pairs; the wider tier's (skeleton, initial) pairs
        and pairs of one name's skeleton with a skeleton one edit from another's; single
        names."""
        self._vocab_arrays()
        own = [self._skeletons_for(t) for t in query.tokens]
        readings = [self._reading_skeletons(t) for t in query.tokens]
        per_token = [mine + theirs for mine, theirs in zip(own, readings, strict=True)]
        near = [self._near_skeletons(t) for t in query.tokens]
        initials = [self.skeleton_ids.get(token_key(t)[:INITIAL], -1) for t in query.tokens]
        pair_keys: set[int] = set()
        wider_keys: set[int] = set()
        for i, mine in enumerate(per_token):
            for j, theirs in enumerate(per_token):
                if i == j:
                    continue
                same = token_key(query.tokens[i]) == token_key(query.tokens[j])
                for a in mine:
                    if initials[j] >= 0 and not same:
                        wider_keys.add(posting_key(KIND_SKELETON_INITIAL, a, initials[j]))
                    if j > i:
                        pair_keys.update(posting_key(KIND_PAIR, a, b) for b in theirs)
                    wider_keys.update(posting_key(KIND_PAIR, a, b) for b in near[j])
                if j > i and not same:
                    wider_keys.update(
                        posting_key(KIND_PAIR, a, b)
                        for a in near[i][:NEAR_BOTH]
                        for b in near[j][:NEAR_BOTH]
                    )
        single_keys = {posting_key(KIND_TOKEN, s) for ids in own for s in ids}
        # A single name's other readings apart: looked through after its own namesakes, which
        # they cannot outrank (and whose rows a rarer reading must not crowd out of the budget).
        reading_keys = {posting_key(KIND_TOKEN, s) for ids in readings for s in ids} - single_keys
        if len(query.tokens) == 1 and token_key(query.tokens[0]) not in self.skeleton_ids:
            # One name alone that is no one's: its one-edit tier is the known skeletons one
            # edit away (a typo, Damerau 1964), as pairs with those are for longer queries.
            # (A name someone has is taken as typed: Layla is not a slip for Khalil.)
            wider_keys.update(posting_key(KIND_TOKEN, s) for s in near[0])
        return pair_keys, wider_keys, single_keys, reading_keys

    def _rows_of(
        self, keys: Iterable[int], *, budget: int, seen: npt.NDArray[np.int32] | None = None
    ) -> npt.NDArray[np.int32]:
        """Live rows of the keys, rarest keys first, until `budget` rows (the first key is
        always taken), without the rows already `seen`."""
        parts: list[npt.NDArray[np.int32]] = []
        total = 0
        for part in sorted(self._postings(keys), key=len):
            if total + len(part) > budget and total:
                break
            parts.append(part)
            total += len(part)
        if not parts:
            return np.zeros(0, dtype=np.int32)
        rows = np.sort(np.concatenate(parts))
        if len(rows) > 1:
            rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
        rows = rows[self.row_alive[rows]]
        if seen is not None and len(seen):
            rows = rows[~np.isin(rows, seen, assume_unique=True)]
        return rows

    def _rows_near(
        self, query: ParsedName, *, seen: npt.NDArray[np.int32]
    ) -> npt.NDArray[np.int32]:
        """Rows bearing, for each query name (for two of them when the query has two or
        more), one of the NEAR_TOKENS vocabulary names most similar to it by
        names.token_similarity (its vectorised form, as `_score` reads it), not already
        `seen`: an edit-distance search over the few thousand distinct names, not over the
        persons."""
        per_name: list[npt.NDArray[np.int32]] = []
        for q in query.tokens:
            sims = self._similarities(q)[:-1]
            if not len(sims):
                return np.zeros(0, dtype=np.int32)
            n = min(NEAR_TOKENS, len(sims))
            best = np.argpartition(-sims, n - 1)[:n]
            best = best[sims[best] >= NEAR_TOKEN_FLOOR].astype(np.int32)
            if len(q.text) >= PREFIX_TEXT:
                # The names it begins: a last letter left out, a name typed unfinished
                # (Belha for Belhaj), which the edit similarity of a short text ranks low.
                begun = np.array(self._tokens_beginning(q.text), dtype=np.int32)
                best = np.union1d(best, begun).astype(np.int32)
            if not len(best):
                per_name.append(np.zeros(0, dtype=np.int32))
                continue
            skeletons = np.unique(self._tok_skel[best]).tolist()
            rows = self._rows_of(
                (posting_key(KIND_TOKEN, s) for s in skeletons), budget=NEAR_ROWS, seen=seen
            )
            bears = np.isin(self.row_tokens[rows], best).any(axis=1)
            per_name.append(rows[bears])
        if not per_name:
            return np.zeros(0, dtype=np.int32)
        rows, count = np.unique(np.concatenate(per_name), return_counts=True)
        need = min(2, len(query.tokens))
        return rows[count >= need].astype(np.int32)

    def _narrow(
        self, rows: npt.NDArray[np.int32], probe: Probe, year: int | None
    ) -> npt.NDArray[np.int32]:
        """At most MAX_CANDIDATES rows: when a common name brings more, those of the other sex,
        then those far from the age sought, are left out before any are cut blindly."""
        if len(rows) <= MAX_CANDIDATES:
            return rows
        code = SEX_CODES.get(probe.sex or "", 0)
        if code:
            sex = self.row_sex[rows]
            rows = rows[(sex == 0) | (sex == code)]
        if len(rows) > MAX_CANDIDATES and probe.age is not None and year is not None:
            born = self.row_year[rows].astype(np.int64)
            rows = rows[(born == 0) | (np.abs(year - born - probe.age) <= NARROW_AGE_GAP)]
        return rows[:MAX_CANDIDATES]

    def candidates(self, query: ParsedName) -> npt.NDArray[np.int32]:
        """Every row the search may score, in tier order (for tests and tuning)."""
        pair_keys, wider_keys, single_keys, reading_keys = self._query_keys(query)
        first = self._rows_of(pair_keys, budget=MAX_CANDIDATES)
        more = self._rows_of(
            wider_keys | single_keys | reading_keys, budget=PREFIX_CANDIDATES, seen=first
        )
        return np.concatenate([first, more])

    def _similarities(self, q: NameToken) -> npt.NDArray[np.float64]:
        """token_similarity of q against every vocabulary token, with a 0 appended for the
        padding id -1. Vectorised (rapidfuzz's cdist in C); the few tokens that share q's
        skeleton get the exact rule. Kept for the next query with the same name (common
        names are asked for again and again) until the vocabulary grows."""
        cached = self._sims_cache.get(q)
        if cached is not None and len(cached) == len(self.tokens) + 1:
            return cached
        if len(self._sims_cache) * (len(self.tokens) + 1) > SIMS_CACHE_FLOATS:
            self._sims_cache.clear()
        sims = self._similarities_compute(q)
        self._sims_cache[q] = sims
        return sims

    def _given_similarities(self, q: NameToken) -> npt.NDArray[np.float64]:
        """_similarities with names.given_name_similarity: for the given names of persons of
        the sex sought (only the tokens of q's skeleton differ)."""
        sims = self._similarities(q)
        cached = self._given_sims_cache.get(q)
        if cached is not None and len(cached) == len(sims):
            return cached
        if len(self._given_sims_cache) * len(sims) > SIMS_CACHE_FLOATS:
            self._given_sims_cache.clear()
        given = sims.copy()
        q_skel = self.skeleton_ids.get(token_key(q), -1)
        for i in np.nonzero(self._tok_skel == q_skel)[0].tolist():
            given[i] = given_name_similarity(q, self.tokens[i])
        self._given_sims_cache[q] = given
        return given

    def _similarities_compute(self, q: NameToken) -> npt.NDArray[np.float64]:
        text_sim = process.cdist(
            [q.text], self._tok_text, scorer=Levenshtein.normalized_similarity, dtype=np.float32
        )[0]
        skel_sim_by_id = process.cdist(
            [token_key(q)],
            self._skel_text,
            scorer=Levenshtein.normalized_similarity,
            dtype=np.float32,
        )[0]
        sims = 0.45 * text_sim.astype(np.float64) + 0.45 * skel_sim_by_id[self._tok_skel]
        other = (self._tok_fem != q.feminine) & ~self._tok_open & (q.vowels[-1] != "e")
        sims = np.where(other, sims * OTHER_ENDING_APART, sims)
        # The exact rule for the tokens that share a skeleton with q in some reading.
        wanted = {self.skeleton_ids.get(token_key(t), -1) for t in (q, *q.alternates)}
        wanted.discard(-1)
        if wanted:
            by_reading = self._token_arrays()[0][:, : len(self.tokens)]
            exact = np.isin(by_reading, list(wanted)).any(axis=0)
            for i in np.nonzero(exact)[0].tolist():
                sims[i] = token_similarity(q, self.tokens[i])
        return np.append(sims, 0.0)

    def search(self, probe: Probe, *, limit: int = 10, year: int | None = None) -> list[IndexHit]:
        """The best `limit` persons for a probe, by name, age and sex.

        Rows sharing an exact pair of name skeletons with the query are scored first. The
        wider tiers ((skeleton, initial) pairs, then single names) are scored only when the
        first cannot already fill the answer: a three-name query with a full match, or
        `limit` candidates that score near the top, cannot be beaten by rows that share no
        pair of skeletons with the query."""
        query = probe.name
        if not query.tokens:
            return []
        self._vocab_arrays()
        pair_keys, wider_keys, single_keys, reading_keys = self._query_keys(query)
        rows = self._narrow(self._rows_of(pair_keys, budget=MAX_CANDIDATES), probe, year)
        scored = self._score(probe, rows, year)
        name, score = scored[1], scored[2]
        settled = (len(query.tokens) >= 3 and len(name) and name.max() >= FULL_MATCH) or int(
            (score >= SETTLED_SCORE).sum()
        ) >= limit
        if not settled:
            if len(query.tokens) == 1:
                # The name itself, its other readings, then one edit away.
                tiers = [single_keys, reading_keys, wider_keys]
            else:
                tiers = [wider_keys | single_keys | reading_keys if len(rows) < 20 else wider_keys]
            for keys in [*tiers, None]:
                # Last, when the name keys leave the answer short: the rows that bear the
                # names nearest the query's by the scorer's own edit similarity (a slip that
                # gives another known skeleton: Khakil for Khalil, Safai for Safari).
                found = (
                    self._rows_of(keys, budget=PREFIX_CANDIDATES, seen=scored[0])
                    if keys is not None
                    else self._rows_near(query, seen=scored[0])
                )
                more = self._narrow(found, probe, year)
                if len(more):
                    extra = self._score(probe, more, year)
                    scored = tuple(
                        np.concatenate([x, y]) for x, y in zip(scored, extra, strict=True)
                    )
                if int((scored[2] >= SETTLED_SCORE).sum()) >= limit:
                    break
        rows, name, score, slope, intercept, tok = scored
        if len(rows) == 0:
            return []
        # The first few scored again with the exact name rule (each record name used once),
        # which the vectorised maximum only bounds from above; the weighing stays the row's
        # names.score_line: the number names.candidate_match gives.
        k = min(max(limit * 3, RERANK), len(rows))
        top = best_with_ties(
            score, k, (lambda tied: self._closeness(probe, rows[tied])) if probe.spelling else None
        )
        closeness = self._closeness(probe, rows[top])
        order = np.lexsort((-closeness, -np.round(score[top], SCORE_PLACES)))
        top, closeness = top[order], closeness[order]
        code = SEX_CODES.get(probe.sex or "", 0)
        # In the order of the bounds, until the next bound is below the `limit`-th exact
        # score found (it cannot enter the answer, nor can any after it).
        best: list[float] = []  # a heap of the `limit` best exact scores, shown rounded
        done = 0
        for i in top.tolist():
            # (A bound equal to it may tie at best, and comes after on the spelling.)
            if len(best) >= limit and round(float(score[i]), SCORE_PLACES) <= best[0]:
                break
            tokens = ParsedName(tuple(self.tokens[t] for t in tok[i] if t >= 0))
            sex_agrees = bool(code) and int(self.row_sex[rows[i]]) == code
            name[i] = name_similarity(query, tokens, sex_agrees=sex_agrees).score
            score[i] = slope[i] * name[i] + intercept[i]
            shown = round(float(score[i]), SCORE_PLACES)
            if len(best) < limit:
                heapq.heappush(best, shown)
            elif shown > best[0]:
                heapq.heapreplace(best, shown)
            done += 1
        top, closeness = top[:done], closeness[:done]
        top = top[np.lexsort((-closeness, -np.round(score[top], SCORE_PLACES)))][:limit]
        return [
            IndexHit(
                person_id=self._person_id(int(rows[i])),
                score=float(score[i]),
                name_score=float(name[i]),
            )
            for i in top.tolist()
        ]

    def _closeness(self, probe: Probe, rows: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
        return rows_closeness(probe.spelling, self.words, self.row_words[rows])

    def _score(
        self, probe: Probe, rows: npt.NDArray[np.int32], year: int | None
    ) -> tuple[npt.NDArray[Any], ...]:
        """Vectorised names.candidate_match, a token's best match standing for the exact
        assignment (so never below it): rows, name score, score, the rows' score lines and
        tokens."""
        query = probe.name
        n = len(rows)
        tok = self.row_tokens[rows]  # -1 (padding) picks the 0 appended to each sims array
        weights = [t.weight for t in query.tokens]
        name = np.zeros(n)
        given = np.zeros(n)  # how well the query matches each row's own given name
        code = SEX_CODES.get(probe.sex or "", 0)
        sex_agrees = (self.row_sex[rows] == code) if code else np.zeros(n, dtype=bool)
        for q, w in zip(query.tokens, weights, strict=True):
            sims = self._similarities(q)[tok]
            if sex_agrees.any():
                own = self._given_similarities(q)[tok[:, 0]]
                sims[:, 0] = np.where(sex_agrees, own, sims[:, 0])
            name += w * sims.max(axis=1)
            given = np.maximum(given, sims[:, 0])
        name /= sum(weights)
        count = (tok >= 0).sum(axis=1)
        extra = np.clip(count - len(query.tokens), 0, 3)
        name *= 1.0 - 0.03 * extra
        if len(query.tokens) >= 2:
            unmatched = (count >= 2) & (given < GIVEN_MATCHED)
            name = np.where(unmatched, name * GIVEN_UNMATCHED, name)
        slope, intercept = self._score_lines(probe, rows, year)
        return rows, name, slope * name + intercept, slope, intercept, tok

    def _score_lines(
        self, probe: Probe, rows: npt.NDArray[np.int32], year: int | None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Per row, names.score_line of its evidence (age, sex, household, site). Rows are
        coded by that evidence, and score_line asked once per code present (a few hundred at
        most), so that the weighing is written once, in names."""
        n = len(rows)
        ages: list[int | None] = [None]
        age_code = np.zeros(n, dtype=np.int64)  # 0: age unknown
        if probe.age is not None and year is not None:
            born = self.row_year[rows].astype(np.int64)
            known = born > 0
            if known.any():
                youngest = int((year - born[known]).min())
                age_code = np.where(known, year - born - youngest + 1, 0)
                ages += list(range(youngest, int(age_code.max()) + youngest))
        code = SEX_CODES.get(probe.sex or "", 0)
        sex = self.row_sex[rows].astype(np.int64)
        # 0: unknown on either side, 1: the same, 2: another.
        sex_code = np.where((sex > 0) & bool(code), np.where(sex == code, 1, 2), 0)
        relation = [sex_code]
        for wanted, ids, row_ids in (
            (probe.household, self.household_ids, self.row_household),
            (probe.site, self.site_ids, self.row_site),
        ):
            theirs = row_ids[rows].astype(np.int64)
            wanted_id = ids.get(wanted, -1) if wanted else 0
            relation.append(
                np.where((theirs > 0) & bool(wanted), np.where(theirs == wanted_id, 1, 2), 0)
            )
        evidence_code = ((age_code * 3 + relation[0]) * 3 + relation[1]) * 3 + relation[2]
        present = np.nonzero(np.bincount(evidence_code))[0]
        slopes = np.zeros(int(present[-1]) + 1 if len(present) else 1)
        intercepts = np.zeros_like(slopes)
        same: tuple[bool | None, ...] = (None, True, False)
        agreements: dict[int, float | None] = {}
        for c in present.tolist():
            a, rest = divmod(c, 27)
            s_code, rest = divmod(rest, 9)
            h_code, site_code = divmod(rest, 3)
            if a not in agreements:
                agreements[a] = age_agreement(probe.age, ages[a])
            evidence = Evidence(agreements[a], same[s_code], same[h_code], same[site_code])
            slopes[c], intercepts[c] = score_line(evidence)
        return slopes[evidence_code], intercepts[evidence_code]

    def duplicate_candidates(self, *, max_block: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Pairs of live persons who share a pair of name skeletons (or, for persons with one
        name only, that name), in blocks of at most `max_block` persons."""
        keys, rows = self.keys, self.key_rows
        if self.delta:
            extra_keys = np.fromiter((k for k, v in self.delta.items() for _ in v), dtype=np.uint64)
            extra_rows = np.fromiter((r for v in self.delta.values() for r in v), dtype=np.int32)
            keys = np.concatenate([keys, extra_keys])
            rows = np.concatenate([rows, extra_rows])
        kind = keys >> np.uint64(60)
        single = (self.row_tokens[rows] >= 0).sum(axis=1) == 1
        wanted = (kind == KIND_PAIR) | ((kind == KIND_TOKEN) & single)
        wanted &= self.row_alive[rows]
        keys, rows = keys[wanted], rows[wanted]
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order]
        pairs: set[tuple[int, int]] = set()
        if len(keys):
            starts = np.concatenate(([0], np.nonzero(keys[1:] != keys[:-1])[0] + 1))
            ends = np.append(starts[1:], len(keys))
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                if 2 <= end - start <= max_block:
                    block = rows[start:end].tolist()
                    for i, a in enumerate(block):
                        for b in block[i + 1 :]:
                            if a != b:
                                pairs.add((min(a, b), max(a, b)))
        return [(self._person_id(a), self._person_id(b)) for a, b in sorted(pairs)]

    def _person_id(self, row: int) -> uuid.UUID:
        return uuid.UUID(int=(int(self.row_hi[row]) << 64) | int(self.row_lo[row]))
