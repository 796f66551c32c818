"""What needs a person to look again, raised as alerts: households that collected one cycle
at two sites while those were cut off from each other, and the stock problems of a site."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

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


def double_collections_find(*, cycle: RationCycle | None = None) -> list[DoubleCollection]:
    """Households that collected one cycle at two sites (written while the sites were cut
    off from each other). Both rows stay; an alert per pair asks a person to resolve it.
    Sync calls this after applying a bundle; it is idempotent."""
    groups = Distribution.objects.alive()
    if cycle is not None:
        groups = groups.filter(cycle=cycle)
    doubled = (
        groups.values("cycle_id", "household_id")
        .annotate(sites=Count("site_id", distinct=True))
        .filter(sites__gt=1)
    )
    found: list[DoubleCollection] = []
    for group in doubled:
        rows = list(
            Distribution.objects.alive()
            .filter(cycle_id=group["cycle_id"], household_id=group["household_id"])
            .select_related("site", "cycle", "household")
            .order_by("issued_at", "id")
        )
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                if first.site_id == second.site_id:
                    continue
                alert = alert_raise(
                    kind="supplies.double_collection",
                    key=f"{first.pk}:{second.pk}",
                    title=(
                        f"Ration card {first.household} collected {first.cycle.name} at "
                        f"{first.site.name} and at {second.site.name}"
                    ),
                    detail=(
                        f"{first.site.name}: {first.issued_at:%Y-%m-%d %H:%M}; "
                        f"{second.site.name}: {second.issued_at:%Y-%m-%d %H:%M}. Both "
                        "distributions are kept; decide whether to deduct the next ration."
                    ),
                    severity=Severity.WARNING,
                    subject=second,
                )
                found.append(DoubleCollection(first, second, alert))
    return found


def stock_alerts_raise(*, actor: Actor | None, site: Site, horizon_days: int = 14) -> list[Alert]:
    """Raise an alert (once each) for every stock problem the selector finds at a site."""
    raised = []
    for found in stock_alerts(actor=actor, site=site, horizon_days=horizon_days):
        raised.append(
            alert_raise(
                kind=found.kind,
                key=found.key,
                title=found.title,
                severity=found.severity,
                detail=found.detail,
            )
        )
    return raised
