"""How another registrar writes the same person: the spelling rules of the duplicates benchmark.

Written by hand from published sources, apart from `lifeline.people.matching.names` (whose
rules a benchmark must not borrow, or it measures the matcher against itself). Each rule names
its source. The rules are in two groups:

- SEEN: the rules the finder was looked at against while it was built;
- HELD_OUT: kept aside and never looked at while tuning; the benchmark reports them apart
  (`heldout_f1`).

Sources:
- [ALA-LC] Library of Congress, ALA-LC Romanization Tables: Arabic (2012): long vowels ā ī ū,
  doubled consonant for shadda, the article al- kept.
- [BGN] BGN/PCGN 1956 system for Arabic (UNGEGN, Romanization Systems report, 2013): sh, kh,
  th, dh; ou is not used; -a for ta marbuta.
- [FR] French transcription of the Maghreb civil registries as described in the UNGEGN report
  above (Algeria, Morocco, Tunisia): ou for u, ch for sh, dj for j (Algeria), e for short
  vowels, -a final; and Pellat's remarks on "Mohamed/Mhamed" forms.
- [ICAO] ICAO Doc 9303 Part 3 (2021), section 6: Arabic transliteration in travel documents
  (written without diacritics, doubled consonants kept, AL- kept).
- [TDK] Turkish orthography (Türk Dil Kurumu): Arabic names in Turkish form, e for a in
  closed syllables, final d as t, ü and ö, c for j (Mehmet, Ahmet, Cemal).
- [SOM] The 1972 Somali Latin orthography: c for ayn, x for ha (Maxamed, Cali, Cabdi), aa
  and ii for long vowels.
- [ABJ] Abjad habit of leaving short vowels unwritten, carried into Latin spellings by
  registrars (Mhamed, Mhmd; Fatma for Fatima): noted in the UNGEGN report for Maghreb forms.
- [DAM] Damerau, F. J. (1964), "A technique for computer detection and correction of spelling
  errors", Comm. ACM 7(3): about 80% of misspellings are one insertion, deletion,
  substitution or transposition.
- [KBD] QWERTY/AZERTY neighbouring keys for substitutions (the keyboards registrars type on).
- [ORD] Name order: Arabic and Turkish registries often write the family name first
  (UNHCR, "Guidance on registration and identity management", 2018, on name fields).

Arabic script: a hand list of common names in their usual Arabic spelling, both directions.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

# Latin -> Arabic script (the usual spelling), written by hand; used both ways.
ARABIC_SPELLING: dict[str, str] = {
    "mohamed": "محمد", "mohammed": "محمد", "muhammad": "محمد", "mohammad": "محمد",
    "mohamad": "محمد", "ahmed": "أحمد", "ahmad": "أحمد", "ali": "علي", "omar": "عمر",
    "umar": "عمر", "hassan": "حسن", "hasan": "حسن", "hussein": "حسين", "hossein": "حسين",
    "youssef": "يوسف", "yusuf": "يوسف", "yousef": "يوسف", "ibrahim": "إبراهيم",
    "khaled": "خالد", "khalid": "خالد", "mahmoud": "محمود", "mustafa": "مصطفى",
    "mostafa": "مصطفى", "mustapha": "مصطفى", "abdullah": "عبدالله", "abdallah": "عبدالله",
    "said": "سعيد", "saeed": "سعيد", "rachid": "رشيد", "rashid": "رشيد", "karim": "كريم",
    "hamza": "حمزة", "amine": "أمين", "amin": "أمين", "salim": "سليم", "adel": "عادل",
    "walid": "وليد", "samir": "سمير", "nabil": "نبيل", "hakim": "حكيم", "jamal": "جمال",
    "kamal": "كمال", "kamel": "كمال", "yasser": "ياسر", "ammar": "عمار", "alaa": "علاء",
    "osman": "عثمان", "othman": "عثمان", "saleh": "صالح", "salah": "صلاح", "hamid": "حامد",
    "fatima": "فاطمة", "fatma": "فاطمة", "aisha": "عائشة", "aicha": "عائشة",
    "khadija": "خديجة", "maryam": "مريم", "meriem": "مريم", "mariam": "مريم",
    "zainab": "زينب", "zineb": "زينب", "amina": "أمينة", "nour": "نور", "noor": "نور",
    "sara": "سارة", "sarah": "سارة", "amal": "أمل", "hanan": "حنان", "salma": "سلمى",
    "reem": "ريم", "rim": "ريم", "layla": "ليلى", "laila": "ليلى", "leila": "ليلى",
    "asma": "أسماء", "asmaa": "أسماء", "iman": "إيمان", "imane": "إيمان", "eman": "إيمان",
    "amira": "أميرة", "samira": "سميرة", "karima": "كريمة", "nadia": "نادية",
    "yasmine": "ياسمين", "yasmin": "ياسمين", "hala": "هلا", "rania": "رانيا",
    "alaoui": "العلوي", "idrissi": "الإدريسي", "tazi": "التازي", "alami": "العلمي",
    "karimi": "كريمي", "ahmadi": "أحمدي", "jaber": "جابر", "haddad": "حداد",
    "najjar": "النجار", "masri": "المصري", "tamimi": "التميمي", "jubouri": "الجبوري",
    "shammari": "الشمري", "khalil": "خليل", "suleiman": "سليمان", "sulaiman": "سليمان",
    "issa": "عيسى", "abbas": "عباس", "haidar": "حيدر", "hayder": "حيدر", "musa": "موسى",
    "moussa": "موسى", "adam": "آدم", "idris": "إدريس", "driss": "إدريس", "hicham": "هشام",
    "hisham": "هشام", "ayoub": "أيوب", "ayyub": "أيوب", "yassine": "ياسين",
}  # fmt: skip
LATIN_OF_ARABIC: dict[str, list[str]] = {}
for _latin, _arabic in ARABIC_SPELLING.items():
    LATIN_OF_ARABIC.setdefault(_arabic, []).append(_latin)

ARABIC = re.compile(r"[\u0600-\u06ff]")
KEYBOARD_NEIGHBOURS = {
    "a": "qszw", "b": "vn", "c": "xv", "d": "sfe", "e": "rzd", "f": "dgr", "g": "fht",
    "h": "gjy", "i": "uok", "j": "hku", "k": "jli", "l": "km", "m": "nl", "n": "bm",
    "o": "ipl", "p": "o", "q": "aw", "r": "etf", "s": "adz", "t": "ryg", "u": "yij",
    "v": "cb", "w": "qxa", "x": "wc", "y": "tuh", "z": "sxe",
}  # fmt: skip


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


Rule = Callable[[str, random.Random], str | None]


def _sub_first(pattern: str, repl: str) -> Rule:
    def rule(name: str, rng: random.Random) -> str | None:
        low = name.lower()
        out = re.sub(pattern, repl, low, count=1)
        return _cap(out) if out != low else None

    return rule


# ---- SEEN ------------------------------------------------------------------------------------


def fr_to_en(name: str, rng: random.Random) -> str | None:
    """[FR] -> [BGN]: ou -> u, ch -> sh, dj -> j."""
    low = name.lower()
    out = low.replace("dj", "j").replace("ou", "u").replace("ch", "sh")
    return _cap(out) if out != low else None


def en_to_fr(name: str, rng: random.Random) -> str | None:
    """[BGN] -> [FR]: sh -> ch, u -> ou (not after q), j -> dj at the start."""
    low = name.lower()
    out = low.replace("sh", "ch")
    out = re.sub(r"(?<![qo])u", "ou", out)
    out = re.sub(r"^j", "dj", out)
    return _cap(out) if out != low else None


def short_vowel_swap(name: str, rng: random.Random) -> str | None:
    """[FR]/[BGN]: the short vowel of one syllable written e, a or i (Ahmed, Ahmad)."""
    low = name.lower()
    spots = [m.start() for m in re.finditer(r"(?<=[^aeiou])[aei](?=[^aeiou])", low)]
    if not spots:
        return None
    i = rng.choice(spots)
    other = rng.choice([v for v in "aei" if v != low[i]])
    return _cap(low[:i] + other + low[i + 1 :])


def shadda(name: str, rng: random.Random) -> str | None:
    """[ALA-LC]/[ICAO]: a doubled consonant written once, or a single one doubled."""
    low = name.lower()
    doubled = [m.start() for m in re.finditer(r"([^aeiou])\1", low)]
    if doubled:
        i = rng.choice(doubled)
        return _cap(low[:i] + low[i + 1 :])
    inner = [i for i in range(1, len(low) - 1) if low[i] not in "aeiouy " and low[i - 1] in "aeiou"]
    if not inner:
        return None
    i = rng.choice(inner)
    return _cap(low[: i + 1] + low[i] + low[i + 1 :])


def long_vowel(name: str, rng: random.Random) -> str | None:
    """[BGN] English-style long vowels: i -> ee, u -> oo (Rasheed, Yousof)."""
    low = name.lower()
    spots = [m.start() for m in re.finditer(r"(?<=[^aeiou])[iu](?=[^aeiou])", low)]
    if not spots:
        return None
    i = rng.choice(spots)
    return _cap(low[:i] + ("ee" if low[i] == "i" else "oo") + low[i + 1 :])


def article(name: str, rng: random.Random) -> str | None:
    """[ALA-LC] keeps al-, [FR] writes El, registrars often leave it out."""
    low = name.lower()
    m = re.match(r"^(?:al|el)[- ]?(.{3,})$", low)
    if m:
        return _cap(m.group(1))
    return None


def typo_substitute(name: str, rng: random.Random) -> str | None:
    """[DAM]/[KBD]: one letter for a neighbouring key."""
    low = name.lower()
    spots = [i for i, ch in enumerate(low) if ch in KEYBOARD_NEIGHBOURS and i > 0]
    if not spots:
        return None
    i = rng.choice(spots)
    return _cap(low[:i] + rng.choice(KEYBOARD_NEIGHBOURS[low[i]]) + low[i + 1 :])


def typo_delete(name: str, rng: random.Random) -> str | None:
    """[DAM]: one letter left out."""
    low = name.lower()
    if len(low) < 4:
        return None
    i = rng.randrange(1, len(low))
    return _cap(low[:i] + low[i + 1 :])


def to_arabic(name: str, rng: random.Random) -> str | None:
    """Arabic script for a Latin name of the hand list (the usual spelling)."""
    return ARABIC_SPELLING.get(_plain(name))


def from_arabic(name: str, rng: random.Random) -> str | None:
    """A Latin spelling of the hand list for an Arabic-script name."""
    found = LATIN_OF_ARABIC.get(name.strip())
    return _cap(rng.choice(found)) if found else None


# ---- HELD OUT --------------------------------------------------------------------------------


def turkish(name: str, rng: random.Random) -> str | None:
    """[TDK]: e for a in closed syllables, final d as t, j as c, u after a consonant as ü."""
    low = _plain(name)
    out = re.sub(r"(?<=[^aeiou])a(?=[^aeiou]{2})", "e", low)
    out = re.sub(r"d$", "t", out)
    out = out.replace("j", "c").replace("ou", "u")
    return _cap(out) if out != low else None


def somali(name: str, rng: random.Random) -> str | None:
    """[SOM]: an initial vowel after ayn written c (Cali, Cabdi), an h after a vowel x."""
    low = _plain(name)
    out = re.sub(r"^([aeiou])", r"c\1", low) if low[:1] in "aeiou" else low
    if out == low:
        out = re.sub(r"(?<=[aeiou])h(?=[aeiou])", "x", low, count=1)
    return _cap(out) if out != low else None


def abjad(name: str, rng: random.Random) -> str | None:
    """[ABJ]: the first short vowel between two consonants left out (Mhamed, Fatma)."""
    low = _plain(name)
    m = re.search(r"(?<=[^aeiou])[aeiou](?=[^aeiou][aeiou])", low)
    if not m or len(low) < 5:
        return None
    return _cap(low[: m.start()] + low[m.end() :])


def typo_transpose(name: str, rng: random.Random) -> str | None:
    """[DAM]: two neighbouring letters swapped."""
    low = name.lower()
    if len(low) < 4:
        return None
    i = rng.randrange(1, len(low) - 1)
    if low[i] == low[i + 1]:
        return None
    return _cap(low[:i] + low[i + 1] + low[i] + low[i + 2 :])


def typo_insert(name: str, rng: random.Random) -> str | None:
    """[DAM]/[KBD]: a neighbouring key struck as well."""
    low = name.lower()
    spots = [i for i, ch in enumerate(low) if ch in KEYBOARD_NEIGHBOURS and i > 0]
    if not spots:
        return None
    i = rng.choice(spots)
    return _cap(low[:i] + rng.choice(KEYBOARD_NEIGHBOURS[low[i]]) + low[i:])


SEEN: dict[str, Rule] = {
    "fr_to_en": fr_to_en,
    "en_to_fr": en_to_fr,
    "short_vowel": short_vowel_swap,
    "shadda": shadda,
    "long_vowel": long_vowel,
    "article": article,
    "typo_substitute": typo_substitute,
    "typo_delete": typo_delete,
    "to_arabic": to_arabic,
    "from_arabic": from_arabic,
}
HELD_OUT: dict[str, Rule] = {
    "turkish": turkish,
    "somali": somali,
    "abjad": abjad,
    "typo_transpose": typo_transpose,
    "typo_insert": typo_insert,
    "to_arabic": to_arabic,
    "from_arabic": from_arabic,
}


def respell(name: str, rules: dict[str, Rule], rng: random.Random) -> tuple[str, str]:
    """The name as another registrar writes it with one rule of `rules` that changes it:
    (new name, rule); the name unchanged and "same" when none applies."""
    if not name:
        return name, "same"
    arabic = bool(ARABIC.search(name))
    order = list(rules)
    rng.shuffle(order)
    # Script changes first when they apply (a name in the hand list), a third of the time.
    if rng.random() < 0.33:
        order.sort(key=lambda r: r not in ("to_arabic", "from_arabic"))
    for rule in order:
        if arabic != (rule == "from_arabic"):
            continue
        out = rules[rule](name, rng)
        if out and out != name:
            return out, rule
    return name, "same"
