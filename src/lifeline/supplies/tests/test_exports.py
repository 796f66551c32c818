"""Downloads from the supplies pages: stock on hand (a count sheet) and the rations issued in a
cycle, as CSV or HXL; refused to roles that may not see them, audited when given."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.supplies import services
from lifeline.supplies.models import DistributionPoint, Item, Location, RationCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(logistics: Any, store: Location, flour: Item) -> None:
    services.stock_receive(
        actor=logistics, location=store, item=flour, quantity=Decimal(80), batch="A"
    )


def _get(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def _rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _stock_url(flavour: str) -> str:
    return reverse("supplies:stock_export", kwargs={"flavour": flavour})


def _cycle_url(cycle: RationCycle, flavour: str) -> str:
    return reverse(
        "supplies:distributions_export", kwargs={"cycle_id": cycle.pk, "flavour": flavour}
    )


def test_the_stock_download_is_a_count_sheet_with_its_hashtags(
    logistics: Any, stocked: None
) -> None:
    header, tags, *rows = _rows(_get(logistics, _stock_url("hxl")))
    assert header == ["location", "item", "batch", "expiry_date", "counted"]
    assert tags == [
        "#loc +code",
        "#item +code",
        "#item +batch",
        "#date +expiry",
        "#indicator +counted",
    ]
    assert rows == [["main-store", "flour", "A", "", "80"]]
    entry = AuditEntry.objects.get(action="stock.export", actor=logistics)
    assert entry.detail["count"] == 1 and entry.detail["hashtags"] is True


def test_the_plain_csv_stock_download_has_no_hashtag_row(viewer: Any, stocked: None) -> None:
    header, *rows = _rows(_get(viewer, _stock_url("csv")))
    assert header[0] == "location" and rows == [["main-store", "flour", "A", "", "80"]]


def test_a_role_that_may_not_see_stock_gets_403_and_no_file(registrar: Any, stocked: None) -> None:
    response = _get(registrar, _stock_url("csv"))
    assert response.status_code == 403
    assert not response["Content-Type"].startswith("text/csv")
    assert not AuditEntry.objects.filter(action="stock.export").exists()


def test_the_cycle_download_lists_the_rations_issued_with_the_card_and_size(
    logistics: Any,
    stocked: None,
    make_household: Any,
    cycle: RationCycle,
    point: DistributionPoint,
    site: Any,
) -> None:
    make_household("RC-E", 3)
    services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card="RC-E")
    header, tags, *rows = _rows(_get(logistics, _cycle_url(cycle, "hxl")))
    assert header == [
        "ration_card", "household_size", "issued_at", "point", "site", "cycle", "issued_by",
    ]  # fmt: skip
    assert tags[0] == "#household +code"
    assert len(rows) == 1
    card, size, _, point_name, site_code, cycle_name, by = rows[0]
    assert (card, size, point_name, site_code, cycle_name, by) == (
        "RC-E", "3", point.name, site.code, "Cycle 7", "logistics",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="ration.export")
    assert entry.object_id == str(cycle.pk) and entry.detail["count"] == 1


def test_a_role_that_may_not_see_distributions_gets_403_for_a_cycle(
    registrar: Any, cycle: RationCycle
) -> None:
    assert _get(registrar, _cycle_url(cycle, "csv")).status_code == 403
    assert not AuditEntry.objects.filter(action="ration.export").exists()


def test_the_stock_page_and_the_distribution_screen_link_to_their_downloads(
    logistics: Any, stocked: None, cycle: RationCycle, point: DistributionPoint
) -> None:
    assert _stock_url("hxl") in _get(logistics, "/supplies/").content.decode()
    screen = _get(logistics, f"/supplies/points/{point.pk}/").content.decode()
    assert _cycle_url(cycle, "csv") in screen and _cycle_url(cycle, "hxl") in screen


def test_the_cycle_download_makes_a_few_queries_however_many_rations(
    logistics: Any,
    stocked: None,
    make_household: Any,
    cycle: RationCycle,
    point: DistributionPoint,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(8):
        make_household(f"RC-N{i}", 1)
        services.ration_issue(actor=logistics, point=point, cycle=cycle, ration_card=f"RC-N{i}")
    client = Client()
    client.force_login(logistics)
    with django_assert_max_num_queries(12):
        response = client.get(_cycle_url(cycle, "csv"))
    assert len(_rows(response)) == 9
