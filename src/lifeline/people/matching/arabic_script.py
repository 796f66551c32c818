"""Arabic script in Latin letters, as `matching.names` compares it: one rendering per letter,
the weak letters settled by position, short vowels (unwritten) left out. Pure."""

from __future__ import annotations

import re

from lifeline.people.matching.readings import KH

# Written Arabic leaves short vowels out: its tokens compare by consonants and endings only.
ARABIC_RANGE = re.compile(r"[\u0600-\u06ff]")
ARABIC_DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alif, tatweel

# One Latin rendering per Arabic letter; the weak letters (alif, waw, ya) are settled by
# position in `arabic_word`.
ARABIC_LETTERS: dict[str, str] = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",  # noqa: RUF001
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "ى": "a", "پ": "p", "چ": "S", "گ": "g", "ڤ": "v", "ک": "k",  # noqa: RUF001
    "ی": "i",
}  # fmt: skip


def arabic_word(word: str, *, kh: bool = False) -> str:
    """One Arabic word in Latin letters; the article ال becomes a separate `al` word. `kh`:
    the kh reading, خ as its own letter (KH) rather than h."""
    word = ARABIC_DIACRITICS.sub("", word)
    if word in {"ابن", "بن"}:
        return "ibn"
    if word in {"بنت", "ابنة"}:
        return "bint"
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = "al ", word[2:]
    if word.endswith("اة"):
        word = word[:-1] + "ت"  # ta marbuta after alif is read -at: Najat, Hayat
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch in "وي":
            # A weak letter is a consonant at the start of a word, a long vowel elsewhere.
            out.append(("w" if ch == "و" else "y") if i == 0 else ("u" if ch == "و" else "i"))
        elif ch == "ذ" and i == len(word) - 1:
            out.append("z")  # a final dhal is written z as often as dh: Muaz, Mu'adh
        elif ch == "خ" and kh:
            out.append(KH)
        else:
            out.append(ARABIC_LETTERS.get(ch, ""))
    text = "".join(out)
    # A final h after two consonants (صالح, Salih, Saleh) is dropped, as Latin spellings drop
    # the h after a final vowel.
    # (Not the h of Allah written joined to Abd: عبدالله is Abdallah.)
    if (
        len(text) > 3
        and text.endswith("h")
        and sum(c not in "aiu" for c in text) >= 3
        and not word.endswith("لله")
    ):
        text = text[:-1]
    return prefix + text
