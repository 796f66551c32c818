"""Small display filters of the registry pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from lifeline.people import rules

register = template.Library()


@register.filter
def age(date_of_birth: dt.date | None) -> str:
    """Age in whole years today, or an empty string when the date of birth is unknown."""
    if date_of_birth is None:
        return ""
    return str(rules.age_on(date_of_birth, timezone.localdate()))


@register.filter
def radio_code(member: object) -> str:
    """A team member's radio code, "U" and their radio number (U3): a code read over the
    radio, the same in every language, so shown as it is (inside `<bdi>` or a `dir="auto"`)."""
    return f"U{getattr(member, 'radio_number', '')}"
