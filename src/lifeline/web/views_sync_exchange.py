"""The Sync page's "Exchange now": an HTTP exchange with a peer started from the page and run
in the background, and a page showing its progress (reloaded by a static script while it runs,
no inline JavaScript)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.errors import ValidationFailed
from lifeline.core.pages import page_view
from lifeline.sync import exchange_client
from lifeline.sync.models import Exchange


@page_view
@require_POST
def sync_exchange_start(request: HttpRequest) -> HttpResponse:
    peer_code = request.POST.get("peer", "").strip() or None
    url = request.POST.get("url", "")
    try:
        record = exchange_client.exchange_start(actor=request.user, url=url, peer_code=peer_code)
    except ValidationFailed as error:
        messages.error(request, _("Not started: %(why)s") % {"why": error.message})
        return redirect("web:sync")
    exchange_client.exchange_spawn(actor=request.user, record=record)
    return redirect("web:sync_exchange", exchange_id=record.pk)


@page_view
def sync_exchange_page(request: HttpRequest, exchange_id: uuid.UUID) -> HttpResponse:
    record = exchange_client.exchange_get(actor=request.user, exchange_id=exchange_id)
    running = record.state == Exchange.State.RUNNING
    stale = exchange_client.exchange_stalled(record)
    return render(
        request,
        "web/sync_exchange.html",
        {"exchange": record, "running": running and not stale, "stale": stale},
    )
