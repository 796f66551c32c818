"""Registry reads: filters, and the parts of a record each role may see (audited)."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.core.errors import Forbidden, NotFound, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.people import selectors, services
from lifeline.people.selectors import PersonFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def amal(registrar: Any, site: Site) -> Any:
    person = services.person_register(
        actor=registrar,
        given_name="Amal",
        family_name="Haddad",
        sex="female",
        age_years=30,
        area="infirmary",
        latitude=34.1,
        longitude=-4.2,
        conditions=["wounded"],
    )
    services.person_condition_record(
        actor=registrar, person=person, condition="unaccompanied_child", note="test"
    )
    return person


def test_a_commander_sees_location_and_every_condition_and_the_read_is_audited(
    commander: Any, amal: Any
) -> None:
    record = selectors.person_record(actor=commander, person_id=amal.pk)
    assert record.location_visible
    assert {c.condition for c in record.conditions} == {"wounded", "unaccompanied_child"}
    audit = AuditEntry.objects.get(action="read.protected", actor=commander)
    assert audit.detail == {"parts": ["location", "conditions"]}


def test_a_medic_sees_medical_conditions_but_not_protection_ones(medic: Any, amal: Any) -> None:
    record = selectors.person_record(actor=medic, person_id=amal.pk)
    assert {c.condition for c in record.conditions} == {"wounded"}
    assert not record.location_visible
    assert all("infirmary" not in entry.detail for entry in record.timeline)


def test_a_viewer_sees_neither_location_nor_conditions_and_leaves_no_protected_read(
    viewer: Any, amal: Any
) -> None:
    record = selectors.person_record(actor=viewer, person_id=amal.pk)
    assert record.conditions == [] and not record.location_visible
    assert all(entry.kind != "condition" for entry in record.timeline)
    assert not AuditEntry.objects.filter(action="read.protected").exists()


def test_filtering_by_a_condition_the_role_cannot_see_is_refused(viewer: Any, amal: Any) -> None:
    with pytest.raises(Forbidden):
        selectors.person_list(actor=viewer, filters=PersonFilters(condition="wounded"))


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        (PersonFilters(q="haddad amal"), True),
        (PersonFilters(q="HADDAD"), True),
        (PersonFilters(q="haddad layla"), False),
        (PersonFilters(status="present"), True),
        (PersonFilters(status="missing"), False),
        (PersonFilters(age_band="18-59"), True),
        (PersonFilters(age_band="0-4"), False),
        (PersonFilters(sex="female"), True),
        (PersonFilters(site="desert-base"), True),
        (PersonFilters(site="forest-camp"), False),
        (PersonFilters(condition="wounded"), True),
        (PersonFilters(condition="malnourished"), False),
    ],
)
def test_filters_find_the_person_they_should(
    commander: Any, amal: Any, filters: PersonFilters, found: bool
) -> None:
    assert (
        selectors.person_list(actor=commander, filters=filters).filter(pk=amal.pk).exists() is found
    )


@pytest.mark.parametrize(
    ("filters", "field"),
    [(PersonFilters(status="asleep"), "status"), (PersonFilters(age_band="7-9"), "age_band")],
)
def test_unknown_filter_values_name_the_filter(
    commander: Any, site: Site, filters: PersonFilters, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        selectors.person_list(actor=commander, filters=filters)
    assert field in caught.value.fields


def test_a_merged_record_points_to_its_survivor(registrar: Any, amal: Any) -> None:
    other = services.person_register(actor=registrar, given_name="Amel")
    services.person_merge(actor=registrar, survivor=amal, duplicate=other)
    with pytest.raises(NotFound, match=str(amal.pk)):
        selectors.person_get(actor=registrar, person_id=other.pk)


def test_a_malformed_id_is_a_validation_error(commander: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed):
        selectors.person_get(actor=commander, person_id="not-a-uuid")
