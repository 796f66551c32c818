"""The supplies part of the demo, from the stories: the main store and the mess hall, the
crate of antibiotics "not enough to heal every wound", the vaccine crates found at Qasr
al-Hanif and marked for pickup by a second convoy, water skins running low, meagre rations.
Calls only `supplies.services`; idempotent (a second load changes nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from lifeline.core.clock import site_local
from lifeline.core.services import Actor
from lifeline.supplies import services
from lifeline.supplies.models import Item, RationCycle

D = Decimal

ITEMS = [
    dict(
        code="amoxicillin",
        name="Amoxicillin 500 mg",
        category="medicine",
        unit="tablet",
        reorder_level=D(200),
    ),
    dict(
        code="measles-vaccine",
        name="Measles vaccine (10-dose vial)",
        category="vaccine",
        unit="vial",
        cold_chain=True,
        reorder_level=D(10),
    ),
    dict(
        code="water",
        name="Drinking water",
        category="water",
        unit="litre",
        litres_per_unit=D(1),
        reorder_level=D(3000),
    ),
    dict(
        code="flour",
        name="Wheat flour",
        category="food",
        unit="kg",
        kcal_per_unit=D(3640),
        reorder_level=D(500),
    ),
    dict(
        code="lentils",
        name="Lentils",
        category="food",
        unit="kg",
        kcal_per_unit=D(3530),
        reorder_level=D(150),
    ),
    dict(
        code="oil",
        name="Vegetable oil",
        category="food",
        unit="litre",
        kcal_per_unit=D(8840),
        reorder_level=D(40),
    ),
]


def load(*, actor_by_role: Mapping[str, Actor]) -> RationCycle:
    """The camp's stock and one open ration cycle, as the logistics officer (once)."""
    actor = actor_by_role["logistics"]
    site = site_local()
    if Item.objects.filter(code="flour").exists():
        return RationCycle.objects.filter(site=site).order_by("-starts_on").first()  # type: ignore[return-value]
    items = {spec["code"]: services.item_create(actor=actor, **spec) for spec in ITEMS}  # type: ignore[arg-type]
    store = services.location_create(actor=actor, code="main-store", name="Main store", site=site)
    fridge = services.location_create(
        actor=actor, code="clinic-fridge", name="Clinic fridge", site=site, cold_chain=True
    )
    cache = services.location_create(
        actor=actor,
        code="qasr-al-hanif",
        name="Qasr al-Hanif cache",
        site=site,
        kind="cache",
        latitude=31.4872,
        longitude=35.7664,
    )
    truck = services.location_create(
        actor=actor, code="convoy-2", name="Second convoy truck", site=site, kind="vehicle"
    )
    today = timezone.localdate()
    receive = services.stock_receive
    receive(
        actor=actor,
        location=store,
        item=items["amoxicillin"],
        quantity=D(120),
        batch="AMX-2291",
        expiry_date=today + dt.timedelta(days=40),
        note="the crate of antibiotics: not enough to heal every wound",
    )
    receive(
        actor=actor,
        location=store,
        item=items["water"],
        quantity=D(2400),
        batch="skins",
        note="water skins",
    )
    receive(
        actor=actor,
        location=store,
        item=items["flour"],
        quantity=D(900),
        batch="WF-07",
        expiry_date=today + dt.timedelta(days=120),
    )
    receive(
        actor=actor,
        location=store,
        item=items["lentils"],
        quantity=D(160),
        batch="LN-3",
        expiry_date=today + dt.timedelta(days=9),
    )
    receive(actor=actor, location=store, item=items["oil"], quantity=D(60), batch="OIL-1")
    receive(
        actor=actor,
        location=fridge,
        item=items["measles-vaccine"],
        quantity=D(12),
        batch="MV-118",
        expiry_date=today + dt.timedelta(days=200),
        vvm_stage=1,
    )
    receive(
        actor=actor,
        location=cache,
        item=items["measles-vaccine"],
        quantity=D(40),
        batch="MV-120",
        expiry_date=today + dt.timedelta(days=180),
        vvm_stage=2,
        salvage=True,
        note="vaccine crates found at Qasr al-Hanif, marked for pickup",
    )
    services.transfer_send(
        actor=actor,
        source=cache,
        destination=fridge,
        vehicle=truck,
        lines=[services.TransferLine(items["measles-vaccine"], D(40))],
        note="pickup by the second convoy",
    )
    services.cold_chain_record(actor=actor, location=fridge, temperature_c=D("4.5"))
    services.stock_issue(
        actor=actor,
        location=store,
        item=items["amoxicillin"],
        quantity=D(30),
        note="the rescued captives",
    )
    services.stock_issue(
        actor=actor, location=store, item=items["water"], quantity=D(900), note="daily water"
    )
    cycle = services.ration_cycle_create(
        actor=actor,
        site=site,
        name=f"Cycle {today:%W}",
        starts_on=today,
        ends_on=today + dt.timedelta(days=13),
        basket=[
            {"item": "flour", "per_person": "2"},
            {"item": "lentils", "per_person": "0.5"},
            {"item": "oil", "per_person": "0.2"},
        ],
    )
    services.distribution_point_create(actor=actor, site=site, name="Mess hall", location=store)
    return cycle
