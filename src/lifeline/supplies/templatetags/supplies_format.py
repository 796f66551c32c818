"""How supplies' figures read on a page: the basis of a days-of-supply figure in words (never
its internal name), a quantity as people write it, a severity's word and a unit (`words`).
Pages load these with `{% load supplies_format %}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lifeline.supplies import words
from lifeline.supplies.rules import quantity_text

register = template.Library()


@register.filter
def supply_basis(basis: str) -> str:
    """`{{ supply.basis|supply_basis }}`: what the days of supply were counted against."""
    return words.basis_word(basis)


@register.filter
def severity_word(severity: str) -> str:
    """`{{ alert.severity|severity_word }}`: "Critical", "Warning" (shown with the colour)."""
    return words.severity_word(severity)


@register.filter
def unit_word(unit: str) -> str:
    """`{{ item.unit|unit_word }}`: "tablet" as "comprimé" in French; an unknown unit as typed."""
    return words.unit_word(unit)


@register.filter
def qty(value: Decimal | None) -> str:
    """`{{ line.quantity|qty }}`: 10, 2.5 (not 10.000); "—" for nothing."""
    if value is None or value == "":
        return "—"
    return quantity_text(Decimal(value))
