"""What a page shown in Arabic or French must not show: English words, outside the names and
codes the test put there. The English words are those of every msgid in the catalogues and of
every template's {% translate %}/{% blocktranslate %} text (so a string of an app with no
catalogue yet is caught too); for French, words French shares with English ("distribution",
"stock", "transfert") are taken out by the French catalogues' own words."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LIFELINE = Path(__file__).resolve().parents[2]
APOSTROPHES = "'\u2019"
WORD = re.compile(rf"[A-Za-z][A-Za-z{APOSTROPHES}-]{{2,}}")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>")
_PO_STRING = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|)\s*"(.*)"\s*$')
_TEMPLATE_TEXT = re.compile(
    r"{%\s*translate\s+([\"'])(.*?)\1|{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}",
    re.S,
)
# Latin words a page may show in any language: symbols, acronyms, the product's name.
ANY_LANGUAGE = frozenset({"kg", "csv", "hxl", "api", "gpx", "lifeline", "vvm"})


def _words(text: str) -> set[str]:
    return {w.lower().strip(APOSTROPHES + "-") for w in WORD.findall(_PLACEHOLDER.sub(" ", text))}


def _po_strings(path: Path) -> dict[str, list[str]]:
    """The msgids and msgstrs of a .po file (continuation lines joined)."""
    found: dict[str, list[str]] = {"msgid": [], "msgstr": []}
    kind, parts = "", [""]
    for line in [*path.read_text(encoding="utf-8").splitlines(), 'msgid ""']:
        match = _PO_STRING.match(line)
        if match is None:
            continue
        if match[1]:
            if kind:
                found[kind].append(parts[0])
            kind = "msgid" if match[1].startswith("msgid") else "msgstr"
            parts = [match[2]]
        else:
            parts[0] += match[2]
    return found


@cache
def english_words() -> frozenset[str]:
    words: set[str] = set()
    for po in LIFELINE.glob("*/locale/fr/LC_MESSAGES/django.po"):
        for msgid in _po_strings(po)["msgid"]:
            words |= _words(msgid)
    for template in LIFELINE.glob("*/templates/**/*.html"):
        for match in _TEMPLATE_TEXT.finditer(template.read_text(encoding="utf-8")):
            words |= _words(match[2] or match[3] or "")
    return frozenset(words - ANY_LANGUAGE)


@cache
def french_words() -> frozenset[str]:
    words: set[str] = set()
    for po in LIFELINE.glob("*/locale/fr/LC_MESSAGES/django.po"):
        for msgstr in _po_strings(po)["msgstr"]:
            words |= _words(msgstr)
    return frozenset(words)


def english_left(text: str, language: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """The English words of `text` (a page's visible text) once `names` (the people, places
    and codes the test made, as entered) are taken out: any for Arabic; for French, those that
    are not French words too."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    wrong = english_words() - (french_words() if language == "fr" else frozenset())
    return sorted(_words(text) & wrong)
