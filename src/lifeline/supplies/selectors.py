"""Reads of supplies with the caller's role applied: stock on hand by location and item, the
ledger of an item, stock in transit, days of supply against the Sphere standards or observed
consumption, and the stock alerts a site has now."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from lifeline.alerts.models import Severity
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.ids import id_parse
from lifeline.core.models import Site
from lifeline.core.services import Actor, permission_require, setting_get
from lifeline.core.templatetags.lifeline_format import day
from lifeline.people.models import Status
from lifeline.people.selectors import PersonFilters, person_list
from lifeline.supplies import rules
from lifeline.supplies.models import (
    CONSUMPTION,
    ColdChainReading,
    Distribution,
    DistributionPoint,
    Item,
    Location,
    Lot,
    Movement,
    MovementKind,
    RationCycle,
    StockBalance,
    Transfer,
)
from lifeline.supplies.rules import quantity_text as q
from lifeline.supplies.words import days_word, unit_word

OBSERVED_WINDOW_DAYS = 14


def _can_view(actor: Actor | None) -> None:
    permission_require(actor, "supplies.view_item", doing=_("see stock"))


def item_list(*, actor: Actor | None, category: str | None = None) -> QuerySet[Item]:
    _can_view(actor)
    qs = Item.objects.alive()
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("name", "code")


def item_get(*, actor: Actor | None, ref: Any) -> Item:
    """An item by code or id."""
    _can_view(actor)
    text = str(ref)
    item = Item.objects.alive().filter(code=text).first()
    if item is None:
        try:
            item = Item.objects.alive().filter(pk=uuid.UUID(text)).first()
        except ValueError:
            item = None
    if item is None:
        raise NotFound(_("no item %(ref)r") % {"ref": text})
    return item


def location_list(*, actor: Actor | None, site: Site | None = None) -> QuerySet[Location]:
    _can_view(actor)
    qs = Location.objects.alive().select_related("site")
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("name", "code")


def location_get(*, actor: Actor | None, ref: Any) -> Location:
    _can_view(actor)
    text = str(ref)
    # A code is unique per site: this site's location first, then another site's.
    same_code = Location.objects.alive().select_related("site").filter(code=text)
    location = min(
        same_code,
        key=lambda found: (found.site.code != settings.LIFELINE_SITE, found.site.code),
        default=None,
    )
    if location is None:
        try:
            location = Location.objects.alive().filter(pk=uuid.UUID(text)).first()
        except ValueError:
            location = None
    if location is None:
        raise NotFound(_("no location %(ref)r") % {"ref": text})
    return location


def lot_get(*, actor: Actor | None, lot_id: Any) -> Lot:
    _can_view(actor)
    lot = Lot.objects.alive().select_related("item").filter(pk=id_parse(lot_id, "lot")).first()
    if lot is None:
        raise NotFound(_("no lot %(id)s") % {"id": lot_id})
    return lot


@dataclass(frozen=True)
class StockLine:
    location: Location
    item: Item
    lot: Lot
    quantity: Decimal


def stock_on_hand(
    *,
    actor: Actor | None,
    location: Location | None = None,
    item: Item | None = None,
    site: Site | None = None,
) -> list[StockLine]:
    """What is where, per lot, earliest expiry first (the balances cache of the ledger)."""
    _can_view(actor)
    qs = StockBalance.objects.filter(quantity__gt=0).select_related(
        "location", "item", "lot", "location__site"
    )
    if location is not None:
        qs = qs.filter(location=location)
    if item is not None:
        qs = qs.filter(item=item)
    if site is not None:
        qs = qs.filter(location__site=site)
    qs = qs.order_by("location__name", "item__name", "expiry_date", "lot_id")
    return [StockLine(b.location, b.item, b.lot, b.quantity) for b in qs]


def on_hand_total(
    *,
    item: Item,
    site: Site | None = None,
    location: Location | None = None,
    usable_on: dt.date | None = None,
) -> Decimal:
    """What is on hand of an item; with `usable_on`, without the lots expired before it."""
    qs = StockBalance.objects.filter(item=item)
    if usable_on is not None:
        qs = qs.filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=usable_on))
    if site is not None:
        qs = qs.filter(location__site=site)
    if location is not None:
        qs = qs.filter(location=location)
    total = qs.aggregate(total=Sum("quantity"))["total"]
    return total if total is not None else Decimal(0)


def on_hand_from_ledger(*, item: Item, location: Location | None = None) -> Decimal:
    """The authoritative figure: the sum of the movements (the cache must agree with it)."""
    qs = Movement.objects.alive().filter(item=item)
    if location is not None:
        qs = qs.filter(location=location)
    total = qs.aggregate(total=Sum("quantity"))["total"]
    return total if total is not None else Decimal(0)


def stock_ledger_mismatches(*, using: str = "default") -> list[str]:
    """Where the balances cache disagrees with the ledger (the sum of the movements), one line
    per (location, lot); empty when they agree. `using` names another database (a backup
    restored into a scratch database is checked this way)."""
    ledger = {
        (row["location_id"], row["lot_id"]): row["total"]
        for row in Movement.objects.using(using)
        .alive()
        .values("location_id", "lot_id")
        .annotate(total=Sum("quantity"))
    }
    cached = {
        (row["location_id"], row["lot_id"]): row["quantity"]
        for row in StockBalance.objects.using(using).values("location_id", "lot_id", "quantity")
    }
    found = []
    for key in sorted(set(ledger) | set(cached), key=str):
        in_ledger = ledger.get(key) or Decimal(0)
        in_cache = cached.get(key) or Decimal(0)
        if in_ledger != in_cache:
            found.append(f"lot {key[1]} at {key[0]}: ledger {in_ledger}, balance {in_cache}")
    return found


def item_ledger(
    *, actor: Actor | None, item: Item, location: Location | None = None
) -> QuerySet[Movement]:
    _can_view(actor)
    qs = Movement.objects.alive().filter(item=item)
    if location is not None:
        qs = qs.filter(location=location)
    return qs.select_related("location", "lot", "recorded_by").order_by("-occurred_at", "-version")


def stock_history(
    *, actor: Actor | None, item: Item, site: Site, on_hand: Decimal, since: dt.date, today: dt.date
) -> list[tuple[dt.date, Decimal]]:
    """The level of an item at a site on each day from `since` to `today`, walked back from
    what is on hand now through the ledger's daily totals (the burn-down chart's history)."""
    _can_view(actor)
    daily = (
        Movement.objects.alive()
        .filter(item=item, location__site=site, occurred_at__date__gte=since)
        .values("occurred_at__date")
        .annotate(total=Sum("quantity"))
    )
    return rules.history_levels(
        [(row["occurred_at__date"], row["total"]) for row in daily], on_hand, since, today
    )


def transfers_in_transit(*, actor: Actor | None) -> QuerySet[Transfer]:
    _can_view(actor)
    return (
        Transfer.objects.alive()
        .filter(received_at__isnull=True)
        .select_related("source", "destination", "vehicle")
        .prefetch_related("movements__item", "movements__lot")
        .order_by("sent_at")
    )


def people_present(*, actor: Actor | None, site: Site) -> int:
    """How many people the registry has present at a site (the people selector, role
    applied)."""
    return person_list(
        actor=actor, filters=PersonFilters(status=Status.PRESENT, site=site.pk)
    ).count()


def sphere_standards(*, site: Site) -> tuple[Decimal, Decimal]:
    """(kcal, litres of water) per person per day at this site."""
    kcal = setting_get(site=site, key=rules.SETTING_KCAL, default=None)
    water = setting_get(site=site, key=rules.SETTING_WATER, default=None)
    return (
        Decimal(str(kcal)) if kcal is not None else rules.SPHERE_KCAL,
        Decimal(str(water)) if water is not None else rules.SPHERE_WATER_LITRES,
    )


def consumption_observed(
    *, item: Item, site: Site, days: int = OBSERVED_WINDOW_DAYS, today: dt.date | None = None
) -> Decimal:
    """Units per day used up (issues and rations) at a site over the last `days` days."""
    today = today or timezone.localdate()
    since = timezone.now() - dt.timedelta(days=days)
    used = (
        Movement.objects.alive()
        .filter(item=item, location__site=site, kind__in=CONSUMPTION, occurred_at__gte=since)
        .aggregate(total=Sum("quantity"))["total"]
    )
    return rules.daily_use_observed(-(used or Decimal(0)), days)


def days_of_supply(
    *,
    actor: Actor | None,
    item: Item,
    site: Site,
    basis: str = "auto",
    today: dt.date | None = None,
) -> rules.DaysOfSupply:
    """How long the stock of an item at a site lasts: by the Sphere standard for the people
    present (items that give kcal or water) or by the consumption observed lately."""
    _can_view(actor)
    if basis not in {"auto", "sphere", "observed"}:
        raise ValidationFailed({"basis": _("must be auto, sphere or observed")})
    today = today or timezone.localdate()
    on_hand = on_hand_total(item=item, site=site)
    need: tuple[Decimal, str] | None = None
    if basis in {"auto", "sphere"}:
        kcal, litres = sphere_standards(site=site)
        need = rules.daily_need_sphere(
            people=people_present(actor=actor, site=site),
            kcal_per_unit=item.kcal_per_unit,
            litres_per_unit=item.litres_per_unit,
            kcal_per_person=kcal,
            litres_per_person=litres,
        )
        if need is None and basis == "sphere":
            raise ValidationFailed(
                {
                    "basis": _("%(item)s has no kcal or litres per unit for a Sphere standard")
                    % {"item": item.name}
                }
            )
    if need is None:
        need = (consumption_observed(item=item, site=site, today=today), "observed")
    return rules.days_of_supply(on_hand=on_hand, daily_need=need[0], basis=need[1], today=today)


@dataclass(frozen=True)
class Days:
    """Days of supply, said in the reader's language when a title is read."""

    days: float | None


@dataclass(frozen=True)
class Unit:
    """An item's unit as entered, translated when it is a common one (`words.unit_word`)."""

    unit: str


@dataclass(frozen=True)
class Word:
    """A word of the message's own (marked with gettext_noop), translated when read."""

    text: str


@dataclass(frozen=True)
class StockAlert:
    """A stock problem found now. Its title is worded when read, in the reader's language:
    `message` is the English text (marked for the catalogues) and `params` its values, days
    and units said in words then; `title_english` is what an alert stores."""

    kind: str
    key: str
    message: str
    params: dict[str, object]
    severity: str
    detail: str = ""

    @property
    def title(self) -> str:
        words = {name: _said(value) for name, value in self.params.items()}
        return gettext(self.message) % words

    @property
    def title_english(self) -> str:
        with translation.override("en"):
            return self.title


def _said(value: object) -> object:
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, Days):
        return days_word(value.days)
    if isinstance(value, Unit):
        return unit_word(value.unit)
    if isinstance(value, Word):
        return gettext(value.text)
    return value


def stock_alerts(
    *, actor: Actor | None, site: Site, horizon_days: int = 14, today: dt.date | None = None
) -> list[StockAlert]:
    """Below reorder level; stock-out within the horizon; lots expiring within it; cold-chain
    readings outside 2-8 °C in the last day; vaccine lots past the VVM discard point."""
    _can_view(actor)
    today = today or timezone.localdate()
    found: list[StockAlert] = []
    totals = {
        row["item_id"]: row["total"]
        for row in StockBalance.objects.filter(location__site=site)
        .values("item_id")
        .annotate(total=Sum("quantity"))
    }
    for item in Item.objects.alive().order_by("name"):
        on_hand = totals.get(item.pk, Decimal(0))
        if item.reorder_level and on_hand < item.reorder_level:
            found.append(
                StockAlert(
                    "supplies.below_reorder",
                    f"{site.pk}:{item.pk}:{today:%Y-%m-%d}",
                    gettext_noop(
                        "%(item)s: %(qty)s %(unit)s at %(site)s, below the reorder level of "
                        "%(level)s"
                    ),
                    {
                        "item": item.name,
                        "qty": q(on_hand),
                        "unit": Unit(item.unit),
                        "site": site.name,
                        "level": q(item.reorder_level),
                    },
                    Severity.WARNING,
                )
            )
        if item.pk not in totals and not item.reorder_level:
            continue
        supply = days_of_supply(actor=actor, item=item, site=site, today=today)
        if supply.stockout_on is not None and supply.stockout_on <= today + dt.timedelta(
            days=horizon_days
        ):
            found.append(
                StockAlert(
                    "supplies.stockout_soon",
                    f"{site.pk}:{item.pk}:{supply.stockout_on:%Y-%m-%d}",
                    gettext_noop(
                        "%(item)s runs out at %(site)s around %(day)s (%(days)s of supply)"
                    ),
                    {
                        "item": item.name,
                        "site": site.name,
                        "day": supply.stockout_on,
                        "days": Days(supply.days),
                    },
                    Severity.CRITICAL if (supply.days or 0) < 3 else Severity.WARNING,
                )
            )
    expiring = (
        StockBalance.objects.filter(
            location__site=site,
            quantity__gt=0,
            expiry_date__isnull=False,
            expiry_date__lte=today + dt.timedelta(days=horizon_days),
        )
        .select_related("item", "lot", "location")
        .order_by("expiry_date")
    )
    for balance in expiring:
        expired = balance.expiry_date is not None and balance.expiry_date < today
        found.append(
            StockAlert(
                "supplies.lot_expiring",
                f"{balance.location_id}:{balance.lot_id}",
                gettext_noop(
                    "%(item)s lot %(batch)s: %(qty)s %(unit)s at %(where)s expired %(day)s"
                )
                if expired
                else gettext_noop(
                    "%(item)s lot %(batch)s: %(qty)s %(unit)s at %(where)s expires %(day)s"
                ),
                {
                    "item": balance.item.name,
                    "batch": balance.lot.batch or Word(gettext_noop("without batch")),
                    "qty": q(balance.quantity),
                    "unit": Unit(balance.item.unit),
                    "where": balance.location.name,
                    "day": balance.expiry_date,
                },
                Severity.CRITICAL if expired else Severity.WARNING,
            )
        )
    since = timezone.now() - dt.timedelta(days=1)
    for reading in (
        ColdChainReading.objects.alive()
        .filter(location__site=site, recorded_at__gte=since)
        .select_related("location")
        .order_by("recorded_at")
    ):
        if rules.temperature_excursion(reading.temperature_c):
            found.append(
                StockAlert(
                    "supplies.cold_chain_excursion",
                    f"{reading.location_id}:{reading.recorded_at:%Y-%m-%d}",
                    gettext_noop("Cold chain: %(t)s °C at %(where)s (keep 2-8 °C)"),
                    {"t": reading.temperature_c, "where": reading.location.name},
                    Severity.CRITICAL,
                )
            )
    vvm = (
        StockBalance.objects.filter(
            location__site=site, quantity__gt=0, lot__vvm_stage__gte=rules.VVM_DISCARD_STAGE
        )
        .select_related("item", "lot", "location")
        .order_by("lot_id")
    )
    for balance in vvm:
        found.append(
            StockAlert(
                "supplies.vvm_discard",
                str(balance.lot_id),
                gettext_noop("%(item)s lot %(lot)s: vial monitor at stage %(stage)s, do not use"),
                {
                    "item": balance.item.name,
                    "lot": balance.lot.batch or Word(gettext_noop("without batch")),
                    "stage": balance.lot.vvm_stage,
                },
                Severity.CRITICAL,
            )
        )
    return found


def cycle_list(*, actor: Actor | None, site: Site | None = None) -> QuerySet[RationCycle]:
    permission_require(actor, "supplies.view_distribution", doing=_("see ration cycles"))
    qs = RationCycle.objects.alive().select_related("site")
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("-starts_on")


def cycle_get(*, actor: Actor | None, cycle_id: Any) -> RationCycle:
    permission_require(actor, "supplies.view_distribution", doing=_("see ration cycles"))
    cycle = (
        RationCycle.objects.alive()
        .select_related("site")
        .filter(pk=id_parse(cycle_id, "cycle"))
        .first()
    )
    if cycle is None:
        raise NotFound(_("no ration cycle %(id)s") % {"id": cycle_id})
    return cycle


def point_list(*, actor: Actor | None, site: Site | None = None) -> QuerySet[DistributionPoint]:
    permission_require(actor, "supplies.view_distribution", doing=_("see distribution points"))
    qs = DistributionPoint.objects.alive().select_related("site", "location")
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("name")


def point_get(*, actor: Actor | None, point_id: Any) -> DistributionPoint:
    permission_require(actor, "supplies.view_distribution", doing=_("see distribution points"))
    point = (
        DistributionPoint.objects.alive()
        .select_related("site", "location")
        .filter(pk=id_parse(point_id, "point"))
        .first()
    )
    if point is None:
        raise NotFound(_("no distribution point %(id)s") % {"id": point_id})
    return point


def distributions_count(*, cycle: RationCycle | None, point: DistributionPoint) -> int:
    """Rations issued at a point this cycle (the queue screen's counter)."""
    if cycle is None:
        return 0
    return Distribution.objects.filter(cycle=cycle, point=point).count()


def cycle_distributions(*, actor: Actor | None, cycle: RationCycle) -> QuerySet[Distribution]:
    """The rations issued in a cycle at every point, oldest first (its export)."""
    permission_require(actor, "supplies.view_distribution", doing=_("see distributions"))
    return (
        Distribution.objects.filter(cycle=cycle)
        .select_related("household", "point", "site", "cycle", "issued_by")
        .order_by("issued_at", "id")
    )


def movement_kinds() -> list[str]:
    return list(MovementKind.values)


# ---- what the stock page shows beside the stock: the outlook, expiry, cold chain, counts ----


@dataclass(frozen=True)
class ItemOutlook:
    """How long an item lasts at a site and how its stock went: one row of the stock page's
    "running low" list, with the series its small chart draws."""

    item: Item
    supply: rules.DaysOfSupply
    severity: str  # critical, warning or ok
    below_reorder: bool
    history: list[tuple[dt.date, Decimal]]
    projection: list[tuple[dt.date, Decimal]]


def supply_outlook(
    *,
    actor: Actor | None,
    site: Site,
    today: dt.date | None = None,
    history_days: int = 30,
    only_short: bool = True,
) -> list[ItemOutlook]:
    """Days of supply of every item stocked (or with a reorder level) at a site, shortest
    first; with `only_short`, only those critical or a warning (`rules.days_severity`). The
    figures are `days_of_supply`'s, read for all items at once (a fixed number of queries)."""
    _can_view(actor)
    today = today or timezone.localdate()
    totals: dict[Any, Decimal] = {
        row["item_id"]: row["total"]
        for row in StockBalance.objects.filter(location__site=site)
        .values("item_id")
        .annotate(total=Sum("quantity"))
    }
    items = [i for i in Item.objects.alive().order_by("name") if i.pk in totals or i.reorder_level]
    if not items:
        return []
    kcal, litres = sphere_standards(site=site)
    people = people_present(actor=actor, site=site)
    used = {
        row["item_id"]: row["total"]
        for row in Movement.objects.alive()
        .filter(
            location__site=site,
            kind__in=CONSUMPTION,
            occurred_at__gte=timezone.now() - dt.timedelta(days=OBSERVED_WINDOW_DAYS),
        )
        .values("item_id")
        .annotate(total=Sum("quantity"))
    }
    since = today - dt.timedelta(days=history_days)
    daily: dict[Any, list[tuple[dt.date, Decimal]]] = {}
    for row in (
        Movement.objects.alive()
        .filter(location__site=site, occurred_at__date__gte=since)
        .values("item_id", "occurred_at__date")
        .annotate(total=Sum("quantity"))
    ):
        daily.setdefault(row["item_id"], []).append((row["occurred_at__date"], row["total"]))
    found: list[ItemOutlook] = []
    for item in items:
        on_hand = totals.get(item.pk) or Decimal(0)
        need = rules.daily_need_sphere(
            people=people,
            kcal_per_unit=item.kcal_per_unit,
            litres_per_unit=item.litres_per_unit,
            kcal_per_person=kcal,
            litres_per_person=litres,
        ) or (
            rules.daily_use_observed(-(used.get(item.pk) or Decimal(0)), OBSERVED_WINDOW_DAYS),
            "observed",
        )
        supply = rules.days_of_supply(
            on_hand=on_hand, daily_need=need[0], basis=need[1], today=today
        )
        severity = rules.days_severity(supply.days, on_hand, item.reorder_level)
        if only_short and severity == "ok":
            continue
        below = bool(item.reorder_level) and on_hand < item.reorder_level
        history = rules.history_levels(daily.get(item.pk, []), on_hand, since, today)
        projection = rules.burn_down(on_hand=on_hand, daily_need=supply.daily_need, today=today)
        found.append(ItemOutlook(item, supply, severity, below, history, projection))
    order = {"critical": 0, "warning": 1, "ok": 2}
    found.sort(
        key=lambda o: (order[o.severity], o.supply.days if o.supply.days is not None else 1e9)
    )
    return found


def lots_expiring(
    *, actor: Actor | None, site: Site, within_days: int = 30, today: dt.date | None = None
) -> list[StockLine]:
    """Lots on hand at a site that expire within `within_days` (or have expired), soonest
    first."""
    _can_view(actor)
    today = today or timezone.localdate()
    qs = (
        StockBalance.objects.filter(
            location__site=site,
            quantity__gt=0,
            expiry_date__isnull=False,
            expiry_date__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("location", "item", "lot", "location__site")
        .order_by("expiry_date", "item__name")
    )
    return [StockLine(b.location, b.item, b.lot, b.quantity) for b in qs]


@dataclass(frozen=True)
class Reading:
    reading: ColdChainReading
    excursion: bool


def cold_chain_recent(
    *, actor: Actor | None, site: Site, days: int = 7, limit: int = 50
) -> list[Reading]:
    """The cold-chain readings of a site's last days, newest first, each marked when it was
    outside 2-8 °C."""
    _can_view(actor)
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        ColdChainReading.objects.alive()
        .filter(location__site=site, recorded_at__gte=since)
        .select_related("location", "recorded_by")
        .order_by("-recorded_at")[:limit]
    )
    return [Reading(r, rules.temperature_excursion(r.temperature_c)) for r in rows]


def cold_chain_excursions(*, actor: Actor | None, site: Site, days: int = 7) -> list[Reading]:
    return [r for r in cold_chain_recent(actor=actor, site=site, days=days) if r.excursion]


def counts_recent(*, actor: Actor | None, site: Site, limit: int = 20) -> QuerySet[Movement]:
    """The variances that stock takes wrote lately (a count that matched writes no row)."""
    _can_view(actor)
    return (
        Movement.objects.alive()
        .filter(location__site=site, kind=MovementKind.COUNT)
        .select_related("item", "lot", "location", "recorded_by")
        .order_by("-occurred_at")[:limit]
    )


def lots_known(*, actor: Actor | None, site: Site) -> list[StockLine]:
    """Every lot the ledger has had at a site's locations, with what is on hand now (zero
    included): what a stock take may count."""
    _can_view(actor)
    qs = (
        StockBalance.objects.filter(location__site=site)
        .select_related("location", "item", "lot", "location__site")
        .order_by("location__name", "item__name", "expiry_date", "lot_id")
    )
    return [StockLine(b.location, b.item, b.lot, b.quantity) for b in qs]


def transfer_get(*, actor: Actor | None, transfer_id: Any) -> Transfer:
    _can_view(actor)
    transfer = (
        Transfer.objects.alive()
        .select_related("source", "destination", "vehicle")
        .filter(pk=id_parse(transfer_id, "transfer"))
        .first()
    )
    if transfer is None:
        raise NotFound(_("no transfer %(id)s") % {"id": transfer_id})
    return transfer
