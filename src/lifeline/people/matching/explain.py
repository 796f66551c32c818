"""Why a search hit was found, in words a registrar reads: "same name, spelled differently:
Amel / Amal", "same family name; given name one letter apart: Rahim / Raheem", "same name in
Arabic script: أمل / Amal". The words compare the names as they were typed and as they are
registered, never the normal forms or consonant keys the index works with. Plain functions:
no ORM, only the translation of the words.

Also which registered names are placeholders ("Unknown", "unnamed"): the name of a person
nobody could name says nothing about who they are, so a placeholder alone never makes a
likely duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from rapidfuzz.distance import Levenshtein

from lifeline.people.matching.names import (
    NAME_MATCH,
    NameToken,
    fold,
    name_parse,
    token_similarity,
)

# Names written for a person nobody could name (in the registry's three languages).
PLACEHOLDER_NAMES = frozenset(
    {
        "unknown", "unnamed", "no name", "noname", "anonymous", "unidentified", "n/a", "na",
        "x", "?", "-", "inconnu", "inconnue", "anonyme", "sans nom", "مجهول", "مجهولة",
        "غير معروف", "غير معروفة", "بدون اسم",
    }
)  # fmt: skip
ARABIC = re.compile(r"[\u0600-\u06ff]")
CLOSE = 0.5  # below this a paired name is not worth a word


def name_is_placeholder(name: str) -> bool:
    """Whether a registered name only says that the name is not known."""
    folded = " ".join(fold(name).split())
    return not folded or folded in PLACEHOLDER_NAMES


def person_is_unnamed(given_name: str, family_name: str) -> bool:
    """A record whose given name is a placeholder and with no family name to go on."""
    return name_is_placeholder(given_name) and name_is_placeholder(family_name)


@dataclass(frozen=True)
class _Word:
    raw: str
    token: NameToken
    role: str  # "given", "family" or "other" for a registered word; "" for a typed one


def _words(raw: str, role: str = "") -> list[_Word]:
    out: list[_Word] = []
    for word in raw.replace(",", " ").split():
        tokens = name_parse(word).tokens
        if tokens:
            out.append(_Word(word, tokens[0], role))
    return out


def _relation(typed: _Word, registered: _Word, similarity: float) -> str:
    """How one typed word stands to the registered word it was paired with."""
    if fold(typed.raw) == fold(registered.raw):
        return "same"
    if bool(ARABIC.search(typed.raw)) != bool(ARABIC.search(registered.raw)):
        return "script" if similarity >= NAME_MATCH else "close"
    if Levenshtein.distance(fold(typed.raw), fold(registered.raw)) == 1:
        return "letter"
    if similarity >= NAME_MATCH or typed.token.text == registered.token.text:
        return "spelling"
    return "close"


HOW = {
    "script": N_("in Arabic script"),
    "letter": N_("one letter apart"),
    "spelling": N_("spelled differently"),
    "close": N_("similar"),
}
ROLE = {"given": N_("given name"), "family": N_("family name"), "other": N_("other name")}


def match_explain(
    query: str, *, given_name: str, family_name: str, other_names: Sequence[str] = ()
) -> str:
    """One sentence saying how the typed names stand to a person's registered names."""
    typed = _words(query)
    registered = [
        *_words(given_name, "given"),
        *_words(family_name, "family"),
        *(w for name in other_names for w in _words(name, "other")),
    ]
    if not typed or not registered:
        return ""
    pairs = sorted(
        (
            (-token_similarity(t.token, r.token), ti, ri)
            for ti, t in enumerate(typed)
            for ri, r in enumerate(registered)
        )
    )
    used_t: set[int] = set()
    used_r: set[int] = set()
    found: list[tuple[int, int, str]] = []  # typed index, registered index, relation
    for negative, ti, ri in pairs:
        if ti in used_t or ri in used_r or -negative < CLOSE:
            continue
        used_t.add(ti)
        used_r.add(ri)
        found.append((ti, ri, _relation(typed[ti], registered[ri], -negative)))
    if not found:
        return _("no name in common; found by a similar name")
    found.sort()
    relations = {rel for _ti, _ri, rel in found}
    if relations == {"same"}:
        if len(found) == 1 and len(registered) > 1:
            same = _("same %(role)s") % {"role": _(ROLE[registered[found[0][1]].role])}
            return "; ".join([same, *_unmatched_given(typed, registered, found)])
        ordered = [ri for _ti, ri, _rel in found] == sorted(ri for _ti, ri, _rel in found)
        return _("same name") if ordered else _("same names in another order")
    if len(found) == 1 and len(registered) == 1:
        ti, ri, rel = found[0]
        pair = f"{typed[ti].raw} / {registered[ri].raw}"
        return _("same name, %(how)s: %(pair)s") % {"how": _(HOW[rel]), "pair": pair}
    parts: list[str] = []
    for ti, ri, rel in found:
        role = _(ROLE[registered[ri].role])
        if rel == "same":
            parts.append(_("same %(role)s") % {"role": role})
        else:
            pair = f"{typed[ti].raw} / {registered[ri].raw}"
            parts.append(
                _("%(role)s %(how)s: %(pair)s") % {"role": role, "how": _(HOW[rel]), "pair": pair}
            )
    return "; ".join(parts + _unmatched_given(typed, registered, found))


def _unmatched_given(
    typed: list[_Word], registered: list[_Word], found: list[tuple[int, int, str]]
) -> list[str]:
    """A typed name left over while the person's given name found no match: say the given
    name is another, so that a namesake of the family alone is not read as the person."""
    matched = {ri for _ti, ri, _rel in found}
    given = [i for i, w in enumerate(registered) if w.role == "given"]
    if len(found) < len(typed) and given and given[0] not in matched:
        return [_("another given name: %(name)s") % {"name": registered[given[0]].raw}]
    return []
