"""The triage part of the demo, from the stories: Dr. Hana Song's board in the infirmary and on
the back of the truck. Amal's arm wound from the escape (triaged Minor when she walked in, now
feverish and re-triaged Delayed), Maaz's graze from Qasr al-Hanif (Minor, on the truck), Rachid
and the freed captives of Ayoub's camp half-starved (Rachid seen and sent home to Meriem, Zohra
who could not walk, Mustapha whose refill is slow, Hamza overdue for his re-triage, Ilyas who
is twelve but small: JumpSTART by look, Khadija just brought in).

Calls only the care services, as the medic; runs once (skips when Amal is already a patient);
times are relative to the moment it runs (the board shows waiting times and an overdue
re-triage), everything else is fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from lifeline.care import selectors, services
from lifeline.care.models import Patient
from lifeline.core.clock import site_local
from lifeline.core.services import Actor
from lifeline.people.models import Person

MINOR = {"walks": True}
DELAYED_FEVER = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 24,
    "radial_pulse": True,
    "capillary_refill_seconds": 1.8,
    "obeys_commands": True,
}
DELAYED_CANNOT_WALK = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 20,
    "radial_pulse": True,
    "capillary_refill_seconds": 2,
    "obeys_commands": True,
}
IMMEDIATE_SLOW_REFILL = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 26,
    "radial_pulse": True,
    "capillary_refill_seconds": 3.5,
}

# Who is in care: (given name, family name), where, complaint, minutes since arrival, the
# triages (minutes ago, answers, looks like a child), the vital signs (minutes ago, values).
PATIENTS: list[dict[str, Any]] = [
    dict(
        name=("Amal", ""),
        place="Infirmary tent",
        complaint="Arm wound from the escape from Ayoub's camp; feverish since the morning",
        arrived=300,
        triages=[(300, MINOR, None), (40, DELAYED_FEVER, None)],
        vitals=[
            (300, {"respiratory_rate": 16, "pulse": 88, "temperature_c": 37.2}),
            (
                40,
                {
                    "respiratory_rate": 24,
                    "pulse": 108,
                    "temperature_c": 38.4,
                    "spo2": 96,
                    "avpu": "alert",
                },
            ),
        ],
    ),
    dict(
        name=("Maaz", ""),
        place="Back of the truck",
        complaint="Arm grazed by a bullet at Qasr al-Hanif; shoulder wound from the granary",
        arrived=150,
        triages=[(150, MINOR, None)],
        vitals=[(150, {"pulse": 84, "systolic_bp": 128, "diastolic_bp": 80})],
    ),
    dict(
        name=("Rachid", ""),
        place="Infirmary tent",
        complaint="Half-starved in captivity; seen, fed and sent home to Meriem",
        arrived=240,
        triages=[(240, MINOR, None)],
        vitals=[(235, {"pulse": 96, "temperature_c": 36.4, "respiratory_rate": 18})],
        discharged=(210, "Home with Meriem: small meals often, oral rehydration salts."),
    ),
    dict(
        name=("Hamza", "Belkadi"),
        place="Collapsed granary",
        complaint="Freed captive; malnourished and dehydrated",
        arrived=250,
        triages=[(245, MINOR, None)],
        vitals=[(245, {"pulse": 102, "temperature_c": 36.9})],
    ),
    dict(
        name=("Zohra", "Amrani"),
        place="Infirmary tent",
        complaint="Could not walk out of Ayoub's camp; malnourished",
        arrived=230,
        triages=[(225, DELAYED_CANNOT_WALK, None)],
        vitals=[(50, {"pulse": 92, "spo2": 94, "avpu": "alert"})],
    ),
    dict(
        name=("Mustapha", "Tazi"),
        place="Collapsed granary",
        complaint="Freed captive; weak, dizzy when he stands, has not kept water down",
        arrived=90,
        triages=[(85, IMMEDIATE_SLOW_REFILL, None)],
        vitals=[(80, {"pulse": 124, "systolic_bp": 92, "diastolic_bp": 58, "spo2": 95})],
    ),
    dict(
        name=("Ilyas", ""),
        place="Infirmary tent",
        complaint="Gaunt boy, about twelve; small for his age",
        arrived=200,
        triages=[(195, MINOR, True)],
        vitals=[],
    ),
    dict(
        name=("Khadija", "Ouali"),
        place="Collapsed granary",
        complaint="Freed captive; malnourished and dehydrated",
        arrived=20,
        triages=[],
        vitals=[],
    ),
]


def _person(given: str, family: str) -> Person | None:
    # The story's people were registered first: the lowest id of that name is theirs.
    return (
        Person.objects.alive()
        .filter(given_name=given, family_name=family, merged_into__isnull=True)
        .order_by("id")
        .first()
    )


def load(*, actor_by_role: Mapping[str, Actor]) -> list[Patient]:
    """Admit, triage and observe the story's patients as the medic (once)."""
    medic = actor_by_role.get("medic") or actor_by_role["commander"]
    amal = _person("Amal", "")
    # The story admitted Amal (a stay opened through care); the board's day is done once her
    # stay has its triage.
    if amal is None or Patient.objects.alive().filter(person=amal).exclude(category="").exists():
        return []
    now = timezone.now()

    def ago(minutes: int) -> dt.datetime:
        return now - dt.timedelta(minutes=minutes)

    admitted = []
    for spec in PATIENTS:
        person = _person(*spec["name"])
        if person is None:
            continue
        # Those the story took into care already keep that stay (and its arrival).
        patient = selectors.patient_open_of(actor=medic, person_id=person.pk) or (
            services.patient_admit(
                actor=medic,
                person=person,
                site=person.current_site or site_local(),
                place=spec["place"],
                complaint=spec["complaint"],
                arrived_at=ago(spec["arrived"]),
            )
        )
        for minutes, answers, looks in spec["triages"]:
            services.triage_record(
                actor=medic,
                patient=patient,
                answers=answers,
                looks_like_child=looks,
                assessed_at=ago(minutes),
            )
        for minutes, values in spec["vitals"]:
            services.vitals_record(
                actor=medic, patient=patient, values=values, observed_at=ago(minutes)
            )
        if "discharged" in spec:
            minutes, note = spec["discharged"]
            services.patient_discharge(actor=medic, patient=patient, note=note, at=ago(minutes))
        admitted.append(patient)
    return admitted
