"""The person page: the record, its history as a timeline, and the forms that add to it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.people import services
from lifeline.people.models import ConditionObservation, Person, StatusEvent
from lifeline.web.tests.conftest import ROLES, role_may

pytestmark = pytest.mark.django_db


def _page(person: Person) -> str:
    return reverse("web:person_detail", kwargs={"person_id": person.pk})


def test_the_page_shows_identity_household_and_the_history_newest_first(
    client: Client, viewer: Any, commander: Any, amal: Person
) -> None:
    services.person_status_record(
        actor=commander, person=amal, status="in_care", note="taken to the clinic"
    )
    client.force_login(viewer)
    content = client.get(_page(amal)).content.decode()
    assert "Amal Haddad" in content
    assert "about 34 (estimated)" in content
    assert reverse("web:household_detail", kwargs={"household_id": amal.household_id}) in content
    history = content[content.index('class="timeline"') :]
    assert history.index("In care") < history.index("Present")
    # Issue 17: a status note may say what a viewer may not know; the status itself shows.
    assert "taken to the clinic" not in history
    assert "<time datetime=" in history


def test_reading_a_protected_record_is_audited(
    client: Client, commander: Any, amal: Person
) -> None:
    client.force_login(commander)
    client.get(_page(amal))
    audit = AuditEntry.objects.filter(action="read.protected", object_id=str(amal.pk)).first()
    assert audit is not None and audit.actor == commander


@pytest.mark.parametrize("role", ROLES)
def test_forms_show_only_to_roles_that_may_record(
    client: Client, request: pytest.FixtureRequest, role: str, amal: Person
) -> None:
    client.force_login(request.getfixturevalue(role))
    content = client.get(_page(amal)).content.decode()
    status_url = reverse("web:person_status", kwargs={"person_id": amal.pk})
    condition_url = reverse("web:person_condition", kwargs={"person_id": amal.pk})
    assert (status_url in content) is role_may(role, "people.record_status")
    assert (condition_url in content) is role_may(role, "people.record_condition")


def test_a_medic_records_a_status_and_sees_it_on_the_timeline(
    client: Client, medic: Any, amal: Person
) -> None:
    client.force_login(medic)
    response = client.post(
        reverse("web:person_status", kwargs={"person_id": amal.pk}),
        {"status": "in_care", "site": "desert-base", "note": "stitches"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _page(amal)
    assert b"Status recorded: In care." in response.content
    amal.refresh_from_db()
    assert amal.status == "in_care"
    assert StatusEvent.objects.filter(person=amal, note="stitches", recorded_by=medic).exists()


def test_a_bad_status_is_shown_on_the_form_and_nothing_is_written(
    client: Client, registrar: Any, amal: Person
) -> None:
    client.force_login(registrar)
    before = StatusEvent.objects.count()
    response = client.post(
        reverse("web:person_status", kwargs={"person_id": amal.pk}),
        {"status": "present", "latitude": "12.5", "note": "typed note"},
    )
    assert response.status_code == 400
    assert b'id="id_longitude_error"' in response.content
    assert b'value="typed note"' in response.content
    assert StatusEvent.objects.count() == before


def test_a_viewer_cannot_record_a_status(client: Client, viewer: Any, amal: Person) -> None:
    client.force_login(viewer)
    response = client.post(
        reverse("web:person_status", kwargs={"person_id": amal.pk}), {"status": "missing"}
    )
    assert response.status_code == 403
    amal.refresh_from_db()
    assert amal.status == "present"


def test_a_medic_records_a_condition_resolved(client: Client, medic: Any, amal: Person) -> None:
    client.force_login(medic)
    response = client.post(
        reverse("web:person_condition", kwargs={"person_id": amal.pk}),
        {"condition": "wounded", "present": "false", "note": "healed"},
        follow=True,
    )
    assert b"Condition recorded." in response.content
    assert b"Wounded: resolved" in response.content
    latest = ConditionObservation.objects.filter(person=amal, condition="wounded").last()
    assert latest is not None and latest.present is False


def test_a_role_without_the_permission_cannot_record_a_condition(
    client: Client, logistics: Any, amal: Person
) -> None:
    assert not role_may("logistics", "people.record_condition")
    client.force_login(logistics)
    before = ConditionObservation.objects.count()
    response = client.post(
        reverse("web:person_condition", kwargs={"person_id": amal.pk}), {"condition": "ill"}
    )
    assert response.status_code == 403
    assert ConditionObservation.objects.count() == before


def test_an_unknown_person_is_a_404_page_with_the_message(client: Client, viewer: Any) -> None:
    client.force_login(viewer)
    missing = uuid.uuid4()
    response = client.get(reverse("web:person_detail", kwargs={"person_id": missing}))
    assert response.status_code == 404
    assert f"no person with id {missing}".encode() in response.content


def test_a_malformed_id_is_a_404_page(client: Client, viewer: Any) -> None:
    client.force_login(viewer)
    response = client.get("/people/not-an-id/")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_a_merged_record_says_where_it_went(client: Client, commander: Any, amal: Person) -> None:
    duplicate = services.person_register(actor=commander, given_name="Amal", family_name="H.")
    services.person_merge(actor=commander, survivor=amal, duplicate=duplicate)
    client.force_login(commander)
    response = client.get(_page(duplicate))
    assert response.status_code == 404
    assert f"merged into {amal.pk}".encode() in response.content
    assert b"Also recorded as: <bdi>Amal H.</bdi>" in client.get(_page(amal)).content
