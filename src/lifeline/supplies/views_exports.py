"""Downloads from the supplies pages: stock on hand (a count sheet) and the rations issued in a
cycle, as CSV or HXL, through the export services the CLI uses (role-checked, audited)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse

from lifeline.core.downloads import csv_download, export_hashtags
from lifeline.core.pages import page_view
from lifeline.supplies import selectors, transfer


@page_view
def stock_export(request: HttpRequest, flavour: str) -> HttpResponse:
    text = transfer.counts_export_csv(actor=request.user, hashtags=export_hashtags(flavour))
    return csv_download(text, name="stock-on-hand", flavour=flavour)


@page_view
def distributions_export(request: HttpRequest, cycle_id: uuid.UUID, flavour: str) -> HttpResponse:
    hashtags = export_hashtags(flavour)
    cycle = selectors.cycle_get(actor=request.user, cycle_id=cycle_id)
    text = transfer.distributions_export_csv(actor=request.user, cycle=cycle, hashtags=hashtags)
    return csv_download(text, name=f"distributions-{cycle.name}", flavour=flavour)
