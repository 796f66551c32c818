"""File downloads from the pages: which flavour of export a link asks for (plain CSV for a
spreadsheet, or HXL: the same CSV with its hashtag row) and the response that carries it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FLAVOURS = {"csv": False, "hxl": True}  # flavour -> with the HXL hashtag row


def export_hashtags(flavour: str) -> bool:
    """Whether the export asked for by the URL's flavour carries the hashtag row."""
    try:
        return FLAVOURS[flavour]
    except KeyError:
        raise Http404(_("no export as %(flavour)r: csv or hxl") % {"flavour": flavour}) from None


def csv_download(text: str, *, name: str, flavour: str) -> HttpResponse:
    """A CSV file to save, named `<name>-<date>[-hxl].csv`."""
    suffix = "-hxl" if FLAVOURS.get(flavour) else ""
    filename = f"{name}-{timezone.localdate().isoformat()}{suffix}.csv"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
