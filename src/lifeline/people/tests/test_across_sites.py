"""Rows of people that arrive from another site (written as sync's apply writes them, then
the apply hooks run): a person's status, site and search text derived here, the name index
finding them at once, tracing requests and persons matched across sites, merges made at two
sites settling on one survivor, and the unique rules kept per site and reviewed across sites.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alert_list
from lifeline.core.models import Site
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote
from lifeline.people import arrivals, protection, rules, selectors, services
from lifeline.people.matching import index_store
from lifeline.people.matching import selectors as matching
from lifeline.people.models import (
    CaseKind,
    Household,
    Person,
    PersonMerge,
    ProtectionCase,
    Sex,
    StatusEvent,
    TracingMatch,
    TracingRequest,
    TracingStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def forest(site: Site) -> Site:
    return site_remote()


def _person_from(forest: Site, given: str, family: str, **values: Any) -> Person:
    person = row_arrive(Person(given_name=given, family_name=family, **values), site=forest)
    event = row_arrive(
        StatusEvent(person=person, status="present", site=forest, occurred_at=timezone.now()),
        site=forest,
    )
    rows_applied(person, event)
    person.refresh_from_db()
    return person


# ---- derived state and the name index -------------------------------------------------------


def test_a_person_registered_at_another_site_is_found_by_the_search_right_after(
    registrar: Any, forest: Site
) -> None:
    services.person_register(actor=registrar, given_name="Omar", family_name="Khalil")
    assert matching.person_search(actor=registrar, query="Omar")  # the index is loaded now
    layla = _person_from(forest, "Layla", "Haddad", sex=Sex.FEMALE)
    found = matching.person_search(actor=registrar, query="Laila Hadad")
    assert [m.person for m in found] == [layla]
    assert found[0].person.current_site == forest


def test_an_arrived_persons_status_site_and_search_text_are_derived_here(forest: Site) -> None:
    layla = _person_from(forest, "Layla", "Haddad")
    assert (layla.status, layla.current_site, layla.search_text) == (
        "present",
        forest,
        "layla haddad",
    )
    later = row_arrive(
        StatusEvent(person=layla, status="in_care", site=forest, area="clinic tent"),
        site=forest,
    )
    rows_applied(later)
    layla.refresh_from_db()
    assert (layla.status, layla.current_area) == ("in_care", "clinic tent")


def test_an_event_of_a_merged_record_moves_the_survivor(registrar: Any, forest: Site) -> None:
    survivor = services.person_register(actor=registrar, given_name="Sami", family_name="Nour")
    duplicate = services.person_register(actor=registrar, given_name="Sammy", family_name="Nour")
    services.person_merge(actor=registrar, survivor=survivor, duplicate=duplicate)
    seen = row_arrive(
        StatusEvent(
            person=duplicate,
            status="missing",
            site=forest,
            occurred_at=timezone.now() + dt.timedelta(minutes=1),
        ),
        site=forest,
    )
    rows_applied(seen)
    survivor.refresh_from_db()
    assert (survivor.status, survivor.current_site) == ("missing", forest)


# ---- tracing across sites --------------------------------------------------------------------


def test_a_tracing_request_from_another_site_is_matched_against_persons_here(
    registrar: Any, forest: Site
) -> None:
    maryam = services.person_register(
        actor=registrar, given_name="Meriem", family_name="Tazi", sex="female", age_years=6
    )
    request = row_arrive(
        TracingRequest(
            seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi", sex="female",
            age_years=6, relation="daughter",
        ),
        site=forest,
    )  # fmt: skip
    rows_applied(request)
    match = TracingMatch.objects.get(request=request)
    assert match.person == maryam
    assert match.pk == protection.tracing_match_id_of(request.pk, maryam.pk)
    request.refresh_from_db()
    assert request.status == TracingStatus.MATCHED


def test_a_person_arriving_is_matched_against_the_open_requests_here(
    registrar: Any, forest: Site
) -> None:
    request = protection.tracing_request_file(
        actor=registrar, seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi",
        sex="female", age_years=6,
    )  # fmt: skip
    assert not request.matches.exists()
    six = rules.birth_date_from_age(6, timezone.localdate())
    meriem = _person_from(forest, "Meriem", "Tazi", sex="female", date_of_birth=six)
    assert [m.person for m in request.matches.all()] == [meriem]


# ---- merges made at two sites ----------------------------------------------------------------


def _merge_arrives(forest: Site, survivor: Person, duplicate: Person) -> PersonMerge:
    """Site `forest` merged `duplicate` into `survivor`: its rows, as they arrive here."""
    duplicate.refresh_from_db()
    duplicate.merged_into, duplicate.deleted_at = survivor, timezone.now()
    row_arrive(duplicate, site=forest, update_fields=["merged_into", "deleted_at"])
    merge = row_arrive(PersonMerge(survivor=survivor, duplicate=duplicate), site=forest)
    rows_applied(duplicate, merge)
    return merge


@pytest.mark.parametrize("merged_here", ["lower_into_higher", "higher_into_lower"])
def test_merges_both_ways_at_two_sites_keep_the_lower_id_on_every_site(
    registrar: Any, forest: Site, merged_here: str
) -> None:
    """A into B here and B into A at the other site, either way round: the record with the
    lower id survives, the other stays merged into it."""
    a = services.person_register(actor=registrar, given_name="Youssef", family_name="Amari")
    b = services.person_register(actor=registrar, given_name="Yousef", family_name="Ammari")
    low, high = sorted((a, b), key=lambda p: p.pk)
    here = (low, high) if merged_here == "lower_into_higher" else (high, low)
    services.person_merge(actor=registrar, survivor=here[1], duplicate=here[0])
    _merge_arrives(forest, survivor=here[0], duplicate=here[1])
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.is_deleted, low.merged_into_id) == (False, None)
    assert (high.is_deleted, high.merged_into_id) == (True, low.pk)
    folded_low = PersonMerge.objects.get(duplicate=low)
    assert folded_low.undone_at is not None  # superseded by the merge the other way
    assert PersonMerge.objects.get(duplicate=high).undone_at is None
    assert [m.person for m in matching.person_search(actor=registrar, query="Youssef")] == [low]


def test_merges_chained_at_two_sites_end_at_the_last_survivor(registrar: Any, forest: Site) -> None:
    a, b, c = (
        services.person_register(actor=registrar, given_name=n, family_name="Saleh")
        for n in ("Hana", "Hanaa", "Hanna")
    )
    services.person_merge(actor=registrar, survivor=b, duplicate=a)  # here: A into B
    _merge_arrives(forest, survivor=c, duplicate=b)  # there: B into C
    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    assert selectors.person_get(actor=registrar, person_id=c.pk).is_deleted is False


# ---- unique per site, reviewed across sites ---------------------------------------------------


def test_one_ration_card_given_at_two_sites_keeps_both_households_and_raises_an_alert(
    registrar: Any, site: Site, forest: Site
) -> None:
    ours = services.household_create(actor=registrar, ration_card="RC-0001", site=site)
    theirs = row_arrive(Household(ration_card="RC-0001", site=forest), site=forest)
    rows_applied(theirs)
    assert Household.objects.filter(ration_card="RC-0001").count() == 2
    alert = Alert.objects.get(kind=arrivals.CARD_SHARED_KIND)
    assert alert.key == "RC-0001"
    first = min(ours, theirs, key=lambda h: h.pk)
    assert selectors.household_by_card(actor=registrar, ration_card="RC-0001") == first
    with pytest.raises(IntegrityError), transaction.atomic():  # one site never holds two
        Household(ration_card="RC-0001", site=site).save()


def test_two_open_cases_for_one_child_are_both_kept_and_raised_for_review(
    field_team: Any, protection_officer: Any, viewer: Any, forest: Site
) -> None:
    child = services.person_register(actor=field_team, given_name="Ilyas", sex="male", age_years=9)
    ours = ProtectionCase.objects.get(child=child)
    theirs = row_arrive(ProtectionCase(child=child, kind=CaseKind.UNACCOMPANIED), site=forest)
    rows_applied(theirs)
    assert ProtectionCase.objects.filter(child=child, status="open").count() == 2
    alert = Alert.objects.get(kind=arrivals.CASES_TWICE_KIND)
    assert alert.subject_id == str(min(ours.pk, theirs.pk))
    assert alert in alert_list(actor=protection_officer)
    assert alert not in alert_list(actor=viewer)


def test_a_large_batch_of_persons_is_matched_through_the_index(
    registrar: Any, forest: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arrivals, "EXHAUSTIVE_PAIRS", 0)
    request = protection.tracing_request_file(
        actor=registrar, seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi",
        sex="female", age_years=6,
    )  # fmt: skip
    six = rules.birth_date_from_age(6, timezone.localdate())
    meriem = _person_from(forest, "Meriem", "Tazi", sex="female", date_of_birth=six)
    assert [m.person for m in request.matches.all()] == [meriem]


def test_a_restart_after_an_apply_still_finds_the_person_who_arrived(
    registrar: Any, forest: Site
) -> None:
    services.person_register(actor=registrar, given_name="Omar", family_name="Khalil")
    matching.person_search(actor=registrar, query="Omar")
    index_store.index_save()  # a file older than the apply
    layla = _person_from(forest, "Layla", "Haddad")
    index_store.index_forget()  # the process restarts
    assert [m.person for m in matching.person_search(actor=registrar, query="Layla")] == [layla]
