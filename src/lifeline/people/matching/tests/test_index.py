"""The name index: candidates by name keys, kept correct through registration, renaming,
merge and delete, saved with its change-log position and caught up on load."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.matching import index_store
from lifeline.people.matching.index import IndexRecord, NameIndex
from lifeline.people.matching.names import NAME_MATCH, Probe, name_parse, spelling_words

YEAR = 2026


def record(given: str, family: str, sex: str = "male", born: int = 1990) -> IndexRecord:
    return IndexRecord(uuid.uuid4(), (given, family), sex, born)


def ids(index: NameIndex, query: str, **probe: Any) -> list[uuid.UUID]:
    return [h.person_id for h in index.search(Probe(name_parse(query), **probe), year=YEAR)]


def test_a_spelling_variant_finds_the_person_first() -> None:
    rachid = record("Rachid", "Benali")
    index = NameIndex().build(
        [rachid, record("Karim", "Haddad"), record("Rachida", "Benali", "female")]
    )
    assert ids(index, "Rasheed Ben Ali", sex="male")[0] == rachid.person_id
    assert ids(index, "رشيد بن علي")[0] == rachid.person_id


def test_the_person_whose_age_and_sex_agree_ranks_first_among_namesakes() -> None:
    older = record("Layla", "Haddad", "female", 1960)
    child = record("Leila", "Haddad", "female", 2018)
    brother = record("Leil", "Haddad", "male", 2018)
    index = NameIndex().build([older, child, brother])
    assert ids(index, "Laila Haddad", age=8, sex="female")[0] == child.person_id
    assert ids(index, "Laila Haddad", age=66, sex="female")[0] == older.person_id


def test_a_partial_name_and_a_name_with_a_typo_are_found() -> None:
    target = record("Abderrazak", "Guerrouj")
    others = [record("Mohamed", f"Family{i}") for i in range(50)]
    index = NameIndex().build([target, *others])
    assert target.person_id in ids(index, "Abderr")
    assert target.person_id in ids(index, "Abderrazak Guerouj")
    assert target.person_id in ids(index, "Guerrouj Abdul Razzaq")


def test_the_person_at_the_household_or_site_named_ranks_first_among_namesakes() -> None:
    here = IndexRecord(uuid.uuid4(), ("Leila", "Haddad"), "female", 2000, "h-1", "camp-a")
    there = IndexRecord(uuid.uuid4(), ("Layla", "Haddad"), "female", 2000, "h-2", "camp-b")
    index = NameIndex().build([here, there])
    assert ids(index, "Laila Haddad", age=26, site="camp-b")[0] == there.person_id
    assert ids(index, "Laila Haddad", age=26, site="camp-a")[0] == here.person_id
    assert ids(index, "Laila Haddad", household="h-2")[0] == there.person_id
    # A place nobody is registered at says nothing.
    assert set(ids(index, "Laila Haddad", site="camp-z")) == {here.person_id, there.person_id}


def test_a_person_named_for_the_query_ranks_above_the_son_of_a_man_so_named() -> None:
    son = IndexRecord(uuid.uuid4(), ("Ahmed Youssef", "Karimi"), "male", 2020)
    youssef = IndexRecord(uuid.uuid4(), ("Yusuf Ahmed", "Karimi"), "male", 2020)
    index = NameIndex().build([son, youssef])
    assert ids(index, "Youssef Karimi", age=6, sex="male") == [youssef.person_id, son.person_id]


def test_a_name_repeated_in_the_record_is_found_by_the_repeated_pair() -> None:
    target = IndexRecord(uuid.uuid4(), ("Karim Karym", "Karimi"), "male", 2018)
    others = [record("Karim", f"Family{i}", born=2018) for i in range(200)]
    index = NameIndex().build([*others, target])
    assert ids(index, "Kareem Karim Kareemi", age=8, sex="male")[0] == target.person_id


def test_a_common_name_over_the_candidate_budget_keeps_the_rows_of_the_right_sex_and_age(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("lifeline.people.matching.index.MAX_CANDIDATES", 50)
    crowd = [record("Sami", "Haddad", "female", 1950 + i % 20) for i in range(200)]
    target = record("Samy", "Haddad", "male", 2016)
    index = NameIndex().build([*crowd, target])
    assert ids(index, "Sami Hadad", age=10, sex="male")[0] == target.person_id


def test_a_site_move_reindexes_the_person() -> None:
    person = IndexRecord(uuid.uuid4(), ("Hana", "Tazi"), "female", 1990, "", "camp-a")
    index = NameIndex().build([person])
    index.upsert(IndexRecord(person.person_id, ("Hana", "Tazi"), "female", 1990, "", "camp-b"))
    index.compact()
    assert len(index) == 1
    assert index.sites[index.row_site[index.row_of[person.person_id]]] == "camp-b"


def test_an_index_stays_correct_when_people_are_added_renamed_and_removed() -> None:
    index = NameIndex().build([record("Karim", "Haddad")])
    newcomer = record("Soufiane", "Tazi")
    index.upsert(newcomer)
    assert ids(index, "Sufyan Tazi")[0] == newcomer.person_id
    renamed = IndexRecord(newcomer.person_id, ("Soufiane", "Alaoui"), "male", 1990)
    index.upsert(renamed)
    hits = index.search(Probe(name_parse("Sufyan Tazi")), year=YEAR)
    assert all(h.name_score < 0.85 for h in hits)  # Soufiane still, Tazi no more
    assert ids(index, "Sofiane Alawi")[0] == newcomer.person_id
    index.remove(newcomer.person_id)
    assert newcomer.person_id not in ids(index, "Sofiane Alawi")
    assert newcomer.person_id not in index


def test_an_index_saved_and_loaded_answers_the_same(tmp_path: Path) -> None:
    people = [record("Meriem", "Amrani", "female"), record("Ayoub", "Tazi")]
    index = NameIndex().build(people, watermark=42)
    index.upsert(record("Youssef", "Idrissi"))
    path = tmp_path / "index.npz"
    index_store.index_file_write(index, path, database="here")
    loaded = index_store.index_file_read(path, database="here")
    assert loaded is not None and loaded.watermark == 42
    assert ids(loaded, "Maryam El Amrani") == ids(index, "Maryam El Amrani")
    assert ids(loaded, "Yusuf Idrisi") == ids(index, "Yusuf Idrisi")
    assert index_store.index_file_read(path, database="elsewhere") is None


def test_the_saved_index_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    index = NameIndex().build([record("Meriem", "Amrani", "female")], watermark=1)
    path = tmp_path / "search" / "index.npz"
    index_store.index_file_write(index, path, database="here")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_corrupt_index_file_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    path.write_bytes(b"not an index")
    assert index_store.index_file_read(path, database="here") is None


def test_duplicate_candidates_pair_records_that_share_names() -> None:
    a, b = record("Rachid", "Benali"), record("Rashid", "Ben Ali")
    index = NameIndex().build([a, b, record("Karim", "Haddad")])
    pairs = index.duplicate_candidates(max_block=10)
    assert [set(pair) for pair in pairs] == [{a.person_id, b.person_id}]


# ---- the index of the database -------------------------------------------------------------


@pytest.fixture
def fresh_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """An index file of this test's own, and no index in memory from another test."""
    settings.VAR_DIR = tmp_path
    index_store.index_forget()
    yield index_store.index_path()
    index_store.index_forget()


def register(actor: Any, given: str, family: str, **more: Any) -> Any:
    return services.person_register(actor=actor, given_name=given, family_name=family, **more)


def found(query: str) -> list[uuid.UUID]:
    return [
        h.person_id for h in index_store.index_current().search(Probe(name_parse(query)), year=YEAR)
    ]


def test_the_index_follows_registration_merge_and_delete(
    fresh_index: Path, commander: Any, site: Site
) -> None:
    first = register(commander, "Rachid", "Benali", sex="male", age_years=40)
    assert found("Rasheed Ben Ali") == [first.pk]
    second = register(commander, "Rashid", "Bin Ali", sex="male", age_years=40)
    assert set(found("Rasheed Ben Ali")) == {first.pk, second.pk}
    services.person_merge(actor=commander, survivor=first, duplicate=second, reason="same man")
    assert found("Rasheed Ben Ali") == [first.pk]
    services.person_delete(actor=commander, person=first, reason="registered by mistake")
    assert found("Rasheed Ben Ali") == []


def test_a_merge_undone_brings_the_duplicate_back(
    fresh_index: Path, commander: Any, site: Site
) -> None:
    first = register(commander, "Meriem", "Tazi", sex="female")
    second = register(commander, "Maryam", "Tazi", sex="female")
    merge = services.person_merge(actor=commander, survivor=first, duplicate=second)
    assert found("Mariam Tazi") == [first.pk]
    services.person_merge_undo(actor=commander, merge=merge)
    assert set(found("Mariam Tazi")) == {first.pk, second.pk}


def test_a_renamed_person_is_found_under_the_new_name_only(
    fresh_index: Path, commander: Any, site: Site
) -> None:
    person = register(commander, "Ayoub", "Tazi")
    assert found("Ayyub Tazi") == [person.pk]
    services.person_update(actor=commander, person=person, changes={"family_name": "Alaoui"})
    hits = index_store.index_current().search(Probe(name_parse("Ayyub Tazi")), year=YEAR)
    assert all(h.name_score < 0.85 for h in hits)  # only "Ayoub" of the two names is his
    assert found("Ayub Alawi") == [person.pk]


def test_the_index_is_reloaded_from_its_file_and_catches_up_with_the_change_log(
    fresh_index: Path, commander: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = register(commander, "Soufiane", "Idrissi")
    index_store.index_current()
    index_store.index_save()
    assert fresh_index.exists()
    after = register(commander, "Layla", "Haddad", sex="female")
    services.person_delete(actor=commander, person=before, reason="left the camp")
    index_store.index_forget()  # a restart: the file is all there is

    rebuilds: list[int] = []
    original = index_store._rebuild
    monkeypatch.setattr(index_store, "_rebuild", lambda: rebuilds.append(1) or original())
    assert found("Leila Haddad") == [after.pk]
    assert found("Sofiane Idrisi") == []
    assert rebuilds == []  # loaded and caught up, not rebuilt


def test_a_missing_index_file_is_rebuilt_from_the_registry(
    fresh_index: Path, commander: Any, site: Site
) -> None:
    person = register(commander, "Youssef", "Alaoui", date_of_birth=dt.date(1990, 1, 1))
    index_store.index_forget()
    fresh_index.unlink(missing_ok=True)
    assert found("Yusuf El Alaoui") == [person.pk]
    assert fresh_index.exists()
    loaded = index_store.index_file_read(fresh_index, database=index_store._database_label())
    assert loaded is not None and int(np.sum(loaded.row_alive)) == 1


def _family_names(count: int) -> list[str]:
    """Family names of other letters than the names of the tests below."""
    consonants = "bfpsvz"
    names = [f"{a}a{b}i{c}u".capitalize() for a in consonants for b in consonants for c in "lg"]
    return [names[i % len(names)] for i in range(count)]


@pytest.mark.parametrize(
    ("registered", "query"),
    [
        (("Imane", "al-Deiri"), "Imane al-eiri"),  # the first letter left out
        (("Imen", "Qunaytiri"), "Inane al-Qunaytiri"),  # the first consonant changed
        (("Abdi", "Deiri"), "Cabdi Deiri"),  # Somali C for ayn: a consonant more
        (("عبدي", "Deiri"), "Cabdi Deiri"),
    ],
)
def test_a_typo_on_a_first_letter_finds_the_person_among_many_namesakes(
    registered: tuple[str, str], query: str
) -> None:
    """The other name is common (more rows than the wider tier takes): the person is found by
    the pair of that name with a skeleton one edit from the misspelt one."""
    target = IndexRecord(uuid.uuid4(), registered, "female", 1990)
    given = name_parse(query).tokens
    namesakes = [
        IndexRecord(uuid.uuid4(), (registered[0], family), "female", 1990)
        for family in _family_names(3200)
    ] + [
        IndexRecord(uuid.uuid4(), (registered[1], family), "female", 1990)
        for family in _family_names(3200)
    ]
    # A few persons named like the misspelt name itself, so that the wider tier is not empty.
    misspelt = [
        IndexRecord(uuid.uuid4(), (t.text, "Zuzu"), "male", 1950) for t in given for _ in range(3)
    ]
    index = NameIndex().build([*namesakes, *misspelt, target])
    assert target.person_id in ids(index, query, age=36, sex="female")


def test_a_woman_registered_as_nora_is_found_as_nour_when_the_sex_is_given() -> None:
    nora = IndexRecord(uuid.uuid4(), ("Nora Ayub", "Abu Ayoub"), "female", 2020)
    # Women of thirty with exactly the names asked for: the age sought is a child's.
    namesakes = [
        IndexRecord(uuid.uuid4(), ("Nour Ayoub", "Abu Ayoub"), "female", 1996) for _ in range(30)
    ]
    index = NameIndex().build([*namesakes, nora])
    assert ids(index, "Nour Ayoub Abu Ayoub", age=6, sex="female")[0] == nora.person_id


def test_a_person_moved_to_another_site_is_found_at_the_new_one(
    fresh_index: Path, commander: Any, site: Site
) -> None:
    other = Site.objects.create(code="forest-camp", name="Forest Camp")
    person = register(commander, "Layla", "Haddad", sex="female")
    index_store.index_current()  # the index knows her at the first site
    services.person_status_record(actor=commander, person=person, status="transferred", site=other)

    def score_at(code: str) -> float:
        probe = Probe(name_parse("Leila Haddad"), site=code)
        [hit] = index_store.index_current().search(probe, year=YEAR)
        return hit.score

    assert score_at(other.code) > score_at(site.code)
    assert index_store.index_current().search(
        Probe(name_parse("Leila Haddad"), site=other.code), year=YEAR
    )[0].score == pytest.approx(1.0)


# A typo in a name typed alone (Damerau 1964: one letter left out, added, changed or swapped):
# its skeleton is no one's, and the known skeletons one edit away are searched.
@pytest.mark.parametrize(
    ("registered", "query"),
    [
        ("Abolfazl", "Abolfalz"),  # two letters swapped
        ("Shahdokht", "Shahdokhgt"),  # a neighbouring key struck as well
        ("Ibrahim", "Ibrahiv"),  # a neighbouring key for another
    ],
)
def test_a_name_alone_with_a_typo_finds_the_person(registered: str, query: str) -> None:
    target = record(registered, "Rahimi")
    index = NameIndex().build([target, *(record("Mohamed", f"Family{i}") for i in range(50))])
    assert name_parse(query).tokens[0].skeleton not in index.skeleton_ids
    assert target.person_id in ids(index, query)


@pytest.mark.parametrize(
    ("registered", "query"),
    [
        (("Sara", "Ahmed"), "Sars Agmed"),  # a neighbouring key in each name
        (("Mehmet", "Gul"), "Mrehmet Gukl"),  # a key struck as well in each
    ],
)
def test_a_slip_in_both_names_still_finds_the_person(
    registered: tuple[str, str], query: str
) -> None:
    target = record(*registered)
    crowd = [record(registered[0], f"Family{i}") for i in range(40)] + [
        record(f"Given{i}", registered[1]) for i in range(40)
    ]
    index = NameIndex().build([target, *crowd])
    assert target.person_id in ids(index, query)


def spelled(query: str, **probe: Any) -> Probe:
    return Probe(name_parse(query), spelling=spelling_words([query]), **probe)


def test_among_many_persons_of_one_name_the_one_spelled_as_typed_comes_first() -> None:
    # Hamid, Hamed, Hameed and حامد are one name (score 1.0): more than the answer holds.
    same_name = [
        record(given, f"Family{i}")
        for i in range(40)
        for given in ("Hamed", "Hameed", "حامد", "Hamid")
    ]
    index = NameIndex().build(same_name)
    hits = index.search(spelled("Hammid"), limit=10, year=YEAR)
    by_id = {r.person_id: r.names[0] for r in same_name}
    assert [by_id[h.person_id] for h in hits] == ["Hamid"] * 10
    arabic = index.search(spelled("حامد"), limit=10, year=YEAR)
    assert [by_id[h.person_id] for h in arabic] == ["حامد"] * 10


def test_a_probe_without_its_spelling_still_finds_every_spelling() -> None:
    index = NameIndex().build([record("Hamed", "Tazi"), record("Hamid", "Tazi")])
    assert len(ids(index, "Hamid Tazi")) == 2


def test_a_renamed_spelling_is_reindexed(tmp_path: Path) -> None:
    person = record("Mohamed", "Tazi")
    index = NameIndex().build([person, *(record("Mohammed", "Tazi") for _ in range(40))])
    renamed = IndexRecord(person.person_id, ("Mouhamed", "Tazi"), "male", 1990)
    index.upsert(renamed)  # one token as before (doubles and ou fold), another spelling
    path = tmp_path / "index.npz"
    index_store.index_file_write(index, path, database="here")
    loaded = index_store.index_file_read(path, database="here")
    assert loaded is not None
    for answer in (index, loaded):
        hits = answer.search(spelled("Mouhamed Tazi"), limit=1, year=YEAR)
        assert [h.person_id for h in hits] == [person.person_id]


# A slip that gives the skeleton of another known name (Damerau 1964): the name keys find
# only that other name's bearers, and the fallback tier the names nearest by edit similarity.
@pytest.mark.parametrize(
    ("registered", "other", "query"),
    [
        (("Khalil", "Rahimi"), ("Haykal", "Tazi"), "Khakil"),
        (("Mina", "Safari"), ("Safa", "Tazi"), "Safai"),
        (("Majid", "Maleki"), ("Maj", "Mak"), "Maji Maeki"),
        (("Fathi", "Belhaj"), ("Balha", "Tazi"), "Belha"),  # a name typed unfinished
    ],
)
def test_a_slip_that_gives_another_known_name_still_finds_the_person(
    registered: tuple[str, str], other: tuple[str, str], query: str
) -> None:
    target = record(*registered)
    crowd = [record(*other)] + [record("Mohamed", f"Family{i}") for i in range(40)]
    index = NameIndex().build([target, *crowd])
    assert any(t.skeleton in index.skeleton_ids for t in name_parse(query).tokens)
    assert target.person_id in ids(index, query)


def test_an_index_already_caught_up_costs_one_query_of_the_change_log(
    fresh_index: Path, commander: Any, site: Site, django_assert_num_queries: Any
) -> None:
    person = register(commander, "Ayoub", "Tazi")
    index_store.index_current()
    with django_assert_num_queries(1):  # the change log's last position, nothing more
        index_store.index_current()
    services.person_update(actor=commander, person=person, changes={"family_name": "Alaoui"})
    assert found("Ayub Alawi") == [person.pk]
    with django_assert_num_queries(1):
        index_store.index_current()


@pytest.mark.parametrize(
    ("registered", "query"),
    [
        (("Jamal", "Yilmaz"), "Cemal Yilmaz"),  # the Turkish reading of the query
        (("Cemal", "Yilmaz"), "Jamal Yilmaz"),  # ... and of the person registered
        (("Khaled", "Haddad"), "Kaled Haddad"),
        (("Chaled", "Haddad"), "Khaled"),
        (("Qasim", "Karimi"), "Ghasem"),
        (("Siciid", "Cali"), "Said Ali"),
    ],
)
def test_a_name_in_another_reading_finds_the_person(
    registered: tuple[str, str], query: str
) -> None:
    target = record(*registered)
    others = [record(name, f"Family{i}") for i in range(30) for name in ("Samir", "Kamal")]
    index = NameIndex().build([target, *others])
    first = index.search(Probe(name_parse(query)), year=YEAR)[0]
    assert first.person_id == target.person_id
    assert first.name_score >= NAME_MATCH  # the same name, not a look-alike


def test_an_index_saved_and_loaded_keeps_the_other_readings(tmp_path: Path) -> None:
    cemal = record("Cemal", "Yilmaz")
    index = NameIndex().build([cemal, record("Samir", "Haddad")])
    path = tmp_path / "index.npz"
    index_store.index_file_write(index, path, database="here")
    loaded = index_store.index_file_read(path, database="here")

    assert loaded is not None
    assert loaded.tokens == index.tokens
    assert ids(loaded, "Jamal Yilmaz")[0] == cemal.person_id
