"""Reads for the printed cards: a person's identity card and a household's ration card.

A card is carried by the person and shown to anyone at a gate or a distribution point, so it
holds identity only: never conditions (medical or protection), and the shelter or area only
for a role that may see locations. Every card printed is audited as a read of its record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.people import rules
from lifeline.people.models import Household, Person
from lifeline.people.selectors import (
    can_see_location,
    household_get,
    household_members,
    person_get,
)


@dataclass(frozen=True)
class CardMember:
    person: Person
    age: int | None


@dataclass(frozen=True)
class PersonCard:
    person: Person
    age: int | None
    location_visible: bool


@dataclass(frozen=True)
class RationCard:
    household: Household
    members: list[CardMember] = field(default_factory=list)
    location_visible: bool = False


def _age(person: Person) -> int | None:
    if person.date_of_birth is None:
        return None
    return rules.age_on(person.date_of_birth, timezone.localdate())


def _parts(location: bool) -> list[str]:
    return ["location"] if location else []


def person_card(*, actor: Actor | None, person_id: Any) -> PersonCard:
    """One person's card, audited as a read of the record (naming the protected parts)."""
    person = person_get(actor=actor, person_id=person_id)
    location = can_see_location(actor)
    audit_record(
        actor=actor,
        action="read.card",
        obj=person,
        summary=f"person card of {person.full_name}",
        detail={"card": "person", "parts": _parts(location)},
    )
    return PersonCard(person=person, age=_age(person), location_visible=location)


def household_card(*, actor: Actor | None, household_id: Any) -> RationCard:
    """A household's ration card with its members, audited as a read of the household."""
    household = household_get(actor=actor, household_id=household_id)
    permission_require(actor, "people.view_person", doing=_("see people"))
    members = [
        CardMember(person=p, age=_age(p))
        for p in household_members(actor=actor, household=household)
    ]
    location = can_see_location(actor)
    audit_record(
        actor=actor,
        action="read.card",
        obj=household,
        summary=f"ration card {household.ration_card or household.pk}",
        detail={"card": "ration", "members": len(members), "parts": _parts(location)},
    )
    return RationCard(household=household, members=members, location_visible=location)
