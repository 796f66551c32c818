"""Downloads from the registry's pages: persons (with the list's filters) and households, as
CSV or HXL; the columns follow the role, a refused role gets no file, every download is
audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.models import Household, Person

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _get(user: Any, name: str, flavour: str, **query: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, kwargs={"flavour": flavour}), query)


def test_the_hxl_person_export_has_the_hashtag_row_and_the_location_for_a_registrar(
    registrar: Any, amal: Person
) -> None:
    header, tags, *rows = _rows(_get(registrar, "web:persons_export", "hxl"))
    assert header[:3] == ["id", "given_name", "family_name"] and "area" in header
    assert tags[:2] == ["#beneficiary +id", "#beneficiary +name +given"]
    assert [row[header.index("given_name")] for row in rows] == ["Amal"]
    assert rows[0][header.index("area")] == "Clinic tent"
    assert rows[0][header.index("ration_card")] == "DB-0042"


def test_the_csv_person_export_has_no_hashtag_row_and_no_protected_columns_for_logistics(
    logistics: Any, amal: Person
) -> None:
    header, *rows = _rows(_get(logistics, "web:persons_export", "csv"))
    assert not any(cell.startswith("#") for row in rows for cell in row)
    assert "area" not in header and "latitude" not in header and "conditions" not in header
    assert len(rows) == 1


def test_the_person_export_carries_the_lists_filters(
    registrar: Any, commander: Any, amal: Person
) -> None:
    services.person_register(actor=commander, given_name="Samir", family_name="Nasser")
    header, *rows = _rows(_get(registrar, "web:persons_export", "csv", q="samir"))
    assert [row[header.index("given_name")] for row in rows] == ["Samir"]
    entry = AuditEntry.objects.get(action="person.export")
    assert entry.detail["filters"]["q"] == "samir" and entry.detail["hashtags"] is False


def test_a_person_export_is_audited_with_its_protected_parts(registrar: Any, amal: Person) -> None:
    _rows(_get(registrar, "web:persons_export", "hxl"))
    entry = AuditEntry.objects.get(action="person.export", actor=registrar)
    assert entry.detail["count"] == 1 and entry.detail["parts"] == ["location"]
    assert entry.summary == "1 persons exported to HXL"


def test_a_user_without_the_registry_gets_403_and_no_file(make_user: Any, amal: Person) -> None:
    response = _get(make_user(None), "web:persons_export", "csv")
    assert response.status_code == 403
    assert not response["Content-Type"].startswith("text/csv")
    assert not AuditEntry.objects.filter(action="person.export").exists()


def test_a_bad_filter_is_a_400_naming_the_field(registrar: Any) -> None:
    response = _get(registrar, "web:persons_export", "csv", status="asleep")
    assert response.status_code == 400
    assert b"status" in response.content.lower()


def test_an_unknown_flavour_is_a_404(registrar: Any) -> None:
    assert _get(registrar, "web:persons_export", "xlsx").status_code == 404


def test_the_household_export_has_the_members_and_the_shelter_for_a_registrar(
    registrar: Any, amal: Person, household: Household, site: Site
) -> None:
    header, tags, *rows = _rows(_get(registrar, "web:households_export", "hxl"))
    assert header == ["ration_card", "head", "members", "site", "shelter", "area", "notes"]
    assert tags[0] == "#household +code"
    assert rows == [["DB-0042", "Amal Haddad", "1", site.code, "Tent 12", "Block C", ""]]
    entry = AuditEntry.objects.get(action="household.export", actor=registrar)
    assert entry.detail["count"] == 1 and entry.detail["parts"] == ["location"]


def test_the_household_export_leaves_the_shelter_out_for_logistics(
    logistics: Any, amal: Person, household: Household, site: Site
) -> None:
    header, *rows = _rows(_get(logistics, "web:households_export", "csv"))
    assert header == ["ration_card", "head", "members", "site", "notes"]
    assert rows == [["DB-0042", "Amal Haddad", "1", site.code, ""]]


def test_the_household_export_is_refused_without_the_registry(
    make_user: Any, household: Household
) -> None:
    assert _get(make_user(None), "web:households_export", "csv").status_code == 403
    assert not AuditEntry.objects.filter(action="household.export").exists()


def test_the_registry_and_household_lists_link_to_their_downloads(
    client: Client, viewer: Any, amal: Person, household: Household
) -> None:
    client.force_login(viewer)
    people = client.get(reverse("web:person_list"), {"q": "amal"}).content.decode()
    assert reverse("web:persons_export", kwargs={"flavour": "csv"}) + "?q=amal" in people
    assert reverse("web:persons_export", kwargs={"flavour": "hxl"}) in people
    households = client.get(reverse("web:household_list")).content.decode()
    assert reverse("web:households_export", kwargs={"flavour": "hxl"}) in households


def test_the_household_export_makes_a_few_queries_however_many_households(
    registrar: Any, commander: Any, site: Site, django_assert_max_num_queries: Any
) -> None:
    for i in range(25):
        household = services.household_create(actor=commander, ration_card=f"DB-{i:04d}")
        services.person_register(actor=commander, given_name=f"P{i}", household=household)
    client = Client()
    client.force_login(registrar)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:households_export", kwargs={"flavour": "csv"}))
    assert len(_rows(response)) == 26
