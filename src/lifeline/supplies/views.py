"""Pages of supplies: stock by location (with what runs short, what expires, the cold chain),
an item with its ledger and burn-down chart, the stock alerts, the distribution points and the
distribution-point screen (type a card, see the entitlement, issue). The daily jobs' forms
(receive, issue, count, transfer, cold chain) are `views_stock`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lifeline.alerts.selectors import alert_list
from lifeline.core.clock import site_local
from lifeline.core.errors import LifelineError
from lifeline.core.pages import page_view
from lifeline.core.services import Actor
from lifeline.supplies import rules, selectors, services
from lifeline.supplies.charts import burn_down_svg, sparkline_svg
from lifeline.supplies.models import RationCycle
from lifeline.supplies.words import unit_word

HISTORY_DAYS = 30
EXPIRY_DAYS = 30
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def _actor(request: HttpRequest) -> Actor:
    return request.user


@page_view
def stock_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    site = site_local()
    lines = selectors.stock_on_hand(actor=actor)
    by_location: dict[Any, list[selectors.StockLine]] = {}
    for line in lines:
        by_location.setdefault(line.location, []).append(line)
    outlook = [
        (
            o,
            mark_safe(  # noqa: S308 - numbers and an escaped label only
                sparkline_svg(
                    history=o.history,
                    projection=o.projection,
                    label=_("Stock of %(item)s over 30 days and until it runs out")
                    % {"item": o.item.name},
                )
            ),
        )
        for o in selectors.supply_outlook(actor=actor, site=site)
    ]
    return render(
        request,
        "supplies/stock.html",
        {
            "site": site,
            "by_location": by_location,
            "outlook": outlook,
            "expiring": selectors.lots_expiring(actor=actor, site=site, within_days=EXPIRY_DAYS),
            "expiry_days": EXPIRY_DAYS,
            "today": timezone.localdate(),
            "excursions": selectors.cold_chain_excursions(actor=actor, site=site),
            "in_transit": selectors.transfers_in_transit(actor=actor),
            "items": selectors.item_list(actor=actor),
            "can_manage": actor.has_perm("supplies.manage_stock"),
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
        history=history,
        projection=projection,
        reorder_level=item.reorder_level,
        unit=unit_word(item.unit),
        daily_need=supply.daily_need,
    )
    return render(
        request,
        "supplies/item.html",
        {
            "item": item,
            "site": site,
            "supply": supply,
            "severity": rules.days_severity(supply.days, supply.on_hand, item.reorder_level),
            "history_days": HISTORY_DAYS,
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
            "found": sorted(
                selectors.stock_alerts(actor=actor, site=site_local(), horizon_days=horizon),
                key=lambda a: SEVERITY_ORDER.get(a.severity, 3),
            ),
            "open_alerts": sorted(
                alert_list(actor=actor).filter(kind__startswith="supplies.")[:100],
                key=lambda a: SEVERITY_ORDER.get(a.severity, 3),
            ),
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
            messages.error(
                request, _("%(card)s: %(problem)s") % {"card": card, "problem": error.message}
            )
            return redirect(f"{request.path}?cycle={cycle.pk}&card={card}")
        messages.success(request, _("%(card)s: ration issued.") % {"card": card})
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
            "can_issue": actor.has_perm("supplies.issue_ration"),
            "here": "supplies",
        },
    )


@page_view
def points_page(request: HttpRequest) -> HttpResponse:
    """The distribution points, each a link to its queue screen."""
    actor = _actor(request)
    return render(
        request,
        "supplies/points.html",
        {"points": selectors.point_list(actor=actor), "site": site_local(), "here": "supplies"},
    )
