"""What every CSV import and export of Lifeline shares: reading a file as UTF-8 CSV rows with
their line numbers, HXL hashtag rows (https://hxlstandard.org), guarding cells against
spreadsheet formulas, and the per-row error report. Pure: no ORM. The registry
(`people.transfer`, `people.hxl`) and the stock (`supplies.transfer`) build on it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from lifeline.core.errors import ValidationFailed

# Cells that a spreadsheet would run as a formula (CSV injection) are written with a leading
# apostrophe, which spreadsheets hide; import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
# A message quotes the bad value; a pasted essay should not fill the terminal.
MESSAGE_LIMIT = 200

_TAG_TOKEN = re.compile(r"([#+])\s*([A-Za-z][A-Za-z0-9_]*)")
_TAG_SPEC = re.compile(r"\s*#\s*[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*\s*")


@dataclass(frozen=True)
class Tag:
    """A hashtag with its attributes: `#beneficiary +name +given`; case and order do not count."""

    hashtag: str
    attributes: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return " ".join([f"#{self.hashtag}", *(f"+{a}" for a in sorted(self.attributes))])


def tag_parse(text: str) -> Tag | None:
    """The tag in a hashtag-row cell, or None when the cell is not a hashtag spec."""
    if not _TAG_SPEC.fullmatch(text):
        return None
    tokens = _TAG_TOKEN.findall(text)
    hashtag = tokens[0][1].lower()
    return Tag(hashtag, frozenset(name.lower() for _, name in tokens[1:]))


def is_tag_row(cells: Sequence[str]) -> bool:
    """HXL's rule: a hashtag row has at least one hashtag and nothing but hashtags or blanks."""
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and all(tag_parse(cell) is not None for cell in filled)


def header_normalise(text: str) -> str:
    return re.sub(r"[\s\-.]+", "_", text.strip().casefold()).strip("_")


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_unguard(text: str) -> str:
    if len(text) > 1 and text[0] == FORMULA_GUARD and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def cell_guard(text: str) -> str:
    return FORMULA_GUARD + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class RowError:
    line: int  # line of the file where the row ends (1 is the header)
    column: str  # the file's own name for the column; "" when the whole row is wrong
    message: str


def message_short(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 1] + "…"


def file_invalid(problem: str) -> ValidationFailed:
    return ValidationFailed({"file": problem}, message=_("the file cannot be imported"))


def text_decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_invalid(_("is UTF-16 text; save it as CSV UTF-8 and import it again"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise file_invalid(
            _(
                "is not UTF-8 text (byte 0x%(byte)02x on line %(line)d); "
                "save it as CSV UTF-8 and import it again"
            )
            % {"byte": raw[exc.start], "line": line}
        ) from exc


def csv_records(text: str) -> list[tuple[int, list[str]]]:
    """The file's rows with the line each ends on (a quoted cell may span lines).

    Strict: a quote left open would otherwise swallow every following row into one cell
    with no error (a person lost), so it is refused naming the line where the row began."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        start = records[-1][0] + 1 if records else 1
        if "unexpected end of data" in str(exc):
            raise file_invalid(
                _(
                    'line %(line)d: a quoted cell is never closed (a " is missing), so every '
                    "line after it up to the end (%(end)d) would be read as one cell"
                )
                % {"line": start, "end": reader.line_num}
            ) from exc
        raise file_invalid(
            _("line %(line)d cannot be read as CSV: %(why)s")
            % {"line": reader.line_num, "why": exc}
        ) from exc
    return records


def schema_problems(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    """DRF serializer errors as {field: [messages]}; item errors of a list field are folded
    into the field (their messages quote the bad value)."""

    def messages(detail: Any) -> list[str]:
        if isinstance(detail, Mapping):
            return [m for value in detail.values() for m in messages(value)]
        if isinstance(detail, list | tuple):
            return [m for value in detail for m in messages(value)]
        return [str(detail)]

    return {
        ("" if name == "non_field_errors" else str(name)): messages(detail)
        for name, detail in errors.items()
    }


def table_write(
    stream: IO[str],
    *,
    header: Sequence[str],
    tags: Sequence[str],
    rows: Iterable[Sequence[str]],
    hashtags: bool = True,
) -> int:
    """Write an export: the header row, the HXL hashtag row (unless `hashtags` is false: a
    plain CSV for a spreadsheet) and the rows, every cell guarded against formulas. Returns
    how many rows were written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    if hashtags:
        writer.writerow(tags)
    count = 0
    for row in rows:
        writer.writerow([cell_guard(cell) for cell in row])
        count += 1
    return count
