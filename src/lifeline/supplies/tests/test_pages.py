"""Pages: stock, the item page with its inline SVG chart, alerts, the distribution screen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from lifeline.conftest import PASSWORD
from lifeline.supplies import services
from lifeline.supplies.models import Distribution, Item, Location

D = Decimal


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def stocked(logistics: Any, store: Location, flour: Item) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(80), batch="A")
    services.stock_issue(actor=logistics, location=store, item=flour, quantity=D(20))


def test_the_item_page_shows_the_ledger_and_draws_the_chart_inline(
    logistics: Any, stocked: None, make_household: Any
) -> None:
    make_household("RC-P", 4)
    page = _client(logistics).get("/supplies/items/flour/")
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "<svg" in body
        and "polyline" in body
        and "http://" not in body.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "Issue" in body and "days of supply" in body


def test_the_stock_page_lists_stock_by_location(viewer: Any, stocked: None) -> None:
    page = _client(viewer).get("/supplies/")
    assert page.status_code == 200
    assert "Main store" in page.content.decode() and "Wheat flour" in page.content.decode()


def test_the_alerts_page_shows_stock_below_reorder(logistics: Any, stocked: None) -> None:
    page = _client(logistics).get("/supplies/alerts/")
    assert "below the reorder level of 100" in page.content.decode()


def test_the_distribution_screen_shows_the_entitlement_and_issues_once(
    logistics: Any, stocked: None, make_household: Any, cycle: Any, point: Any
) -> None:
    make_household("RC-Q", 2)
    client = _client(logistics)
    url = f"/supplies/points/{point.pk}/"
    shown = client.get(url, {"cycle": str(cycle.pk), "card": "RC-Q"}).content.decode()
    assert "5 kg Wheat flour" in shown and "Issue ration" in shown
    client.post(url, {"cycle": str(cycle.pk), "ration_card": "RC-Q"})
    again = client.post(url, {"cycle": str(cycle.pk), "ration_card": "RC-Q"}, follow=True)
    assert "already collected" in again.content.decode()
    assert Distribution.objects.count() == 1


def test_a_viewer_cannot_issue_on_the_distribution_screen(
    viewer: Any, stocked: None, make_household: Any, cycle: Any, point: Any
) -> None:
    make_household("RC-V", 2)
    response = _client(viewer).post(
        f"/supplies/points/{point.pk}/",
        {"cycle": str(cycle.pk), "ration_card": "RC-V"},
        follow=True,
    )
    assert "your role may not issue rations" in response.content.decode()
    assert not Distribution.objects.exists()
