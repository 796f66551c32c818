"""The demo holds the people of the stories in the states the stories give them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from lifeline.demo.accounts import Cast
from lifeline.demo.loader import demo_load
from lifeline.demo.scenario import MAVRAH_STORAGE
from lifeline.people import selectors
from lifeline.people.models import Household, Person, StatusEvent
from lifeline.people.selectors import PersonFilters, PersonRecord


@pytest.fixture
def loaded(cast: Cast) -> Cast:
    demo_load(cast=cast, population=0)
    return cast


def one(given: str, family: str = "") -> Person:
    return Person.objects.get(given_name=given, family_name=family)


def record(cast: Cast, person: Person) -> PersonRecord:
    return selectors.person_record(actor=cast.commander, person_id=person.pk)


def conditions(cast: Cast, person: Person) -> set[str]:
    return {c.condition for c in record(cast, person).conditions}


def statuses(person: Person) -> list[str]:
    events = StatusEvent.objects.filter(person=person).order_by("occurred_at")
    return [event.status for event in events]


def test_amal_was_missing_is_back_at_forest_camp_in_care_with_a_wounded_arm(
    loaded: Cast,
) -> None:
    amal = one("Amal")

    assert statuses(amal) == ["present", "missing", "present", "in_care"]
    assert amal.status == "in_care"
    assert amal.current_site is not None and amal.current_site.code == "forest-camp"
    assert "wounded" in conditions(loaded, amal)


def test_rachid_the_freed_captive_is_malnourished_and_home_with_meriem(loaded: Cast) -> None:
    rachid = one("Rachid")

    assert rachid.status == "present"
    assert "malnourished" in conditions(loaded, rachid)
    assert "dehydrated" not in conditions(loaded, rachid)  # recovered since
    assert rachid.household is not None
    assert rachid.household.head == one("Meriem")


def test_the_boy_who_clutched_abderrazaks_sleeve_is_an_unaccompanied_child(loaded: Cast) -> None:
    boy = one("Ilyas")

    seen = record(loaded, boy)
    assert seen.age == 12
    assert boy.birth_date_estimated
    assert {"unaccompanied_child", "malnourished"} <= {c.condition for c in seen.conditions}
    assert boy.household is None


def test_the_woman_who_could_not_walk_is_disabled_and_the_man_who_went_down_is_missing(
    loaded: Cast,
) -> None:
    assert "disabled" in conditions(loaded, one("Zohra", "Amrani"))
    man = Person.objects.get(given_name="Unknown", current_site__code="forest-camp")
    assert man.status == "missing"


def test_maaz_is_wounded_twice_and_colonel_rahim_has_a_commander_account(loaded: Cast) -> None:
    maaz = one("Maaz")

    wounds = [e for e in record(loaded, maaz).timeline if e.title.startswith("Wounded")]
    assert len(wounds) == 2
    assert "wounded" in conditions(loaded, maaz)
    assert User.objects.get(username="rahim").groups.filter(name="commander").exists()
    assert one("Rahim").other_names == ["Colonel Rahim"]


def test_six_children_from_mavrah_are_at_desert_base_and_the_elderly_man_is_in_care(
    loaded: Cast,
) -> None:
    bravo = StatusEvent.objects.filter(area="Extraction point Bravo")
    rescued = Person.objects.filter(pk__in=bravo.values("person"))
    children = [p for p in rescued if (record(loaded, p).age or 99) < 18]

    assert len(children) == 6
    assert all(
        child.current_site and child.current_site.code == "desert-base" for child in children
    )
    youssef = one("Youssef", "Haddad")
    assert youssef.status == "in_care"
    assert {"malnourished", "dehydrated"} <= conditions(loaded, youssef)
    found = StatusEvent.objects.filter(person=youssef).order_by("occurred_at").first()
    assert found is not None and (found.latitude, found.longitude) == MAVRAH_STORAGE
    household = Household.objects.get(ration_card="DB-0002")
    assert household.head == youssef
    assert set(household.members.values_list("given_name", flat=True)) == {
        "Youssef",
        "Sami",
        "Nour",
    }


def test_the_girl_who_has_not_spoken_is_an_unaccompanied_traumatised_child(
    loaded: Cast,
) -> None:
    girl = Person.objects.get(
        given_name="Unknown", sex="female", current_site__code="desert-base", status="present"
    )

    assert {"unaccompanied_child", "traumatised"} <= conditions(loaded, girl)
    mother = Person.objects.get(given_name="Unknown", status="deceased")
    assert "bakery" in mother.current_area


def test_the_compound_holds_its_five_and_fiona_runs_the_mess_hall(loaded: Cast) -> None:
    at_compound = selectors.person_list(
        actor=loaded.viewer, filters=PersonFilters(site="the-compound")
    )

    assert {p.given_name for p in at_compound} == {"Leila", "Kai", "Mark", "Darren", "Fiona"}
    assert one("Fiona").current_area == "Mess hall"


def test_the_hostiles_are_not_registered_as_people(loaded: Cast) -> None:
    for name in ("Jace", "Ellie", "Ayoub"):
        assert not Person.objects.filter(given_name=name).exists()


def test_a_second_load_is_a_no_op(loaded: Cast) -> None:
    before = Person.objects.count()

    again = demo_load(cast=loaded, population=0)

    assert not again.loaded
    assert Person.objects.count() == before
