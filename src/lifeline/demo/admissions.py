"""The demo's statuses as the camp records them: "in care" is an admission to care, not a word
in the registry. A stay opens through `care.services.patient_admit` (which marks the person in
care), and the next status closes it: a death in care through `death_record`, anything else
through `patient_discharge`. So the registry's "in care" and the patient board count the same
people (issue 13: home said 41 in care while the board showed 11)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from lifeline.care import selectors as care_selectors
from lifeline.care import services as care
from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.models import Person, Status

# What closing a stay records in the registry by itself: no second event for these.
CLOSED_AS = {False: Status.PRESENT, True: Status.TRANSFERRED}


def status_through_care(
    *,
    medic: User,
    by: User,
    person: Person,
    status: str,
    site: Site,
    when: dt.datetime,
    area: str = "",
    where: tuple[float, float] | None = None,
    note: str = "",
) -> None:
    """Record `status` for `person` at `when`, through care when it opens or closes a stay."""
    stay = care_selectors.patient_open_of(actor=medic, person_id=person.pk)
    if status == Status.IN_CARE:
        if stay is None:
            care.patient_admit(
                actor=medic, person=person, site=site, place=area, arrived_at=when, complaint=note
            )
        return
    if stay is not None:
        if status == Status.DECEASED:
            care.death_record(actor=medic, patient=stay, cause=note or "died in care", died_at=when)
            return
        transferred = status in (Status.TRANSFERRED, Status.EVACUATED)
        care.patient_discharge(
            actor=medic, patient=stay, transferred=transferred, note=note, at=when
        )
        if status == CLOSED_AS[transferred] and not area:
            return
    services.person_status_record(
        actor=by,
        person=person,
        status=status,
        site=site,
        area=area,
        latitude=where[0] if where else None,
        longitude=where[1] if where else None,
        occurred_at=when,
        note=note,
    )
