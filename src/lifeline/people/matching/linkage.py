"""Records that are probably one person: blocking, the evidence weighed as a record-linkage
model, a calibrated likelihood and the reasons in words. Pure: no Django.

The model is Fellegi and Sunter's ("A theory for record linkage", JASA 64, 1969), as Splink
and the census bureaus use it: each comparison (the names, the birth, the sex, the household,
the site) falls in one agreement level, and each level adds log2(m/u) bits, where m is how
often a true duplicate shows that level and u how often two different persons do. The u of a
name that agrees is the share of the registry carrying that name (Winkler's frequency-based
weights: two Mohameds say less than two Zubaydas). The sum, with the prior odds of a
duplicate among the compared pairs, is turned into a likelihood by a logistic curve fitted on
the duplicates benchmark's tuning half (`benchmarks/duplicates.py`), so that pairs shown at 0.9
were duplicates about nine times in ten there.

Blocking (which records are compared at all) is `matching.blocking`.

Placeholders (Unknown, Unidentified (Mavrah school #1), مجهول) carry no name: they get no
key and no name evidence, so no pair is proposed on the name alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from lifeline.people.matching.blocking import MAX_BLOCK as MAX_BLOCK
from lifeline.people.matching.blocking import NEIGHBOURS as NEIGHBOURS
from lifeline.people.matching.blocking import SLOTS as SLOTS
from lifeline.people.matching.blocking import blocking_keys as blocking_keys
from lifeline.people.matching.blocking import candidate_pairs as candidate_pairs
from lifeline.people.matching.blocking import skeleton_deletions
from lifeline.people.matching.names import (
    MAX_NAME_TOKENS,
    NameToken,
    ParsedName,
    fold,
    name_parse,
    other_gender,
    token_key,
    token_similarity,
)

IntArray = npt.NDArray[np.int64]


def gettext_noop(text: str) -> str:
    """Marks a reason for translation (the page translates it); the text itself is kept."""
    return text


# Words that stand for a name nobody knows, in the registry's languages.
PLACEHOLDER_WORDS = frozenset(
    {"unknown", "unidentified", "unnamed", "noname", "anonymous", "inconnu", "inconnue",
     "anonyme", "nonidentifie", "nonidentifiee", "sansnom", "nn", "x", "xx", "xxx", "doe",
     "baby", "child", "enfant", "bebe", "male", "female", "man", "woman", "boy", "girl",
     "مجهول", "مجهولة", "مجهوله", "غير", "معروف", "معروفة", "بدون", "اسم", "طفل", "طفلة"}
)  # fmt: skip


def name_is_placeholder(names: Iterable[str]) -> bool:
    """A name that says nobody knows who this is: every word outside parentheses is a
    placeholder word (or a number, or there is none)."""
    text = " ".join(n for n in names if n)
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    words = [re.sub(r"[^\w]", "", fold(w)) for w in text.replace("-", " ").split()]
    words = [w for w in words if w and not w.isdigit()]
    return all(w in PLACEHOLDER_WORDS for w in words)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """What the model compares of a person."""

    row: int
    name: ParsedName
    labels: tuple[str, ...] = ()  # each token's word as written (for the reasons)
    placeholder: bool = False
    born: dt.date | None = None
    born_estimated: bool = True  # the date of birth was worked out from an estimated age
    sex: str | None = None  # female / male / None (unknown)
    household: str | None = None
    site: str | None = None
    photo: bool = False
    phone: str | None = None  # its digits (see `phone_digits`)

    @property
    def birth_year(self) -> int | None:
        return self.born.year if self.born else None


PHONE_DIGITS = 9  # a national number's digits, without the country code or the leading 0


def phone_digits(phone: str) -> str | None:
    """A phone number's last PHONE_DIGITS digits (+963 944 123 456 and 0944-123-456 are one
    number), or None when it has fewer."""
    # Any script's digits (٠٩٤٤ typed on an Arabic keyboard is 0944).
    digits = "".join(str(unicodedata.decimal(c)) for c in phone or "" if c.isdecimal())
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else None


def record_names(names: Sequence[str]) -> tuple[ParsedName, tuple[str, ...]]:
    """A person's tokens (given name's first, each once, at most MAX_NAME_TOKENS) and each
    token's word as written."""
    tokens: list[NameToken] = []
    labels: list[str] = []
    for field in names:
        if not field:
            continue
        parsed = name_parse(field).tokens
        words = field.split()
        for token in parsed:
            if token in tokens:
                continue
            label = field.strip() if len(parsed) == 1 else token.text.capitalize()
            if len(parsed) > 1:
                for word in words:
                    if name_parse(word).tokens[:1] == (token,):
                        label = word
                        break
            tokens.append(token)
            labels.append(label)
    return ParsedName(tuple(tokens[:MAX_NAME_TOKENS])), tuple(labels[:MAX_NAME_TOKENS])


def _bits_of(m: float, u: float) -> float:
    return math.log2(m / u)


# ---- the model's weights ----------------------------------------------------------------------

# Name agreement levels, one per pair of names matched (see `token_level`). A short name one
# letter from another (Tare, Tarek; Khin, Khan) is another name more often than a long one is,
# but rarely among the pairs compared: measured on the duplicates benchmark (SEEN rules), 0.14%
# of the names matched in pairs of two persons were a short slip, 2.8% in the duplicates (the
# m below), so a slip of a short name still says something for, where "other names" would say
# the pair is two persons.
SHORT_SLIP_U = 0.0015
OTHER, SHORT_SLIP, SLIP, CLOSE, SPELLING, SAME = range(6)
LEVEL_M = {SAME: 0.55, SPELLING: 0.3, CLOSE: 0.12, SLIP: 0.08, SHORT_SLIP: 0.03, OTHER: 0.01}
# The u of SAME and SPELLING come from the registry (how many carry that name); of the others,
# how often two different names are that close.
LEVEL_U = {CLOSE: 0.002, SLIP: 0.002, SHORT_SLIP: SHORT_SLIP_U, OTHER: 0.95}
# Names are not independent of one another (a family name and the given names of one origin go
# together), so no single name says more than a name this common would.
RARE_SHARE = 0.003
SPELLING_SIMILARITY = 0.9  # names.token_similarity of two spellings of one name
CLOSE_SIMILARITY = 0.78
COMMON_NAME = 0.02  # a name carried by this share of the registry or more is a common one
PRIOR_RECORDS = 2_000  # virtual records of a typical name's share added to the counts
TYPICAL_SHARE = 0.003
# The m and u below were measured on the duplicates benchmark (`benchmarks/duplicates.py
# --pure` prints them): m over the duplicates written with its SEEN rules only, u over the
# other compared pairs. A level no duplicate of the benchmark showed (another sex, another
# household, exact dates of birth that differ, estimated ages far apart) gets the m of a
# slip at registration, never 0: a registrar does mistype a date or a sex.
SEX_SAME = (0.98, 0.67)
SEX_OTHER = (0.02, 0.33)
SITE_SAME_M = 0.62
HOUSEHOLD_SAME = 0.5  # bits: siblings share one too, with one family name (chosen on SEEN F1)
HOUSEHOLD_OTHER = (0.03, 0.75)  # both in a household, not the same: rarely one person
BORN_SAME_DAY = 11.0  # bits; two exact dates of birth that agree (m 0.26, u 0.0001)
BORN_SAME_YEAR = (0.02, 0.043)  # exact dates, another day of the same year (a slip)
BORN_OTHER = _bits_of(0.003, 0.43)  # exact dates years apart
CHILD = 15  # below this age an age is judged closer
# Ages (one at least estimated): (largest gap in years, m, u); a larger gap: AGE_FAR. An
# adult's age estimated by sight is often five years off, and heaped on multiples of five.
AGE_LEVELS_ADULT = (
    (1, 0.2, 0.021), (2, 0.093, 0.0126), (5, 0.11, 0.032), (8, 0.036, 0.023), (15, 0.01, 0.1)
)  # fmt: skip
AGE_LEVELS_CHILD = ((0, 0.124, 0.0158), (1, 0.13, 0.031), (3, 0.041, 0.043))
AGE_FAR = (0.001, 0.5)  # no eye is fifteen years off
AGE_FAR_CHILD = (0.005, 0.23)
# From the bits to a likelihood: p = 1 / (1 + 2^-(SLOPE * bits + OFFSET)); OFFSET is the prior
# log2-odds of a duplicate among the compared pairs. Fitted (Platt scaling) on the benchmark's
# compared pairs with its SEEN duplicates only, each standing for itself and one held-out
# duplicate (the benchmark plants as many of each: the prior is the registry's, the spellings
# are never looked at), so that pairs shown at 0.9 were duplicates about nine times in ten.
SLOPE = 0.913
OFFSET = -14.221
SHOWN = 0.5  # a pair this likely or more is proposed: more likely one person than two


def _bits(m: float, u: float) -> float:
    return math.log2(m / u)


# ---- names ------------------------------------------------------------------------------------


def _one_slip(s: NameToken, t: NameToken, written_s: str, written_t: str) -> bool:
    """One letter typed wrong, left out, added, or two swapped (Damerau 1964), in the names as
    written (folded: `names.fold`) or in their normal forms."""
    if min(len(s.text), len(t.text)) < 4 or s.arabic or t.arabic:
        return False  # in Arabic script one letter makes another name (محمد, أحمد)
    return (
        OSA.distance(s.text, t.text, score_cutoff=1) <= 1
        or OSA.distance(written_s, written_t, score_cutoff=1) <= 1
    )


def _one_short_slip(s: NameToken, t: NameToken, written_s: str, written_t: str) -> bool:
    """One slip (as `_one_slip`) in a name of two or three letters (Latin script)."""
    if min(len(s.text), len(t.text)) < 2 or s.arabic or t.arabic:
        return False
    return (
        OSA.distance(s.text, t.text, score_cutoff=1) <= 1
        or OSA.distance(written_s, written_t, score_cutoff=1) <= 1
    )


# Names seen by the batch scorer as small integers, and the levels of pairs of them, kept for
# the next run (the registry changes little between two looks at the queue).
_VOCAB: list[tuple[NameToken, str]] = []
_VOCAB_IDS: dict[tuple[NameToken, str], int] = {}
_VOCAB_TEXT: list[int] = []  # each name's normal form, as an id
_VOCAB_NEAR: list[tuple[int, ...]] = []  # each name's skeleton keys (see `_near_keys`), as ids
_TEXT_IDS: dict[str, int] = {}
_KEY_IDS: dict[str, int] = {}
_LEVELS: dict[int, int] = {}
LEVELS_KEPT = 2_000_000


def _near_keys(token: NameToken) -> set[str]:
    """A name's skeleton and its skeleton less one consonant (when a pair of consonants is
    left: one consonant alone is in too many names). Two names that share none of these
    differ by two consonants or more, or are two-consonant names with another consonant:
    other names, not compared letter by letter."""
    skeleton = token_key(token)
    return {skeleton, *(d for d in skeleton_deletions(skeleton) if len(d) >= 2)}


def _slip_keys(token: NameToken, written: str) -> set[str]:
    """The name (normal form and as written, folded) less one letter, in Latin script: two
    names one slip apart (`_one_slip`, `_one_short_slip`: a letter wrong, missing, added, or
    two swapped) share one of these, whatever their consonants (Hiba, Hiua; Unak, Unal), so
    the batch scorer weighs them as `link_score` does instead of taking them for other names."""
    if token.arabic or len(token.text) < 2:
        return set()
    keys: set[str] = set()
    for text in {token.text, written}:
        if len(text) >= 2:
            keys |= {"'" + text[:i] + text[i + 1 :] for i in range(len(text))}
    return keys


_VOCAB_RAW: dict[tuple[NameToken, str], int] = {}  # the same, by the word as written


def _vocab_id(token: NameToken, written: str) -> int:
    found = _VOCAB_RAW.get((token, written))
    if found is None:
        found = _VOCAB_RAW[(token, written)] = _vocab_id_folded(token, written)
    return found


def _vocab_id_folded(token: NameToken, written: str) -> int:
    key = (token, fold(written))
    found = _VOCAB_IDS.get(key)
    if found is None:
        if len(_LEVELS) > LEVELS_KEPT:
            _LEVELS.clear()
        found = _VOCAB_IDS[key] = len(_VOCAB)
        _VOCAB.append(key)
        _VOCAB_TEXT.append(_TEXT_IDS.setdefault(token.text, len(_TEXT_IDS)))
        _VOCAB_NEAR.append(
            tuple(
                _KEY_IDS.setdefault(k, len(_KEY_IDS))
                for k in sorted(_near_keys(token) | _slip_keys(token, key[1]))
            )
        )
    return found


def _levels_many(a: IntArray, b: IntArray) -> IntArray:
    """token_level of many pairs of the batch scorer's names (ids in `_VOCAB`): the same
    names and the names far apart (no skeleton nor slip key in common) at once, the others
    one by one (and kept)."""
    texts = np.array(_VOCAB_TEXT, dtype=np.int64)
    levels = np.full(len(a), OTHER, dtype=np.int64)
    same = texts[a] == texts[b]
    levels[same] = SAME
    width = max((len(k) for k in _VOCAB_NEAR), default=0)
    keys = np.full((len(_VOCAB_NEAR), max(width, 1)), -1, dtype=np.int64)
    for i, ids in enumerate(_VOCAB_NEAR):
        keys[i, : len(ids)] = ids
    span = len(_KEY_IDS) + 1
    owners = np.repeat(np.arange(len(keys)), keys.shape[1])
    flat = keys.ravel()
    member = np.unique(owners[flat >= 0] * span + flat[flat >= 0])
    near = np.zeros(len(a), dtype=bool)
    for column in range(keys.shape[1]):
        key = keys[a, column]
        has = key >= 0
        near[has] |= np.isin(b[has] * span + key[has], member)
    rest = np.nonzero(near & ~same)[0]
    for k, x, y in zip(rest.tolist(), a[rest].tolist(), b[rest].tolist(), strict=True):
        code = (x << 32) | y
        level = _LEVELS.get(code)
        if level is None:
            (s, written_s), (t, written_t) = _VOCAB[x], _VOCAB[y]
            if s.skeleton != t.skeleton and max(len(s.skeleton), len(t.skeleton)) < 4:
                # Short skeletons that differ are never spellings nor close (token_similarity
                # stays below CLOSE_SIMILARITY): only a slip is left to look for.
                level = (
                    SLIP
                    if _one_slip(s, t, written_s, written_t)
                    else SHORT_SLIP
                    if _one_short_slip(s, t, written_s, written_t)
                    else OTHER
                )
            else:
                level = token_level(s, t, written_s, written_t)
            _LEVELS[code] = level
        levels[k] = level
    return levels


def token_level(s: NameToken, t: NameToken, written_s: str = "", written_t: str = "") -> int:
    """How two names agree: the same name, spellings of one name (Rachid, Rasheed, رشيد), close
    spellings, one slip of the keyboard apart (Sohaib, Shoaib; Badr, Bard), or other names. A
    man's name and a woman's (Karim, Karima) are other names. An Arabic-script name and a
    Latin spelling of it agree as two Latin records of that spelling do."""
    if s.text == t.text:
        return SAME
    if s.skeleton == t.skeleton and other_gender(s, t):
        return OTHER
    sim = token_similarity(s, t)
    if s.arabic != t.arabic and sim >= 1.0:
        # Arabic script writes the consonants and the long vowels only: a Latin spelling
        # with every vowel the Arabic writes, and none it contradicts (names.token_similarity
        # 1.0: محمد and Muhammad, Mohamed; حنان and Hanan), is that name in the other script,
        # as two Latin records writing it alike are (search reads them so too).
        return SAME
    if sim >= SPELLING_SIMILARITY:
        return SPELLING
    if sim >= CLOSE_SIMILARITY:
        return CLOSE
    if _one_slip(s, t, written_s or s.text, written_t or t.text):
        return SLIP
    if _one_short_slip(s, t, written_s or s.text, written_t or t.text):
        return SHORT_SLIP
    return OTHER


class NameFrequencies:
    """How many records carry each name (its normalised text) and each of its spellings."""

    def __init__(self, records: Iterable[LinkRecord]) -> None:
        self.texts: dict[str, int] = defaultdict(int)
        self._written: dict[str, dict[NameToken, int]] = defaultdict(lambda: defaultdict(int))
        self._spellings: dict[NameToken, float] = {}
        self.total = 0
        for record in records:
            self.total += 1
            for token in set(record.name.tokens):
                self.texts[token.text] += 1
                self._written[token_key(token)][token] += 1

    def _share(self, count: int) -> float:
        # Smoothed towards a typical name's share, so that a small registry (where every name
        # is on a third of the records) does not take every name for a common one.
        return (count + PRIOR_RECORDS * TYPICAL_SHARE) / (self.total + PRIOR_RECORDS)

    def text_share(self, token: NameToken) -> float:
        return max(self._share(self.texts.get(token.text, 0)), RARE_SHARE)

    def spelling_share(self, token: NameToken) -> float:
        """The share of the registry carrying this name in any of its spellings (itself, and
        every name `token_similarity` reads as a spelling of it): how often two persons
        agree on it at the spelling level by chance. Its skeleton's share would count other
        names of those consonants too (Mahmoud with Muhammad, Hussein with Hassan)."""
        found = self._spellings.get(token)
        if found is None:
            count = sum(
                n
                for other, n in self._written.get(token_key(token), {}).items()
                if other == token or token_similarity(token, other) >= SPELLING_SIMILARITY
            )
            found = self._spellings[token] = max(self._share(count), RARE_SHARE)
        return found

    def level_bits(self, level: int, s: NameToken, t: NameToken) -> float:
        if level == SAME:
            # One text, or one name in two scripts: weighed by the commoner written form.
            return _bits(LEVEL_M[SAME], max(self.text_share(s), self.text_share(t)))
        if level == SPELLING:
            share = max(self.spelling_share(s), self.spelling_share(t))
            return _bits(LEVEL_M[SPELLING], share)
        return _bits(LEVEL_M[level], LEVEL_U[level])


def _level_bits_many(
    levels: IntArray, a: IntArray, b: IntArray, freq: NameFrequencies
) -> npt.NDArray[np.float64]:
    """NameFrequencies.level_bits of many pairs of the batch scorer's names at once."""
    ids = np.unique(np.concatenate((a, b)))
    text_share = np.zeros(int(ids.max()) + 1 if len(ids) else 0)
    spelling_share = np.zeros_like(text_share)
    for i in ids.tolist():
        token = _VOCAB[i][0]
        text_share[i] = freq.text_share(token)
        spelling_share[i] = freq.spelling_share(token)
    fixed = np.array(
        [_bits(LEVEL_M[lv], LEVEL_U[lv]) if lv in LEVEL_U else 0.0 for lv in range(SAME + 1)]
    )
    out = fixed[levels]
    same = levels == SAME
    out[same] = np.log2(LEVEL_M[SAME] / np.maximum(text_share[a[same]], text_share[b[same]]))
    spelling = levels == SPELLING
    share = np.maximum(spelling_share[a[spelling]], spelling_share[b[spelling]])
    out[spelling] = np.log2(LEVEL_M[SPELLING] / share)
    return out


@lru_cache(maxsize=8)
def _assignments(n: int) -> list[tuple[int, ...]]:
    return list(itertools.permutations(range(n)))


# ---- one pair, with its reasons ---------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One reason in words: a template (translatable) and its values."""

    template: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        return self.template % dict(self.values)


@dataclass(frozen=True)
class Linked:
    likelihood: float  # 0..1, calibrated
    bits: float  # the evidence, log2 of the likelihood ratio
    reasons: tuple[Reason, ...]


def _label(record: LinkRecord, i: int) -> str:
    return record.labels[i] if i < len(record.labels) else record.name.tokens[i].text.capitalize()


NAME_REASONS = {
    SPELLING: gettext_noop("%(a)s and %(b)s: spellings of one name"),
    CLOSE: gettext_noop("%(a)s and %(b)s: close spellings"),
    SLIP: gettext_noop("%(a)s and %(b)s: one letter apart"),
    SHORT_SLIP: gettext_noop("%(a)s and %(b)s: one letter apart"),
    OTHER: gettext_noop("%(a)s and %(b)s: other names"),
}


def _name_evidence(
    a: LinkRecord, b: LinkRecord, freq: NameFrequencies
) -> tuple[float, list[Reason]]:
    """The names matched one to one, the assignment with the most evidence (as `links_find`
    weighs them)."""
    ta, tb = a.name.tokens[:SLOTS], b.name.tokens[:SLOTS]
    levels = {
        (i, j): token_level(s, t, fold(_label(a, i)), fold(_label(b, j)))
        for i, s in enumerate(ta)
        for j, t in enumerate(tb)
    }
    bits = {key: freq.level_bits(level, ta[key[0]], tb[key[1]]) for key, level in levels.items()}
    best: tuple[float, list[tuple[int, int]]] = (-math.inf, [])
    matched = min(len(ta), len(tb))  # every name of the shorter record is matched
    for perm in _assignments(SLOTS):
        chosen = [(i, j) for i, j in enumerate(perm) if (i, j) in bits]
        if len(chosen) < matched:
            continue
        total = sum(bits[key] for key in chosen)
        if total > best[0] + 1e-9:
            best = (total, chosen)
    reasons: list[Reason] = []
    for i, j in best[1]:
        level, values = levels[(i, j)], (("a", _label(a, i)), ("b", _label(b, j)))
        if level == SAME:
            written_alike = fold(values[0][1]) == fold(values[1][1])
            if freq.text_share(ta[i]) >= COMMON_NAME:
                text = gettext_noop("%(a)s on both (a common name)")
            else:
                text = gettext_noop("%(a)s on both")
            if not written_alike:
                text = gettext_noop("%(a)s and %(b)s: one name written two ways")
            reasons.append(Reason(text, values))
        else:
            reasons.append(Reason(NAME_REASONS[level], values))
    order = [j for _, j in sorted(best[1])]
    if len(order) >= 2 and order != sorted(order):
        reasons.append(Reason(gettext_noop("names written in another order")))
    return (best[0] if best[1] else 0.0), reasons


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _age_bits(age_a: int, age_b: int) -> tuple[float, int]:
    """Bits of two ages and the index of their level (len(levels): far apart)."""
    gap = abs(age_a - age_b)
    levels = AGE_LEVELS_CHILD if min(age_a, age_b) < CHILD else AGE_LEVELS_ADULT
    for n, (largest, m, u) in enumerate(levels):
        if gap <= largest:
            return _bits(m, u), n
    return _bits(*(AGE_FAR_CHILD if levels is AGE_LEVELS_CHILD else AGE_FAR)), len(levels)


def _birth_evidence(a: LinkRecord, b: LinkRecord, today: dt.date) -> tuple[float, list[Reason]]:
    if a.born is None or b.born is None:
        return 0.0, [Reason(gettext_noop("age unknown on one record"))]
    if not a.born_estimated and not b.born_estimated:
        if a.born == b.born:
            return BORN_SAME_DAY, [Reason(gettext_noop("born the same day"))]
        if a.born.year == b.born.year:
            return _bits(*BORN_SAME_YEAR), [Reason(gettext_noop("born the same year"))]
        years = str(abs(a.born.year - b.born.year))
        return BORN_OTHER, [Reason(gettext_noop("born %(n)s years apart"), (("n", years),))]
    age_a, age_b = _age(a.born, today), _age(b.born, today)
    bits, level = _age_bits(age_a, age_b)
    values = (("a", str(age_a)), ("b", str(age_b)))
    if level <= 1:
        text = gettext_noop("ages %(a)s and %(b)s agree (an estimate)")
    elif bits > -1.0:  # near, or saying little either way: not "far apart"
        text = gettext_noop("ages %(a)s and %(b)s are near (an estimate)")
    else:
        text = gettext_noop("ages %(a)s and %(b)s are far apart")
    return bits, [Reason(text, values)]


def _site_bits(same: bool, share: float) -> float:
    share = min(max(share, 0.01), 0.99)
    return _bits(SITE_SAME_M, share) if same else _bits(1 - SITE_SAME_M, 1 - share)


def link_score(
    a: LinkRecord,
    b: LinkRecord,
    freq: NameFrequencies,
    *,
    today: dt.date,
    site_shares: dict[str, float] | None = None,
) -> Linked:
    """The likelihood that two records are one person, with the reasons in words."""
    if a.placeholder or b.placeholder:
        bits, reasons = 0.0, [Reason(gettext_noop("a placeholder name says nothing"))]
    else:
        bits, reasons = _name_evidence(a, b, freq)
    birth_bits, birth_reasons = _birth_evidence(a, b, today)
    bits += birth_bits
    reasons += birth_reasons
    if a.sex and b.sex:
        same = a.sex == b.sex
        bits += _bits(*(SEX_SAME if same else SEX_OTHER))
        reasons.append(Reason(gettext_noop("same sex") if same else gettext_noop("another sex")))
    else:
        reasons.append(Reason(gettext_noop("sex unknown on one record")))
    if a.household and b.household:
        if a.household == b.household:
            bits += HOUSEHOLD_SAME
            reasons.append(Reason(gettext_noop("same household")))
        else:
            bits += _bits(*HOUSEHOLD_OTHER)
            reasons.append(Reason(gettext_noop("other households")))
    if a.site and b.site:
        same = a.site == b.site
        bits += _site_bits(same, (site_shares or {}).get(a.site, 0.5))
        reasons.append(
            Reason(
                gettext_noop("registered at the same site")
                if same
                else gettext_noop("registered at another site")
            )
        )
    if a.photo and b.photo:
        reasons.append(Reason(gettext_noop("both have a photo: compare them")))
    # Said, not weighed: one number is often a family's, and the benchmark that measures the
    # other weights has no phones to measure this one on.
    if a.phone and b.phone and a.phone == b.phone:
        reasons.append(Reason(gettext_noop("the same phone number on both: ask whose it is")))
    return Linked(likelihood=likelihood_of(bits), bits=bits, reasons=tuple(reasons))


def likelihood_of(bits: float) -> float:
    """The calibrated likelihood of a duplicate for this much evidence."""
    x = float(SLOPE * bits + OFFSET)
    return 1.0 / (1.0 + math.pow(2.0, max(-60.0, min(60.0, -x))))


def site_shares_of(records: Iterable[LinkRecord]) -> dict[str, float]:
    """Per site: the share of the registry there (the u of two records agreeing on it)."""
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for record in records:
        if record.site:
            counts[record.site] += 1
            total += 1
    return {site: n / total for site, n in counts.items()} if total else {}


# ---- every pair at once -----------------------------------------------------------------------


def _batch_bits(
    records: Sequence[LinkRecord],
    first: IntArray,
    second: IntArray,
    freq: NameFrequencies,
    today: dt.date,
    shares: dict[str, float],
) -> npt.NDArray[np.float64]:
    """link_score's bits for many pairs at once (numpy), without the reasons."""
    n = len(records)
    slots = np.full((n, SLOTS), -1, dtype=np.int64)
    for position, record in enumerate(records):
        for i, token in enumerate(record.name.tokens[:SLOTS]):
            slots[position, i] = _vocab_id(token, _label(record, i))
    # Each pair of names once, whichever slots it is in; its bits from the levels known.
    ta = np.concatenate([slots[first, i] for i in range(SLOTS) for _ in range(SLOTS)])
    tb = np.concatenate([slots[second, j] for _ in range(SLOTS) for j in range(SLOTS)])
    present = (ta >= 0) & (tb >= 0)
    codes, inverse = np.unique((ta[present] << 32) | tb[present], return_inverse=True)
    levels = _levels_many(codes >> 32, codes & 0xFFFFFFFF)
    values = _level_bits_many(levels, codes >> 32, codes & 0xFFFFFFFF, freq)
    flat = np.zeros(len(ta))
    flat[present] = values[inverse]
    pair_bits = flat.reshape(SLOTS, SLOTS, len(first)).transpose(2, 0, 1)
    present_a = slots[first] >= 0
    present_b = slots[second] >= 0
    count_a, count_b = present_a.sum(axis=1), present_b.sum(axis=1)
    names = np.full(len(first), -np.inf)
    # The best assignment among the permutations of as many slots as the longer record has
    # (most records have two names: two assignments, not twenty-four).
    width = np.maximum(count_a, count_b)
    for size in np.unique(width).tolist():
        rows = np.nonzero(width == size)[0]
        matched = np.minimum(count_a[rows], count_b[rows])
        best = np.full(len(rows), -np.inf)
        for perm in _assignments(max(size, 1)):
            total = np.zeros(len(rows))
            count = np.zeros(len(rows), dtype=np.int64)
            for i, j in enumerate(perm):
                both = present_a[rows, i] & present_b[rows, j]
                total += np.where(both, pair_bits[rows, i, j], 0.0)
                count += both
            best = np.maximum(best, np.where(count >= matched, total, -np.inf))
        names[rows] = best
    names = np.where(np.isfinite(names), names, 0.0)
    placeholder = np.array([r.placeholder for r in records])
    names = np.where(placeholder[first] | placeholder[second], 0.0, names)
    return names + _batch_other_bits(records, first, second, today, shares)


def _batch_other_bits(
    records: Sequence[LinkRecord],
    first: IntArray,
    second: IntArray,
    today: dt.date,
    shares: dict[str, float],
) -> npt.NDArray[np.float64]:
    """The birth, sex, household and site bits of many pairs (as link_score weighs them)."""
    exact = np.array([r.born is not None and not r.born_estimated for r in records])
    known = np.array([r.born is not None for r in records])
    day = np.array([r.born.toordinal() if r.born else 0 for r in records], dtype=np.int64)
    year = np.array([r.birth_year or 0 for r in records], dtype=np.int64)
    age = np.array([_age(r.born, today) if r.born else -1 for r in records], dtype=np.int64)
    bits = np.zeros(len(first))
    both_exact = exact[first] & exact[second]
    same_day = day[first] == day[second]
    same_year = year[first] == year[second]
    exact_bits = np.where(
        same_day, BORN_SAME_DAY, np.where(same_year, _bits(*BORN_SAME_YEAR), BORN_OTHER)
    )
    gap = np.abs(age[first] - age[second])
    child = np.minimum(age[first], age[second]) < CHILD
    age_bits = np.where(child, _bits(*AGE_FAR_CHILD), _bits(*AGE_FAR))
    for levels, wanted in ((AGE_LEVELS_ADULT, ~child), (AGE_LEVELS_CHILD, child)):
        done = np.zeros(len(first), dtype=bool)
        for largest, m, u in levels:
            hit = wanted & ~done & (gap <= largest)
            age_bits = np.where(hit, _bits(m, u), age_bits)
            done |= hit
    both_known = known[first] & known[second]
    bits += np.where(both_exact, exact_bits, np.where(both_known, age_bits, 0.0))
    sex_code = {"female": 1, "male": 2}
    sex = np.array([sex_code.get(r.sex or "", 0) for r in records], dtype=np.int64)
    sex_known = (sex[first] > 0) & (sex[second] > 0)
    same_sex = sex[first] == sex[second]
    bits += np.where(sex_known, np.where(same_sex, _bits(*SEX_SAME), _bits(*SEX_OTHER)), 0.0)
    ids: dict[str, int] = {}
    household = np.array(
        [ids.setdefault(r.household, len(ids) + 1) if r.household else 0 for r in records]
    )
    hh_known = (household[first] > 0) & (household[second] > 0)
    same_hh = household[first] == household[second]
    bits += np.where(hh_known, np.where(same_hh, HOUSEHOLD_SAME, _bits(*HOUSEHOLD_OTHER)), 0.0)
    site_ids: dict[str, int] = {}
    site = np.array(
        [site_ids.setdefault(r.site, len(site_ids) + 1) if r.site else 0 for r in records]
    )
    share = np.zeros(len(site_ids) + 1)
    for code, position in site_ids.items():
        share[position] = shares.get(code, 0.5)
    site_known = (site[first] > 0) & (site[second] > 0)
    same_site = site[first] == site[second]
    same_bits = np.array([_site_bits(True, x) for x in share])
    other_bits = np.array([_site_bits(False, x) for x in share])
    bits += np.where(
        site_known, np.where(same_site, same_bits[site[first]], other_bits[site[first]]), 0.0
    )
    return bits


def links_find(
    records: Sequence[LinkRecord], *, today: dt.date, shown: float = SHOWN
) -> list[tuple[LinkRecord, LinkRecord, Linked]]:
    """Every pair of records at least `shown` likely to be one person, most likely first."""
    freq = NameFrequencies(records)
    shares = site_shares_of(records)
    first, second = candidate_pairs(records)
    if not len(first):
        return []
    bits = _batch_bits(records, first, second, freq, today, shares)
    likely = np.nonzero(SLOPE * bits + OFFSET >= math.log2(shown / (1 - shown)) - 1e-9)[0]
    found = []
    for k in likely.tolist():
        a, b = records[int(first[k])], records[int(second[k])]
        linked = link_score(a, b, freq, today=today, site_shares=shares)
        if linked.likelihood >= shown:
            found.append((a, b, linked))
    found.sort(key=lambda x: (-x[2].likelihood, x[0].row, x[1].row))
    return found
