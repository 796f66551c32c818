"""Writes of the catalogue: items and the locations stock is kept at (stores, caches,
vehicles). Every write checks the actor's permission and writes its audit row in the same
transaction.

Identities that travel: an item's id is derived from its code, so the same code created at
two sites is one item when they sync (their fields merge as one row's); a location's from its
site and code, so two sites may each have a "main-store", and two installations of one site
creating the same code write one location."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.core.errors import ValidationFailed
from lifeline.core.ids import uuid_named
from lifeline.core.models import Site
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies.models import Item, Location, LocationKind

ITEM_FIELDS = (
    "name",
    "category",
    "unit",
    "kcal_per_unit",
    "litres_per_unit",
    "cold_chain",
    "reorder_level",
    "notes",
)


@transaction.atomic
def item_create(*, actor: Actor | None, code: str, name: str, **values: Any) -> Item:
    permission_require(actor, "supplies.manage_catalogue", doing=_("change the catalogue"))
    unknown = sorted(set(values) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationFailed({n: _("is not a field of an item") for n in unknown})
    if Item.objects.filter(code=code).exists():
        raise ValidationFailed(
            {"code": _("%(code)r is already the code of an item") % {"code": code}}
        )
    item = Item(id=item_id_of(code), code=code, name=name, **values)
    item.save()
    audit_record(actor=actor, action="item.create", obj=item, summary=item.name)
    return item


def item_id_of(code: str) -> Any:
    """The id of the catalogue item with this code, the same at every site."""
    return uuid_named("supplies.item", code)


def location_id_of(site: Site, code: str) -> Any:
    """The id of the location with this code at this site, the same at every installation."""
    return uuid_named("supplies.location", site.pk, code)


@transaction.atomic
def item_update(*, actor: Actor | None, item: Item, changes: Mapping[str, Any]) -> Item:
    permission_require(actor, "supplies.manage_catalogue", doing=_("change the catalogue"))
    unknown = sorted(set(changes) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationFailed({n: _("cannot be changed here") for n in unknown})
    item = Item.objects.select_for_update().get(pk=item.pk)
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, changes[name])
    item.save(update_fields=changed)
    audit_record(
        actor=actor, action="item.update", obj=item, summary=item.name, detail={"fields": changed}
    )
    return item


@transaction.atomic
def location_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    site: Site,
    kind: str = LocationKind.STORE,
    latitude: float | None = None,
    longitude: float | None = None,
    cold_chain: bool = False,
    notes: str = "",
) -> Location:
    permission_require(actor, "supplies.manage_catalogue", doing=_("add stock locations"))
    problems: dict[str, str] = {}
    if Location.objects.filter(site=site, code=code).exists():
        problems["code"] = _("%(code)r is already the code of a location at %(site)s") % {
            "code": code,
            "site": site.name,
        }
    if kind not in LocationKind.values:
        problems["kind"] = _("must be one of %(kinds)s") % {"kinds": ", ".join(LocationKind.values)}
    if (latitude is None) != (longitude is None):
        problems["latitude" if latitude is None else "longitude"] = _("give both coordinates")
    if kind == LocationKind.CACHE and latitude is None:
        problems["latitude"] = _("a cache needs its coordinates, to be found again")
    if problems:
        raise ValidationFailed(problems)
    location = Location(
        id=location_id_of(site, code),
        code=code,
        name=name,
        site=site,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        cold_chain=cold_chain,
        notes=notes,
    )
    location.save()
    audit_record(actor=actor, action="location.create", obj=location, summary=location.name)
    return location
