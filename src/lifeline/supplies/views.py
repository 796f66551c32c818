"""Pages of supplies: stock by location, an item with its ledger and burn-down chart, the
stock alerts, and the distribution-point screen (scan a card, see the entitlement, issue)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from lifeline.alerts.selectors import alert_list
from lifeline.core.clock import site_local
from lifeline.core.errors import LifelineError
from lifeline.core.pages import page_view
from lifeline.core.services import Actor
from lifeline.supplies import rules, selectors, services
from lifeline.supplies.charts import burn_down_svg
from lifeline.supplies.models import RationCycle

HISTORY_DAYS = 30


def _actor(request: HttpRequest) -> Actor:
    return request.user


@page_view
def stock_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    lines = selectors.stock_on_hand(actor=actor)
    by_location: dict[Any, list[selectors.StockLine]] = {}
    for line in lines:
        by_location.setdefault(line.location, []).append(line)
    return render(
        request,
        "supplies/stock.html",
        {
            "by_location": by_location,
            "in_transit": selectors.transfers_in_transit(actor=actor),
            "items": selectors.item_list(actor=actor),
            "here": "supplies",
        },
    )


@page_view
def item_page(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    item = selectors.item_get(actor=actor, ref=code)
    site = site_local()
    today = timezone.localdate()
    supply = selectors.days_of_supply(actor=actor, item=item, site=site, today=today)
    since = today - dt.timedelta(days=HISTORY_DAYS)
    history = selectors.stock_history(
        actor=actor, item=item, site=site, on_hand=supply.on_hand, since=since, today=today
    )
    projection = rules.burn_down(on_hand=supply.on_hand, daily_need=supply.daily_need, today=today)
    chart = burn_down_svg(
        history=history, projection=projection, reorder_level=item.reorder_level, unit=item.unit
    )
    return render(
        request,
        "supplies/item.html",
        {
            "item": item,
            "site": site,
            "supply": supply,
            "chart": mark_safe(chart),  # noqa: S308 - numbers and an escaped unit only
            "stock": selectors.stock_on_hand(actor=actor, item=item),
            "ledger": selectors.item_ledger(actor=actor, item=item)[:100],
            "here": "supplies",
        },
    )


@page_view
def alerts_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    horizon = 14
    return render(
        request,
        "supplies/alerts.html",
        {
            "found": selectors.stock_alerts(actor=actor, site=site_local(), horizon_days=horizon),
            "open_alerts": [a for a in alert_list(actor=actor) if a.kind.startswith("supplies.")][
                :100
            ],
            "horizon": horizon,
            "here": "supplies",
        },
    )


def _open_cycle(actor: Actor, request: HttpRequest, site: Any) -> RationCycle | None:
    cycles = [c for c in selectors.cycle_list(actor=actor, site=site) if c.closed_at is None]
    wanted = request.GET.get("cycle") or request.POST.get("cycle")
    for cycle in cycles:
        if str(cycle.pk) == wanted:
            return cycle
    return cycles[0] if cycles else None


@page_view
def point_page(request: HttpRequest, point_id: uuid.UUID) -> HttpResponse:
    """The queue screen: the card field keeps the focus; Enter shows the entitlement, and one
    button (or Enter again) issues it."""
    actor = _actor(request)
    point = selectors.point_get(actor=actor, point_id=point_id)
    cycle = _open_cycle(actor, request, point.site)
    card = (request.POST.get("ration_card") or request.GET.get("card") or "").strip()
    if request.method == "POST" and cycle is not None:
        try:
            services.ration_issue(actor=actor, point=point, cycle=cycle, ration_card=card)
        except LifelineError as error:
            messages.error(request, f"{card}: {error.message}")
            return redirect(f"{request.path}?cycle={cycle.pk}&card={card}")
        messages.success(request, f"{card}: ration issued")
        return redirect(f"{request.path}?cycle={cycle.pk}")
    entitlement, problem = None, ""
    if card and cycle is not None:
        try:
            entitlement = services.entitlement_for(cycle=cycle, ration_card=card, site=point.site)
        except LifelineError as error:
            problem = error.message
    return render(
        request,
        "supplies/point.html",
        {
            "point": point,
            "cycle": cycle,
            "card": card,
            "entitlement": entitlement,
            "problem": problem,
            "issued": selectors.distributions_count(cycle=cycle, point=point),
            "here": "supplies",
        },
    )
