"""Acts that are not taken back lightly, each behind a step that names the person: the duplicate
warning before a registration, recording a death with a reason, undoing a merge with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.models import Person, PersonMerge

pytestmark = pytest.mark.django_db

NEW = "/people/new/"
ARRIVAL = {
    "given_name": "Amel",
    "sex": "female",
    "age_years": "27",
    "status": "present",
    "site": "desert-base",
}


@pytest.fixture
def amal_27(registrar: Any, site: Site) -> Person:
    return services.person_register(
        actor=registrar, given_name="Amal", sex="female", age_years=27, site=site
    )


def test_a_likely_duplicate_is_shown_before_anything_is_saved(
    client: Client, registrar: Any, amal_27: Person
) -> None:
    client.force_login(registrar)
    response = client.post(NEW, ARRIVAL)
    assert response.status_code == 200
    assert not Person.objects.filter(given_name="Amel").exists()
    [hit] = response.context["duplicates"]
    assert hit.person == amal_27
    content = response.content.decode()
    assert "same name, one letter apart: Amel / Amal" in content
    for text in ("~27 years", "Female", "Desert Base", "Open this person"):
        assert text in content
    assert reverse("web:person_detail", kwargs={"person_id": amal_27.pk}) in content
    assert 'name="different" value="yes"' in content
    assert 'value="Amel"' in content  # the form comes back filled


def test_registering_anyway_is_a_deliberate_second_step(
    client: Client, registrar: Any, amal_27: Person
) -> None:
    client.force_login(registrar)
    response = client.post(NEW, {**ARRIVAL, "different": "yes"})
    amel = Person.objects.get(given_name="Amel")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", kwargs={"person_id": amel.pk})


def test_a_person_with_no_likely_duplicate_is_registered_at_once(
    client: Client, registrar: Any, amal_27: Person
) -> None:
    client.force_login(registrar)
    response = client.post(NEW, {**ARRIVAL, "given_name": "Zainab"})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Zainab").exists()


def test_unnamed_persons_are_not_likely_duplicates_on_the_name_alone(
    client: Client, registrar: Any, site: Site
) -> None:
    for age in (6, 8, 9):
        services.person_register(
            actor=registrar, given_name="Unknown", sex="female", age_years=age, site=site
        )
    client.force_login(registrar)
    unnamed = {**ARRIVAL, "given_name": "Unknown", "age_years": "7"}
    assert client.post(NEW, unnamed).status_code == 302
    # Nor is a named arrival warned of them.
    named = {**ARRIVAL, "given_name": "Unknowna", "age_years": "7"}
    response = client.post(NEW, named)
    assert response.status_code == 302


# ---- a death ------------------------------------------------------------------------------------


def test_a_death_needs_its_confirmation_page_and_a_reason(
    client: Client, registrar: Any, amal_27: Person
) -> None:
    client.force_login(registrar)
    url = reverse("web:person_death", kwargs={"person_id": amal_27.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Record the death of Amal" in page.content.decode()
    amal_27.refresh_from_db()
    assert amal_27.status == "present"  # showing the page records nothing

    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert refused.context["form"].fields["reason"].errors
    amal_27.refresh_from_db()
    assert amal_27.status == "present"

    done = client.post(url, {"reason": "Seen dead at the river crossing by the water team"})
    assert done.status_code == 302
    amal_27.refresh_from_db()
    assert amal_27.status == "deceased"
    entry = AuditEntry.objects.filter(action="person.status").latest("at")
    assert entry.detail["status"] == "deceased"


def test_the_status_form_does_not_record_a_death(
    client: Client, registrar: Any, amal_27: Person
) -> None:
    client.force_login(registrar)
    url = reverse("web:person_status", kwargs={"person_id": amal_27.pk})
    response = client.post(url, {"status": "deceased", "site": "desert-base"})
    assert response.status_code == 400
    amal_27.refresh_from_db()
    assert amal_27.status == "present"
    page = client.get(reverse("web:person_detail", kwargs={"person_id": amal_27.pk}))
    assert b'<option value="deceased"' not in page.content
    assert b"Record a death" in page.content


def test_a_role_that_records_no_status_is_refused_the_death_page(
    client: Client, viewer: Any, amal_27: Person
) -> None:
    client.force_login(viewer)
    url = reverse("web:person_death", kwargs={"person_id": amal_27.pk})
    assert client.get(url).status_code == 403
    page = client.get(reverse("web:person_detail", kwargs={"person_id": amal_27.pk}))
    assert b"Record a death" not in page.content and b"Undo merge" not in page.content


# ---- undoing a merge --------------------------------------------------------------------------


def test_undo_merge_on_the_person_page_restores_both_records(
    client: Client, registrar: Any, amal_27: Person, site: Site
) -> None:
    amel = services.person_register(
        actor=registrar, given_name="Amel", sex="female", age_years=27, site=site, phone="555"
    )
    merge = services.person_merge(
        actor=registrar, survivor=amal_27, duplicate=amel, reason="same woman, checked"
    )
    client.force_login(registrar)
    page = client.get(reverse("web:person_detail", kwargs={"person_id": amal_27.pk}))
    url = reverse("web:person_merge_undo", kwargs={"person_id": amal_27.pk, "merge_id": merge.pk})
    assert b"Undo merge" in page.content and url.encode() in page.content

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "The record of Amel was merged into Amal" in confirm.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400

    done = client.post(url, {"reason": "Amel is her cousin: two women"})
    assert done.status_code == 302
    assert done["Location"] == reverse("web:person_detail", kwargs={"person_id": amel.pk})
    amel.refresh_from_db()
    amal_27.refresh_from_db()
    merge.refresh_from_db()
    assert amel.merged_into is None and not amel.is_deleted
    assert amal_27.phone == ""  # what the merge filled in is emptied again
    assert merge.undone_at is not None
    entry = AuditEntry.objects.get(action="person.merge_undo")
    assert entry.detail["reason"] == "Amel is her cousin: two women"
    history = client.get(reverse("web:person_detail", kwargs={"person_id": amal_27.pk}))
    assert b"(undone)" in history.content and b"Undo merge" not in history.content
    assert client.post(url, {"reason": "again"}).status_code == 409
    assert PersonMerge.objects.count() == 1
