"""The duplicate finder's rules, one case each (matching.linkage; no database): placeholders,
blocking, the evidence and its weights, the calibrated likelihood and the reasons."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from lifeline.people.matching import linkage
from lifeline.people.matching.linkage import (
    LinkRecord,
    NameFrequencies,
    candidate_pairs,
    link_score,
    links_find,
    name_is_placeholder,
    phone_digits,
    record_names,
    token_level,
)
from lifeline.people.matching.names import name_parse

TODAY = dt.date(2026, 12, 1)


def person(
    row: int,
    given: str,
    family: str = "",
    *,
    born: dt.date | None = None,
    age: int | None = None,
    sex: str | None = None,
    site: str | None = "A",
    household: str | None = None,
    photo: bool = False,
    phone: str = "",
) -> LinkRecord:
    names, labels = record_names([given, family])
    if age is not None:
        born = dt.date(TODAY.year - age - 1, 6, 1)
    return LinkRecord(
        row=row, name=names, labels=labels, placeholder=name_is_placeholder([given, family]),
        born=born, born_estimated=age is not None, sex=sex, household=household, site=site,
        photo=photo, phone=phone_digits(phone),
    )  # fmt: skip


def rows_of(found: list[tuple[LinkRecord, LinkRecord, linkage.Linked]]) -> set[tuple[int, int]]:
    return {(a.row, b.row) for a, b, _ in found}


def crowd(n: int = 300) -> list[LinkRecord]:
    """Different people with different names, so that frequencies are those of a registry."""
    givens = ["Omar", "Layla", "Youssef", "Mariam", "Tarek", "Salma", "Nabil", "Hiba", "Ziad"]
    syllables = ["ba", "ku", "ri", "zo", "me", "ta", "ne", "fi", "go", "lu", "pe", "vi", "da"]
    families = [
        "".join(syllables[(i // 13**k * (k + 3)) % 13] for k in range(3)).capitalize() + "x"
        for i in range(n)
    ]
    return [
        person(1000 + i, givens[i % len(givens)], families[i], age=10 + i % 60, site="B")
        for i in range(n)
    ]


# ---- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "placeholder"),
    [
        (["Unknown", ""], True),
        (["Unidentified", "(Mavrah school 2026-05-02 #3)"], True),
        (["مجهول", ""], True),
        (["Inconnu", "X"], True),
        (["", ""], True),
        (["Unknown", "Haddad"], False),  # a family name is a name
        (["Ali", ""], False),
        (["Amal", "(Mavrah)"], False),
    ],
)
def test_a_placeholder_is_a_name_that_says_nobody_knows(
    names: list[str], placeholder: bool
) -> None:
    assert name_is_placeholder(names) is placeholder


def test_two_placeholders_are_never_proposed_on_the_name_alone() -> None:
    records = [
        person(1, "Unidentified", "(Mavrah school #1)", age=30, sex="male"),
        person(2, "Unidentified", "(Mavrah school #2)", age=30, sex="male"),
        person(3, "Unknown", age=30, sex="male"),
        person(4, "مجهول", age=30, sex="male"),
    ]
    found = links_find([*records, *crowd(50)], today=TODAY, shown=0.01)
    assert not {row for pair in rows_of(found) for row in pair} & {1, 2, 3, 4}


# ---- blocking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Sohaib", "Karimi"), ("Shoaib", "Karimi")),  # o and h swapped
        (("Badr", "Haddad"), ("Bard", "Haddad")),  # d and r swapped: another skeleton
        (("Youssef", "Karimi"), ("Karimi", "Youssef")),  # given and family swapped
        (("Rachid", "Benali"), ("Rasheed", "Ben Ali")),  # spellings
        (("Hamid", "Tazi"), ("Hamid", "Tazzi")),  # a consonant doubled
        (("Salim", "Nasser"), ("Salim", "Naser")),
        (("Mro", "Wardak"), ("Mro", "Warda")),  # the d left final is read t, as Warda's is
        (("Ayoub", "Rajabov"), ("Ayoub", "Rajab")),  # the b left final is read p
        (("Ali", "Sha"), ("Ali", "Sa")),  # a name of one consonant: sh and s, one key
    ],
)
def test_blocking_compares_records_a_consonant_or_an_order_apart(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    records = [person(0, *first, age=30), person(1, *second, age=30)]
    low, high = candidate_pairs(records)
    assert list(zip(low.tolist(), high.tolist(), strict=True)) == [(0, 1)]


def test_a_common_name_is_subdivided_by_birth_year_not_dropped() -> None:
    # Far more records of one name than a block holds: each is still compared with its
    # neighbours by birth year, so the record registered twice is found.
    many = [
        person(i, "Mohamed", "Ahmed", born=dt.date(1950 + i % 70, 1 + i % 12, 1), sex="male")
        for i in range(linkage.MAX_BLOCK * 5)
    ]
    twin = person(9999, "Mohammed", "Ahmad", born=many[77].born, sex="male")
    low, high = candidate_pairs([*many, twin])
    pairs = set(zip(low.tolist(), high.tolist(), strict=True))
    assert (77, len(many)) in pairs
    assert len(pairs) < len(many) * (linkage.NEIGHBOURS + 1) * 2  # not every pair of them


# ---- the evidence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Rachid", "Rachid", linkage.SAME),
        ("Rachid", "Rasheed", linkage.SPELLING),
        ("Leila", "Layla", linkage.SAME),
        ("Sohaib", "Shoaib", linkage.SLIP),
        ("Karim", "Karima", linkage.OTHER),  # a man's name and a woman's
        ("Omar", "Layla", linkage.OTHER),
        ("محمد", "أحمد", linkage.OTHER),  # one letter in Arabic script is another name
        ("Abdullah", "عبدالله", linkage.SAME),  # the h of Allah is kept in Arabic script
        ("Khin", "Khan", linkage.SHORT_SLIP),  # a slip in a short name: little either way
        ("Tare", "Tarek", linkage.SHORT_SLIP),
        ("Ali", "Amr", linkage.OTHER),  # two letters apart: another name
    ],
)
def test_two_names_agree_by_level(a: str, b: str, level: int) -> None:
    s, t = name_parse(a).tokens[0], name_parse(b).tokens[0]
    assert token_level(s, t, a.lower(), b.lower()) == level


@pytest.mark.parametrize(
    ("arabic", "latin", "level"),
    [
        # The usual Latin spellings of an Arabic-script name are that name: the same level
        # as two Latin records writing it alike.
        ("محمد", "Muhammad", linkage.SAME),
        ("محمد", "Mohamed", linkage.SAME),
        ("محمد", "Mohammed", linkage.SAME),
        ("أحمد", "Ahmed", linkage.SAME),
        ("احمد", "Ahmad", linkage.SAME),
        ("حنان", "Hanan", linkage.SAME),
        ("خالد", "Khaled", linkage.SAME),
        ("سعيد", "Saeed", linkage.SAME),
        ("حسين", "Hussein", linkage.SAME),
        ("مصطفى", "Mustafa", linkage.SAME),
        ("محسن", "Muhsin", linkage.SAME),  # a short i Arabic does not write
        # Other names of the same consonants stay other names: the Arabic writes a vowel the
        # Latin contradicts, or the ending of a woman's name, or the -i of a family name.
        ("محمد", "Mahmoud", linkage.OTHER),  # محمود
        ("حسين", "Hassan", linkage.OTHER),  # حسن
        ("حسن", "Hussein", linkage.OTHER),  # حسين
        ("خلود", "Khaled", linkage.OTHER),  # خالد
        ("سعد", "Said", linkage.OTHER),  # سعيد
        ("كريمة", "Karim", linkage.OTHER),
        ("أحمد", "Mohamed", linkage.OTHER),
    ],
)
def test_a_name_in_arabic_script_agrees_with_its_latin_spelling_as_two_latin_records_do(
    arabic: str, latin: str, level: int
) -> None:
    s, t = name_parse(arabic).tokens[0], name_parse(latin).tokens[0]
    assert token_level(s, t, arabic, latin.lower()) == level
    assert token_level(t, s, latin.lower(), arabic) == level


def test_an_arabic_script_name_and_its_latin_spelling_weigh_as_the_commoner_written_form() -> None:
    records = [
        *(person(100 + i, "Muhammad", f"Other{i}", age=20 + i % 40) for i in range(40)),
        *(person(200 + i, "محمد", f"Other{i}", age=20 + i % 40) for i in range(10)),
        *crowd(200),
    ]
    freq = NameFrequencies(records)
    arabic, latin = name_parse("محمد").tokens[0], name_parse("Muhammad").tokens[0]
    across = freq.level_bits(linkage.SAME, arabic, latin)
    assert across == freq.level_bits(linkage.SAME, latin, latin)
    assert across < freq.level_bits(linkage.SAME, arabic, arabic)


def test_spellings_weigh_by_the_share_of_the_name_not_of_its_consonants() -> None:
    # Mahmoud has Muhammad's consonants (m-h-m-d) but is another name: a registry full of
    # Mahmouds does not make two spellings of Muhammad agree by chance more often.
    mahmouds = [person(100 + i, "Mahmoud", f"Other{i}", age=20 + i % 40) for i in range(150)]
    freq = NameFrequencies([*mahmouds, *crowd(200)])
    s, t = name_parse("Mohamed").tokens[0], name_parse("Muhammad").tokens[0]
    assert token_level(s, t) == linkage.SPELLING
    zayds = [person(100 + i, "Zayd", f"Other{i}", age=20 + i % 40) for i in range(150)]
    assert freq.spelling_share(s) == NameFrequencies([*zayds, *crowd(200)]).spelling_share(s)
    assert freq.level_bits(linkage.SPELLING, s, t) == pytest.approx(
        math.log2(linkage.LEVEL_M[linkage.SPELLING] / freq.spelling_share(s))
    )


def test_an_arabic_script_duplicate_is_proposed_like_a_latin_one() -> None:
    others = [
        *(person(100 + i, "Muhammad", f"Other{i}", age=20 + i % 40) for i in range(30)),
        *(person(200 + i, "محمد", f"Other{i}", age=20 + i % 40) for i in range(10)),
        *crowd(),
    ]
    latin = score(
        person(0, "Muhammad", "Zubaydi", age=30, sex="male"),
        person(1, "Muhammad", "Zubaydi", age=31, sex="male"),
        others,
    )
    across = score(
        person(0, "محمد", "Zubaydi", age=30, sex="male"),
        person(1, "Muhammad", "Zubaydi", age=31, sex="male"),
        others,
    )
    assert across == pytest.approx(latin, abs=0.1)  # one Muhammad fewer in the registry
    assert linkage.likelihood_of(across) >= linkage.SHOWN


def test_spellings_of_the_same_person_with_ages_that_agree_are_proposed() -> None:
    records = [
        person(0, "Rachid", "Benali", age=40, sex="male"),
        person(1, "Rasheed", "Ben Ali", age=41, sex="male"),
        *crowd(),
    ]
    found = links_find(records, today=TODAY)
    assert rows_of(found) == {(0, 1)}
    assert found[0][2].likelihood >= 0.9


def test_namesakes_far_apart_in_age_are_not_proposed() -> None:
    records = [
        person(0, "Rachid", "Benali", age=20, sex="male"),
        person(1, "Rachid", "Benali", age=55, sex="male"),
        *crowd(),
    ]
    assert links_find(records, today=TODAY) == []


def test_a_slip_in_a_short_name_does_not_hide_one_person_born_the_same_day() -> None:
    records = [
        person(0, "Khan", "Alahmadi", born=dt.date(1950, 6, 29), sex="male"),
        person(1, "Khin", "Alahmadi", born=dt.date(1950, 6, 29), sex="male"),
        *crowd(),
    ]
    assert rows_of(links_find(records, today=TODAY)) == {(0, 1)}


def test_a_slip_in_a_short_name_with_dates_years_apart_is_not_proposed() -> None:
    records = [
        person(0, "Khan", "Alahmadi", born=dt.date(1950, 6, 29), sex="male"),
        person(1, "Khin", "Alahmadi", born=dt.date(1971, 2, 3), sex="male"),
        *crowd(),
    ]
    assert links_find(records, today=TODAY) == []


def test_namesakes_whose_estimated_ages_are_twelve_years_apart_are_not_proposed() -> None:
    records = [
        person(0, "Rachid", "Benali", age=30, sex="male", site="B"),
        person(1, "Rachid", "Benali", age=42, sex="male", site="B"),
        *crowd(),
    ]
    assert links_find(records, today=TODAY) == []


def test_an_adult_age_estimated_five_years_off_still_counts_for() -> None:
    near = score(person(0, "Amal", "Saleh", age=40), person(1, "Amal", "Saleh", age=45))
    far = score(person(0, "Amal", "Saleh", age=40), person(1, "Amal", "Saleh", age=52))
    names_only = score(person(0, "Amal", "Saleh"), person(1, "Amal", "Saleh"))
    assert far < names_only < near


def test_two_persons_of_two_households_are_rarely_one() -> None:
    apart = score(
        person(0, "Amal", "Saleh", age=40, household="h1"),
        person(1, "Amal", "Saleh", age=40, household="h2"),
    )
    one_left_out = score(
        person(0, "Amal", "Saleh", age=40, household="h1"), person(1, "Amal", "Saleh", age=40)
    )
    assert apart < one_left_out - 4


def test_a_brother_and_sister_of_one_household_are_not_proposed() -> None:
    records = [
        person(0, "Karim", "Haddad", age=12, sex="male", household="h1"),
        person(1, "Karima", "Haddad", age=12, sex="female", household="h1"),
        *crowd(),
    ]
    assert links_find(records, today=TODAY) == []


def score(a: LinkRecord, b: LinkRecord, others: list[LinkRecord] | None = None) -> float:
    records = [a, b, *(others if others is not None else crowd())]
    freq = NameFrequencies(records)
    shares = linkage.site_shares_of(records)
    return link_score(a, b, freq, today=TODAY, site_shares=shares).bits


def test_the_same_date_of_birth_says_more_than_an_estimated_age() -> None:
    same_day = score(
        person(0, "Amal", "Saleh", born=dt.date(1990, 3, 4)),
        person(1, "Amal", "Saleh", born=dt.date(1990, 3, 4)),
    )
    estimated = score(person(0, "Amal", "Saleh", age=36), person(1, "Amal", "Saleh", age=36))
    assert same_day > estimated


def test_another_sex_weighs_against_and_an_unknown_sex_weighs_nothing() -> None:
    same = score(
        person(0, "Nour", "Saleh", age=9, sex="female"),
        person(1, "Nour", "Saleh", age=9, sex="female"),
    )
    unknown = score(
        person(0, "Nour", "Saleh", age=9, sex="female"), person(1, "Nour", "Saleh", age=9)
    )
    other = score(
        person(0, "Nour", "Saleh", age=9, sex="female"),
        person(1, "Nour", "Saleh", age=9, sex="male"),
    )
    assert same > unknown > other


def test_another_site_weighs_against_the_same_site_for() -> None:
    here = score(
        person(0, "Amal", "Saleh", age=30, site="A"), person(1, "Amal", "Saleh", age=30, site="A")
    )
    there = score(
        person(0, "Amal", "Saleh", age=30, site="A"), person(1, "Amal", "Saleh", age=30, site="C")
    )
    assert here > there


def test_a_common_name_says_less_than_a_rare_one() -> None:
    mohameds = [person(100 + i, "Mohamed", f"Other{i}", age=20 + i % 40) for i in range(200)]
    common = score(
        person(0, "Mohamed", "Zubaydi", age=30), person(1, "Mohamed", "Zubaydi", age=30), mohameds
    )
    rare = score(
        person(0, "Zoubida", "Zubaydi", age=30), person(1, "Zoubida", "Zubaydi", age=30), mohameds
    )
    assert rare > common


def test_every_proposed_pair_has_its_reasons_in_words() -> None:
    records = [
        person(0, "Sohaib", "Karimi", age=36, photo=True),
        person(1, "Shoaib", "Karimi", age=36, photo=True),
        *crowd(),
    ]
    found = links_find(records, today=TODAY, shown=0.01)
    assert found
    texts = [r.text() for r in found[0][2].reasons]
    assert "Sohaib and Shoaib: one letter apart" in texts
    assert "both have a photo: compare them" in texts


def test_the_batch_weighs_every_pair_as_the_single_pair_rule_does() -> None:
    records = [
        person(0, "Rachid", "Benali", age=40, sex="male", household="h"),
        person(1, "Rasheed", "Ben Ali", born=dt.date(1985, 1, 2), sex="male"),
        person(2, "Rachida", "Benali", age=40, sex="female", household="h"),
        person(3, "Benali", "Rachid", age=70, site="C"),
        person(4, "Unknown", age=40),
        person(5, "Tarek", "Benali", age=8, sex="male"),
        person(6, "Tare", "Benali", age=9),
        person(7, "Abdullah", "بن علي", age=25, household="h2"),
        person(8, "عبدالله", "Benali", age=27, household="h3"),
        person(9, "محمد", "Benali", age=33),
        person(10, "Mohamed", "Benali", age=33),
        person(11, "Mahmoud", "Benali", age=33),
        *crowd(60),
    ]
    freq = NameFrequencies(records)
    shares = linkage.site_shares_of(records)
    low, high = candidate_pairs(records)
    batch = linkage._batch_bits(records, low, high, freq, TODAY, shares)
    single = [
        link_score(records[a], records[b], freq, today=TODAY, site_shares=shares).bits
        for a, b in zip(low.tolist(), high.tolist(), strict=True)
    ]
    assert np.allclose(batch, single)


@pytest.mark.parametrize(
    ("given_a", "family_a", "given_b", "family_b"),
    [
        ("Hiba", "Alaoui", "Hiua", "Alaoui"),  # a consonant struck for another
        ("Musa", "Unak", "Musa", "Unal"),
        ("Marwa", "Beka", "Marwa", "Besha"),
    ],
)
def test_the_batch_weighs_a_slip_in_a_short_name_as_the_single_pair_rule_does(
    given_a: str, family_a: str, given_b: str, family_b: str
) -> None:
    # The batch scorer took two names sharing no consonant skeleton for other names, where
    # link_score (and its reasons) found one letter apart: the pair was never proposed.
    records = [
        person(0, given_a, family_a, age=30, sex="female"),
        person(1, given_b, family_b, age=31, sex="female"),
        *crowd(),
    ]
    freq = NameFrequencies(records)
    shares = linkage.site_shares_of(records)
    batch = linkage._batch_bits(records, np.array([0]), np.array([1]), freq, TODAY, shares)
    single = link_score(records[0], records[1], freq, today=TODAY, site_shares=shares)
    assert np.allclose(batch, [single.bits])
    assert single.likelihood >= linkage.SHOWN
    assert (0, 1) in rows_of(links_find(records, today=TODAY))


def test_the_likelihood_rises_with_the_evidence() -> None:
    values = [linkage.likelihood_of(bits) for bits in range(-10, 40, 5)]
    assert values == sorted(values)
    assert 0.0 < values[0] < 0.01 and values[-1] > 0.99


@pytest.mark.parametrize(
    ("age_a", "age_b", "words"),
    [
        (40, 41, "agree"),
        (40, 46, "are near"),
        (2, 5, "are near"),  # a child's age three years off says little either way
        (30, 47, "are far apart"),
    ],
)
def test_the_reason_says_how_far_apart_two_estimated_ages_are(
    age_a: int, age_b: int, words: str
) -> None:
    a, b = person(0, "Amal", "Saleh", age=age_a), person(1, "Amal", "Saleh", age=age_b)
    reasons = linkage._birth_evidence(a, b, TODAY)[1]
    assert words in reasons[0].text()


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("+963 944 123 456", "944123456"),
        ("0944-123-456", "944123456"),  # the same number written nationally
        ("00963944123456", "944123456"),
        ("٠٩٤٤١٢٣٤٥٦", "944123456"),  # typed in Arabic-Indic digits
        ("۰۹۴۴۱۲۳۴۵۶", "944123456"),  # and in Persian ones
        ("12 34", None),  # too short to be a number
        ("", None),
    ],
)
def test_a_phone_number_is_compared_by_its_national_digits(
    written: str, digits: str | None
) -> None:
    assert phone_digits(written) == digits


def test_one_phone_number_on_both_records_is_said_but_not_weighed() -> None:
    # A number is often a family's: the reviewer is told, the likelihood is left as it was.
    a = person(0, "Sohaib", "Karimi", age=36, phone="+963 944 123 456")
    b = person(1, "Shoaib", "Karimi", age=36, phone="0944 123 456")
    records = [a, b, *crowd()]
    freq = NameFrequencies(records)
    with_phone = link_score(a, b, freq, today=TODAY)
    without = link_score(
        a, person(1, "Shoaib", "Karimi", age=36, phone="0944 999 888"), freq, today=TODAY
    )
    texts = [r.text() for r in with_phone.reasons]
    assert "the same phone number on both: ask whose it is" in texts
    assert with_phone.bits == without.bits
    assert not any("phone" in r.text() for r in without.reasons)
