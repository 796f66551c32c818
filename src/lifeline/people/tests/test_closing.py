"""Closing a tracing request without a match (found by other means, withdrawn) and closing a
protection case (reunified, transferred, aged out): a reason and a note, audited, for protection
officers and the commander only, through the services, the API, the CLI and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.people import protection, services
from lifeline.people.matching import index_store
from lifeline.people.models import (
    CareArrangement,
    CaseOutcome,
    CaseStatus,
    ProtectionCase,
    TracingCloseReason,
    TracingMatchStatus,
    TracingRequest,
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


@pytest.fixture
def request_with_a_match(registrar: Any, site: Site) -> TracingRequest:
    """Zohra looks for Maryam; a Meriem of the right age is proposed."""
    services.person_register(
        actor=registrar, given_name="Meriem", family_name="Tazi", sex="female", age_years=6
    )
    request = protection.tracing_request_file(
        actor=registrar, seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi",
        sex="female", age_years=6, relation="daughter",
    )  # fmt: skip
    assert request.matches.count() == 1
    return request


@pytest.fixture
def open_case(field_team: Any, site: Site) -> ProtectionCase:
    child = services.person_register(
        actor=field_team, given_name="Ilyas", sex="male", age_years=9, notes="Alone at the gate."
    )
    return ProtectionCase.objects.get(child=child)


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---- tracing requests ------------------------------------------------------------------------


def test_an_officer_closes_a_request_found_by_other_means_and_the_waiting_match_goes_with_it(
    request_with_a_match: TracingRequest, protection_officer: Any
) -> None:
    closed = protection.tracing_request_close(
        actor=protection_officer, request=request_with_a_match, reason="found_elsewhere",
        note="Found by the Red Crescent in Camp B",
    )  # fmt: skip
    closed.refresh_from_db()
    assert closed.status == TracingStatus.CLOSED and closed.closed_at is not None
    assert closed.closed_reason == TracingCloseReason.FOUND_ELSEWHERE
    assert closed.closed_note == "Found by the Red Crescent in Camp B"
    (match,) = closed.matches.all()
    assert match.status == TracingMatchStatus.REJECTED
    entry = AuditEntry.objects.filter(action="tracing.close").get()
    assert entry.actor == protection_officer
    assert "Found by other means" in entry.summary and entry.detail["reason"] == "found_elsewhere"


def test_a_request_cannot_be_closed_without_a_known_reason_and_a_note(
    request_with_a_match: TracingRequest, commander: Any
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        protection.tracing_request_close(
            actor=commander, request=request_with_a_match, reason="matched", note=" "
        )
    assert set(failed.value.fields) == {"reason", "note"}
    protection.tracing_request_close(
        actor=commander, request=request_with_a_match, reason="withdrawn", note="left for Amman"
    )
    with pytest.raises(Conflict):
        protection.tracing_request_close(
            actor=commander, request=request_with_a_match, reason="withdrawn", note="again"
        )


def test_a_registrar_and_a_viewer_may_not_close_a_request(
    request_with_a_match: TracingRequest, registrar: Any, viewer: Any
) -> None:
    for actor in (registrar, viewer):
        with pytest.raises(Forbidden):
            protection.tracing_request_close(
                actor=actor, request=request_with_a_match, reason="withdrawn", note="gone"
            )
    request_with_a_match.refresh_from_db()
    assert request_with_a_match.status == TracingStatus.MATCHED
    assert not AuditEntry.objects.filter(action="tracing.close").exists()


def test_a_confirmed_match_closes_the_request_with_the_reason_matched(
    request_with_a_match: TracingRequest, protection_officer: Any
) -> None:
    (match,) = request_with_a_match.matches.all()
    protection.tracing_match_confirm(actor=protection_officer, match=match, note="same scar")
    request_with_a_match.refresh_from_db()
    assert request_with_a_match.closed_reason == TracingCloseReason.MATCHED


def test_the_api_closes_a_request_for_an_officer_and_refuses_a_viewer(
    request_with_a_match: TracingRequest, protection_officer: Any, viewer: Any
) -> None:
    url = f"/api/tracing/{request_with_a_match.pk}/close/"
    body = {"reason": "withdrawn", "note": "the seeker left the camp"}
    assert api_as(viewer).post(url, body, format="json").status_code == 403
    bad = api_as(protection_officer).post(url, {"reason": "lost"}, format="json")
    assert bad.status_code == 400 and {"reason", "note"} <= set(bad.json()["error"]["fields"])
    response = api_as(protection_officer).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    assert response.json()["closed_reason"] == "withdrawn"


def test_the_cli_closes_a_request_for_the_commander_and_refuses_a_viewer(
    request_with_a_match: TracingRequest, commander: Any, viewer: Any
) -> None:
    run = cli_runner()
    args = ("tracing", "close", str(request_with_a_match.pk), "--reason", "found_elsewhere")
    refused = run(*args, "--note", "found", user="viewer")
    assert refused.exit_code == Forbidden.exit_code
    done = run(*args, "--note", "found at the clinic", user="commander")
    assert done.exit_code == 0, done.stderr
    request_with_a_match.refresh_from_db()
    assert request_with_a_match.closed_reason == "found_elsewhere"


def test_the_close_page_closes_a_request_for_an_officer_and_refuses_a_viewer(
    request_with_a_match: TracingRequest, protection_officer: Any, viewer: Any, client: Client
) -> None:
    url = f"/tracing/{request_with_a_match.pk}/close/"
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "withdrawn", "note": "x"}).status_code == 403

    client.force_login(protection_officer)
    detail = client.get(f"/tracing/{request_with_a_match.pk}/").content.decode()
    assert url in detail  # the request's page links to the close page
    page = client.get(url)
    assert page.status_code == 200 and "Withdrawn by the seeker" in page.content.decode()
    missing = client.post(url, {"reason": "withdrawn"})
    assert missing.status_code == 400
    done = client.post(url, {"reason": "withdrawn", "note": "went back home"}, follow=True)
    assert done.status_code == 200
    assert "Request closed: Withdrawn by the seeker." in done.content.decode()
    request_with_a_match.refresh_from_db()
    assert request_with_a_match.status == TracingStatus.CLOSED


def test_a_registrar_sees_the_close_page_without_a_form_and_cannot_post_it(
    request_with_a_match: TracingRequest, registrar: Any, client: Client
) -> None:
    url = f"/tracing/{request_with_a_match.pk}/close/"
    client.force_login(registrar)
    page = client.get(url).content.decode()
    assert (
        "Only protection officers and the commander" in page
        and "<form" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    )
    assert client.post(url, {"reason": "withdrawn", "note": "x"}).status_code == 403


# ---- protection cases ------------------------------------------------------------------------


def test_an_officer_closes_a_case_as_reunified_and_the_care_arrangement_follows(
    open_case: ProtectionCase, protection_officer: Any
) -> None:
    closed = protection.case_close(
        actor=protection_officer, case=open_case, outcome="reunified",
        note="Mother found through tracing",
    )  # fmt: skip
    closed.refresh_from_db()
    assert closed.status == CaseStatus.CLOSED and closed.outcome == CaseOutcome.REUNIFIED
    assert closed.care_arrangement == CareArrangement.REUNIFIED
    assert "Closed (Reunified with family): Mother found through tracing" in closed.notes
    entry = AuditEntry.objects.filter(action="protection.close").get()
    assert entry.actor == protection_officer and entry.detail == {"outcome": "reunified"}
    assert "Ilyas" not in entry.summary and "Mother" not in entry.summary


def test_a_child_under_18_cannot_be_closed_as_aged_out(
    open_case: ProtectionCase, commander: Any
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        protection.case_close(actor=commander, case=open_case, outcome="aged_out", note="18")
    assert "not yet 18" in " ".join(failed.value.fields["outcome"])
    with pytest.raises(ValidationFailed):
        protection.case_close(actor=commander, case=open_case, outcome="adopted", note="x")
    protection.case_close(actor=commander, case=open_case, outcome="transferred", note="to UNHCR")
    with pytest.raises(Conflict):
        protection.case_close(actor=commander, case=open_case, outcome="transferred", note="x")


def test_a_registrar_and_a_viewer_may_not_close_a_case(
    open_case: ProtectionCase, registrar: Any, viewer: Any
) -> None:
    for actor in (registrar, viewer):
        with pytest.raises(Forbidden):
            protection.case_close(actor=actor, case=open_case, outcome="transferred", note="x")
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.OPEN


def test_the_api_closes_a_case_for_an_officer_and_refuses_a_viewer(
    open_case: ProtectionCase, protection_officer: Any, viewer: Any
) -> None:
    url = f"/api/cases/{open_case.pk}/close/"
    body = {"outcome": "transferred", "note": "to the children's centre in town"}
    refused = api_as(viewer).post(url, body, format="json")
    assert refused.status_code == 403 and "Alone at the gate" not in refused.content.decode()
    response = api_as(protection_officer).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "transferred" and response.json()["status"] == "closed"


def test_the_cli_closes_a_case_for_an_officer_and_refuses_a_viewer(
    open_case: ProtectionCase, protection_officer: Any, viewer: Any
) -> None:
    run = cli_runner()
    args = ("case", "close", str(open_case.pk), "--outcome", "reunified", "--note", "uncle")
    assert run(*args, user="viewer").exit_code == Forbidden.exit_code
    done = run(*args, user="protection_officer")
    assert done.exit_code == 0, done.stderr
    open_case.refresh_from_db()
    assert open_case.outcome == "reunified"


def test_the_close_page_closes_a_case_for_the_commander_and_refuses_a_viewer(
    open_case: ProtectionCase, commander: Any, viewer: Any, client: Client
) -> None:
    url = f"/cases/{open_case.pk}/close/"
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "reunified", "note": "x"}).status_code == 403

    client.force_login(commander)
    assert url in client.get(f"/cases/{open_case.pk}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Aged out (turned 18)" in page.content.decode()
    too_young = client.post(url, {"outcome": "aged_out", "note": "birthday"})
    assert too_young.status_code == 400 and "not yet 18" in too_young.content.decode()
    done = client.post(url, {"outcome": "reunified", "note": "aunt in Block C"}, follow=True)
    assert "Case closed: Reunified with family." in done.content.decode()
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.CLOSED
