"""What the language tests of every app share: reading the catalogues, telling an English word
left on a page in Arabic or French from a name, a code or a word the two languages share, and
looking at a page (its language, whether it fits the phone, the text a reader sees).

The English vocabulary is every word of three letters or more in the msgids of all catalogues
(src/lifeline/*/locale) and in every template's {% translate %}/{% blocktranslate %} text (so
a string of an app with no catalogue yet is caught too). A word of a page counts as English
when it is in that vocabulary and not in the page's own language's translations (French shares
"Menu", "Site", "Distribution"; Arabic pages keep "Lifeline", "CSV", "GPX"), nor in the data
the test entered (names, places, codes and notes stay as they were written).
"""

from __future__ import annotations

import ast
import html as html_module
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_ROOT = Path(__file__).resolve().parents[2]  # src/lifeline
_APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ{_APOSTROPHES}-]{{2,}}")
# Placeholders, template code and markup inside messages are not words a reader sees.
_NOT_TEXT = re.compile(r"%\(\w+\)[sdfr]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>")
_TEMPLATE_TEXT = re.compile(
    r"{%\s*translate\s+([\"'])(.*?)\1|{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}",
    re.S,
)
# Latin words a page may show in any language: symbols, acronyms, the product's name.
ANY_LANGUAGE = frozenset({"kg", "csv", "hxl", "api", "gpx", "json", "geojson", "lifeline", "vvm"})


# ---- catalogues ------------------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str
    msgctxt: str = ""
    plural: str = ""
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _po_unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def po_entries(path: Path) -> list[PoEntry]:
    """The entries of a .po file (the header excluded): just what these tests need."""
    entries: list[PoEntry] = []
    flags: set[str] = set()
    current: PoEntry | None = None
    target: str | None = None  # "msgid", "msgctxt", "plural" or "msgstr"
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target, flags = None, None, set()
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#~"):
            current = current or PoEntry(msgid="", obsolete=True)
            current.obsolete = True
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = _po_unquote(line)
            assert current is not None and target is not None, f"{path}: {line}"
            if target == "msgstr":
                current.msgstrs[-1] += value
            else:
                setattr(current, target, getattr(current, target) + value)
            continue
        if current is None:
            current = PoEntry(msgid="", flags=flags)
        if keyword == "msgctxt":
            current.msgctxt, target = _po_unquote(rest), "msgctxt"
        elif keyword == "msgid":
            current.msgid, target = _po_unquote(rest), "msgid"
        elif keyword == "msgid_plural":
            current.plural, target = _po_unquote(rest), "plural"
        elif keyword.startswith("msgstr"):
            current.msgstrs.append(_po_unquote(rest))
            target = "msgstr"
    return [e for e in entries if e.msgid and not e.obsolete]


def _words(text: str) -> set[str]:
    return {
        word.lower().strip(_APOSTROPHES + "-") for word in _WORD.findall(_NOT_TEXT.sub(" ", text))
    }


@cache
def _english_vocabulary() -> frozenset[str]:
    words: set[str] = set()
    for po in LOCALE_ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"):
        for entry in po_entries(po):
            words |= _words(f"{entry.msgid} {entry.plural}")
    for template in LOCALE_ROOT.glob("*/templates/**/*.html"):
        for match in _TEMPLATE_TEXT.finditer(template.read_text(encoding="utf-8")):
            words |= _words(match[2] or match[3] or "")
    return frozenset(words - ANY_LANGUAGE)


@cache
def english_only_words(language: str) -> frozenset[str]:
    """The English words that no translation into `language` also writes."""
    translated: set[str] = set()
    for po in LOCALE_ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"):
        for entry in po_entries(po):
            for text in entry.msgstrs:
                translated |= _words(text)
    return _english_vocabulary() - translated


def english_left(text: str, language: str, data: Iterable[str] = ()) -> list[str]:
    """The English words of `text` (a page's visible text) once the `data` the test entered
    (names, places, codes, notes, as written) are taken out, whole and word by word."""
    data = sorted(set(data), key=len, reverse=True)
    for value in data:
        text = text.replace(value, " ")
    entered = {word for value in data for word in _words(value)}
    english = english_only_words(language)
    return sorted(word for word in _words(text) if word in english and word not in entered)


# ---- pages -----------------------------------------------------------------------------------


def page_language(page: Any) -> tuple[str, str]:
    """The `lang` and `dir` of the page's <html>."""
    html = page.locator("html")
    return html.get_attribute("lang") or "", html.get_attribute("dir") or ""


def page_fits(page: Any) -> bool:
    """No horizontal scrolling: the page is no wider than the screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def main_text(html: str) -> str:
    """The text a reader sees in a page's <main> (its options too), tags and markup out."""
    start, end = html.find("<main"), html.rfind("</main>")
    body = html[start:end] if start >= 0 and end > start else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))
