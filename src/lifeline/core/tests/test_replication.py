"""Every replicated model writes its change-log row, in the same transaction, on every write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from lifeline.alerts.models import Alert
from lifeline.care.tests.factories import FACTORIES as CARE_FACTORIES
from lifeline.care.treatments.tests.factories import FACTORIES as TREATMENT_FACTORIES
from lifeline.core import hlc
from lifeline.core.clock import clock_tick
from lifeline.core.models import ChangeLogEntry, ClockState, ReplicatedModel, Site
from lifeline.facilities.tests.factories import FACTORIES as FACILITIES_FACTORIES
from lifeline.intel.threats.tests.factories import FACTORIES as INTEL_FACTORIES
from lifeline.missions.tests.factories import FACTORIES as MISSIONS_FACTORIES
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    PersonMerge,
    StatusEvent,
)
from lifeline.people.tests.factories import FACTORIES as PEOPLE_FACTORIES
from lifeline.routing.tests.factories import FACTORIES as ROUTING_FACTORIES
from lifeline.supplies.tests.factories import FACTORIES as SUPPLIES_FACTORIES


def _person() -> Person:
    person = Person(given_name="Rachid", family_name="Benali")
    person.save()
    return person


# One way to build a valid row of each replicated model, and one field to change on it.
# A new replicated model without an entry here fails test_every_replicated_model_has_a_factory.
FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Person: (lambda: Person(given_name="Amal"), "notes", "freed captive"),
    Household: (lambda: Household(ration_card="FC-0001"), "shelter", "Tent 4"),
    StatusEvent: (lambda: StatusEvent(person=_person(), status="present"), "note", "seen"),
    ConditionObservation: (
        lambda: ConditionObservation(person=_person(), condition="malnourished"),
        "note",
        "thin",
    ),
    Alert: (lambda: Alert(kind="test", key="k", title="Look"), "detail", "more"),
    PersonMerge: (
        lambda: PersonMerge(survivor=_person(), duplicate=_person()),
        "reason",
        "same man",
    ),
    **SUPPLIES_FACTORIES,
    **MISSIONS_FACTORIES,
    **ROUTING_FACTORIES,
    **INTEL_FACTORIES,
    **PEOPLE_FACTORIES,
    **CARE_FACTORIES,
    **TREATMENT_FACTORIES,
    **FACILITIES_FACTORIES,
}


def replicated_models() -> list[type[ReplicatedModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ReplicatedModel) and not model._meta.abstract
    ]


def test_every_replicated_model_has_a_factory() -> None:
    missing = [m._meta.label for m in replicated_models() if m not in FACTORIES]
    assert not missing, f"add these to FACTORIES in {__name__}: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", replicated_models(), ids=lambda m: m._meta.label)
def test_create_update_and_delete_each_append_a_change_log_row(
    model: type[ReplicatedModel], site: Site
) -> None:
    build, field_name, new_value = FACTORIES[model]
    row = build()
    row.save()
    created = ChangeLogEntry.objects.filter(object_id=row.pk).order_by("seq")
    assert [e.op for e in created] == ["create"]
    entry = created[0]
    assert entry.model == model._meta.label_lower
    assert entry.version == row.version
    assert entry.origin_site_id == site.pk
    not_shipped = {"version", "field_versions"}
    expected = {f.attname for f in model._meta.concrete_fields if f.name not in not_shipped} - {
        model._meta.get_field(n).attname for n in model.derived_fields
    }
    assert set(entry.fields) == expected

    before = row.version
    setattr(row, field_name, new_value)
    row.save(update_fields=[field_name])
    assert row.version > before
    update = ChangeLogEntry.objects.filter(object_id=row.pk).order_by("-seq").first()
    assert update is not None and update.op == "update"
    assert update.fields == {field_name: new_value}

    row.delete()
    assert model.objects.filter(pk=row.pk).exists(), "deletes are tombstones"
    tomb = ChangeLogEntry.objects.filter(object_id=row.pk).order_by("-seq").first()
    assert tomb is not None and tomb.op == "delete" and tomb.version == row.version


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_change_log_row(site: Site) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        person = _person()
        raise RuntimeError("boom")
    assert not ChangeLogEntry.objects.filter(object_id=person.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_bulk_writes_that_would_bypass_the_change_log_are_refused(site: Site) -> None:
    _person()
    with pytest.raises(TypeError):
        Person.objects.all().update(notes="x")
    with pytest.raises(TypeError):
        Person.objects.all().delete()
    with pytest.raises(TypeError):
        Person.objects.bulk_create([Person(given_name="x")])


@pytest.mark.django_db
def test_the_site_clock_stays_monotonic_when_the_wall_clock_steps_back(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = iter([5_000_000, 4_000_000, 4_000_000, 6_000_000, 1])
    monkeypatch.setattr("lifeline.core.clock.wall_ms", lambda: next(readings))
    versions = [clock_tick().version for _ in range(5)]
    assert versions == sorted(versions) and len(set(versions)) == 5
    assert hlc.decode(versions[2]) == hlc.Timestamp(5_000_000, 2, site.pk.hex)
    state = ClockState.objects.get(site=site)
    assert (state.ms, state.counter) == (6_000_000, 1)


@pytest.mark.django_db
def test_ids_are_uuid7_and_rows_carry_their_origin_site(site: Site) -> None:
    person = _person()
    assert person.pk.version == 7
    assert person.origin_site_id == site.pk
