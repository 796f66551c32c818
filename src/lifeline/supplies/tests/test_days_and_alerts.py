"""Days of supply from the people present and the Sphere standards (or consumption), and the
stock alerts: reorder, stock-out soon, expiring lots, cold chain, VVM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from lifeline.alerts.models import Alert
from lifeline.core.models import Site
from lifeline.core.services import setting_put
from lifeline.supplies import rules, selectors, services
from lifeline.supplies.models import Item, Location

D = Decimal


def test_water_lasts_by_the_sphere_standard_for_the_people_present(
    logistics: Any, site: Site, store: Location, water: Item, make_household: Any
) -> None:
    make_household("RC-W1", 4)
    make_household("RC-W2", 2, status="missing")  # not here: not counted
    services.stock_receive(actor=logistics, location=store, item=water, quantity=D(300))
    today = dt.date(2025, 3, 1)
    supply = selectors.days_of_supply(actor=logistics, item=water, site=site, today=today)
    assert supply.basis == "sphere_water"
    assert supply.daily_need == D(60)  # 4 persons x 15 litres
    assert supply.days == 5.0 and supply.stockout_on == dt.date(2025, 3, 6)


def test_a_site_can_set_its_own_standard(
    logistics: Any, commander: Any, site: Site, store: Location, water: Item, make_household: Any
) -> None:
    make_household("RC-W3", 2)
    setting_put(actor=commander, site=site, key=rules.SETTING_WATER, value=20)
    services.stock_receive(actor=logistics, location=store, item=water, quantity=D(400))
    supply = selectors.days_of_supply(actor=logistics, item=water, site=site)
    assert supply.daily_need == D(40) and supply.days == 10.0


def test_items_without_kcal_or_litres_use_the_consumption_observed(
    logistics: Any, site: Site, store: Location
) -> None:
    amox = services.item_create(actor=logistics, code="amox", name="Amoxicillin", unit="tablet")
    services.stock_receive(actor=logistics, location=store, item=amox, quantity=D(100))
    services.stock_issue(actor=logistics, location=store, item=amox, quantity=D(28))
    supply = selectors.days_of_supply(actor=logistics, item=amox, site=site)
    assert supply.basis == "observed"
    assert supply.daily_need == D(2)  # 28 tablets over the 14-day window
    assert supply.days == 36.0


def test_alerts_find_reorder_stockout_expiry_cold_chain_and_vvm(
    logistics: Any, site: Site, store: Location, flour: Item, make_household: Any
) -> None:
    make_household("RC-A", 50)
    today = timezone.localdate()
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(40),
        batch="soon",
        expiry_date=today + dt.timedelta(days=5),
    )
    fridge = services.location_create(
        actor=logistics, code="fridge", name="Vaccine fridge", site=site, cold_chain=True
    )
    vaccine = services.item_create(
        actor=logistics,
        code="measles",
        name="Measles vaccine",
        category="vaccine",
        unit="vial",
        cold_chain=True,
    )
    receipt = services.stock_receive(
        actor=logistics, location=fridge, item=vaccine, quantity=D(10), batch="MV1", vvm_stage=1
    )
    services.cold_chain_record(actor=logistics, location=fridge, temperature_c=D("5.0"))
    services.cold_chain_record(actor=logistics, location=fridge, temperature_c=D("11.5"))
    services.lot_vvm_record(actor=logistics, lot=receipt.lot, stage=3)
    kinds = {a.kind for a in selectors.stock_alerts(actor=logistics, site=site, horizon_days=7)}
    assert kinds == {
        "supplies.below_reorder",
        "supplies.stockout_soon",
        "supplies.lot_expiring",
        "supplies.cold_chain_excursion",
        "supplies.vvm_discard",
    }
    # The excursion and the VVM stage raised their alerts when they were recorded.
    assert Alert.objects.filter(kind="supplies.cold_chain_excursion").count() == 1
    assert Alert.objects.filter(kind="supplies.vvm_discard").count() == 1
    excursion = Alert.objects.get(kind="supplies.cold_chain_excursion")
    with translation.override("fr"):  # kept as a message: read in the reader's language
        assert excursion.shown_title == (
            "Chaîne du froid : 11.5 °C à Vaccine fridge (conserver entre 2 et 8 °C)"
        )
    with translation.override("ar"):
        vvm = Alert.objects.get(kind="supplies.vvm_discard").shown_title
        assert vvm == "Measles vaccine دفعة MV1: مؤشر القارورة في المرحلة 3، لا تستخدمها"
    services.stock_alerts_raise(actor=logistics, site=site, horizon_days=7)
    services.stock_alerts_raise(actor=logistics, site=site, horizon_days=7)  # raised once
    assert Alert.objects.filter(kind="supplies.lot_expiring").count() == 1
