"""How supplies' codes and units read for people, in their language: the basis of a
days-of-supply figure, a severity, and the unit an item is counted in.

A unit is typed by whoever set up the item ("tablet", "kg"); the common ones are translated
here, anything else is shown as it was entered (data stays as entered). Symbols (kg, L) stay
symbols in every language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy

BASIS_WORDS: dict[str, Promise] = {
    "sphere_kcal": pgettext_lazy("supply basis", "kcal per person per day (Sphere)"),
    "sphere_water": pgettext_lazy("supply basis", "litres of water per person per day (Sphere)"),
    "observed": pgettext_lazy("supply basis", "use over the last 14 days"),
    "none": pgettext_lazy("supply basis", "no use recorded"),
}

SEVERITY_WORDS: dict[str, Promise] = {
    "critical": pgettext_lazy("severity", "Critical"),
    "warning": pgettext_lazy("severity", "Warning"),
    "info": pgettext_lazy("severity", "Info"),
    "ok": pgettext_lazy("severity", "Enough"),
}

# The units the demo, the Sphere baskets and the field's stores use; keys are lower case.
UNIT_WORDS: dict[str, Promise] = {
    "unit": pgettext_lazy("unit", "unit"),
    "units": pgettext_lazy("unit", "units"),
    "ration": pgettext_lazy("unit", "ration"),
    "rations": pgettext_lazy("unit", "rations"),
    "tablet": pgettext_lazy("unit", "tablet"),
    "capsule": pgettext_lazy("unit", "capsule"),
    "vial": pgettext_lazy("unit", "vial"),
    "dose": pgettext_lazy("unit", "dose"),
    "ampoule": pgettext_lazy("unit", "ampoule"),
    "bottle": pgettext_lazy("unit", "bottle"),
    "sachet": pgettext_lazy("unit", "sachet"),
    "pack": pgettext_lazy("unit", "pack"),
    "box": pgettext_lazy("unit", "box"),
    "crate": pgettext_lazy("unit", "crate"),
    "bag": pgettext_lazy("unit", "bag"),
    "sack": pgettext_lazy("unit", "sack"),
    "can": pgettext_lazy("unit", "can"),
    "jerrycan": pgettext_lazy("unit", "jerrycan"),
    "piece": pgettext_lazy("unit", "piece"),
    "kit": pgettext_lazy("unit", "kit"),
    "blanket": pgettext_lazy("unit", "blanket"),
    "tarpaulin": pgettext_lazy("unit", "tarpaulin"),
    "bar": pgettext_lazy("unit", "bar"),
    "litre": pgettext_lazy("unit", "litre"),
    "liter": pgettext_lazy("unit", "litre"),
}


def unit_word(unit: str) -> str:
    """The unit in the user's language when it is a common one; else as it was entered."""
    word = UNIT_WORDS.get(unit.strip().lower())
    return unit if word is None else str(word)


def basis_word(basis: str) -> str:
    return str(BASIS_WORDS.get(basis, basis.replace("_", " ")))


def severity_word(severity: str) -> str:
    return str(SEVERITY_WORDS.get(severity, severity.capitalize()))


def days_word(days: float | None) -> str:
    """Days of supply in words ("under a day", "12 days"), as the pages' `days_left` says
    them, for titles worded when read."""
    if days is None:
        return gettext("no use recorded")
    if days < 1:
        return gettext("under a day")
    n = int(days)
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
