"""The settings a site may change, each with what it means and how its value is read from text
(a command line, a form). Apps declare theirs when Django starts (their AppConfig.ready), next
to the code that reads them; `core.services.site_setting_set` refuses any other key and any
value its parser refuses, so a typo never silently becomes a setting nobody reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class SiteSettingSpec:
    key: str
    meaning: str
    default: str  # the behaviour without the setting, in words
    parse: Callable[[str], Any]  # text to the stored JSON value; ValueError says what is wrong
    # What a page shows instead of the key: "Children are those under", and the value's unit.
    label: str = ""
    unit: str = ""

    @property
    def title(self) -> str:
        return self.label or self.key


SITE_SETTINGS: dict[str, SiteSettingSpec] = {}


def site_setting_declare(*specs: SiteSettingSpec) -> None:
    for spec in specs:
        SITE_SETTINGS[spec.key] = spec


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in {"yes", "y", "true", "on", "1"}:
        return True
    if value in {"no", "n", "false", "off", "0"}:
        return False
    raise ValueError("say yes or no")


def parse_positive_number(text: str) -> int | float:
    try:
        number = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError("a number, such as 2100 or 7.5") from exc
    if not number.is_finite() or number <= 0:
        raise ValueError("a number above zero")
    return int(number) if number == number.to_integral_value() else float(number)


def parse_positive_int(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) <= 0:
        raise ValueError("a whole number above zero")
    return int(value)


def parse_code(text: str) -> str:
    value = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", value):
        raise ValueError("a code: letters, digits, '-', '_' or '.'")
    return value


def parse_minutes_by(names: Iterable[str]) -> Callable[[str], dict[str, int]]:
    """A parser of 'name=minutes, ...' for the given names (any subset of them)."""
    known = tuple(names)

    def parse(text: str) -> dict[str, int]:
        minutes: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            name = name.strip().lower()
            if name not in known:
                raise ValueError(f"'{name}' is not one of {', '.join(known)}")
            minutes[name] = parse_positive_int(value)
        if not minutes:
            raise ValueError(f"name=minutes pairs, such as {known[0]}=10")
        return minutes

    return parse


def value_text(value: Any) -> str:
    """A stored value as the text that would set it again."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
