"""How supplies' figures read on a page: the basis of a days-of-supply figure in words (never
its internal name), a quantity as people write it, and a severity's word.
Pages load these with `{% load supplies_format %}`."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from lifeline.supplies.rules import quantity_text

register = template.Library()

BASIS_WORDS = {
    "sphere_kcal": _("kcal per person per day (Sphere)"),
    "sphere_water": _("litres of water per person per day (Sphere)"),
    "observed": _("use over the last 14 days"),
    "none": _("no use recorded"),
}

SEVERITY_WORDS = {
    "critical": _("Critical"),
    "warning": _("Warning"),
    "info": _("Info"),
    "ok": _("Enough"),
}


@register.filter
def supply_basis(basis: str) -> str:
    """`{{ supply.basis|supply_basis }}`: what the days of supply were counted against."""
    return str(BASIS_WORDS.get(basis, basis.replace("_", " ")))


@register.filter
def severity_word(severity: str) -> str:
    """`{{ alert.severity|severity_word }}`: "Critical", "Warning" (shown with the colour)."""
    return str(SEVERITY_WORDS.get(severity, severity.capitalize()))


@register.filter
def qty(value: Decimal | None) -> str:
    """`{{ line.quantity|qty }}`: 10, 2.5 (not 10.000); "—" for nothing."""
    if value is None or value == "":
        return "—"
    return quantity_text(Decimal(value))
