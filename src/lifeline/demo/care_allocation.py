"""The scarce-medicine part of the demo: "a small stock of antibiotics. Not enough to heal
every wound" (the crate of the stories). Sixty-three tablets of amoxicillin from the crate go
to the infirmary's store: three courses of 21 (one tablet every 8 hours for 7 days) for five
wounded and sick survivors of Mavrah and the granary ambush waiting for them. Dr. Song proposes an
allocation by the rule of docs/care-allocation.md and confirms it with one override and its
reason: Youssef, whose grandson says he swelled up after a penicillin once, is withheld
(amoxicillin is a penicillin), so Maaz, next in the queue, is served; Omar goes without until
the convoy brings more. The first dose of each served course is given (from the ledger).

Calls only the care and supplies services, as the medic and the logistics officer; loaded once
(a second load changes nothing). Patients already in care (another part of the demo may have
admitted and triaged them) are reused as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lifeline.care import selectors as care_selectors
from lifeline.care import services as care
from lifeline.care.models import AllocationDecision, AllocationOutcome, Patient
from lifeline.care.treatments import services as treatments
from lifeline.core.clock import site_local
from lifeline.core.services import Actor
from lifeline.people.models import Person
from lifeline.supplies import services as supplies
from lifeline.supplies.models import Item, Location

D = Decimal
STORE_CODE = "infirmary"
COURSE_TABLETS = 21
CRATE_TABLETS = 3 * COURSE_TABLETS

# Triage answers that give each category by START (JumpSTART for the youngest).
_IMMEDIATE = {"walks": False, "breathes": True, "respiratory_rate": 34}
_DELAYED = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 22,
    "radial_pulse": True,
    "capillary_refill_seconds": 1.5,
    "obeys_commands": True,
}
_DELAYED_CHILD = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 30,
    "peripheral_pulse": True,
    "avpu": "voice",
}
_MINOR = {"walks": True}

# Who waits for the crate: the person (by given name), complaint, triage answers, expected
# benefit and what the course treats.
WAITING: list[dict[str, Any]] = [
    dict(
        given="Hassan",
        complaint="Shrapnel wound of the leg from Mavrah, red and hot; fever, fast breathing",
        answers=_IMMEDIATE,
        benefit="high",
        indication="infected shrapnel wound, early sepsis",
    ),
    dict(
        given="Sami",
        complaint="Cough and fever since Mavrah",
        answers=_DELAYED_CHILD,
        benefit="high",
        indication="chest infection",
    ),
    dict(
        given="Youssef",
        complaint="Cough, short of breath",
        answers=_DELAYED,
        benefit="medium",
        indication="chest infection",
    ),
    dict(
        given="Maaz",
        complaint="Shoulder wound from the granary ambush, now red and weeping",
        answers=_MINOR,
        benefit="high",
        indication="infected wound",
    ),
    dict(
        given="Omar",
        complaint="Cut on the hand, swollen",
        answers=_MINOR,
        benefit="medium",
        indication="infected cut",
    ),
]

OVERRIDE_REASON = (
    "Penicillin allergy: his grandson Sami says he swelled up after a penicillin once, and "
    "amoxicillin is a penicillin. Wait for the doxycycline the second convoy brings."
)


def _person(spec: Mapping[str, Any]) -> Person | None:
    return Person.objects.alive().filter(given_name=spec["given"]).order_by("id").first()


def _patient(medic: Actor, person: Person, spec: Mapping[str, Any], when: dt.datetime) -> Patient:
    patient = care_selectors.patient_open_of(actor=medic, person_id=person.pk)
    if patient is None:
        patient = care.patient_admit(
            actor=medic,
            person=person,
            site=site_local(),
            place="Infirmary",
            arrived_at=when,
            complaint=spec["complaint"],
        )
    if not patient.category:
        care.triage_record(actor=medic, patient=patient, answers=spec["answers"], assessed_at=when)
        patient.refresh_from_db()
    return patient


def _infirmary_stock(logistics: Actor) -> tuple[Item, Location]:
    """The infirmary's store, with three courses of the crate's amoxicillin sent to it."""
    site = site_local()
    item = Item.objects.get(code="amoxicillin")
    infirmary = supplies.location_create(
        actor=logistics, code=STORE_CODE, name="Infirmary store", site=site
    )
    main = Location.objects.get(code="main-store", site=site)  # codes are unique per site
    transfer = supplies.transfer_send(
        actor=logistics,
        source=main,
        destination=infirmary,
        lines=[supplies.TransferLine(item=item, quantity=D(CRATE_TABLETS))],
        note="the crate's antibiotics, for the infirmary",
    )
    supplies.transfer_receive(actor=logistics, transfer=transfer)
    return item, infirmary


def load(*, actor_by_role: Mapping[str, Actor]) -> AllocationDecision | None:
    """Load the allocation demo once (after supplies and the story); None when the people or
    the stock it needs are not there."""
    if Location.objects.filter(code=STORE_CODE).exists():
        return AllocationDecision.objects.filter(store__code=STORE_CODE).first()
    if not Item.objects.filter(code="amoxicillin").exists():
        return None
    medic = actor_by_role.get("medic") or actor_by_role["commander"]
    people = [(person, spec) for spec in WAITING if (person := _person(spec)) is not None]
    if len(people) < len(WAITING):
        return None
    item, infirmary = _infirmary_stock(actor_by_role["logistics"])
    # Timed relative to the load, like the missions part: the courses start now.
    now = timezone.now()
    arrived = now - dt.timedelta(hours=6)
    courses = {}
    for n, (person, spec) in enumerate(people):
        patient = _patient(medic, person, spec, arrived + dt.timedelta(minutes=10 * n))
        courses[spec["given"]] = treatments.treatment_prescribe(
            actor=medic,
            patient=patient,
            item=item,
            dose_quantity=D(1),
            every_hours=8,
            doses=COURSE_TABLETS,
            starts_at=now,
            store=infirmary,
            benefit=spec["benefit"],
            indication=spec["indication"],
        )
    proposed = treatments.allocation_propose(actor=medic, item=item, store=infirmary)
    decision = treatments.allocation_confirm(
        actor=medic,
        decision=proposed,
        overrides=[
            treatments.OverrideInput(
                patient=str(courses["Youssef"].pk), action="withhold", reason=OVERRIDE_REASON
            )
        ],
        note="Dr. Song, with the crate open on the table.",
    )
    served = AllocationOutcome.objects.alive().filter(decision=decision, quantity__gt=0)
    for outcome in served.select_related("treatment").order_by("position"):
        treatments.dose_give(actor=medic, treatment=outcome.treatment, given_at=now)
    return decision
