"""Pure rules of the registry: ages and age bands, name search text, field checks. No ORM here."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_AGE_YEARS = 120
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str
    min_years: int
    max_years: int | None  # inclusive; None for open-ended


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0-4", "Under 5", 0, 4),
    AgeBand("5-11", "5 to 11", 5, 11),
    AgeBand("12-17", "12 to 17", 12, 17),
    AgeBand("18-59", "18 to 59", 18, 59),
    AgeBand("60+", "60 and over", 60, None),
)
AGE_BAND_CODES = tuple(band.code for band in AGE_BANDS)


def age_band(code: str) -> AgeBand:
    for band in AGE_BANDS:
        if band.code == code:
            return band
    raise KeyError(code)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def birth_date_from_age(age_years: int, today: dt.date) -> dt.date:
    """A person said to be N years old was born, on average, N years and six months ago."""
    return _years_before(today, age_years) - dt.timedelta(days=182)


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def birth_date_range(band: AgeBand, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """Dates of birth (oldest exclusive bound or None, youngest inclusive) of a band today."""
    youngest = _years_before(today, band.min_years)
    if band.max_years is None:
        return None, youngest
    oldest_exclusive = _years_before(today, band.max_years + 1)
    return oldest_exclusive, youngest


def is_child(date_of_birth: dt.date | None, today: dt.date) -> bool:
    return date_of_birth is not None and age_on(date_of_birth, today) < 18


# Bidirectional controls (embeddings, overrides, isolates, marks) reorder what a reader sees:
# "\u202eAmal" shows reversed, and a name can be made to look like another. No name needs
# them (Arabic and Hebrew names read right to left without any), nor does a radio text.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def bidi_controls_in(text: str) -> list[str]:
    """The bidi controls in a text, as U+XXXX codes (empty when there are none)."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in BIDI_CONTROLS})


def name_problem(text: str) -> str | None:
    """Why a name cannot be stored, or None. An empty name is the caller's business; a name
    made only of invisible characters (zero-width spaces, joiners) names nobody."""
    if not text:
        return None
    controls = bidi_controls_in(text)
    if controls:
        return f"contains bidirectional control characters ({', '.join(controls)})"
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        return "must contain at least one letter"
    return None


def fold(text: str) -> str:
    """Lower case without accents: what plain search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(names: Iterable[str]) -> str:
    return " ".join(fold(name).strip() for name in names if name and name.strip())


def search_terms(query: str) -> list[str]:
    return [term for term in fold(query).split() if term]


def gettext_noop(message: str) -> str:
    """Marks an English message for the catalogues (makemessages looks for this name) without
    importing Django into this pure module; whoever shows the message translates it."""
    return message


def birth_date_problem(date_of_birth: dt.date, today: dt.date) -> str | None:
    if date_of_birth > today:
        return gettext_noop("is in the future")
    if date_of_birth < EARLIEST_BIRTH:
        return gettext_noop("is before 1900-01-01")  # EARLIEST_BIRTH
    return None


def coordinates_problems(latitude: float | None, longitude: float | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        problems[missing] = gettext_noop("is required when the other coordinate is given")
    if latitude is not None and not -90 <= latitude <= 90:
        problems["latitude"] = gettext_noop("must be between -90 and 90")
    if longitude is not None and not -180 <= longitude <= 180:
        problems["longitude"] = gettext_noop("must be between -180 and 180")
    return problems


_CARD_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def ration_card_next(existing: Iterable[str], fallback_prefix: str) -> str:
    """The next ration card number in the series most cards of a site follow ("DB-0042" after
    "DB-0041"), or the first of a new series (`fallback_prefix` + "0001")."""
    series: dict[str, tuple[int, int, int]] = {}  # prefix -> (cards, highest, digits)
    for card in existing:
        found = _CARD_NUMBER.match(card.strip())
        if found is None:
            continue
        prefix, digits = found["prefix"], found["number"]
        count, highest, width = series.get(prefix, (0, 0, 0))
        series[prefix] = (count + 1, max(highest, int(digits)), max(width, len(digits)))
    if not series:
        return f"{fallback_prefix}0001"
    prefix, (_count, highest, width) = max(series.items(), key=lambda kv: (kv[1][0], kv[0]))
    return f"{prefix}{highest + 1:0{width}d}"
