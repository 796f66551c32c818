"""One way to show times, durations and quantities on every page.

Pages load these with `{% load lifeline_format %}`. A duration reads as a person says it
("6 h", "2 days", "45 min"), a moment in one format everywhere ("7 Dec 2026 14:05"), so that a
reader never converts units or compares three date layouts.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# The one layout of a moment and of a day on every page (Django format strings).
MOMENT_FORMAT = "j M Y H:i"
DAY_FORMAT = "j M Y"


def duration_words(minutes: float | None) -> str:
    """A duration in the largest unit a person would use: "45 min", "6 h", "2 days"."""
    if minutes is None:
        return ""
    total = round(abs(minutes))
    sign = "-" if minutes < 0 and total else ""
    if total < 60:
        return sign + _("%(n)d min") % {"n": total}
    if total < 48 * 60:
        if total >= 10 * 60:
            return sign + _("%(n)d h") % {"n": round(total / 60)}
        # Below ten hours the quarter hour still matters; the single minutes do not.
        hours, rest = divmod(round(total / 15) * 15, 60)
        if rest == 0:
            return sign + _("%(n)d h") % {"n": hours}
        return sign + _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    days = round(total / (60 * 24))
    return sign + ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def duration(value: dt.timedelta | float | int | None) -> str:
    """`{{ interval|duration }}`: a timedelta or a number of minutes, in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.timedelta):
        return duration_words(value.total_seconds() / 60)
    return duration_words(float(value))


@register.filter
def moment(value: dt.datetime | None) -> str:
    """`{{ row.at|moment }}`: local time in the one format of every page."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, MOMENT_FORMAT)


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """`{{ lot.expires_on|day }}`: a calendar day in the one format of every page."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, DAY_FORMAT)


@register.filter
def days_left(value: float | None) -> str:
    """Days of supply in words: "under a day" rather than "0.1", "12 days" rather than 12.4."""
    if value is None:
        return _("no use recorded")
    if value < 1:
        return _("under a day")
    n = int(value)
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
