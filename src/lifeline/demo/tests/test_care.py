"""The demo's patient board: Dr. Song's patients from the stories, triaged by START and
JumpSTART, one re-triage overdue, one not triaged yet."""

from __future__ import annotations

import pytest

from lifeline.care.models import Patient, TriageAssessment
from lifeline.care.selectors import patient_board
from lifeline.core.models import Site
from lifeline.demo.accounts import Cast
from lifeline.demo.loader import demo_load


@pytest.fixture
def loaded(cast: Cast) -> Cast:
    demo_load(cast=cast, population=0)
    return cast


def _patient(given: str) -> Patient:
    return Patient.objects.select_related("person").get(person__given_name=given)


def test_amal_is_triaged_twice_by_dr_song_and_is_delayed_now(loaded: Cast) -> None:
    amal = _patient("Amal")
    triages = TriageAssessment.objects.filter(patient=amal).order_by("assessed_at")
    assert [t.category for t in triages] == ["minor", "delayed"]
    assert {t.assessed_by for t in triages} == {loaded.medic}
    assert amal.category == "delayed" and amal.status == "waiting"


def test_the_board_holds_the_story_s_patients_by_category(loaded: Cast) -> None:
    board = patient_board(actor=loaded.medic)
    names = {g.key: {r.patient.person.given_name for r in g.rows} for g in board.groups}
    assert {"Amal", "Zohra"} <= names["delayed"]
    assert "Mustapha" in names["immediate"]
    assert {"Maaz", "Hamza", "Ilyas"} <= names["minor"]
    assert names["untriaged"] == {"Khadija"}
    overdue = {
        r.patient.person.given_name for g in board.groups for r in g.rows if r.retriage_overdue
    }
    assert "Hamza" in overdue and "Amal" not in overdue


def test_rachid_was_seen_and_sent_home_to_meriem(loaded: Cast) -> None:
    rachid = _patient("Rachid")
    assert rachid.status == "discharged" and rachid.person.status == "present"


def test_ilyas_is_triaged_with_jumpstart_because_he_looks_like_a_child(loaded: Cast) -> None:
    triage = TriageAssessment.objects.get(patient=_patient("Ilyas"))
    assert (triage.algorithm, triage.looks_like_child) == ("jumpstart", True)
    assert triage.age_years is not None and triage.age_years >= 8  # by age it would be START


def test_a_second_load_admits_no_one_again(loaded: Cast) -> None:
    count = Patient.objects.count()
    demo_load(cast=loaded, population=0)
    assert Patient.objects.count() == count


@pytest.mark.parametrize("population", [0, 300])
def test_in_care_is_one_number_in_the_registry_and_on_the_board(
    cast: Cast, population: int
) -> None:
    """Everyone the demo marks in care has an open stay: the registry's count, home's and the
    board's agree."""
    from lifeline.people.models import Person
    from lifeline.people.selectors import status_counts

    demo_load(cast=cast, population=population)
    in_care = status_counts(actor=cast.commander).get("in_care", 0)
    board = patient_board(actor=cast.medic)
    assert in_care == board.open_count > 0
    open_people = {r.patient.person_id for g in board.groups for r in g.rows}
    marked = set(Person.objects.alive().filter(status="in_care").values_list("pk", flat=True))
    assert open_people == marked
    # Site by site too: home counts this site's persons, the board shows this site's patients.
    for site in Site.objects.all():
        here = status_counts(actor=cast.commander, site=site.code).get("in_care", 0)
        assert here == patient_board(actor=cast.medic, site=site).open_count
