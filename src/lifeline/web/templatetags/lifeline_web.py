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
