"""Items, locations and named lots written before identities travelled are re-keyed to the
ids the services derive, with every row pointing at them repointed."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lifeline.core.ids import uuid_named

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Sync's per-field versions came on a parallel branch of the graph: both states hold them.
FIELD_VERSIONS = ("supplies", "0002_field_versions")
BEFORE = [
    ("supplies", "0002_identities_that_travel_and_one_collection_per_installation"),
    FIELD_VERSIONS,
    ("care", "0002_treatments_and_allocation"),
]
AFTER = [("supplies", "0003_rekey_items_locations_and_lots_by_identity"), FIELD_VERSIONS]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _replicated(model: Any, origin: Any, **values: Any) -> Any:
    row = model(id=uuid.uuid4(), origin_site_id=origin.pk, version=f"v{uuid.uuid4().hex}", **values)
    row.save()
    return row


def test_rows_of_before_get_the_ids_the_services_derive_and_keep_their_ledger() -> None:
    try:
        old = _migrate(BEFORE)
        site = old.get_model("core", "Site").objects.create(
            id=uuid.uuid4(), code="mig", name="Migration camp"
        )
        item = _replicated(old.get_model("supplies", "Item"), site, code="flour", name="Flour")
        store = _replicated(
            old.get_model("supplies", "Location"), site, code="store", name="Store", site=site
        )
        expiry = dt.date(2027, 1, 31)
        lot_model = old.get_model("supplies", "Lot")
        named = _replicated(lot_model, site, item=item, batch="B-7", expiry_date=expiry)
        anonymous = _replicated(lot_model, site, item=item, batch="")
        movement = _replicated(
            old.get_model("supplies", "Movement"), site, kind="receipt", item=item, lot=named,
            location=store, quantity=Decimal(10),
        )  # fmt: skip

        new = _migrate(AFTER)
        item_id = uuid_named("supplies.item", "flour")
        lot_id = uuid_named("supplies.lot", item_id, "B-7", expiry.isoformat())
        location_id = uuid_named("supplies.location", site.pk, "store")
        items = new.get_model("supplies", "Item").objects.all()
        assert [(i.pk, i.code) for i in items] == [(item_id, "flour")]
        lots = set(new.get_model("supplies", "Lot").objects.values_list("id", flat=True))
        assert lots == {lot_id, anonymous.pk}
        moved = new.get_model("supplies", "Movement").objects.get(pk=movement.pk)
        assert (moved.item_id, moved.lot_id, moved.location_id) == (item_id, lot_id, location_id)
        location = new.get_model("supplies", "Location").objects.get()
        assert (location.pk, location.code) == (location_id, "store")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
