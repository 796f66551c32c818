"""One way to show times, durations and quantities on every page.

Pages load these with `{% load lifeline_format %}`. A duration reads as a person says it
("6 h", "2 days", "45 min"), a moment in one format everywhere ("7 Dec 2026 14:05"), so that a
reader never converts units or compares three date layouts. Month names, units and number
separators follow the active language (Django's catalogues and format modules: "7 déc. 2026",
Arabic-Indic digits when the site asks for them). Digits are Western by default, as
most Arabic-speaking field teams type them; LIFELINE_ARABIC_DIGITS turns Arabic-Indic digits on
for pages in Arabic.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

register = template.Library()

# The one layout of a moment and of a day on every page (Django format strings), and where a
# language writes its months otherwise: French abbreviates them in lower case ("7 déc. 2026").
MOMENT_FORMAT = "j M Y H:i"
DAY_FORMAT = "j M Y"
CLOCK_FORMAT = "H:i"
MOMENT_FORMATS = {"fr": "j N Y H:i"}
DAY_FORMATS = {"fr": "j N Y"}


def _language() -> str:
    return (get_language() or "").split("-")[0]


# Western digits and separators to Arabic-Indic ones (U+0660..U+0669, the Arabic decimal and
# thousands separators U+066B, U+066C).
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_digits_on() -> bool:
    """True when the page is in Arabic and the site asks for Arabic-Indic digits."""
    return _language() == "ar" and bool(getattr(settings, "LIFELINE_ARABIC_DIGITS", False))


def localise_digits(text: str) -> str:
    """The digits of `text` as the site writes them in the active language."""
    if not arabic_digits_on():
        return text
    return text.translate(_ARABIC_INDIC)


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


def _number_text(value: float | int, decimals: int | None = None) -> str:
    text = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if arabic_digits_on():
        # Arabic-Indic digits take the Arabic separators (Django's "ar" format uses , and .).
        text = text.replace(",", "\x00").replace(".", "\u066c").replace("\x00", "\u066b")
    return localise_digits(text)


@register.filter
def duration(value: dt.timedelta | float | int | None) -> str:
    """`{{ interval|duration }}`: a timedelta or a number of minutes, in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.timedelta):
        return localise_digits(duration_words(value.total_seconds() / 60))
    return localise_digits(duration_words(float(value)))


@register.filter
def moment(value: dt.datetime | None) -> str:
    """`{{ row.at|moment }}`: local time in the one format of every page."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return localise_digits(
        formats.date_format(value, MOMENT_FORMATS.get(_language(), MOMENT_FORMAT))
    )


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """`{{ lot.expires_on|day }}`: a calendar day in the one format of every page."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return localise_digits(formats.date_format(value, DAY_FORMATS.get(_language(), DAY_FORMAT)))


@register.filter
def clock(value: dt.datetime | dt.time | None) -> str:
    """`{{ row.due_at|clock }}`: the local time of day (14:05), for a moment within the day."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return localise_digits(formats.time_format(value, CLOCK_FORMAT))


@register.filter
def number(value: float | int | str | None, decimals: int | None = None) -> str:
    """`{{ count|number }}`, `{{ weight|number:1 }}`: a quantity with the language's grouping
    and decimal separator (12 500 in French), in the site's digits."""
    if value is None or value == "":
        return ""
    try:
        numeric = float(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if decimals is None and isinstance(numeric, float) and numeric.is_integer():
        numeric = int(numeric)
    return _number_text(numeric, decimals)


@register.filter
def days_left(value: float | None) -> str:
    """Days of supply in words: "under a day" rather than "0.1", "12 days" rather than 12.4."""
    if value is None:
        return _("no use recorded")
    if value < 1:
        return _("under a day")
    n = int(value)
    return localise_digits(ngettext("%(n)d day", "%(n)d days", n) % {"n": n})
