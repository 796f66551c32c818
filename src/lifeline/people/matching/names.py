"""Names as registrars write them: normalising, keys for candidate generation, and the score
that tells a spelling variant (Layla, Leila, Laila, ليلى) from a different name (Karim,
Karima). Pure functions, no ORM.

A name is cut into tokens. Each token gets
- `text`: a Latin normal form (Arabic script transliterated; ou/oo to u, o to u, ee to i,
  ch/sh to one letter, dj to j, kh to h, q to k, ph to f, doubled letters once, a silent final
  e or h dropped), so that most variants of one name have the same text;
- `skeleton`: its consonants (w and y count as vowels except at the start), the key that
  finds candidates: Rachid, Rashid and Rasheed are all `rSd`;
- `vowels`: the vowel groups between those consonants, compared with `e` (and the absent short
  vowels of Arabic script) as wildcards, so that Said (s-ai-d) and Saad (s-a-d) differ while
  Meriem (m-e-r-ie-m) and Maryam (m-a-r-ia-m) agree;
- `feminine`: the final -a/-ah/ة that makes Karima, Rachida and Amina other names than Karim,
  Rachid and Amine.

Particles are attached to the word they introduce (ben Ali, Benali and bin Ali are one token;
Abdel Kader, Abd al-Qadir and Abdelkader are one token, and the assimilated Abderrazak is the
same as Abdul Razzaq); the article al-/el- is dropped. Tokens are compared in any order.

Each token also keeps its other readings (`matching.readings`: Turkish c, kh written k or ch,
Persian gh, Somali c), which the index files and the score compares, a little below.

Rapidfuzz (a C++ edit-distance library) scores tokens whose skeletons differ (typos).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from lifeline.people.matching.arabic_script import ARABIC_DIACRITICS, ARABIC_RANGE, arabic_word
from lifeline.people.matching.readings import (
    READING_AGREEMENT,
    READING_KH,
    READING_KH_PLAIN_K,
    READING_LETTERS,
    READING_PLAIN_K_AGREEMENT,
    READINGS,
    reading_kh,
    reading_latin,
)

VOWELS = frozenset("aeiu")

# Particles that are joined to the next word. "al"/"el" (and the sun-letter forms when
# hyphenated: ar-Rashid, as-Sayed) are the article, dropped once joined.
JOINING = frozenset(
    {"abd", "abdel", "abdal", "abdul", "abdoul", "abdou", "abu", "abou", "bou",
     "ben", "bel", "bin", "ibn", "bent", "bint", "ould",
     "du", "de", "van", "von", "del", "della", "dos", "das"}
)  # fmt: skip
ARTICLES = frozenset({"al", "el", "ul", "il"})
# The second half of a compound name with ad-Din (Nour Eddine, Nourredine, Nuruddin,
# نور الدين): joined to the word before it, so that every spelling is one token.
DIN_FORMS = frozenset(
    {"din", "dine", "ddin", "ddine", "eddin", "eddine", "edine", "edin", "uddin", "uddine",
     "addin", "addine", "iddin", "eddyn"}
)  # fmt: skip
SUN_ARTICLES = frozenset(
    {"ar", "as", "ash", "ad", "at", "az", "an", "ed", "er", "es", "et", "ez", "en", "ech"}
)

ALLAH = re.compile(r"abd[aeiu]*l+(?:a|ah|h)")

SOMALI_AYN = re.compile(r"^c(?=[aou])")

# Latin spellings to one form. Order matters: longer patterns first.
LATIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz][a-z]{3}|[aeiou][a-z]{4})", ""),
        (r"^ou(?=[aeiy])", "w"),
        (r"sch", "S"),
        (r"tch", "S"),
        (r"dj", "j"),
        (r"gu(?=[ei])", "g"),
        (r"(?<=[aeiou])dh$", "z"),  # dhal at the end: Mu'adh, Muaz, Moaz
        (r"(?<!ab)dh", "d"),  # but Abd-Hamid keeps its d and h
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"sh", "S"),
        (r"ch", "S"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        # The Somali Latin orthography (1972) writes the pharyngeal h (ha, ح) x: Maxamed,
        # Xasan, Axmed, Cabdifataax (Mohamed, Hassan, Ahmed, Abdelfattah). A Latin x in the
        # French names of the registry (Alexandre, Maxime) is read alike on both sides.
        (r"x", "h"),
        # Persian (ALA-LC Persian romanization, 2012) and Turkish (Türk Dil Kurumu) write
        # waw as v: Vahid, Javad, Mousavi, Veli (Wahid, Jawad, Musawi, Wali). At the start
        # of a word and between vowels, where Arabic spellings write w.
        (r"^v(?=[aeiouy])", "w"),
        (r"(?<=[aeiouy])v(?=[aeiouy])", "w"),
        # The final hamza after a long a (ـاء) written -ae in Moroccan civil registries'
        # French spellings (Asmae, Hanae, Safae, Wafae: Asma, Hana, Safa, Wafa'; UNGEGN,
        # Romanization systems report, 2013, on the French transcription of the Maghreb).
        (r"(?<=[a-z]{2})ae$", "a"),
        (r"ee", "i"),
        (r"oo", "u"),
        (r"ou", "u"),
        (r"o", "u"),
        (r"ie", "ie"),
    )
)


@dataclass(frozen=True, slots=True)
class NameToken:
    text: str
    skeleton: str
    vowels: tuple[str, ...]
    feminine: bool
    arabic: bool = False
    # The reading this token is (READINGS; "" for the usual one) and, on a usual token, the
    # same word in the other readings that change it (see `name_parse`).
    reading: str = ""
    alternates: tuple[NameToken, ...] = ()

    def __hash__(self) -> int:
        # Without the alternates (equal tokens still hash alike): the caches of the scores
        # hash tokens on every call, and the readings would triple that cost.
        return hash((self.text, self.skeleton, self.vowels, self.feminine, self.reading))

    @property
    def weight(self) -> float:
        """Longer names say more than short ones (Ali, Abd) when they agree."""
        return 1.0 + min(len(self.skeleton), 5) * 0.25


@dataclass(frozen=True)
class ParsedName:
    tokens: tuple[NameToken, ...] = field(default_factory=tuple)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)


def fold(text: str) -> str:
    # A c with a cedilla is an s (Fayçal, Hafça), not the k a bare c before a would become.
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ç", "s"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(raw: str, reading: str = "") -> list[tuple[str, bool, bool]]:
    """(word, from Arabic script, hyphenated to the next word) in order, in `reading`."""
    text = unicodedata.normalize("NFKC", raw)
    words: list[tuple[str, bool, bool]] = []
    for chunk in re.split(r"\s+", text.strip()):
        if not chunk:
            continue
        arabic = bool(ARABIC_RANGE.search(chunk))
        if arabic:
            for part in arabic_word(chunk, kh=reading == READING_KH).split():
                words.append((part, True, False))
            continue
        pieces = [p for p in re.split("[-\u2010\u2011\u2013]", fold(chunk))]
        for j, piece in enumerate(pieces):
            letters = reading_latin(re.sub(r"[^a-z]", "", piece), reading)
            if letters:
                words.append((letters, False, j < len(pieces) - 1))
    return words


def _joined(words: list[tuple[str, bool, bool]]) -> list[tuple[str, bool]]:
    """Particles attached to the word they introduce; articles dropped."""
    out: list[tuple[str, bool]] = []
    pending = ""
    pending_arabic = False
    for i, (word, arabic, hyphen) in enumerate(words):
        last = i == len(words) - 1
        if word in DIN_FORMS and out and not pending:
            previous, previous_arabic = out[-1]
            out[-1] = (previous + "edin", previous_arabic or arabic)
            continue
        if not last and (
            word in JOINING
            or any(word.endswith(p) and word[: -len(p)] in JOINING for p in JOINING)
            or word in ARTICLES
            or (hyphen and word in SUN_ARTICLES)
            or (pending and word in ARTICLES)
        ):
            if word in ARTICLES or word in SUN_ARTICLES:
                word = "" if not pending else word
            pending += word
            pending_arabic = pending_arabic or arabic
            continue
        out.append((pending + word, arabic or pending_arabic))
        pending, pending_arabic = "", False
    return out


def _particle_form(word: str) -> str:
    """Abdel-, Abdul-, Abder- as abd; ben/bin/ibn as bin; abou/bou as abu."""
    m = re.match(r"^abd(?:[aeiou]*l(?=[a-z]{3}))?(.*)$", word)
    if m and len(word) > 3:
        rest = re.sub(r"^[aeiou]+", "", m.group(1))
        return "abd" + rest
    m = re.match(r"^(?:ben|bin|ibn|bent|bint)(?=[a-z]{2})(.*)$", word)
    if m:
        rest = re.sub(r"^(?:al|el)(?=[a-z]{3})", "", m.group(1))
        return "bin" + _particle_form(rest)
    m = re.match(r"^(?:abou|abu)(?=[a-z]{2})(.*)$", word)
    if m:
        rest = re.sub(r"^(?:al|el)(?=[a-z]{3})", "", m.group(1))
        return "abu" + _particle_form(rest)
    return word


def _collapse_doubles(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def _is_vowel(text: str, i: int) -> bool:
    ch = text[i]
    if ch in VOWELS:
        return True
    # w and y are consonants at the start of a word, vowels (u, i) elsewhere.
    return ch in "wy" and i > 0


@lru_cache(maxsize=200_000)
def token_make(word: str, arabic: bool = False, reading: str = "") -> NameToken:
    """One word (already Latin, lower case, particles attached) as a token, in `reading`."""
    text = word
    if not arabic:
        # The Somali Latin orthography (1972) writes the ayn (ع) c: Cali, Cabdi, Cumar,
        # Caasha (Ali, Abdi, Umar, Aisha). At the start of a word before a vowel, where the
        # ayn of an Arabic name is and other Latin spellings write none, it is left out as
        # Arabic script's ayn is. (French Camille, Catherine read so too, alike on both
        # sides; only their K spellings part.)
        text = SOMALI_AYN.sub("", text)
        text = _collapse_doubles(_particle_form(text))
        if reading == READING_KH:
            if "k" in text.replace("kh", ""):
                reading = READING_KH_PLAIN_K
            text = reading_kh(text)
        for pattern, repl in LATIN_RULES:
            text = pattern.sub(repl, text)
        # Diphthongs: Layla, Leila, Laila.
        text = re.sub(r"[ae][yi](?![aeiu])", "ai", text)
        text = re.sub(r"(?<=[a-zSK])y(?=[^aeiu]|$)", "i", text)
        # A silent final e (Amine, Soufiane), an h after a final vowel (Fatimah, Aishah).
        if len(text) > 3 and text.endswith("e") and text[-2] not in VOWELS:
            text = text[:-1]
        if len(text) > 3 and text.endswith("h") and text[-2] in VOWELS:
            text = text[:-1]
        # A w after the first letter is the vowel u, as the skeleton already reads it:
        # Marwan and Marouane, Alawi and Alaoui, Twati and Touati are one text.
        text = text[:1] + text[1:].replace("w", "u")
    else:
        text = _particle_form(text)
    text = _collapse_doubles(text)
    if ALLAH.fullmatch(text):
        text = "abdulah"  # Abdallah, Abdullah, Abdellah, عبد الله: one form, not a feminine
    skeleton_chars: list[str] = []
    vowels: list[str] = []
    group = ""
    for i, ch in enumerate(text):
        if _is_vowel(text, i):
            group += {"w": "u", "y": "i"}.get(ch, ch)
        else:
            vowels.append(group)
            group = ""
            skeleton_chars.append(ch)
    vowels.append(group)
    # A final d or t is one sound in many spellings (Ahmed, Ahmet; Mourad, Murat).
    if skeleton_chars and skeleton_chars[-1] == "d":
        skeleton_chars[-1] = "t"
    # Likewise a final b written p in Turkish, whose spelling (Türk Dil Kurumu, after the
    # 1928 alphabet reform) writes the devoiced ending: Recep, Zeynep, Eyüp (Rajab, Zainab,
    # Ayyub).
    if skeleton_chars and skeleton_chars[-1] == "b":
        skeleton_chars[-1] = "p"
    # An initial y is written j in German, Dutch and Spanish (Jasmin, Jusuf, Junus), and jim
    # is g in Egyptian spellings (Gamal, Ragab, Hagar): one consonant in the skeleton.
    if skeleton_chars and skeleton_chars[0] == "y" and text.startswith("y"):
        skeleton_chars[0] = "j"
    skeleton_chars = ["j" if c == "g" else c for c in skeleton_chars]
    skeleton = "".join(skeleton_chars)
    feminine = len(skeleton) >= 2 and vowels[-1].endswith("a")
    return NameToken(
        text=text,
        skeleton=skeleton,
        vowels=tuple(_collapse_doubles(v) for v in vowels),
        feminine=feminine,
        arabic=arabic,
        reading=reading,
    )


def _tokens_read(raw: str, reading: str) -> list[NameToken]:
    return [token_make(word, arabic, reading) for word, arabic in _joined(_words(raw, reading))]


@lru_cache(maxsize=200_000)
def name_parse(raw: str) -> ParsedName:
    """A name as typed (any script, any order, particles or not) as comparable tokens, each
    with its other READINGS that differ from the usual one."""
    raw = raw or ""
    tokens = _tokens_read(raw, "")
    folded = fold(raw)
    others = [_tokens_read(raw, r) for r in READINGS if READING_LETTERS[r].search(folded)]
    out: list[NameToken] = []
    for i, token in enumerate(tokens):
        if not token.text:
            continue
        alternates = tuple(
            other[i]
            for other in others
            # A reading that joins or splits words otherwise is left out (it reads another name).
            if len(other) == len(tokens) and other[i].text and other[i].text != token.text
        )
        out.append(replace(token, alternates=alternates) if alternates else token)
    return ParsedName(tuple(out))


def names_parse(names: Iterable[str]) -> ParsedName:
    tokens: list[NameToken] = []
    seen: set[str] = set()
    for name in names:
        for token in name_parse(name).tokens:
            if token.text not in seen:
                seen.add(token.text)
                tokens.append(token)
    return ParsedName(tuple(tokens))


# ---- keys for candidate generation ------------------------------------------------------------


def token_key(token: NameToken) -> str:
    """The key under which a token is filed: its skeleton (its text when it has none)."""
    return token.skeleton or f"~{token.text}"


# ---- scores -----------------------------------------------------------------------------------


def _vowel_slot_agreement(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.7  # a short vowel left out (Mhamed, Fatma)
    if len(a) == len(b) and all(x == y or "e" in (x, y) for x, y in zip(a, b, strict=True)):
        return 1.0
    if {a, b} == {"a", "u"}:
        return 0.55  # an o or ou for a short a: Zohra and Zahra, Mohamed and Mahamed
    short, long = sorted((a, b), key=len)
    if len(long) == len(short) + 1 and long.endswith(short):
        # A vowel before the one both have: Bouzeid and Bouzid, Mu'adh and Maaz. (A vowel
        # after it makes another name: Said is not Saad.)
        return 0.85
    if {a, b} == {"u", "ua"}:
        # The consonant w and the short a after it (Anouar, Anwar, أنور) read as a long u
        # (Anour): close, but below a spelling, for Nour and Nouar are two names. Only after
        # w: Ziad is not Zid.
        return 0.65
    return 0.15


def _arabic_vowels_agree(arabic: NameToken, latin: NameToken) -> bool:
    """Arabic script writes the long vowels (alif, waw, ya) and leaves the short ones out: a
    Latin spelling with the same skeleton agrees fully when it has each written vowel where
    the Arabic has one (كريم and Karim; ليلى and Layla, the ya after a short a being the
    diphthong). The first slot is left out: alif with hamza and ayn take any vowel."""
    for written, spelled in zip(arabic.vowels[1:], latin.vowels[1:], strict=True):
        if not written or _vowel_slot_agreement(written, spelled) == 1.0:
            continue
        if written in ("i", "u") and spelled.endswith(written):
            continue
        return False
    return True


def _arabic_vowels_contradict(arabic: NameToken, latin: NameToken) -> bool:
    """A vowel the Arabic writes (alif, waw, ya) that the Latin spelling gives as another one,
    or a long i or u the Latin spells where the Arabic writes another vowel: two names, not
    two spellings. خلود (Khulud, a woman) is not Khaled (خالد); محمود (Mahmud) is not
    Mohamed; حسين (Husayn) is not Hassan; سعد (Sa'd) is not Said (سعيد). An e may stand
    for a written alif or ya (Maghreb and Turkish spellings: Kamel كمال, Cherif شريف), never
    for a waw. Sources: ALA-LC Arabic romanization (2012), long vowels by their letters;
    Schimmel, Islamic Names (1989). The first slot is left out (hamza, ayn: any vowel).

    An Arabic name that writes no long vowel at all has none: a Latin u in its last syllable
    (Mahmoud, Mahmut) is the long u of another name, which Arabic writes with a waw (محمود),
    not a spelling of محمد. (A name that writes one, as يوسف, may leave a short u unwritten
    after it: Yusuf.) Nor is an ay there (Hussein: a ya) a spelling of حسن; a plain i or e
    may be a short vowel Arabic does not write (محسن Muhsin; Hassen, the Maghreb's Hasan)."""
    if not any(arabic.vowels[1:]) and len(latin.vowels) >= 4 and latin.vowels[-2] in ("u", "ai"):
        return True
    for written, spelled in zip(arabic.vowels[1:], latin.vowels[1:], strict=True):
        if not written or not spelled:
            continue
        if "u" in written and "u" not in spelled:
            return True
        if "i" in written and not ({"i", "e"} & set(spelled)):
            return True
        if written == "a" and not ({"a", "e"} & set(spelled)):
            return True
        if written == "a" and spelled.endswith("i"):
            return True  # Said (a long i) for سعد, whose ayn-a has no ya after it
    return False


def other_gender(a: NameToken, b: NameToken) -> bool:
    """One is feminine (-a, -ah, ة), the other not. A final e says neither: the -eh of
    Levantine spellings (Hamzeh, Fatmeh) is often that same ending."""
    return a.feminine != b.feminine and a.vowels[-1] != "e" and b.vowels[-1] != "e"


# The -i of a nisba (an adjective of origin or descent, most family names of the registry) makes
# another name of the one it is formed from: Hakimi is a family, Hakim a man.
NISBA = 0.5
# A Latin spelling whose vowels contradict those the Arabic writes (Khaled, خلود): another name
# of the same consonants, as far as Karim from Karima.
ARABIC_VOWEL_CONTRADICTED = 0.6


@lru_cache(maxsize=500_000)
def token_similarity(a: NameToken, b: NameToken) -> float:
    """1.0 for spellings of one name; well below for different names that look alike. An
    agreement in another reading (READINGS) of either counts, a little below, when the two
    read with one skeleton (a slip is measured in the usual reading only)."""
    best = _reading_similarity(a, b)
    if best < READING_AGREEMENT and (a.alternates or b.alternates):
        for x in (a, *a.alternates):
            for y in (b, *b.alternates):
                if (x is a and y is b) or x.skeleton != y.skeleton or not x.skeleton:
                    continue
                if x.reading and y.reading and x.reading[:1] != y.reading[:1]:
                    continue
                plain_k = READING_KH_PLAIN_K in (x.reading, y.reading)
                factor = READING_PLAIN_K_AGREEMENT if plain_k else READING_AGREEMENT
                best = max(best, factor * _reading_similarity(x, y))
    return best


def _reading_similarity(a: NameToken, b: NameToken) -> float:
    """token_similarity of two tokens as they read (their other readings aside)."""
    if a.text == b.text:
        return 1.0
    if a.skeleton == b.skeleton and a.skeleton:
        if other_gender(a, b):
            return 0.45  # Karim and Karima, Rachid and Rachida: another name
        return _same_skeleton_similarity(a, b)
    text = Levenshtein.normalized_similarity(a.text, b.text)
    skel = Levenshtein.normalized_similarity(a.skeleton, b.skeleton)
    score = 0.45 * text + 0.45 * skel
    if other_gender(a, b):
        score *= OTHER_ENDING_APART
    return score


# The feminine ending of two names of other skeletons says little more: they are other names
# already, or one is a slip, and a slip on the last letter takes the ending with it (Sars for
# Sara). Of one skeleton it is the whole difference (Karim, Karima: 0.45 above).
OTHER_ENDING_APART = 0.9


# The feminine ending tells a man's name from a woman's (Karim, Karima). Of a person's own
# given name, when the sex sought is the person's, it tells nothing more: Nour and Nora,
# Yasmin and Yasmina are one woman's name written with and without it (a man is not
# registered as Karima). Still a little below the same ending.
ENDING_WITH_SEX_KNOWN = 0.9


@lru_cache(maxsize=200_000)
def given_name_similarity(query: NameToken, given: NameToken) -> float:
    """token_similarity of a query name and a person's own given name when the person's sex
    is the one sought."""
    sim = token_similarity(query, given)
    if query.skeleton == given.skeleton and query.skeleton and other_gender(query, given):
        return max(sim, ENDING_WITH_SEX_KNOWN * _same_skeleton_similarity(query, given))
    return sim


def _same_skeleton_similarity(a: NameToken, b: NameToken) -> float:
    """Two spellings with one skeleton, the feminine ending aside: by their vowels."""
    if a.text == b.text:
        return 1.0
    nisba = {a.vowels[-1], b.vowels[-1]} == {"", "i"}
    if a.arabic or b.arabic:
        # Arabic writes the ya of a nisba: كريمي is not Karim. (A Latin final i without
        # it may be the -ih of صالح, Salih, whose h is dropped.)
        arabic_nisba = nisba and (a.vowels[-1] if a.arabic else b.vowels[-1]) == "i"
        if arabic_nisba:
            return 0.55 + 0.45 * NISBA
        if a.arabic != b.arabic:
            latin = b if a.arabic else a
            arabic = a if a.arabic else b
            if _arabic_vowels_contradict(arabic, latin):
                return ARABIC_VOWEL_CONTRADICTED
            return 1.0 if _arabic_vowels_agree(arabic, latin) else 0.95
        return 0.95
    agreement = 1.0
    for x, y in zip(a.vowels[1:-1], b.vowels[1:-1], strict=True):
        agreement *= _vowel_slot_agreement(x, y)
    last_a, last_b = a.vowels[-1], b.vowels[-1]
    if len(a.skeleton) == 1 and not nisba:
        # A name of one consonant is mostly its vowels, the last one too: Ali (علي) and Ala
        # (علاء, Alaa), Ali and Alia (عالية) are other names (Schimmel, Islamic Names, 1989).
        agreement *= _vowel_slot_agreement(last_a, last_b)
    elif len(a.skeleton) == 2 and last_a and last_b and "e" not in last_a + last_b:
        # So is a name of two when both end in a vowel the other does not write: Yunu (a slip
        # for Yunus) is not Günay. (One left out, or an e, may still be the same name.)
        agreement *= _vowel_slot_agreement(last_a, last_b)
    if a.vowels[0] != b.vowels[0]:
        agreement *= 0.9
    if nisba:
        agreement *= NISBA  # Hakim and Hakimi, Karim and Karimi, Nasser and Nasiri
    return 0.55 + 0.45 * agreement


# A record's first token is the person's own given name. A query of two names or more that
# leaves it unmatched found the person through a father's or grandfather's name (Youssef
# Karimi is rather Youssef than Ahmed son of Youssef Karimi): such a record ranks a little
# below one whose own name matches.
GIVEN_MATCHED = 0.5
GIVEN_UNMATCHED = 0.94


@dataclass(frozen=True)
class NameMatch:
    score: float  # 0..1
    matched: tuple[tuple[str, str, float], ...]  # (query token, record token, similarity)
    order_swapped: bool = False


# Cached: a search scores its best rows in the index (to rank them exactly), then again in
# candidate_match (for the reasons); the second is then a look-up.
@lru_cache(maxsize=16_384)
def name_similarity(
    query: ParsedName, record: ParsedName, *, sex_agrees: bool = False
) -> NameMatch:
    """How well the record's names account for the query's tokens, in any order.

    Each query token is paired with its best record token (each used once). A record with
    names the query does not mention loses a little: a partial name still finds the person,
    but a full match ranks first. `sex_agrees`: the person's sex is the one sought (see
    given_name_similarity for the record's first name).
    """
    if not query.tokens or not record.tokens:
        return NameMatch(0.0, ())
    # Best pairs first; among equal ones the record's earlier name, so that a name written
    # twice (Ahmad Ahmad Sherif) is matched as the person's own given name.
    given_rule = given_name_similarity if sex_agrees else token_similarity
    pairs = sorted(
        (
            (-(given_rule if ri == 0 else token_similarity)(q, r), qi, ri)
            for qi, q in enumerate(query.tokens)
            for ri, r in enumerate(record.tokens)
        ),
    )
    used_q: set[int] = set()
    used_r: set[int] = set()
    matched: dict[int, tuple[int, float]] = {}
    for negative, qi, ri in pairs:
        sim = -negative
        if qi in used_q or ri in used_r:
            continue
        used_q.add(qi)
        used_r.add(ri)
        matched[qi] = (ri, sim)
    weights = [t.weight for t in query.tokens]
    total = sum(weights)
    covered = sum(weights[qi] * sim for qi, (_, sim) in matched.items())
    query_cover = covered / total
    extra = max(0, len(record.tokens) - len(query.tokens))
    score = query_cover * (1.0 - 0.03 * min(extra, 3))
    if len(query.tokens) >= 2 and len(record.tokens) >= 2:
        given = max((sim for ri, sim in matched.values() if ri == 0), default=0.0)
        if given < GIVEN_MATCHED:
            score *= GIVEN_UNMATCHED
    order = [ri for qi, (ri, sim) in sorted(matched.items()) if sim >= 0.8]
    return NameMatch(
        score=score,
        matched=tuple(
            (query.tokens[qi].text, record.tokens[ri].text, round(sim, 3))
            for qi, (ri, sim) in sorted(matched.items())
        ),
        order_swapped=order != sorted(order),
    )


# ---- the whole score: names, then age, sex, household and place -------------------------------


@dataclass(frozen=True)
class Probe:
    """What a searcher knows: a name, and perhaps an age, a sex, a household, a place."""

    name: ParsedName
    age: int | None = None
    sex: str | None = None  # "female" | "male" | None
    household: str | None = None
    site: str | None = None
    # The words as typed (spelling_words): they order persons whose names score alike.
    spelling: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    name: ParsedName
    age: int | None = None
    sex: str | None = None
    household: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class Scored:
    score: float
    name_score: float
    reasons: tuple[str, ...]


NAME_MATCH = 0.85  # a name similarity at or above this reads as "the same name"
KNOWN_SEXES = frozenset({"female", "male"})
# The names weigh most; age, sex, household and place say less. A part unknown on either side
# leaves the weighing; another sex scales down what the names and the age said.
NAME_WEIGHT = 0.78
AGE_WEIGHT = 0.12
SEX_WEIGHT = 0.07
OTHER_SEX = 0.6
HOUSEHOLD_WEIGHT = 0.03
SITE_WEIGHT = 0.02
MAX_NAME_TOKENS = 6  # a person's tokens beyond these say nothing more (and the index keeps six)


@lru_cache(maxsize=65_536)
def age_agreement(probe_age: int | None, age: int | None) -> float | None:
    """1 for the same age, a little less within the tolerance of an estimate (2 years for a
    child, 4 for an adult), then falling fast; None when either is unknown."""
    if probe_age is None or age is None:
        return None
    gap = abs(probe_age - age)
    tolerance = 2 if min(probe_age, age) < 18 else 4
    return max(0.0, 1.0 - 0.03 * min(gap, tolerance) - max(gap - tolerance, 0) / 8)


class Evidence(NamedTuple):
    """What besides the names a probe and a candidate agree on: the age agreement, whether the
    sex, the household and the site are the same (None: unknown on either side). A plain
    tuple: the index asks score_line for hundreds of them per search."""

    age: float | None = None
    same_sex: bool | None = None
    same_household: bool | None = None
    same_site: bool | None = None


def evidence_of(probe: Probe, candidate: Candidate) -> Evidence:
    sex_known = probe.sex in KNOWN_SEXES and candidate.sex in KNOWN_SEXES
    household_known = bool(probe.household and candidate.household)
    site_known = bool(probe.site and candidate.site)
    return Evidence(
        age=age_agreement(probe.age, candidate.age),
        same_sex=probe.sex == candidate.sex if sex_known else None,
        same_household=probe.household == candidate.household if household_known else None,
        same_site=probe.site == candidate.site if site_known else None,
    )


@lru_cache(maxsize=65_536)
def score_line(evidence: Evidence) -> tuple[float, float]:
    """The whole score is a line in the name score: (slope, intercept) for this evidence.

    The one weighing of names with age, sex, household and place: `candidate_match` and the
    name index (row by row, over arrays) both take it from here."""
    slope, intercept, weight = NAME_WEIGHT, 0.0, NAME_WEIGHT
    if evidence.age is not None:
        intercept += AGE_WEIGHT * evidence.age
        weight += AGE_WEIGHT
    if evidence.same_sex is not None:
        weight += SEX_WEIGHT
        if evidence.same_sex:
            intercept += SEX_WEIGHT
        else:
            slope, intercept = slope * OTHER_SEX, intercept * OTHER_SEX
    if evidence.same_household is not None:
        weight += HOUSEHOLD_WEIGHT
        intercept += HOUSEHOLD_WEIGHT if evidence.same_household else 0.0
    if evidence.same_site is not None:
        weight += SITE_WEIGHT
        intercept += SITE_WEIGHT if evidence.same_site else 0.0
    return slope / weight, intercept / weight


def match_score(name_score: float, evidence: Evidence) -> float:
    slope, intercept = score_line(evidence)
    return slope * name_score + intercept


def candidate_match(probe: Probe, candidate: Candidate) -> Scored:
    """Name similarity weighed with age, sex, household and place, in full precision (what the
    name index ranks by); reasons in words."""
    evidence = evidence_of(probe, candidate)
    name = name_similarity(probe.name, candidate.name, sex_agrees=bool(evidence.same_sex))
    reasons: list[str] = []
    for q, r, sim in name.matched:
        if q == r:
            reasons.append(f"name {q!r} matches")
        elif sim >= NAME_MATCH:
            reasons.append(f"{q!r} is a spelling of {r!r}")
        elif sim >= 0.5:
            reasons.append(f"{q!r} is close to {r!r}")
    if name.order_swapped:
        reasons.append("names in another order")
    if evidence.age is not None:
        reasons.append("age agrees" if evidence.age >= 0.88 else f"age differs ({candidate.age})")
    if evidence.same_sex is not None:
        reasons.append("sex agrees" if evidence.same_sex else "sex differs")
    if evidence.same_household:
        reasons.append("same household")
    if evidence.same_site:
        reasons.append("same site")
    return Scored(
        score=match_score(name.score, evidence), name_score=name.score, reasons=tuple(reasons)
    )


def candidate_score(probe: Probe, candidate: Candidate) -> Scored:
    """candidate_match to four places, as searches show and sort it."""
    scored = candidate_match(probe, candidate)
    return Scored(round(scored.score, 4), round(scored.name_score, 4), scored.reasons)


# ---- the spelling as typed: the order among persons of one name --------------------------------

SPELLING_SPLIT = re.compile(r"[\W\d_]+")


def spelling_words(names: Iterable[str]) -> tuple[str, ...]:
    """The words of names as typed, case, accents, Arabic vowel marks and punctuation aside
    (at most MAX_NAME_TOKENS): what spelling_closeness compares."""
    words: list[str] = []
    for name in names:
        words.extend(_spelling_words_of(name or ""))
    return tuple(words[:MAX_NAME_TOKENS])


@lru_cache(maxsize=200_000)
def _spelling_words_of(name: str) -> tuple[str, ...]:
    text = ARABIC_DIACRITICS.sub("", fold(unicodedata.normalize("NFKC", name)))
    return tuple(w for w in SPELLING_SPLIT.split(text) if w)


def spelling_closeness(query: Sequence[str], record: Sequence[str]) -> float:
    """How near a record's words are to the query's as typed, 0..1: for each query word the
    nearest record word's normalised Levenshtein similarity, averaged.

    Not a name score: every spelling of a name is that name (Mohamed, Mohammed, محمد all score
    1.0), so hundreds of persons may tie. Among those, the one written as the searcher wrote
    comes first, as an edit-distance search would order them (Hammid finds the Hamids before
    the Hameds; محمد احمد written in Arabic finds those registered in Arabic first)."""
    if not query or not record:
        return 0.0
    return sum(max(Levenshtein.normalized_similarity(q, r) for r in record) for q in query) / len(
        query
    )


ABD_FORMS = frozenset({"abd", "abdel", "abdal", "abdul", "abdoul"})


@lru_cache(maxsize=65_536)
def _is_abd(name: str) -> bool:
    words = _words(name or "")
    return len(words) == 1 and words[0][0] in ABD_FORMS


def person_tokens(names: Sequence[str]) -> ParsedName:
    """A person's tokens, the given name's first: those of the given and the family name (a
    name repeated stays repeated: Mohamed Mohamed, Ahmad Ahmad Sherif), then those of other
    names that are new; at most MAX_NAME_TOKENS. The index and the scorer both read a person
    so."""
    out: list[NameToken] = []
    names = list(names)
    if len(names) >= 2 and _is_abd(names[0]):
        # A given name that is only Abd (عبد, "servant of") was cut from the name of God it
        # introduces, for Abd is no name alone (Schimmel, Islamic Names, 1989, on the
        # theophoric names): given "Abd", family "Salam" is Abdessalam, as the same words
        # typed in one box read. (Abu, Ben and Abdou are names of their own too.)
        names = [f"{names[0]} {names[1]}", *names[2:]]
    for position, name in enumerate(names):
        tokens = name_parse(name).tokens
        out.extend(tokens if position < 2 else (t for t in tokens if t not in out))
    return ParsedName(tuple(out[:MAX_NAME_TOKENS]))
