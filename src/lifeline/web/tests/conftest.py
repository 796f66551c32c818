"""Fixtures of the page tests: a person with a protected history, and their household."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from lifeline.core.models import Site
from lifeline.core.roles import Role, role_permissions
from lifeline.missions.tests.conftest import mission, rafiq, vehicle
from lifeline.people import services
from lifeline.people.models import Household, Person

__all__ = ["mission", "rafiq", "vehicle"]  # the missions tests' fixtures, for its pages here

ROLES = [
    "commander",
    "registrar",
    "medic",
    "logistics",
    "protection_officer",
    "field_team",
    "viewer",
]


def role_may(role: str, perm: str) -> bool:
    """What the role table gives a role: tests follow the table rather than restating it."""
    return perm in role_permissions()[Role(role)]


@pytest.fixture
def clerk(make_user: Any) -> Any:
    """A user who may read people and register them, and nothing else."""
    user = make_user(None, "clerk")
    for codename in ("view_person", "view_household", "add_person"):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="people", codename=codename)
        )
    return user


@pytest.fixture
def household(commander: Any, site: Site) -> Household:
    return services.household_create(
        actor=commander, ration_card="DB-0042", shelter="Tent 12", area="Block C"
    )


@pytest.fixture
def amal(commander: Any, household: Household, site: Site) -> Person:
    """A woman found wounded, an unaccompanied child's case beside her: both protected."""
    person = services.person_register(
        actor=commander,
        given_name="Amal",
        family_name="Haddad",
        sex="female",
        age_years=34,
        household=household,
        area="Clinic tent",
        latitude=31.51234,
        longitude=34.45678,
        conditions=["wounded", "unaccompanied_child"],
    )
    services.household_update(actor=commander, household=household, changes={"head": person})
    return person


@pytest.fixture
def demo_cast(db: None) -> Any:
    """The demo of `make run` (the stories, no generated crowd), its accounts signing in with
    the tests' password."""
    from lifeline.conftest import PASSWORD
    from lifeline.core.services import roles_sync
    from lifeline.demo.accounts import demo_accounts_ensure
    from lifeline.demo.loader import demo_load

    roles_sync()
    from django.conf import settings

    cast = demo_accounts_ensure(path=settings.VAR_DIR / "demo-users.txt").cast
    demo_load(cast=cast, population=0)
    for user in (
        cast.commander, cast.medic, cast.logistics, cast.registrar,
        cast.protection, cast.field_team, cast.viewer,
    ):  # fmt: skip
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return cast
