"""What needs a person to look again, raised as alerts: households that collected twice in
one period at two sites or installations while those were cut off from each other, and the
stock problems of a site."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Alert, Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.models import Site
from lifeline.core.services import Actor
from lifeline.supplies.models import Distribution, RationCycle
from lifeline.supplies.selectors import stock_alerts


@dataclass(frozen=True)
class DoubleCollection:
    first: Distribution
    second: Distribution
    alert: Alert


def double_collections_find(
    *, cycle: RationCycle | None = None, households: Collection[Any] | None = None
) -> list[DoubleCollection]:
    """Households that collected twice in one period: two distributions whose cycles overlap
    in time, issued at two sites or by two installations of one site (two laptops at one
    camp), written while those were cut off from each other. Both rows stay; an alert per pair
    (keyed by the two ids, in id order, so every site raises the same one) asks a person to
    resolve it. The apply hook calls this for the households of the rows that arrived (and
    `cycle` limits it to the cycles overlapping that one); it is idempotent."""
    rows = Distribution.objects.alive()
    if cycle is not None:
        rows = rows.filter(cycle__starts_on__lte=cycle.ends_on, cycle__ends_on__gte=cycle.starts_on)
    if households is not None:
        rows = rows.filter(household_id__in=list(households))
    doubled = (
        rows.values("household_id")
        .annotate(
            sites=Count("site_id", distinct=True),
            installations=Count("origin_site_id", distinct=True),
        )
        .filter(Q(sites__gt=1) | Q(installations__gt=1))
        .values_list("household_id", flat=True)
    )
    found: list[DoubleCollection] = []
    by_household: dict[Any, list[Distribution]] = {}
    candidates = rows.filter(household_id__in=list(doubled)).select_related(
        "site", "cycle", "household"
    )
    for row in candidates.order_by("id"):
        by_household.setdefault(row.household_id, []).append(row)
    for same in by_household.values():
        for i, first in enumerate(same):
            for second in same[i + 1 :]:
                if _collected_twice(first, second):
                    found.append(_double_collection_raise(first, second))
    return found


def _collected_twice(one: Distribution, other: Distribution) -> bool:
    """Two collections of one household in one period, by two sites or installations."""
    elsewhere = one.site_id != other.site_id or one.origin_site_id != other.origin_site_id
    a, b = one.cycle, other.cycle
    return elsewhere and a.starts_on <= b.ends_on and b.starts_on <= a.ends_on


def _double_collection_raise(first: Distribution, second: Distribution) -> DoubleCollection:
    if first.cycle_id == second.cycle_id:
        title = gettext_lazy(
            "Ration card %(card)s collected %(cycle)s at %(site)s and at %(other_site)s"
        )
    else:
        title = gettext_lazy(
            "Ration card %(card)s collected %(cycle)s at %(site)s and %(other_cycle)s at "
            "%(other_site)s in the same period"
        )
    alert = alert_raise(
        kind="supplies.double_collection",
        key=f"{first.pk}:{second.pk}",
        title=title,
        detail=gettext_lazy(
            "%(site)s: %(first_at)s; %(other_site)s: %(second_at)s. Both "
            "distributions are kept; decide whether to deduct the next ration."
        ),
        params={
            "card": str(first.household),
            "cycle": first.cycle.name,
            "site": first.site.name,
            "other_cycle": second.cycle.name,
            "other_site": second.site.name,
            "first_at": f"{first.issued_at:%Y-%m-%d %H:%M}",
            "second_at": f"{second.issued_at:%Y-%m-%d %H:%M}",
        },
        severity=Severity.WARNING,
        subject=second,
    )
    return DoubleCollection(first, second, alert)


def stock_alerts_raise(*, actor: Actor | None, site: Site, horizon_days: int = 14) -> list[Alert]:
    """Raise an alert (once each) for every stock problem the selector finds at a site."""
    raised = []
    for found in stock_alerts(actor=actor, site=site, horizon_days=horizon_days):
        plain = all(isinstance(v, str | int | float | Decimal) for v in found.params.values())
        raised.append(
            alert_raise(
                kind=found.kind,
                key=found.key,
                # Names and numbers only: stored as the message and its values, worded in each
                # reader's language. Days, dates and units are said in words when the stock
                # page reads them; an alert keeps those in the English it was raised in.
                title=found.message if plain else found.title_english,
                params=found.params if plain else None,
                severity=found.severity,
                detail=found.detail,
            )
        )
    return raised
