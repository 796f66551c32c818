"""The size of a household by its ration card, as the statement another app embeds (supplies'
ration issue reads it with the cycle's state in one query)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.models import Status
from lifeline.people.selectors import HouseholdSize, household_size_query

pytestmark = pytest.mark.django_db

EATING = (Status.PRESENT, Status.IN_CARE)


def _read(ration_card: str, statuses: tuple[str, ...] = EATING) -> HouseholdSize | None:
    query = household_size_query(ration_card=ration_card, statuses=statuses)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.household_id, s.persons FROM ({query.sql}) s", query.params)  # noqa: S608
        row = cursor.fetchone()
    return query.result(None, None) if row is None else query.result(*row)


def test_it_counts_the_members_in_the_statuses_asked_for_and_not_the_deleted(
    registrar: Any, site: Site
) -> None:
    household = services.household_create(actor=registrar, ration_card="RC-9", site=site)
    statuses = [Status.PRESENT, Status.IN_CARE, Status.MISSING, Status.PRESENT]
    members = [
        services.person_register(
            actor=registrar,
            given_name=f"Member{n}",
            family_name="Haddad",
            household=household,
            status=status,
            site=site,
        )
        for n, status in enumerate(statuses)
    ]
    members[3].delete()  # a tombstone no longer eats

    assert _read("RC-9") == HouseholdSize(household_id=household.pk, persons=2)
    assert _read("RC-9", (Status.MISSING,)) == HouseholdSize(household.pk, 1)


def test_it_finds_no_household_for_an_unknown_or_deleted_card(registrar: Any, site: Site) -> None:
    services.household_create(actor=registrar, ration_card="RC-GONE", site=site).delete()

    assert _read("RC-NONE") is None
    assert _read("RC-GONE") is None
