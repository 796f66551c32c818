"""Writes of ration cycles (a round of rations and its basket) and distribution points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.models import Site
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies.models import DistributionPoint, Item, Location, RationCycle


@transaction.atomic
def ration_cycle_create(
    *,
    actor: Actor | None,
    site: Site,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    basket: Sequence[Mapping[str, Any]],
    max_household_size: int = 10,
) -> RationCycle:
    """A round of rations: what each person's share is ({"item": code, "per_person": q})."""
    permission_require(actor, "supplies.manage_rations", doing=_("set up ration cycles"))
    problems: dict[str, str] = {}
    if ends_on < starts_on:
        problems["ends_on"] = _("is before starts_on")
    if not basket:
        problems["basket"] = _("list at least one item")
    codes = [str(line.get("item", "")) for line in basket]
    known = set(Item.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in known]
    if missing:
        problems["basket"] = _("unknown items: %(items)s") % {"items": ", ".join(missing)}
    clean: list[dict[str, str]] = []
    for index, line in enumerate(basket):
        try:
            per_person = Decimal(str(line.get("per_person")))
        except ArithmeticError:
            per_person = Decimal(-1)
        if not per_person.is_finite() or per_person <= 0:
            problems[f"basket[{index}].per_person"] = _("must be a number above zero")
        clean.append({"item": str(line.get("item")), "per_person": str(per_person)})
    if max_household_size < 1:
        problems["max_household_size"] = _("must be at least 1")
    if problems:
        raise ValidationFailed(problems)
    cycle = RationCycle(
        site=site,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        basket=clean,
        max_household_size=max_household_size,
    )
    cycle.save()
    audit_record(actor=actor, action="ration.cycle_create", obj=cycle, summary=name)
    return cycle


@transaction.atomic
def ration_cycle_close(*, actor: Actor | None, cycle: RationCycle) -> RationCycle:
    permission_require(actor, "supplies.manage_rations", doing=_("close ration cycles"))
    cycle = RationCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.closed_at is not None:
        raise Conflict(_("%(cycle)s is already closed") % {"cycle": cycle.name})
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["closed_at"])
    audit_record(actor=actor, action="ration.cycle_close", obj=cycle, summary=cycle.name)
    return cycle


@transaction.atomic
def distribution_point_create(
    *, actor: Actor | None, site: Site, name: str, location: Location
) -> DistributionPoint:
    permission_require(actor, "supplies.manage_rations", doing=_("set up distribution points"))
    if location.site_id != site.pk:
        raise ValidationFailed(
            {
                "location": _("%(location)s is not at %(site)s")
                % {"location": location.name, "site": site.name}
            }
        )
    point = DistributionPoint(site=site, name=name, location=location)
    point.save()
    audit_record(actor=actor, action="ration.point_create", obj=point, summary=name)
    return point


def basket_lines(cycle: RationCycle) -> Iterable[tuple[str, Decimal]]:
    return [(line["item"], Decimal(line["per_person"])) for line in cycle.basket]
