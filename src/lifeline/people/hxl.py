"""The CSV layout of the person registry and its HXL hashtags (https://hxlstandard.org).

Owns the mapping between Lifeline's person columns and HXL hashtag specs, how a file's header
(and optional hashtag row) is matched to those columns, and how one row's strings become the
values that `people.schemas.PersonInput` parses. Pure: no ORM, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.utils.translation import gettext as _

from lifeline.core.csvio import (
    FORMULA_GUARD,
    FORMULA_STARTS,
    Tag,
    column_letter,
    header_normalise,
    is_tag_row,
    tag_parse,
)
from lifeline.core.csvio import cell_unguard as _unguard

LIST_SEPARATOR = ";"


class Kind(Enum):
    TEXT = "text"
    LIST = "list"  # several values in one cell, separated by LIST_SEPARATOR
    CHOICE = "choice"  # a code such as `in_care`; `In care` is read as the same code
    CHOICES = "choices"
    DATE = "date"
    NUMBER = "number"
    ID = "id"


@dataclass(frozen=True)
class Column:
    key: str  # the PersonInput field it feeds, or `id`, `name`, `ration_card`
    header: str  # the header written on export
    tag_text: str  # the hashtag spec written on export
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    # "location" or "conditions": exported only to roles that may see it.
    protected: str = ""
    exported: bool = True

    @property
    def tag(self) -> Tag:
        tag = tag_parse(self.tag_text)
        if tag is None:
            raise ValueError(f"not a hashtag spec: {self.tag_text!r}")
        return tag


# A person is `#beneficiary` in HXL: `#affected` is a number (people affected) in HXL's core
# schema, so a name under it fails hxlvalidate. Files exported before say `#affected`; they
# import still (OLD_HASHTAGS).
COLUMNS: tuple[Column, ...] = (
    Column("id", "id", "#beneficiary +id", Kind.ID, aliases=("person_id", "uuid")),
    Column(
        "given_name", "given_name", "#beneficiary +name +given", aliases=("given", "first_name")
    ),
    Column(
        "family_name",
        "family_name",
        "#beneficiary +name +family",
        aliases=("family", "surname", "last_name"),
    ),
    Column(
        "other_names", "other_names", "#beneficiary +name +alt", Kind.LIST, aliases=("aliases",)
    ),
    # Import only: one cell with the whole name, split at its last space.
    Column("name", "name", "#beneficiary +name", aliases=("full_name",), exported=False),
    Column("sex", "sex", "#sex", Kind.CHOICE, aliases=("gender",)),
    Column(
        "date_of_birth",
        "date_of_birth",
        "#date +birth",
        Kind.DATE,
        aliases=("dob", "birth_date", "birthdate"),
    ),
    Column("age_years", "age", "#age", Kind.NUMBER, aliases=("age_years",)),
    Column("languages", "languages", "#meta +languages", Kind.LIST, aliases=("language",)),
    Column("phone", "phone", "#contact +phone", aliases=("telephone", "phone_number")),
    Column("callsign", "callsign", "#contact +callsign", aliases=("call_sign",)),
    Column(
        "ration_card",
        "ration_card",
        "#household +code",
        aliases=("household", "household_card", "card"),
    ),
    Column("status", "status", "#status", Kind.CHOICE),
    Column("site", "site", "#loc +site", aliases=("camp",)),
    Column("area", "area", "#loc +area", protected="location"),
    Column(
        "latitude", "latitude", "#geo +lat", Kind.NUMBER, aliases=("lat",), protected="location"
    ),
    Column(
        "longitude",
        "longitude",
        "#geo +lon",
        Kind.NUMBER,
        aliases=("lon", "lng", "long"),
        protected="location",
    ),
    Column(
        "conditions",
        "conditions",
        "#indicator +conditions",
        Kind.CHOICES,
        aliases=("condition",),
        protected="conditions",
    ),
    Column("notes", "notes", "#description", aliases=("note", "description")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
NAME_KEYS = ("given_name", "family_name", "name")


def export_columns(*, location: bool, conditions: bool) -> list[Column]:
    """The columns an export carries for a role that may (or may not) see these parts."""
    allowed = {"": True, "location": location, "conditions": conditions}
    return [c for c in COLUMNS if c.exported and allowed[c.protected]]


def _by_header() -> dict[str, Column]:
    names: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.key, column.header, *column.aliases):
            names[header_normalise(name)] = column
    return names


_HEADER_NAMES = _by_header()


class ColumnAmbiguous(ValueError):
    pass


# Hashtags Lifeline wrote before, read as the ones it writes now.
OLD_HASHTAGS = {"affected": "beneficiary"}


def column_by_tag(tag: Tag) -> Column | None:
    """The most specific column whose hashtag is the tag's and whose attributes it carries all
    of: `#beneficiary +name +given +i_ar` is the given name (extra attributes such as a language
    are allowed)."""
    hashtag = OLD_HASHTAGS.get(tag.hashtag, tag.hashtag)
    candidates = [
        c for c in COLUMNS if c.tag.hashtag == hashtag and c.tag.attributes <= tag.attributes
    ]
    if not candidates:
        return None
    best = max(len(c.tag.attributes) for c in candidates)
    top = [c for c in candidates if len(c.tag.attributes) == best]
    if len(top) > 1:
        raise ColumnAmbiguous(f"matches more than one column ({', '.join(c.key for c in top)})")
    return top[0]


def column_match(header: str, tag: Tag | None) -> Column | None:
    """A file column by its hashtag first, then by its header name."""
    if tag is not None:
        column = column_by_tag(tag)
        if column is not None:
            return column
    return _HEADER_NAMES.get(header_normalise(header)) if header.strip() else None


@dataclass(frozen=True)
class Layout:
    """How a file's columns map onto the registry's columns."""

    header_rows: int  # rows before the data: 1 (header or hashtags) or 2 (header, hashtags)
    columns: tuple[Column | None, ...]  # per file column; None: a blank column, ignored
    labels: tuple[str, ...]  # how messages name each file column
    warnings: tuple[str, ...] = ()

    def has(self, key: str) -> bool:
        return any(c is not None and c.key == key for c in self.columns)

    def label(self, key: str) -> str:
        for column, label in zip(self.columns, self.labels, strict=True):
            if column is not None and column.key == key:
                return label
        return ""


class LayoutInvalid(ValueError):
    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = dict(problems)


def layout_detect(first: Sequence[str], second: Sequence[str] | None) -> Layout:
    """Read the header row, the hashtag row, or a header row followed by a hashtag row."""
    if is_tag_row(first):
        headers, tags, header_rows = [""] * len(first), list(first), 1
    elif second is not None and is_tag_row(second):
        width = max(len(first), len(second))
        headers = [*first, *[""] * (width - len(first))]
        tags = [*second, *[""] * (width - len(second))]
        header_rows = 2
    else:
        headers, tags, header_rows = list(first), [""] * len(first), 1
    columns: list[Column | None] = []
    labels: list[str] = []
    problems: dict[str, str] = {}
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for index, (header, tag_text) in enumerate(zip(headers, tags, strict=True)):
        tag = tag_parse(tag_text) if tag_text.strip() else None
        where = f"column {column_letter(index)}"
        label = header.strip() or (tag_text.strip() if tag else where)
        labels.append(label)
        named = f"{where} ({label})" if label != where else where
        if not header.strip() and tag is None:
            columns.append(None)
            warnings.append(
                _("%(where)s has no header and no hashtag; it is ignored") % {"where": where}
            )
            continue
        try:
            column = column_match(header, tag)
        except ColumnAmbiguous as exc:
            problems[named] = str(exc)
            columns.append(None)
            continue
        if column is None:
            problems[named] = _("is not a column of the person registry")
        elif column.key in seen:
            problems[named] = _("repeats the %(key)s column (%(seen)s)") % {
                "key": column.key,
                "seen": seen[column.key],
            }
            column = None
        else:
            seen[column.key] = named
        columns.append(column)
    if not problems and not any(key in seen for key in NAME_KEYS):
        problems["columns"] = _("the file needs a given_name, family_name or name column")
    if problems:
        known = ", ".join(c.header for c in COLUMNS)
        problems.setdefault("known columns", known)
        raise LayoutInvalid(problems)
    return Layout(header_rows, tuple(columns), tuple(labels), tuple(warnings))


def _choice_normalise(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _age_mismatch(date_text: str, age_text: str, today: dt.date) -> str | None:
    """Exports carry both a date of birth and the age it gives; they must agree (a year's
    slack: the file may have been written before a birthday)."""
    try:
        born = dt.date.fromisoformat(date_text)
        age = int(age_text)
    except ValueError:
        return None
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    actual = today.year - born.year - (0 if had_birthday else 1)
    if abs(actual - age) > 1:
        return f"{age} does not match the date of birth {date_text} (age {actual})"
    return None


@dataclass
class RowValues:
    """One row as PersonInput data (strings and lists), plus what the row said wrongly."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def row_values(layout: Layout, cells: Sequence[str], *, today: dt.date) -> RowValues:
    """Turn one data row into PersonInput data keyed by column key; blank cells are left out."""
    out = RowValues()
    width = len(layout.columns)
    if any(cell.strip() for cell in cells[width:]):
        out.problems[""] = _("the row has %(len)s cells but the header has %(width)s") % {
            "len": len(cells),
            "width": width,
        }
        return out
    for column, cell in zip(layout.columns, [*cells, *[""] * (width - len(cells))], strict=False):
        if column is None or not cell.strip():
            continue
        text = cell.strip()
        value: Any = _unguard(text)
        if column.kind is Kind.LIST:
            value = [_unguard(part) for part in _split(text)]
        elif column.kind is Kind.CHOICE:
            value = _choice_normalise(text)
        elif column.kind is Kind.CHOICES:
            value = [_choice_normalise(part) for part in _split(text)]
        elif column.kind is Kind.ID:
            try:
                value = uuid.UUID(text)
            except ValueError:
                out.problems[column.key] = _("“%(text)s” is not a valid id") % {"text": text[:40]}
                continue
        out.values[column.key] = value
    full_name = out.values.pop("name", None)
    if full_name and not out.values.get("given_name") and not out.values.get("family_name"):
        given, _space, family = str(full_name).rpartition(" ")
        out.values["given_name"], out.values["family_name"] = (
            (given.strip(), family) if given.strip() else (family, "")
        )
    born, age = out.values.get("date_of_birth"), out.values.get("age_years")
    if born is not None and age is not None:
        mismatch = _age_mismatch(born, age, today)
        if mismatch:
            out.problems["age_years"] = mismatch
        else:
            # The date is the better record; the age beside it is only a reading of it.
            del out.values["age_years"]
    return out


def _cell(value: object, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_cell(item, Kind.TEXT) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if kind is Kind.TEXT and text.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + text
    return text


def row_cells(columns: Iterable[Column], values: Mapping[str, object]) -> list[str]:
    """One person's values (keyed by column key) as the cells of an export row."""
    return [_cell(values.get(column.key), column.kind) for column in columns]
