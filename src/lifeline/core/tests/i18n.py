"""What the language tests of every app share: the words of the catalogues, to tell an English
word left on a page in Arabic or French from a name, a code or a word the two languages share.

The English vocabulary is every word of three letters or more in the msgids of all catalogues
(src/lifeline/*/locale); a word of a page counts as English when it is in that vocabulary and
not in the page's own language's translations (French shares "Menu", "Site", "Notes"; Arabic
pages keep "Lifeline", "CSV", "GPX"), nor among the names and codes the test allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

LOCALE_ROOT = Path(__file__).resolve().parents[2]  # src/lifeline
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sd]|<[^>]+>")


def _po_strings(path: Path) -> tuple[list[str], list[str]]:
    """The msgids (and plurals) and the msgstrs of one .po file, joined across lines."""
    ids: list[str] = []
    strs: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            ids.append("")
            current = ids
        elif line.startswith("msgstr"):
            strs.append("")
            current = strs
        elif not line.startswith('"'):
            current = None
            continue
        if current is not None:
            text = line[line.index('"') + 1 : line.rindex('"')]
            current[-1] += text.replace('\\"', '"').replace("\\n", " ")
    return ids, strs


def po_entries(path: Path) -> list[tuple[str, list[str]]]:
    """(msgid, its msgstrs: one, or one per plural form) of each entry of a .po file."""
    entries: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            entries.append(("", []))
            current = None
        elif line.startswith("msgstr"):
            entries[-1][1].append("")
            current = entries[-1][1]
        elif line.startswith("msgid_plural ") or not line.startswith('"'):
            current = None
            continue
        text = line[line.index('"') + 1 : line.rindex('"')].replace('\\"', '"')
        if line.startswith(("msgid ", '"')) and current is None and entries:
            msgid, strs = entries[-1]
            entries[-1] = (msgid + text, strs)
        elif current is not None:
            current[-1] += text
    return entries


@cache
def catalogue_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """(English words of every msgid, words of every translation into `language`), lowercase."""
    english: set[str] = set()
    own: set[str] = set()
    for path in LOCALE_ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"):
        ids, strs = _po_strings(path)
        for text in ids:
            english.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)))
        for text in strs:
            own.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)))
    return frozenset(english), frozenset(own)


def english_words(text: str, language: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of `text` (a page's visible text) that are English left untranslated."""
    english, own = catalogue_words(language)
    kept = {word.lower() for name in allowed for word in _WORD.findall(name)}
    found = []
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in english and lower not in own and lower not in kept:
            found.append(word)
    return found


# ---- templates: visible text left outside {% translate %} ----------------------------------

_TRANSLATED_ATTRIBUTES = re.compile(r'\b(title|placeholder|aria-label|alt)="([^"]*)"')
# Words a page may show as they are: the product's name and the formats' names.
UNTRANSLATED_OK = frozenset({"Lifeline", "CSV", "HXL", "API", "JSON", "GPX", "GeoJSON", "QR"})


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def template_untranslated(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each visible text or translated attribute of a Django template that is
    not inside the translation tags: comments, translate/blocktranslate blocks, template tags,
    variables, scripts and styles are taken out first."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"{% *comment *%}.*?{% *endcomment *%}|{#.*?#}", _blank, text, flags=re.S)
    text = re.sub(
        r"{% *blocktrans(late)?\b.*?{% *endblocktrans(late)? *%}", _blank, text, flags=re.S
    )
    text = re.sub(r"{%.*?%}|{{.*?}}", lambda m: "\x00" + _blank(m), text, flags=re.S)
    text = re.sub(r"<script.*?</script>|<style.*?</style>", _blank, text, flags=re.S)
    found = []
    for match in _TRANSLATED_ATTRIBUTES.finditer(text):
        value = match.group(2).replace("\x00", " ")
        if _has_words(value):
            found.append((text[: match.start()].count("\n") + 1, f'{match.group(1)}="{value}"'))
    text = re.sub(r"<[^>]*>", lambda m: " " + _blank(m), text, flags=re.S)
    text = re.sub(r"&[a-z#0-9]+;", " ", text)
    for number, line in enumerate(text.split("\n"), 1):
        if _has_words(line):
            found.append((number, " ".join(line.replace("\x00", "…").split())))
    return sorted(found)


def _has_words(text: str) -> bool:
    return any(word not in UNTRANSLATED_OK for word in re.findall(r"[A-Za-z][A-Za-z'’-]+", text))
