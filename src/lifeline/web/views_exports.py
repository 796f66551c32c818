"""Downloads of the registry's pages: the persons (with the list's filters) and the households,
as CSV or HXL, through the same export services as the CLI (role-checked, audited there)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lifeline.core.downloads import csv_download, export_hashtags
from lifeline.core.errors import ValidationFailed
from lifeline.core.pages import page_view
from lifeline.people import selectors, transfer
from lifeline.people.matching import lookup
from lifeline.web.views import _filter_form


@page_view
def persons_export(request: HttpRequest, flavour: str) -> HttpResponse:
    hashtags = export_hashtags(flavour)
    # The registry's own filter form: a download carries what the list shows.
    form = _filter_form(request.user, request.GET)
    filters = form.submit(lambda values: selectors.PersonFilters(**values))
    if filters is None:
        problems = {name: f.errors for name, f in form.fields.items() if f.errors}
        raise ValidationFailed(
            problems or {"": form.errors_other}, message=_("the download's filters are wrong")
        )
    # A name searched: the persons the box found in any spelling, not only its exact words.
    filters = lookup.registry_search_filters(actor=request.user, filters=filters)
    out = io.StringIO()
    transfer.persons_export_csv(actor=request.user, stream=out, filters=filters, hashtags=hashtags)
    return csv_download(out.getvalue(), name="persons", flavour=flavour)


@page_view
def households_export(request: HttpRequest, flavour: str) -> HttpResponse:
    hashtags = export_hashtags(flavour)
    q = request.GET.get("q", "").strip()[:100]
    out = io.StringIO()
    transfer.households_export_csv(actor=request.user, stream=out, q=q, hashtags=hashtags)
    return csv_download(out.getvalue(), name="households", flavour=flavour)
