"""Registry services: each write validates, checks the role, and writes history and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, ChangeLogEntry, Site
from lifeline.people import selectors, services
from lifeline.people.models import Person, Status, StatusEvent

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        StatusEvent.objects.count(),
        ChangeLogEntry.objects.count(),
        AuditEntry.objects.count(),
    )


def _register(actor: Any, **kwargs: Any) -> Person:
    kwargs.setdefault("given_name", "Amal")
    return services.person_register(actor=actor, **kwargs)


def test_registering_a_person_writes_the_first_status_event_and_an_audit_row(
    registrar: Any, site: Site
) -> None:
    person = _register(registrar, family_name="Haddad", sex="female", age_years=30)
    assert person.status == Status.PRESENT
    assert person.current_site_id == site.pk
    assert person.birth_date_estimated
    assert StatusEvent.objects.filter(person=person).count() == 1
    audit = AuditEntry.objects.get(action="person.register")
    assert audit.actor == registrar and audit.object_id == str(person.pk)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"given_name": "", "family_name": ""}, "given_name"),
        ({"sex": "yes"}, "sex"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"age_years": 400}, "age_years"),
        ({"age_years": 3, "date_of_birth": dt.date(2020, 1, 1)}, "age_years"),
        ({"status": "asleep"}, "status"),
        ({"latitude": 95.0, "longitude": 1.0}, "latitude"),
        ({"latitude": 5.0}, "longitude"),
        ({"conditions": ["sunburnt"]}, "conditions"),
    ],
)
def test_bad_registrations_name_the_field_and_write_nothing(
    registrar: Any, site: Site, kwargs: dict[str, Any], field: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        _register(registrar, **kwargs)
    assert field in caught.value.fields
    assert _counts() == before


def test_a_viewer_cannot_register_a_person(viewer: Any, site: Site) -> None:
    before = _counts()
    with pytest.raises(Forbidden):
        _register(viewer)
    assert _counts() == before


def test_the_current_status_follows_the_latest_event_not_the_latest_write(
    registrar: Any, medic: Any, site: Site
) -> None:
    person = _register(registrar)
    now = timezone.now()
    services.person_status_record(actor=medic, person=person, status="in_care", occurred_at=now)
    # Recorded afterwards, but it happened earlier: it does not become the current status.
    services.person_status_record(
        actor=registrar, person=person, status="missing", occurred_at=now - dt.timedelta(hours=5)
    )
    person.refresh_from_db()
    assert person.status == Status.IN_CARE
    assert person.status_since == now


def test_a_deceased_person_cannot_be_marked_present_again(commander: Any, site: Site) -> None:
    person = _register(commander)
    services.person_status_record(actor=commander, person=person, status="deceased")
    with pytest.raises(ValidationFailed) as caught:
        services.person_status_record(actor=commander, person=person, status="present")
    assert "status" in caught.value.fields


def test_a_condition_resolved_later_is_no_longer_current(
    registrar: Any, medic: Any, site: Site
) -> None:
    person = _register(registrar, conditions=["wounded", "malnourished"])
    services.person_condition_record(actor=medic, person=person, condition="wounded", present=False)
    record = selectors.person_record(actor=medic, person_id=person.pk)
    assert [c.condition for c in record.conditions] == ["malnourished"]
    wounded = selectors.person_list(
        actor=medic, filters=selectors.PersonFilters(condition="wounded")
    )
    assert not wounded.exists()


def test_updating_a_person_logs_only_the_changed_fields(registrar: Any, site: Site) -> None:
    person = _register(registrar, family_name="Haddad")
    services.person_update(actor=registrar, person=person, changes={"family_name": "Hadad"})
    entry = ChangeLogEntry.objects.filter(object_id=person.pk).order_by("-seq").first()
    assert entry is not None and entry.fields == {"family_name": "Hadad"}
    assert selectors.person_find(actor=registrar, query="hadad") == [person]


def test_fields_that_are_not_identity_cannot_be_changed_by_update(
    registrar: Any, site: Site
) -> None:
    person = _register(registrar)
    with pytest.raises(ValidationFailed) as caught:
        services.person_update(actor=registrar, person=person, changes={"status": "deceased"})
    assert "status" in caught.value.fields


def test_merging_keeps_both_histories_and_tombstones_the_duplicate(
    registrar: Any, site: Site
) -> None:
    survivor = _register(registrar, given_name="Rachid", family_name="")
    duplicate = _register(
        registrar, given_name="Rashid", family_name="Benali", age_years=24, phone="+212 600"
    )
    merge = services.person_merge(
        actor=registrar, survivor=survivor, duplicate=duplicate, reason="same man, two spellings"
    )
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.is_deleted and duplicate.merged_into_id == survivor.pk
    assert survivor.family_name == "Benali" and survivor.phone == "+212 600"
    assert "Rashid Benali" in survivor.other_names
    record = selectors.person_record(actor=registrar, person_id=survivor.pk)
    assert len([e for e in record.timeline if e.kind == "status"]) == 2
    assert merge.filled_fields["fields"]["family_name"] == ""


def test_undoing_a_merge_restores_both_records_as_they_were(registrar: Any, site: Site) -> None:
    survivor = _register(registrar, given_name="Meriem", family_name="")
    duplicate = _register(registrar, given_name="Maryam", family_name="Tazi")
    merge = services.person_merge(actor=registrar, survivor=survivor, duplicate=duplicate)
    services.person_merge_undo(actor=registrar, merge=merge, reason="sisters, not one person")
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert not duplicate.is_deleted and duplicate.merged_into_id is None
    assert survivor.family_name == "" and survivor.other_names == []
    with pytest.raises(Conflict):
        services.person_merge_undo(actor=registrar, merge=merge)


def test_merging_a_record_into_itself_is_refused(registrar: Any, site: Site) -> None:
    person = _register(registrar)
    with pytest.raises(ValidationFailed):
        services.person_merge(actor=registrar, survivor=person, duplicate=person)


def test_merges_are_flattened_so_a_chain_points_at_the_last_survivor(
    registrar: Any, site: Site
) -> None:
    a, b, c = (_register(registrar, given_name=n) for n in ("Ayoub", "Ayyub", "Ayub"))
    services.person_merge(actor=registrar, survivor=b, duplicate=a)
    second = services.person_merge(actor=registrar, survivor=c, duplicate=b)
    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    services.person_merge_undo(actor=registrar, merge=second)
    a.refresh_from_db()
    assert a.merged_into_id == b.pk


def test_moving_a_household_to_another_site_transfers_its_members(
    registrar: Any, site: Site
) -> None:
    other = Site.objects.create(code="forest-camp", name="Forest Camp")
    household = services.household_create(actor=registrar, ration_card="DB-001", shelter="T1")
    mother = _register(registrar, given_name="Layla", household=household)
    child = _register(registrar, given_name="Sami", age_years=6, household=household)
    services.household_move(actor=registrar, household=household, site=other, shelter="Hut 3")
    for person in (mother, child):
        person.refresh_from_db()
        assert person.status == Status.TRANSFERRED
        assert person.current_site_id == other.pk


def test_a_ration_card_belongs_to_one_household(registrar: Any, site: Site) -> None:
    services.household_create(actor=registrar, ration_card="DB-002")
    with pytest.raises(ValidationFailed) as caught:
        services.household_create(actor=registrar, ration_card="DB-002")
    assert "ration_card" in caught.value.fields


def test_deleting_a_person_needs_a_reason_and_leaves_a_tombstone(
    commander: Any, site: Site
) -> None:
    person = _register(commander)
    with pytest.raises(ValidationFailed):
        services.person_delete(actor=commander, person=person, reason=" ")
    services.person_delete(actor=commander, person=person, reason="entered twice")
    assert Person.objects.get(pk=person.pk).is_deleted
    assert not selectors.person_list(actor=commander).filter(pk=person.pk).exists()


def test_a_registrar_cannot_delete_records(registrar: Any, site: Site) -> None:
    person = _register(registrar)
    with pytest.raises(Forbidden):
        services.person_delete(actor=registrar, person=person, reason="x")
