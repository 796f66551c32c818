"""Treatments from stock and the allocation of scarce medicine, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care.models import AllocationOutcome, DoseGiven, Patient, Treatment
from lifeline.care.treatments import selectors, services
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry
from lifeline.core.services import setting_put
from lifeline.supplies.models import Item, Location, Movement, StockBalance
from lifeline.supplies.selectors import on_hand_from_ledger, on_hand_total

D = Decimal
pytestmark = pytest.mark.django_db


def _on_hand(item: Item, store: Location) -> Decimal:
    return on_hand_total(item=item, location=store)


# ---- prescribing and giving doses ----------------------------------------------------------


def test_a_medic_prescribes_a_course_and_it_is_audited(
    medic: Any, make_patient: Callable[..., Patient], course: Callable[..., Treatment]
) -> None:
    treatment = course(make_patient("Amal"), indication="infected arm wound")
    assert (treatment.dose_unit, treatment.every_hours, treatment.doses) == ("tablet", 8, 21)
    assert treatment.prescribed_by == medic
    assert AuditEntry.objects.filter(action="treatment.prescribe", object_id=str(treatment.pk))


def test_a_course_comes_from_the_sites_only_store_when_none_is_named(
    medic: Any, make_patient: Callable[..., Patient], clinic: Location, amoxicillin: Item
) -> None:
    treatment = services.treatment_prescribe(
        actor=medic,
        patient=make_patient("Amal"),
        item=amoxicillin,
        dose_quantity=D(1),
        every_hours=8,
        doses=3,
    )
    assert treatment.store == clinic


def test_a_dose_in_another_unit_than_the_items_is_refused(
    make_patient: Callable[..., Patient], course: Callable[..., Treatment]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        course(make_patient("Amal"), dose_unit="mg")
    assert "dose_unit" in caught.value.fields


def test_a_dose_given_issues_the_stock_first_expiry_first_in_the_same_transaction(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(10, batch="LATE", expires_in_days=90)
    stock(1, batch="EARLY", expires_in_days=10)
    treatment = course(make_patient("Amal"), dose_quantity=2)
    dose = services.dose_give(actor=medic, treatment=treatment)
    movements = list(Movement.objects.filter(kind="issue").order_by("occurred_at", "version"))
    assert [(m.lot.batch, m.quantity) for m in movements] == [("EARLY", D(-1)), ("LATE", D(-1))]
    assert dose.movement == movements[0]
    assert dose.movement_ids == [str(m.pk) for m in movements]
    assert _on_hand(amoxicillin, clinic) == on_hand_from_ledger(item=amoxicillin) == D(9)
    assert AuditEntry.objects.filter(action="dose.give", object_id=str(dose.pk)).exists()


def test_a_dose_is_never_taken_from_a_lot_past_its_expiry_date(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(5, batch="EXPIRED", expires_in_days=-3)
    stock(4, batch="GOOD", expires_in_days=30)
    start = timezone.now() - dt.timedelta(hours=16)
    treatment = course(make_patient("Amal"), dose_quantity=2, starts_at=start)
    services.dose_give(actor=medic, treatment=treatment, given_at=start)
    taken = Movement.objects.filter(kind="issue").values_list("lot__batch", "quantity")
    assert list(taken) == [("GOOD", D(-2))]
    services.dose_give(actor=medic, treatment=treatment, given_at=start + dt.timedelta(hours=8))
    with pytest.raises(ValidationFailed) as caught:
        services.dose_give(actor=medic, treatment=treatment)
    message = caught.value.fields["quantity"][0]
    assert "0 tablet on hand (and 5 past its expiry date), the dose is 2" in message
    assert _on_hand(amoxicillin, clinic) == D(5)


def test_a_second_dose_for_the_same_slot_is_refused_unless_the_medic_says_why(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(30)
    treatment = course(make_patient("Amal"), doses=3)
    services.dose_give(actor=medic, treatment=treatment)
    with pytest.raises(Conflict) as caught:
        services.dose_give(actor=medic, treatment=treatment)  # a double tap
    assert "dose 1 (due" in caught.value.message and "was already given" in caught.value.message
    assert DoseGiven.objects.count() == 1 and _on_hand(amoxicillin, clinic) == D(29)
    extra = services.dose_give(actor=medic, treatment=treatment, reason="vomited the first")
    assert "given with reason: vomited the first" in extra.note
    assert AuditEntry.objects.filter(
        action="dose.give", summary__contains="given with reason: vomited the first"
    ).exists()


def test_a_dose_outside_the_course_or_above_the_prescription_needs_a_reason(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    treatment = course(make_patient("Amal"), doses=3)
    with pytest.raises(ValidationFailed) as caught:
        services.dose_give(actor=medic, treatment=treatment, quantity=D(40))
    assert "more than the prescribed dose of 1" in caught.value.fields["quantity"][0]
    before = treatment.starts_at - dt.timedelta(hours=6)
    with pytest.raises(Conflict) as outside:
        services.dose_give(actor=medic, treatment=treatment, given_at=before)
    assert "outside the course" in outside.value.message
    assert not DoseGiven.objects.exists()
    services.dose_give(actor=medic, treatment=treatment, quantity=D(2), reason="loading dose")
    assert DoseGiven.objects.get().quantity == D(2)


def test_the_ledger_note_of_a_dose_names_the_course_not_the_patient(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(5)
    patient = make_patient("Amal")
    treatment = course(patient)
    services.dose_give(actor=medic, treatment=treatment)
    note = Movement.objects.get(kind="issue").note
    assert str(treatment.pk) in note and str(patient.pk) not in note
    assert str(patient.person_id) not in note


def test_a_dose_without_enough_stock_is_refused_and_writes_nothing(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(1)
    treatment = course(make_patient("Amal"), dose_quantity=2)
    with pytest.raises(ValidationFailed) as caught:
        services.dose_give(actor=medic, treatment=treatment)
    message = caught.value.fields["quantity"][0]
    assert "not enough Amoxicillin 500 mg at Clinic store" in message
    assert "1 tablet on hand, the dose is 2" in message
    assert not DoseGiven.objects.exists()
    assert not Movement.objects.filter(kind="issue").exists()
    assert _on_hand(amoxicillin, clinic) == D(1)
    assert not AuditEntry.objects.filter(action="dose.give").exists()


def test_a_failure_after_the_stock_moved_writes_neither_the_dose_nor_the_movement(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stock(5)
    treatment = course(make_patient("Amal"))

    def broken(self: DoseGiven, *args: Any, **kwargs: Any) -> None:
        assert Movement.objects.filter(kind="issue").exists()  # the ledger row is written
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(DoseGiven, "save", broken)
    with pytest.raises(RuntimeError):
        services.dose_give(actor=medic, treatment=treatment)
    assert not Movement.objects.filter(kind="issue").exists()
    assert StockBalance.objects.get(item=amoxicillin, location=clinic).quantity == D(5)
    assert not AuditEntry.objects.filter(action="dose.give").exists()


def test_no_dose_is_given_beyond_the_course_or_after_it_stopped(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(10)
    treatment = course(make_patient("Amal"), doses=1)
    services.dose_give(actor=medic, treatment=treatment)
    with pytest.raises(Conflict, match="complete: 1 of 1"):
        services.dose_give(actor=medic, treatment=treatment)
    other = course(make_patient("Rachid"))
    services.treatment_stop(actor=medic, treatment=other, reason="allergic rash")
    with pytest.raises(Conflict, match="stopped: allergic rash"):
        services.dose_give(actor=medic, treatment=other)


def test_a_dose_is_recorded_once_given_not_ahead_of_time(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(10)
    treatment = course(make_patient("Amal"))
    later = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationFailed, match="in the future"):
        services.dose_give(actor=medic, treatment=treatment, given_at=later)
    assert not Movement.objects.filter(kind="issue").exists()


def test_a_patient_no_longer_in_care_gets_no_dose(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(10)
    patient = make_patient("Amal")
    treatment = course(patient)
    patient.status = "dead"
    patient.save(update_fields=["status"])
    with pytest.raises(Conflict, match="no longer in care"):
        services.dose_give(actor=medic, treatment=treatment)


def test_missed_doses_and_the_next_due_are_derived_from_the_doses_given(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(10)
    patient = make_patient("Amal")
    start = timezone.now() - dt.timedelta(hours=20)
    treatment = course(patient, doses=4, starts_at=start)  # due at 0, 8, 16 and 24 h
    services.dose_give(actor=medic, treatment=treatment, given_at=start)
    now = start + dt.timedelta(hours=16, minutes=30)
    states = selectors.patient_treatments(actor=medic, patient=patient, now=now)
    assert len(states) == 1
    state = states[0]
    assert [slot.state for slot in state.schedule.slots] == ["given", "missed", "due", "upcoming"]
    assert [slot.number for slot in state.missed] == [2]
    assert state.next_due == start + dt.timedelta(hours=16)
    assert state.summary == "Amoxicillin 500 mg 1 tablet every 8 h: 1 of 4 given, 1 missed"
    assert AuditEntry.objects.filter(action="treatment.view", object_id=str(patient.pk)).exists()


# ---- the allocation of a scarce medicine ---------------------------------------------------


@pytest.fixture
def wounded(
    make_patient: Callable[..., Patient], course: Callable[..., Treatment]
) -> dict[str, Treatment]:
    """Four wounded waiting for a 21-tablet course each."""
    return {
        "Amal": course(make_patient("Amal", "immediate", waited_hours=2)),
        "Rachid": course(make_patient("Rachid", "delayed", waited_hours=5)),
        "Meriem": course(make_patient("Meriem", "minor", waited_hours=9)),
        "Youssef": course(make_patient("Youssef", "expectant", waited_hours=9)),
    }


def _rows(view: selectors.AllocationView) -> dict[str, tuple[Decimal, str]]:
    return {r.name.split()[0]: (r.quantity, r.reason) for r in view.rows}


def test_a_proposal_shares_the_stock_by_the_rule_and_says_who_goes_without(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    decision = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    assert decision.status == "proposed" and decision.stock == D(50)
    view = selectors.allocation_get(actor=medic, decision_id=decision.pk)
    assert _rows(view) == {
        "Amal": (D(21), "rank 1"),
        "Rachid": (D(21), "rank 2"),
        "Meriem": (D(0), "stock ran out at rank 3: needs 21, 8 left"),
        "Youssef": (
            D(0),
            "expectant: comfort care; scarce medicine only by a clinician's override",
        ),
    }
    assert decision.proposal["scarce"] is True
    assert not AllocationOutcome.objects.exists()  # nothing decided yet
    assert AuditEntry.objects.filter(action="allocation.propose").exists()
    assert AuditEntry.objects.filter(action="allocation.view").exists()


def test_the_need_of_a_course_under_way_is_what_is_left_of_it(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(45)
    services.dose_give(actor=medic, treatment=wounded["Meriem"])  # 44 left; Meriem needs 20
    decision = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    needs = {c["name"].split()[0]: c["need"] for c in decision.proposal["candidates"]}
    assert D(needs["Meriem"]) == D(20) and D(needs["Amal"]) == D(21)


def test_children_come_first_within_a_category_where_the_site_says_so(
    medic: Any,
    commander: Any,
    site: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(21)
    course(make_patient("Adult", "delayed", age=40, waited_hours=9))
    course(make_patient("Child", "delayed", age=12, waited_hours=1))
    setting_put(actor=commander, site=site, key="care.allocation_children_first", value=True)
    decision = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    view = selectors.allocation_get(actor=medic, decision_id=decision.pk)
    assert _rows(view)["Child"][0] == D(21) and _rows(view)["Adult"][0] == D(0)


def test_confirming_as_proposed_writes_an_outcome_per_patient(
    commander: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=commander, item=amoxicillin, store=clinic)
    decision = services.allocation_confirm(actor=commander, decision=proposed, note="at dawn")
    assert decision.status == "confirmed" and decision.decided_by == commander
    outcomes = {o.patient.person.given_name: o.quantity for o in AllocationOutcome.objects.all()}
    assert outcomes == {"Amal": D(21), "Rachid": D(21), "Meriem": D(0), "Youssef": D(0)}
    assert decision.jumps == []
    with pytest.raises(Conflict, match="already decided"):
        services.allocation_confirm(actor=commander, decision=proposed)


def test_an_override_needs_a_reason(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    override = services.OverrideInput(str(wounded["Meriem"].patient_id), "give", "  ")
    with pytest.raises(ValidationFailed) as caught:
        services.allocation_confirm(actor=medic, decision=proposed, overrides=[override])
    assert caught.value.fields == {"overrides[0].reason": ["an override needs a reason"]}
    assert not AllocationOutcome.objects.exists()


def test_an_override_serving_a_lower_category_first_is_allowed_and_recorded(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    reason = "pregnant, early sepsis: both lives at stake"
    decision = services.allocation_confirm(
        actor=medic,
        decision=proposed,
        overrides=[services.OverrideInput(str(wounded["Meriem"].patient_id), "give", reason)],
    )
    assert decision.status == "overridden"
    view = selectors.allocation_get(actor=medic, decision_id=decision.pk)
    rows = _rows(view)
    assert rows["Meriem"] == (D(21), f"given by override: {reason}")
    assert rows["Amal"] == (D(21), "rank 1")
    assert rows["Rachid"] == (D(0), "stock ran out at rank 2: needs 21, 8 left")
    assert view.notes == ["8 tablet left over: less than a full course of those who go without"]
    assert decision.jumps == [
        {
            "served": "Meriem Test",
            "served_category": "minor",
            "passed_over": "Rachid Test",
            "passed_over_category": "delayed",
        }
    ]
    audit = AuditEntry.objects.get(action="allocation.confirm")
    assert audit.detail["overrides"][0]["reason"] == reason
    assert "served ahead of a higher triage category" in audit.summary


def test_a_confirmation_after_the_stock_changed_is_refused(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    stock(20, batch="AMX-2")
    with pytest.raises(Conflict, match="changed since this proposal"):
        services.allocation_confirm(actor=medic, decision=proposed)


def test_a_confirmation_after_the_waiting_patients_changed_is_refused(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    meriem = wounded["Meriem"].patient
    meriem.category = "immediate"  # re-triaged since: she would now come before Rachid
    meriem.save()
    course(make_patient("Sami", "delayed"))
    with pytest.raises(Conflict) as caught:
        services.allocation_confirm(actor=medic, decision=proposed)
    assert "Meriem Test is now immediate (was minor)" in caught.value.message
    assert "Sami Test now waits for it too" in caught.value.message
    assert not AllocationOutcome.objects.exists()
    again = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    assert services.allocation_confirm(actor=medic, decision=again).status == "confirmed"


def test_a_course_outside_the_confirmed_allocation_cannot_take_the_shares_it_owes(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(23)
    amal = course(make_patient("Amal", "immediate"))
    course(make_patient("Meriem", "minor"))
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    services.allocation_confirm(actor=medic, decision=proposed)  # Amal 21, Meriem none
    start = timezone.now() - dt.timedelta(hours=8)
    late = course(make_patient("Sami", "minor"), dose_quantity=2, starts_at=start)
    services.dose_give(actor=medic, treatment=late, given_at=start)  # the 2 left over
    with pytest.raises(Conflict) as caught:
        services.dose_give(actor=medic, treatment=late)
    assert "21 is owed to the other patients of the allocation" in caught.value.message
    services.dose_give(actor=medic, treatment=amal)  # her own share
    assert _on_hand(amoxicillin, clinic) == D(20)
    forced = services.dose_give(
        actor=medic, treatment=late, reason="Sami worsened; Amal's next dose from the convoy"
    )
    assert "given with reason: Sami worsened" in forced.note


def test_a_patient_the_confirmed_allocation_left_without_gets_no_dose(
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    services.allocation_confirm(actor=medic, decision=proposed)
    with pytest.raises(Conflict, match="gave this patient no Amoxicillin"):
        services.dose_give(actor=medic, treatment=wounded["Meriem"])
    services.dose_give(actor=medic, treatment=wounded["Amal"])


def test_a_proposal_with_nobody_waiting_is_refused(
    medic: Any, amoxicillin: Item, clinic: Location
) -> None:
    with pytest.raises(ValidationFailed, match="no course of Amoxicillin"):
        services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)


# ---- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "logistics", "registrar", "field_team"])
def test_other_roles_may_not_prescribe_give_allocate_or_read_treatments(
    role: str,
    request: pytest.FixtureRequest,
    medic: Any,
    stock: Callable[..., Any],
    wounded: dict[str, Treatment],
    amoxicillin: Item,
    clinic: Location,
) -> None:
    stock(50)
    actor = request.getfixturevalue(role)
    treatment = wounded["Amal"]
    proposed = services.allocation_propose(actor=medic, item=amoxicillin, store=clinic)
    attempts: list[Callable[[], Any]] = [
        lambda: services.treatment_prescribe(
            actor=actor,
            patient=treatment.patient,
            item=amoxicillin,
            dose_quantity=D(1),
            every_hours=8,
            doses=3,
        ),
        lambda: services.dose_give(actor=actor, treatment=treatment),
        lambda: services.treatment_stop(actor=actor, treatment=treatment, reason="r"),
        lambda: services.allocation_propose(actor=actor, item=amoxicillin, store=clinic),
        lambda: services.allocation_confirm(actor=actor, decision=proposed),
        lambda: selectors.patient_treatments(actor=actor, patient=treatment.patient),
        lambda: selectors.treatment_get(actor=actor, treatment_id=treatment.pk),
        lambda: selectors.allocation_list(actor=actor),
        lambda: selectors.allocation_get(actor=actor, decision_id=proposed.pk),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    assert not DoseGiven.objects.exists()


def test_the_commander_may_do_what_a_medic_does(
    commander: Any, stock: Callable[..., Any], wounded: dict[str, Treatment]
) -> None:
    stock(5)
    services.dose_give(actor=commander, treatment=wounded["Amal"])
    assert selectors.patient_treatments(actor=commander, patient=wounded["Amal"].patient)
