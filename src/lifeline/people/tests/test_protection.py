"""Family tracing from request to confirmed link; children's protection cases opened for
unaccompanied children and seen only by protection officers and the commander (API, CLI and
pages), every read audited; name search and duplicates through the services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lifeline.core.errors import Forbidden
from lifeline.core.models import AuditEntry, Site
from lifeline.people import protection, services
from lifeline.people.matching import index_store
from lifeline.people.matching import selectors as matching
from lifeline.people.models import (
    CaseKind,
    ProtectionCase,
    TracingMatchStatus,
    TracingStatus,
)
from lifeline.people.tests.test_cli import cli_runner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.VAR_DIR = tmp_path
    index_store.index_forget()
    yield
    index_store.index_forget()


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---- search and duplicates -------------------------------------------------------------------


def test_the_true_person_ranks_first_when_age_and_sex_agree(registrar: Any, site: Site) -> None:
    mother = services.person_register(
        actor=registrar, given_name="Leila", family_name="Haddad", sex="female", age_years=38
    )
    services.person_register(
        actor=registrar, given_name="Layla", family_name="Haddad", sex="female", age_years=9
    )
    services.person_register(
        actor=registrar, given_name="Khalil", family_name="Haddad", sex="male", age_years=38
    )
    found = matching.person_search(actor=registrar, query="ليلى الحداد", age=40, sex="female")
    assert found[0].person == mother
    assert "sex agrees" in found[0].reasons


def test_a_search_finds_family_name_first_and_partial_names(registrar: Any, site: Site) -> None:
    boy = services.person_register(
        actor=registrar, given_name="Abderrazak", family_name="Benali", sex="male", age_years=12
    )
    assert matching.person_search(actor=registrar, query="Ben Ali Abdul Razzaq")[0].person == boy
    assert matching.person_search(actor=registrar, query="Abderr")[0].person == boy


def test_probable_duplicates_are_listed_and_merged(registrar: Any, site: Site) -> None:
    first = services.person_register(
        actor=registrar, given_name="Rachid", family_name="Benali", sex="male", age_years=40
    )
    second = services.person_register(
        actor=registrar, given_name="Rasheed", family_name="Ben Ali", sex="male", age_years=41
    )
    services.person_register(
        actor=registrar, given_name="Rachida", family_name="Benali", sex="female", age_years=40
    )
    pairs = matching.duplicates_all(actor=registrar)
    assert [(p.first, p.second) for p in pairs] == [(first, second)]
    services.person_merge(actor=registrar, survivor=first, duplicate=second)
    assert matching.duplicates_all(actor=registrar) == []


def test_a_viewer_may_search_but_not_list_duplicates(viewer: Any, site: Site) -> None:
    assert matching.person_search(actor=viewer, query="Layla") == []
    with pytest.raises(Forbidden):
        matching.duplicates_all(actor=viewer)


# ---- tracing ---------------------------------------------------------------------------------


def test_a_tracing_request_goes_from_filing_to_a_confirmed_family_link(
    registrar: Any, protection_officer: Any, site: Site
) -> None:
    mother = services.person_register(
        actor=registrar, given_name="Khadija", family_name="Ouali", sex="female", age_years=29
    )
    request = protection.tracing_request_file(
        actor=registrar,
        seeker=mother,
        given_name="Ilyas",
        family_name="Ouali",
        sex="male",
        age_years=12,
        relation="son",
        last_seen_place="Ayoub's camp",
    )
    assert request.status == TracingStatus.OPEN and not request.matches.exists()

    # Registered later, by another registrar, under another spelling.
    boy = services.person_register(
        actor=registrar, given_name="Elias", family_name="Wali", sex="male", age_years=12
    )
    request.refresh_from_db()
    assert request.status == TracingStatus.MATCHED
    (match,) = request.matches.all()
    assert match.person == boy

    with pytest.raises(Forbidden):
        protection.tracing_match_confirm(actor=registrar, match=match)
    protection.tracing_match_confirm(actor=protection_officer, match=match, note="he knew her")

    request.refresh_from_db()
    match.refresh_from_db()
    boy.refresh_from_db()
    mother.refresh_from_db()
    assert request.status == TracingStatus.CLOSED and request.found_person == boy
    assert match.status == TracingMatchStatus.CONFIRMED
    assert boy.household_id is not None and boy.household_id == mother.household_id
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"tracing.file", "tracing.match_proposed", "tracing.confirm"} <= actions


def test_a_request_is_matched_against_the_registry_when_it_is_filed(
    registrar: Any, protection_officer: Any, site: Site
) -> None:
    girl = services.person_register(
        actor=registrar, given_name="Meriem", family_name="Tazi", sex="female", age_years=6
    )
    request = protection.tracing_request_file(
        actor=registrar, seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi",
        sex="female", age_years=6,
    )  # fmt: skip
    (match,) = request.matches.all()
    assert match.person == girl
    protection.tracing_match_reject(actor=protection_officer, match=match, note="another girl")
    request.refresh_from_db()
    assert request.status == TracingStatus.OPEN


# ---- children's protection cases ---------------------------------------------------------------


@pytest.fixture
def lone_child(field_team: Any, site: Site) -> Any:
    return services.person_register(
        actor=field_team, given_name="Unknown", sex="female", age_years=6,
        notes="Has not spoken since Mavrah.",
    )  # fmt: skip


def test_a_child_registered_alone_gets_an_unaccompanied_case(lone_child: Any) -> None:
    (case,) = ProtectionCase.objects.filter(child=lone_child)
    assert case.kind == CaseKind.UNACCOMPANIED


def test_a_child_registered_with_an_adult_of_the_household_gets_no_case(
    registrar: Any, site: Site
) -> None:
    father = services.person_register(actor=registrar, given_name="Hamza", age_years=35)
    household = services.household_create(actor=registrar, head=father)
    child = services.person_register(
        actor=registrar, given_name="Sami", age_years=7, household=household
    )
    assert not ProtectionCase.objects.filter(child=child).exists()
    services.person_status_record(actor=registrar, person=father, status="missing")
    (case,) = protection.cases_open_for_unaccompanied()
    assert case.child == child and case.kind == CaseKind.SEPARATED


def test_protection_officers_see_cases_and_every_read_is_audited(
    lone_child: Any, protection_officer: Any
) -> None:
    before = AuditEntry.objects.filter(action="read.protected").count()
    (case,) = protection.case_list(actor=protection_officer)
    protection.case_get(actor=protection_officer, case_id=case.pk)
    assert AuditEntry.objects.filter(action="read.protected").count() == before + 2


def test_a_viewer_cannot_see_a_case_through_the_api(lone_child: Any, viewer: Any) -> None:
    case = ProtectionCase.objects.get(child=lone_child)
    client = api_as(viewer)
    assert client.get("/api/cases/").status_code == 403
    response = client.get(f"/api/cases/{case.pk}/")
    assert response.status_code == 403
    assert "Mavrah" not in response.content.decode()


def test_a_protection_officer_sees_and_updates_a_case_through_the_api(
    lone_child: Any, protection_officer: Any
) -> None:
    case = ProtectionCase.objects.get(child=lone_child)
    client = api_as(protection_officer)
    assert [c["id"] for c in client.get("/api/cases/").json()] == [str(case.pk)]
    response = client.patch(
        f"/api/cases/{case.pk}/",
        {"risk_level": "high", "caseworker": "protection_officer"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["risk_level"] == "high"


def test_a_viewer_cannot_see_a_case_through_the_cli(lone_child: Any, viewer: Any) -> None:
    case = ProtectionCase.objects.get(child=lone_child)
    run = cli_runner()
    listed = run("case", "list", user="viewer")
    assert listed.exit_code == Forbidden.exit_code
    shown = run("case", "show", str(case.pk), user="viewer")
    assert shown.exit_code == Forbidden.exit_code
    assert str(lone_child.pk) not in shown.stdout + shown.stderr


def test_a_protection_officer_lists_cases_through_the_cli(
    lone_child: Any, protection_officer: Any
) -> None:
    result = cli_runner()("case", "list", "--json", user="protection_officer")
    assert result.exit_code == 0, result.stderr
    assert str(lone_child.pk) in result.stdout


def test_a_viewer_cannot_see_a_case_through_the_pages(
    lone_child: Any, viewer: Any, client: Client
) -> None:
    case = ProtectionCase.objects.get(child=lone_child)
    client.force_login(viewer)
    assert client.get("/cases/").status_code == 403
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 403
    assert "Has not spoken" not in page.content.decode()
    assert "/cases/" not in client.get("/").content.decode()  # no link in the menu


def test_a_protection_officer_sees_a_case_page(
    lone_child: Any, protection_officer: Any, client: Client
) -> None:
    case = ProtectionCase.objects.get(child=lone_child)
    client.force_login(protection_officer)
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_the_search_tracing_and_duplicates_pages_answer(
    registrar: Any, client: Client, site: Site
) -> None:
    services.person_register(actor=registrar, given_name="Layla", family_name="Haddad")
    client.force_login(registrar)
    page = client.get("/search/", {"q": "Leila Hadad"}, follow=True)  # the registry's box
    assert page.status_code == 200 and "Layla Haddad" in page.content.decode()
    assert client.get("/duplicates/").status_code == 200
    assert client.get("/tracing/").status_code == 200
