"""What browser tests of a page in Arabic or French share: switching a user's language, and
finding English words left in a page's visible text. The English words are those of the
msgids of every catalogue in the project (src/lifeline/*/locale), so the list grows as apps
are translated; for French, words that French also writes (Position, Latitude, Radio) are not
English-only and are left out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

LIFELINE = Path(__file__).resolve().parents[2]
_WORD = re.compile(r"[A-Za-z]{3,}")
_ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"((?:\n".*")*)', re.MULTILINE)
# Placeholders and markup inside msgids are not words a reader sees.
_NOT_TEXT = re.compile(r"%\(\w+\)[sdf]|<[^>]*>|\{\{[^}]*\}\}")


def _catalogue_texts(language: str) -> Iterable[tuple[str, str]]:
    """(kind, text) of every entry of every app's catalogue for `language`."""
    for po in sorted(LIFELINE.glob(f"*/locale/{language}/LC_MESSAGES/django.po")):
        for kind, first, rest in _ENTRY.findall(po.read_text(encoding="utf-8")):
            yield kind, first + "".join(re.findall(r'"(.*)"', rest))


@cache
def english_words() -> frozenset[str]:
    return frozenset(
        word.lower()
        for kind, text in _catalogue_texts("fr")
        if kind.startswith("msgid")
        for word in _WORD.findall(_NOT_TEXT.sub(" ", text))
    )


@cache
def french_words() -> frozenset[str]:
    return frozenset(
        word.lower()
        for kind, text in _catalogue_texts("fr")
        if kind.startswith("msgstr")
        for word in _WORD.findall(_NOT_TEXT.sub(" ", text))
    )


def english_words_left(text: str, language: str, data: Iterable[str] = ()) -> list[str]:
    """The English words of `text` once the `data` shown on the page (names, codes, notes as
    entered) are taken out; for French, only the words French does not also write."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    english = english_words() - (french_words() if language == "fr" else frozenset())
    return sorted({word for word in _WORD.findall(text) if word.lower() in english})


def page_language(page: Any) -> tuple[str, str]:
    """The `lang` and `dir` of the page's <html>."""
    html = page.locator("html")
    return html.get_attribute("lang") or "", html.get_attribute("dir") or ""


def page_fits(page: Any) -> bool:
    """No horizontal scrolling: the page is no wider than the screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def main_text(html: str) -> str:
    """The text a reader sees in a page's <main> (its options too), tags and markup out."""
    import html as html_module

    start, end = html.find("<main"), html.rfind("</main>")
    body = html[start:end] if start >= 0 and end > start else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))
