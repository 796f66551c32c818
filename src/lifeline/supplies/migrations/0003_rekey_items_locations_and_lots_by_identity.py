"""Rows written before identities travelled get the ids the services now derive (an item's
from its code, a location's from its site and code, a named lot's from item, batch and
expiry), so that an installation upgraded before its first sync meets another site's rows as
one row instead of colliding on a code. Every row that points at one is repointed (care's
treatments and allocations too); the old row goes. Ids already derived are left alone, so it
runs once in effect and undoing it changes nothing."""

from typing import Any

from django.db import migrations

from lifeline.core.ids import uuid_named


def _item_id(row: Any) -> Any:
    return uuid_named("supplies.item", row.code)


def _location_id(row: Any) -> Any:
    return uuid_named("supplies.location", row.site_id, row.code)


def _lot_id(row: Any) -> Any:
    if not (row.batch.strip() or row.expiry_date):
        return None  # anonymous: a lot per receipt
    expiry = row.expiry_date.isoformat() if row.expiry_date else ""
    return uuid_named("supplies.lot", row.item_id, row.batch.strip(), expiry)


def _rekey(model: Any, row: Any, new: Any, alias: str, unique: str | None) -> None:
    old = row.pk
    manager = model._base_manager.using(alias)
    if unique is not None:  # the copy would collide with the row it replaces
        manager.filter(pk=old).update(**{unique: f"~{old.hex}"})
    row.pk = new
    row.save(using=alias, force_insert=True)
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            continue
        name = relation.field.name
        relation.related_model._base_manager.using(alias).filter(**{name: old}).update(
            **{name: new}
        )
    manager.filter(pk=old).delete()


def rekey(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    for name, derive, unique in (
        ("Item", _item_id, "code"),  # first: a lot's id is derived from its item's
        ("Location", _location_id, "code"),
        ("Lot", _lot_id, None),
    ):
        model = apps.get_model("supplies", name)
        for row in list(model._base_manager.using(alias).order_by("pk")):
            new = derive(row)
            if new is not None and new != row.pk:
                if model._base_manager.using(alias).filter(pk=new).exists():
                    continue  # two rows of one identity already: left for a person to merge
                _rekey(model, row, new, alias, unique)


class Migration(migrations.Migration):
    dependencies = [
        ("supplies", "0002_identities_that_travel_and_one_collection_per_installation"),
        # Care's rows point at items, locations and lots: repointed too.
        ("care", "0002_treatments_and_allocation"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
