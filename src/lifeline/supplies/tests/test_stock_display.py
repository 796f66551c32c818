"""What the supplies pages show: the running-low list (critical first, with its small chart),
days of supply in words and the basis by its meaning, stock alerts critical first with colour
and word, expiring lots and cold-chain excursions, one date format; the charts drawn on the
server at a phone's size; the stock page's queries pinned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.supplies import rules, selectors, services
from lifeline.supplies.charts import burn_down_svg, sparkline_svg
from lifeline.supplies.models import Item, Location

D = Decimal


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def short(logistics: Any, store: Location, flour: Item, water: Item, make_household: Any) -> None:
    """Ten people here; water for under a day (critical), flour for about five (warning)."""
    make_household("RC-S1", 10)
    services.stock_receive(actor=logistics, location=store, item=water, quantity=D(100))
    services.stock_receive(
        actor=logistics,
        location=store,
        item=flour,
        quantity=D(30),
        batch="OLD",
        expiry_date=timezone.localdate() + dt.timedelta(days=5),
    )


@pytest.mark.parametrize(
    ("days", "on_hand", "reorder", "severity"),
    [
        (0.4, D(1), D(0), "critical"),
        (2.99, D(1), D(0), "critical"),
        (3, D(1), D(0), "warning"),
        (6.9, D(1), D(0), "warning"),
        (7, D(1), D(0), "ok"),
        (30, D(5), D(10), "warning"),  # below its reorder level
        (None, D(5), D(0), "ok"),
    ],
)
def test_days_of_supply_are_coloured_by_one_rule(
    days: float | None, on_hand: Decimal, reorder: Decimal, severity: str
) -> None:
    assert rules.days_severity(days, on_hand, reorder) == severity


def test_the_outlook_lists_what_runs_short_critical_first(
    logistics: Any, site: Site, short: None
) -> None:
    outlook = selectors.supply_outlook(actor=logistics, site=site)
    assert [(o.item.code, o.severity) for o in outlook] == [
        ("water", "critical"),
        ("flour", "warning"),
    ]
    assert outlook[0].projection[0][1] == D(100) and outlook[0].history[-1][1] == D(100)


def test_the_stock_page_shows_the_short_items_with_words_colour_and_a_chart(
    logistics: Any, short: None
) -> None:
    body = _client(logistics).get("/supplies/").content.decode()
    running_low = body.split('id="running-low"')[1].split("</section>")[0]
    assert running_low.index("Drinking water") < running_low.index("Wheat flour")
    assert '<span class="badge critical">Critical</span>' in running_low
    assert "under a day of supply" in running_low
    assert running_low.count('<svg class="sparkline"') == 2
    expiring = body.split('id="expiring"')[1].split("</section>")[0]
    assert "Wheat flour" in expiring and "OLD" in expiring


def test_the_item_page_says_the_basis_and_the_days_in_words(logistics: Any, short: None) -> None:
    body = _client(logistics).get("/supplies/items/water/").content.decode()
    assert "litres of water per person per day (Sphere)" in body
    assert "sphere_water" not in body
    assert "under a day of supply" in body and "Critical" in body
    assert '<svg class="burn-down"' in body and "3 days left" in body


def test_stock_alerts_put_critical_first_with_the_word_not_brackets(
    logistics: Any, short: None
) -> None:
    body = _client(logistics).get("/supplies/alerts/").content.decode()
    now = body.split("<h2>Open alerts</h2>")[0]
    assert "[critical]" not in body and "[warning]" not in body
    first_critical = now.index('<span class="badge critical">Critical</span>')
    first_warning = now.index('<span class="badge warning">Warning</span>')
    assert first_critical < first_warning
    assert "sphere_" not in now and "%Y" not in now


def test_an_excursion_of_the_last_week_is_listed_on_the_stock_page(
    logistics: Any, site: Site
) -> None:
    fridge = services.location_create(
        actor=logistics, code="fridge", name="Clinic fridge", site=site, cold_chain=True
    )
    services.cold_chain_record(actor=logistics, location=fridge, temperature_c=D("9.5"))
    services.cold_chain_record(actor=logistics, location=fridge, temperature_c=D("4.0"))
    body = _client(logistics).get("/supplies/").content.decode()
    excursions = body.split('id="cold-chain"')[1].split("</section>")[0]
    assert "9.5 °C" in excursions and "4.0 °C" not in excursions and "Excursion" in excursions


def test_the_stock_page_makes_the_same_few_queries_however_many_items_run_short(
    logistics: Any, store: Location, short: None, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        item = services.item_create(
            actor=logistics, code=f"soap-{n}", name=f"Soap {n}", reorder_level=D(50)
        )
        services.stock_receive(actor=logistics, location=store, item=item, quantity=D(5))
        services.stock_issue(actor=logistics, location=store, item=item, quantity=D(1))
    client = _client(logistics)
    with django_assert_max_num_queries(22):
        body = client.get("/supplies/").content.decode()
    assert body.count('<svg class="sparkline"') == 8


def test_the_burn_down_is_drawn_at_a_phones_size_with_its_guides_in_words() -> None:
    today = dt.date(2026, 12, 7)
    history = [(today - dt.timedelta(days=n), D(100)) for n in range(5, -1, -1)]
    projection = rules.burn_down(on_hand=D(100), daily_need=D(10), today=today)
    svg = burn_down_svg(
        history=history, projection=projection, reorder_level=D(50), unit="kg", daily_need=D(10)
    )
    assert 'viewBox="0 0 360 200"' in svg
    assert "7 days left" in svg and "3 days left" in svg and "reorder level" in svg
    assert "2 Dec" in svg and "17 Dec" in svg and "today" in svg
    assert "<style" not in svg and "<script" not in svg  # nothing inline for the CSP


def test_guides_too_close_to_read_keep_their_lines_but_not_both_labels() -> None:
    today = dt.date(2026, 12, 7)
    projection = rules.burn_down(on_hand=D(1000), daily_need=D(1), today=today)
    svg = burn_down_svg(
        history=[(today, D(1000))],
        projection=projection,
        reorder_level=D(0),
        unit="kg",
        daily_need=D(1),
    )
    assert svg.count('<line class="guide') == 2
    assert "7 days left" in svg and "3 days left" not in svg


def test_a_unit_is_escaped_in_the_chart() -> None:
    today = dt.date(2026, 12, 7)
    svg = burn_down_svg(
        history=[(today, D(5))], projection=[(today, D(5))], reorder_level=D(0), unit="<b>"
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_a_sparkline_needs_two_points_and_has_no_text() -> None:
    today = dt.date(2026, 12, 7)
    assert sparkline_svg(history=[(today, D(1))], projection=[(today, D(1))], label="x") == ""
    svg = sparkline_svg(
        history=[(today - dt.timedelta(days=1), D(4)), (today, D(3))],
        projection=[(today, D(3)), (today + dt.timedelta(days=1), D(0))],
        label="Water",
    )
    assert 'aria-label="Water"' in svg and "<text" not in svg


def test_with_nothing_projected_the_chart_ends_today_said_once() -> None:
    today = dt.date(2026, 12, 7)
    history = [(today - dt.timedelta(days=n), D(12)) for n in range(3, -1, -1)]
    svg = burn_down_svg(
        history=history, projection=[(today, D(12))], reorder_level=D(10), unit="vial"
    )
    assert svg.count(">today</text>") == 1 and "7 Dec" not in svg and "4 Dec" in svg
