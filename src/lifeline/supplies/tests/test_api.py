"""The supplies API: bad input names the field and writes nothing; roles are applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.supplies.models import Item, Location, Movement

D = Decimal


@pytest.fixture
def api(logistics: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(logistics)
    return client


def test_logistics_records_a_receipt_and_reads_the_stock(
    api: APIClient, store: Location, flour: Item
) -> None:
    response = api.post(
        "/api/supplies/movements/",
        {
            "kind": "receipt",
            "location": "main-store",
            "item": "flour",
            "quantity": "50",
            "batch": "WF-1",
            "expiry_date": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    stock = api.get("/api/supplies/stock/?location=main-store").json()
    assert [(s["item"], s["batch"], s["quantity"]) for s in stock] == [("flour", "WF-1", "50.000")]


def test_bad_input_names_the_field_and_writes_nothing(
    api: APIClient, store: Location, flour: Item
) -> None:
    response = api.post(
        "/api/supplies/movements/",
        {"kind": "receipt", "location": "nowhere", "item": "flour", "quantity": "-3"},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"location", "quantity"}
    assert "nowhere" in fields["location"][0]
    assert not Movement.objects.exists()


def test_an_issue_beyond_the_stock_is_a_400_naming_the_quantity(
    api: APIClient, store: Location, flour: Item
) -> None:
    response = api.post(
        "/api/supplies/movements/",
        {"kind": "issue", "location": "main-store", "item": "flour", "quantity": "5"},
        format="json",
    )
    assert response.status_code == 400
    assert "only 0 kg of Wheat flour" in response.json()["error"]["fields"]["quantity"][0]


def test_a_viewer_reads_stock_but_cannot_write_it(
    viewer: Any, store: Location, flour: Item
) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    assert client.get("/api/supplies/stock/").status_code == 200
    response = client.post(
        "/api/supplies/movements/",
        {"kind": "receipt", "location": "main-store", "item": "flour", "quantity": "5"},
        format="json",
    )
    assert response.status_code == 403
    assert not Movement.objects.exists()


def test_a_ration_is_issued_once_through_the_api(
    api: APIClient,
    logistics: Any,
    make_household: Any,
    cycle: Any,
    point: Any,
    store: Location,
    flour: Item,
) -> None:
    from lifeline.supplies import services

    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(100))
    make_household("RC-API", 3)
    body = {"cycle": str(cycle.pk), "point": str(point.pk), "ration_card": "RC-API"}
    entitlement = api.get("/api/supplies/entitlement/", body).json()
    assert entitlement["household_size"] == 3 and entitlement["collected_at"] is None
    assert entitlement["lines"][0]["quantity"] == "7.500"
    assert api.post("/api/supplies/issue/", body, format="json").status_code == 201
    second = api.post("/api/supplies/issue/", body, format="json")
    assert second.status_code == 409
    assert "already collected" in second.json()["error"]["message"]


def test_the_stock_list_takes_a_fixed_number_of_queries(
    api: APIClient,
    logistics: Any,
    store: Location,
    flour: Item,
    water: Item,
    django_assert_max_num_queries: Any,
) -> None:
    from lifeline.supplies import services

    for n in range(5):
        services.stock_receive(
            actor=logistics, location=store, item=flour, quantity=D(5), batch=f"b{n}"
        )
        services.stock_receive(
            actor=logistics, location=store, item=water, quantity=D(5), batch=f"w{n}"
        )
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/supplies/stock/").json()) == 10


def test_the_points_are_listed_with_their_site_and_store(
    logistics: Any, viewer: Any, point: Any, django_assert_max_num_queries: Any
) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/supplies/points/")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(p["name"], p["location_name"], p["id"]) for p in rows] == [
        ("Mess hall", "Main store", str(point.pk))
    ]


def test_the_points_of_an_unknown_site_are_a_400_naming_the_site(
    api: APIClient, point: Any
) -> None:
    response = api.get("/api/supplies/points/?site=atlantis")
    assert response.status_code == 400
    assert "site" in response.json()["error"]["fields"]


def test_the_points_list_is_in_the_api_schema(api: APIClient) -> None:
    schema = api.get("/api/schema/?format=json").json()
    points = schema["paths"]["/api/supplies/points/"]
    assert points["get"]["operationId"] == "point_list"
    assert points["post"]["operationId"] == "point_create"
    assert "site" in [p["name"] for p in points["get"]["parameters"]]
