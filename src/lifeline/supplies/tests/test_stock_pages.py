"""The daily jobs' forms: receive, issue, count, transfer, cold chain. Each writes through its
service (ledger row and audit row) when the input is good, puts the message next to the field
when it is not, and is refused (403, no form) to a role that may not do the job."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from lifeline.alerts.models import Alert
from lifeline.conftest import PASSWORD
from lifeline.core.models import AuditEntry, Site
from lifeline.supplies import selectors, services
from lifeline.supplies.models import (
    ColdChainReading,
    Item,
    Location,
    LocationKind,
    Movement,
    MovementKind,
    Transfer,
)

D = Decimal
JOBS = ["receive", "issue", "count", "transfer", "cold-chain"]


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def fridge(site: Site, logistics: Any) -> Location:
    return services.location_create(
        actor=logistics, code="vaccine-fridge", name="Vaccine fridge", site=site, cold_chain=True
    )


@pytest.fixture
def stocked(logistics: Any, store: Location, flour: Item) -> None:
    services.stock_receive(actor=logistics, location=store, item=flour, quantity=D(80), batch="A")


# ---- who sees the forms ------------------------------------------------------------------------


@pytest.mark.parametrize("job", JOBS)
@pytest.mark.parametrize("role", ["logistics", "commander"])
def test_logistics_and_the_commander_get_every_stock_form(
    request: pytest.FixtureRequest, role: str, job: str, store: Location, flour: Item
) -> None:
    page = _client(request.getfixturevalue(role)).get(f"/supplies/{job}/")
    assert page.status_code == 200
    assert b'<form class="card job-form" method="post"' in page.content


@pytest.mark.parametrize("job", JOBS)
@pytest.mark.parametrize("role", ["medic", "viewer", "registrar"])
def test_a_role_that_may_not_move_stock_gets_no_form(
    request: pytest.FixtureRequest, role: str, job: str, store: Location, flour: Item
) -> None:
    for method in ("get", "post"):
        page = getattr(_client(request.getfixturevalue(role)), method)(f"/supplies/{job}/")
        assert page.status_code == 403
        assert b"job-form" not in page.content
    assert not Movement.objects.exists() and not ColdChainReading.objects.exists()


def test_the_stock_page_offers_the_jobs_only_to_those_who_may_do_them(
    logistics: Any, viewer: Any, stocked: None
) -> None:
    assert b'href="/supplies/receive/"' in _client(logistics).get("/supplies/").content
    assert b'href="/supplies/receive/"' not in _client(viewer).get("/supplies/").content


# ---- receive -----------------------------------------------------------------------------------


def test_receiving_writes_a_receipt_of_a_lot_with_its_expiry(
    logistics: Any, store: Location, flour: Item
) -> None:
    client = _client(logistics)
    response = client.post(
        "/supplies/receive/",
        {
            "kind": "receipt",
            "item": "flour",
            "batch": "WF-7",
            "expiry_date": "2027-06-30",
            "quantity": "120.5",
            "location": "main-store",
        },
        follow=True,
    )
    assert response.status_code == 200
    movement = Movement.objects.get()
    assert (movement.kind, movement.quantity, movement.lot.batch) == ("receipt", D("120.5"), "WF-7")
    assert str(movement.lot.expiry_date) == "2027-06-30"
    assert "Received 120.5 kg of Wheat flour at Main store" in response.content.decode()
    assert AuditEntry.objects.filter(action="stock.receipt").count() == 1


def test_stock_found_in_the_field_is_received_as_salvage(
    logistics: Any, store: Location, flour: Item
) -> None:
    _client(logistics).post(
        "/supplies/receive/",
        {"kind": "salvage", "item": "flour", "quantity": "5", "location": "main-store"},
    )
    assert Movement.objects.get().kind == MovementKind.SALVAGE


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "must be more than zero"),
        ({"quantity": "lots"}, "quantity", "valid number"),
        ({"item": "caviar"}, "item", "no item &#x27;caviar&#x27;"),
        ({"expiry_date": "31/02/2027"}, "expiry_date", "Date has wrong format"),
        ({"vvm_stage": "7"}, "vvm_stage", "less than or equal to 4"),
    ],
)
def test_a_bad_receipt_says_what_is_wrong_beside_the_field(
    logistics: Any, store: Location, flour: Item, data: dict[str, str], field: str, message: str
) -> None:
    good = {"kind": "receipt", "item": "flour", "quantity": "10", "location": "main-store"}
    response = _client(logistics).post("/supplies/receive/", {**good, **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert not Movement.objects.exists()


# ---- issue -------------------------------------------------------------------------------------


def test_issuing_takes_stock_out_first_expiry_first(
    logistics: Any, stocked: None, flour: Item
) -> None:
    response = _client(logistics).post(
        "/supplies/issue/",
        {"item": "flour", "quantity": "30", "location": "main-store", "note": "clinic kitchen"},
        follow=True,
    )
    assert "Issued 30 kg of Wheat flour from Main store" in response.content.decode()
    assert selectors.on_hand_total(item=flour) == D(50)
    assert Movement.objects.filter(kind="issue", note="clinic kitchen").exists()


def test_issuing_more_than_is_on_hand_is_refused_beside_the_quantity(
    logistics: Any, stocked: None, flour: Item
) -> None:
    response = _client(logistics).post(
        "/supplies/issue/", {"item": "flour", "quantity": "500", "location": "main-store"}
    )
    assert response.status_code == 400
    assert "only 80 kg of Wheat flour on hand at Main store" in response.content.decode()
    assert selectors.on_hand_total(item=flour) == D(80)


# ---- count -------------------------------------------------------------------------------------


def test_a_count_records_the_variance_and_shows_it(
    logistics: Any, stocked: None, flour: Item
) -> None:
    client = _client(logistics)
    lot = flour.lots.get()
    sheet = client.get("/supplies/count/").content.decode()
    assert f"?location=main-store&amp;lot={lot.pk}" in sheet  # a tap fills the form
    response = client.post(
        "/supplies/count/",
        {"location": "main-store", "lot": str(lot.pk), "counted": "74"},
        follow=True,
    )
    body = response.content.decode()
    assert "Counted 74 kg of Wheat flour at Main store; the ledger said 80: variance -6" in body
    assert "Variances recorded lately" in body and "-6 kg" in body
    assert Movement.objects.get(kind="count").quantity == D(-6)
    assert selectors.on_hand_total(item=flour) == D(74)


def test_a_count_that_matches_writes_no_movement(
    logistics: Any, stocked: None, flour: Item
) -> None:
    lot = flour.lots.get()
    response = _client(logistics).post(
        "/supplies/count/",
        {"location": "main-store", "lot": str(lot.pk), "counted": "80"},
        follow=True,
    )
    assert "variance 0 recorded" in response.content.decode()
    assert not Movement.objects.filter(kind="count").exists()


def test_a_count_without_a_lot_is_refused_beside_it(logistics: Any, stocked: None) -> None:
    response = _client(logistics).post(
        "/supplies/count/", {"location": "main-store", "counted": "3"}
    )
    assert response.status_code == 400
    assert 'id="id_lot_error"' in response.content.decode()


# ---- transfer ----------------------------------------------------------------------------------


@pytest.fixture
def depot(logistics: Any) -> Location:
    from lifeline.core.models import Site as SiteModel

    other = SiteModel.objects.create(code="forest-camp", name="Forest Camp")
    return services.location_create(
        actor=logistics, code="forest-store", name="Forest store", site=other
    )


def test_a_transfer_to_another_site_is_in_transit_until_received(
    logistics: Any, stocked: None, flour: Item, depot: Location
) -> None:
    client = _client(logistics)
    form = client.get("/supplies/transfer/").content.decode()
    assert "Forest store (Forest Camp)" in form
    response = client.post(
        "/supplies/transfer/",
        {"source": "main-store", "destination": "forest-store", "item": "flour", "quantity": "25"},
        follow=True,
    )
    body = response.content.decode()
    assert "Sent from Main store to Forest store" in body and "In transit" in body
    assert "Received at Forest store" not in body  # received there, not here
    transfer = Transfer.objects.get()
    assert selectors.on_hand_total(item=flour, location=depot) == 0
    client.post(f"/supplies/transfers/{transfer.pk}/receive/")
    assert selectors.on_hand_total(item=flour, location=depot) == D(25)
    assert Transfer.objects.get().received_at is not None


def test_one_transfer_carries_several_items(
    logistics: Any, stocked: None, flour: Item, water: Item, store: Location, depot: Location
) -> None:
    services.stock_receive(actor=logistics, location=store, item=water, quantity=D(40))
    response = _client(logistics).post(
        "/supplies/transfer/",
        {
            "source": "main-store",
            "destination": "forest-store",
            "item": "flour",
            "quantity": "10",
            "item_2": "water",
            "quantity_2": "15",
        },
    )
    assert response.status_code == 302
    outs = Transfer.objects.get().movements.order_by("item__code")
    assert [(m.item.code, m.quantity) for m in outs] == [("flour", D(-10)), ("water", D(-15))]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"item_2": "water"}, "quantity_2"),
        ({"quantity_3": "4"}, "item_3"),
        ({"item_2": "flour", "quantity_2": "1"}, "item_2"),
    ],
)
def test_a_half_filled_or_repeated_line_is_refused_beside_it(
    logistics: Any, stocked: None, water: Item, depot: Location, extra: dict[str, str], field: str
) -> None:
    first = {
        "source": "main-store",
        "destination": "forest-store",
        "item": "flour",
        "quantity": "5",
    }
    response = _client(logistics).post("/supplies/transfer/", {**first, **extra})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_transfer_to_the_same_place_is_refused_beside_the_destination(
    logistics: Any, stocked: None
) -> None:
    response = _client(logistics).post(
        "/supplies/transfer/",
        {"source": "main-store", "destination": "main-store", "item": "flour", "quantity": "5"},
    )
    assert response.status_code == 400
    assert 'id="id_destination_error"' in response.content.decode()
    assert not Transfer.objects.exists()


def test_only_a_vehicle_may_carry_a_transfer(
    logistics: Any, stocked: None, depot: Location, site: Site
) -> None:
    services.location_create(
        actor=logistics, code="truck-1", name="Truck 1", site=site, kind=LocationKind.VEHICLE
    )
    form = _client(logistics).get("/supplies/transfer/").content.decode()
    vehicle_select = form.split('id="id_vehicle"')[1].split("</select>")[0]
    assert "Truck 1" in vehicle_select and "Main store" not in vehicle_select


def test_a_transfer_between_two_stores_here_is_received_from_the_stock_page(
    logistics: Any, stocked: None, flour: Item, fridge: Location
) -> None:
    client = _client(logistics)
    client.post(
        "/supplies/transfer/",
        {"source": "main-store", "destination": "vaccine-fridge", "item": "flour", "quantity": "5"},
    )
    transfer = Transfer.objects.get()
    stock = client.get("/supplies/").content.decode()
    assert f'action="/supplies/transfers/{transfer.pk}/receive/"' in stock
    assert "Received at Vaccine fridge" in stock
    response = client.post(f"/supplies/transfers/{transfer.pk}/receive/", follow=True)
    assert "Received at Vaccine fridge." in response.content.decode()
    assert selectors.on_hand_total(item=flour, location=fridge) == D(5)
    again = client.post(f"/supplies/transfers/{transfer.pk}/receive/")
    assert again.status_code == 409


def test_a_role_that_may_not_move_stock_cannot_receive_a_transfer(
    logistics: Any, viewer: Any, stocked: None, depot: Location, flour: Item
) -> None:
    transfer = services.transfer_send(
        actor=logistics,
        source=Location.objects.get(code="main-store"),
        destination=depot,
        lines=[services.TransferLine(flour, D(5))],
    )
    assert _client(viewer).post(f"/supplies/transfers/{transfer.pk}/receive/").status_code == 403
    assert Transfer.objects.get().received_at is None


# ---- cold chain --------------------------------------------------------------------------------


def test_a_reading_in_range_is_recorded_quietly(logistics: Any, fridge: Location) -> None:
    response = _client(logistics).post(
        "/supplies/cold-chain/", {"location": "vaccine-fridge", "temperature_c": "5.5"}, follow=True
    )
    body = response.content.decode()
    assert "5.5 °C at Vaccine fridge: in range." in body and "In range" in body
    assert not Alert.objects.exists()


def test_an_excursion_is_shown_as_one_and_raises_an_alert(
    logistics: Any, fridge: Location, store: Location
) -> None:
    client = _client(logistics)
    form = client.get("/supplies/cold-chain/").content.decode()
    choices = form.split('id="id_location"')[1].split("</select>")[0]
    assert "Vaccine fridge" in choices and "Main store" not in choices  # fridges only
    response = client.post(
        "/supplies/cold-chain/", {"location": "vaccine-fridge", "temperature_c": "11"}, follow=True
    )
    body = response.content.decode()
    assert 'class="error"' in body and "Excursion: 11.0 °C at Vaccine fridge" in body
    assert '<span class="badge critical">Excursion</span>' in body
    assert Alert.objects.get().kind == "supplies.cold_chain_excursion"
    stock = client.get("/supplies/").content.decode()
    assert "Cold-chain excursions" in stock and "11.0 °C" in stock


def test_an_impossible_temperature_is_refused_beside_it(logistics: Any, fridge: Location) -> None:
    response = _client(logistics).post(
        "/supplies/cold-chain/", {"location": "vaccine-fridge", "temperature_c": "900"}
    )
    assert response.status_code == 400
    assert 'id="id_temperature_c_error"' in response.content.decode()
    assert not ColdChainReading.objects.exists()


# ---- distribution points -----------------------------------------------------------------------


def test_the_points_page_links_each_point_to_its_screen(viewer: Any, point: Any) -> None:
    body = _client(viewer).get("/supplies/points/").content.decode()
    assert f'href="/supplies/points/{point.pk}/"' in body and "Mess hall" in body
    assert "Main store" in body


def test_a_role_that_sees_no_distribution_gets_no_points_page(registrar: Any, point: Any) -> None:
    assert _client(registrar).get("/supplies/points/").status_code == 403


def test_the_distribution_screen_offers_the_issue_only_to_a_role_that_may_issue(
    viewer: Any, logistics: Any, stocked: None, make_household: Any, cycle: Any, point: Any
) -> None:
    make_household("RC-L", 2)
    url = f"/supplies/points/{point.pk}/?cycle={cycle.pk}&card=RC-L"
    assert "Issue ration" in _client(logistics).get(url).content.decode()
    seen = _client(viewer).get(url).content.decode()
    assert "5 kg Wheat flour" in seen and "Issue ration" not in seen
