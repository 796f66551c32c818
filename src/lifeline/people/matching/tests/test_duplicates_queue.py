"""The duplicates queue through the selectors and services, the API, the CLI and the pages:
paged and sorted by likelihood, each pair decided once (merged with a reason, or "not the same
person" and never proposed again), every decision audited and replicated."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, ChangeLogEntry, Site
from lifeline.core.replication import after_apply_run
from lifeline.people import services
from lifeline.people.matching import selectors as matching
from lifeline.people.matching import services as duplicates
from lifeline.people.models import DuplicateDecision, DuplicateOutcome, Person
from lifeline.people.tests.test_cli import cli_runner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_queue() -> Iterator[None]:
    matching.duplicates_forget()
    yield
    matching.duplicates_forget()


def register(actor: Any, given: str, family: str, age: int, sex: str = "male") -> Person:
    return services.person_register(
        actor=actor, given_name=given, family_name=family, sex=sex, age_years=age
    )


@pytest.fixture
def twins(registrar: Any, site: Site) -> tuple[Person, Person]:
    """One man registered twice, and a woman of his family who is someone else."""
    first = register(registrar, "Rachid", "Benali", 40)
    second = register(registrar, "Rasheed", "Ben Ali", 41)
    register(registrar, "Rachida", "Benali", 40, sex="female")
    return first, second


@pytest.fixture
def two_pairs(twins: tuple[Person, Person], registrar: Any) -> list[Person]:
    # A slip in the given name, and born the same day: one man (a slip alone, at one age
    # guessed alike, sits near the line in a registry of five).
    born = {"sex": "male", "date_of_birth": dt.date(2001, 3, 14)}
    third = services.person_register(
        actor=registrar, given_name="Sohaib", family_name="Karimi", **born
    )
    fourth = services.person_register(
        actor=registrar, given_name="Shoaib", family_name="Karimi", **born
    )
    return [*twins, third, fourth]


def test_the_queue_lists_each_probable_pair_once_most_likely_first_with_reasons(
    two_pairs: list[Person], registrar: Any
) -> None:
    pairs = matching.duplicates_all(actor=registrar)
    assert {(p.first, p.second) for p in pairs} == {
        (two_pairs[0], two_pairs[1]),
        (two_pairs[2], two_pairs[3]),
    }
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert all(p.reasons for p in pairs)


def test_the_queue_says_when_both_records_carry_one_phone_number(registrar: Any) -> None:
    first = services.person_register(
        actor=registrar, given_name="Sohaib", family_name="Karimi", sex="male",
        date_of_birth=dt.date(2001, 3, 14),
        phone="+963 944 123 456",
    )  # fmt: skip
    second = services.person_register(
        actor=registrar, given_name="Shoaib", family_name="Karimi", sex="male",
        date_of_birth=dt.date(2001, 3, 14),
        phone="0944-123-456",
    )  # fmt: skip
    (pair,) = matching.duplicates_all(actor=registrar)
    assert {pair.first, pair.second} == {first, second}
    assert "the same phone number on both: ask whose it is" in pair.reasons


def test_not_the_same_person_is_remembered_audited_and_replicated(
    twins: tuple[Person, Person], registrar: Any
) -> None:
    first, second = twins
    decision = duplicates.duplicate_dismiss(
        actor=registrar, first=second, second=first, reason="brothers, checked their cards"
    )
    assert decision.outcome == DuplicateOutcome.DISTINCT
    assert matching.duplicates_all(actor=registrar) == []
    assert AuditEntry.objects.filter(action="person.duplicate_dismiss").count() == 1
    assert ChangeLogEntry.objects.filter(model="people.duplicatedecision").count() == 1
    with pytest.raises(Conflict):
        duplicates.duplicate_dismiss(actor=registrar, first=first, second=second)


def test_a_merge_needs_a_reason_and_is_decided_once(
    twins: tuple[Person, Person], registrar: Any
) -> None:
    first, second = twins
    with pytest.raises(ValidationFailed) as refused:
        duplicates.duplicate_merge(actor=registrar, survivor=first, duplicate=second, reason=" ")
    assert "reason" in refused.value.fields
    merge = duplicates.duplicate_merge(
        actor=registrar, survivor=first, duplicate=second, reason="same ration card"
    )
    assert merge.reason == "same ration card"
    assert DuplicateDecision.objects.get().outcome == DuplicateOutcome.MERGED
    assert matching.duplicates_all(actor=registrar) == []
    second.refresh_from_db()
    with pytest.raises(Conflict):
        duplicates.duplicate_dismiss(actor=registrar, first=first, second=second)


def test_a_viewer_may_not_see_nor_decide_the_queue(
    twins: tuple[Person, Person], viewer: Any
) -> None:
    with pytest.raises(Forbidden):
        matching.duplicates_all(actor=viewer)
    with pytest.raises(Forbidden):
        duplicates.duplicate_dismiss(actor=viewer, first=twins[0], second=twins[1])


def test_persons_arriving_from_another_site_start_the_queue_again(
    twins: tuple[Person, Person], registrar: Any
) -> None:
    assert len(matching.duplicates_all(actor=registrar)) == 1
    state = matching._found_cache["links"][0]
    after_apply_run({"people.person": {twins[0].pk}})
    assert "links" not in matching._found_cache
    matching.duplicates_all(actor=registrar)
    assert matching._found_cache["links"][0] != state


# ---- API ---------------------------------------------------------------------------------------


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_pages_the_queue_without_a_cut(
    two_pairs: list[Person], registrar: Any, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    client = api_as(registrar)
    with django_assert_max_num_queries(12):
        body = client.get("/api/duplicates/?page_size=1").json()
    assert body["count"] == 2 and body["next"]
    assert len(body["results"]) == 1 and body["results"][0]["reasons"]
    second_page = client.get(body["next"]).json()
    assert second_page["results"][0]["first"]["id"] != body["results"][0]["first"]["id"]


def test_the_api_decides_pairs(two_pairs: list[Person], registrar: Any) -> None:
    client = api_as(registrar)
    a, b, c, d = (str(p.pk) for p in two_pairs)
    refused = client.post("/api/duplicates/merge/", {"survivor": a, "duplicate": b}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    merged = client.post(
        "/api/duplicates/merge/",
        {"survivor": a, "duplicate": b, "reason": "same card"},
        format="json",
    )
    assert merged.status_code == 200, merged.json()
    dismissed = client.post("/api/duplicates/dismiss/", {"first": c, "second": d}, format="json")
    assert dismissed.status_code == 201
    again = client.post("/api/duplicates/dismiss/", {"first": d, "second": c}, format="json")
    assert again.status_code == 409
    assert client.get("/api/duplicates/").json()["count"] == 0


# ---- CLI ---------------------------------------------------------------------------------------


def test_the_cli_lists_and_decides_the_queue(two_pairs: list[Person], registrar: Any) -> None:
    run = cli_runner()
    listed = run("search", "duplicates", "--json", user=registrar.username)
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)["count"] == 2
    a, b, c, d = (str(p.pk) for p in two_pairs)
    merged = run(
        "search", "duplicate-merge", a, b, "--reason", "same card", user=registrar.username
    )
    assert merged.exit_code == 0, merged.stderr
    dismissed = run("search", "not-duplicates", c, d, user=registrar.username)
    assert dismissed.exit_code == 0, dismissed.stderr
    assert "not the same person" in dismissed.stdout
    assert (
        json.loads(run("search", "duplicates", "--json", user=registrar.username).stdout)["count"]
        == 0
    )


# ---- pages -------------------------------------------------------------------------------------


def test_the_page_dismisses_a_pair_and_merges_another_after_confirmation(
    two_pairs: list[Person], registrar: Any
) -> None:
    client = Client()
    client.force_login(registrar)
    page = client.get("/duplicates/")
    assert page.status_code == 200
    assert "Not the same person" in page.content.decode()
    a, b, c, d = (str(p.pk) for p in two_pairs)
    dismissed = client.post("/duplicates/dismiss/", {"first": c, "second": d, "page": "1"})
    assert dismissed.status_code == 302
    confirm = client.get(f"/duplicates/merge/?first={a}&second={b}")
    assert confirm.status_code == 200 and "Why they are one person" in confirm.content.decode()
    without_reason = client.post("/duplicates/merge/", {"first": a, "second": b, "keep": "first"})
    assert without_reason.status_code == 400
    merged = client.post(
        "/duplicates/merge/", {"first": a, "second": b, "keep": "second", "reason": "same card"}
    )
    assert merged.status_code == 302
    kept = Person.objects.get(pk=b)
    assert not kept.is_deleted and Person.objects.get(pk=a).merged_into == kept
    assert "No probable duplicates" in client.get("/duplicates/").content.decode()


def test_a_pair_not_proposed_has_no_confirmation_page(
    twins: tuple[Person, Person], registrar: Any
) -> None:
    client = Client()
    client.force_login(registrar)
    other = register(registrar, "Ziad", "Tamimi", 30)
    response = client.get(f"/duplicates/merge/?first={twins[0].pk}&second={other.pk}")
    assert response.status_code == 404
