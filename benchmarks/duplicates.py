"""Duplicate records: does the finder propose every person registered twice, and nobody else?

    python benchmarks/duplicates.py [--scale PERSONS] [--seed N] [--crowd fixture]
        [--no-splink] [--splink-only] [--pairs FILE]

The crowd: real first and last names by country from the `names-dataset` package (Latin and
Arabic script, as people wrote them on a social network; noise such as "Ana" or "ام" kept
out), drawn with the weight of their rank (Zipf), so common names are common and namesakes
happen as they do. Without the package (or with `--crowd fixture`) a small hand-written
fixture stands in, for the smoke test only. Persons get a sex, a date of birth (or an age
estimated at intake, heaped on multiples of five), a site among eight camps, and most of them a
household with others of their family name.

Then, each written by hand (see `duplicates_variants.py` for the rules and their sources):
- planted duplicates (2% of the scale): the same person registered again by another
  registrar: the names respelled (a transliteration, Arabic script, a typo), the family name
  first in 10%, an estimated age instead of the date of birth in 60%, the sex left unknown in
  20%, at another camp in 35%, in the household in 15%. Half of them are written with the
  HELD_OUT rules, never looked at while tuning: `heldout_f1`.
- namesakes (as many): another person with the same names (the same spelling or a SEEN
  variant), of another age, perhaps of the same camp;
- look-alikes: siblings (the same family name, another given name, the same household, close
  ages) and a feminine form beside the masculine one (Karim and Karima) in one family;
- placeholders (1%): unidentified persons registered as the survivors-found report registers
  them ("Unidentified" "(Mavrah 2026-05-02 #3)"), and "Unknown", "مجهول", "Inconnu".

Every person is registered through `people.services` (households through theirs). The finder
is then called as the product calls it: `people.matching.selectors.duplicates_find` by a
registrar, every pair it proposes at its shipped threshold, timed (the index warm, as it is
once the first search has run; its build is reported apart).

The baseline in the same run on the same rows: Splink (DuckDB backend, the linkage library a
team would reach for), set up unsupervised as its tutorials and training guide show (the
comparison levels and training steps are written in `splink_find`): first_name and surname by
NameComparison with term frequencies, birth_year by exact / within 2 / within 5, sex and site
exact; household left out (a family's, not a person's); the chance of a random match from an
exact (first_name, surname, birth_year) rule, u by random sampling, m by EM in three sessions
each blocked where matches are a fair share of the pairs; pairs kept at Splink's default match
probability 0.5, and its best F1 over every threshold reported beside (an oracle).
`--splink-only` runs the baseline alone on the same rows (ids aside) and prints its trained m
and u, to set it up in a minute.

Figures: precision, recall and F1 of the pairs proposed against the planted ones; Splink's;
namesakes proposed (share of the namesake pairs), placeholder pairs proposed, F1 on the
held-out variants, seconds for the finder and for Splink, recall by rule, and a reliability
table (pairs by the finder's likelihood, how many were planted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Figure,
    bench_dir,
    isolated_database,
    machine_info,
    progress,
    results_write,
    table_print,
)
from duplicates_variants import ARABIC_SPELLING, HELD_OUT, SEEN, respell

SEED = 3
YEAR = 2026
SITES = 8
TARGET_F1 = 0.85
TARGET_PRECISION = 0.90
TARGET_NAMESAKES = 0.01
TARGET_SECONDS = 5.0
FIXTURE = Path(__file__).resolve().parent / "data" / "duplicates_crowd.json"
# Countries of the crowd (the people of a camp in the region, and a few from further away).
COUNTRIES = {
    "SY": 14, "IQ": 12, "SD": 10, "YE": 8, "EG": 8, "MA": 6, "DZ": 6, "TN": 4, "JO": 4,
    "LB": 3, "LY": 3, "SA": 3, "TR": 5, "AF": 5, "NG": 4, "FR": 3,
}  # fmt: skip
TOP_GIVEN = 200
TOP_FAMILY = 1000
# Given names by their rank's weight 1/rank (Zipf: a few names are very common, as Mohammad
# is); family names flatter, 1/rank^0.6, for the lists' "last names" are often a father's given
# name and their top ranks would otherwise take a sixth of a country.
FAMILY_EXPONENT = 0.6
# Noise of the names-dataset lists (social-network profile names): kinship words, particles,
# abbreviations.
NOISE = frozenset(
    {"ana", "om", "um", "em", "abo", "abu", "ben", "el", "ell", "simo", "med", "moh", "tota",
     "lolo", "mimi", "fifi", "sousou", "fati", "itz", "prince", "princess", "ام", "أم", "انا",
     "ابو", "أبو", "بت", "ود", "امي", "ام محمد"}
)  # fmt: skip
PLACEHOLDER_PLACES = ("Mavrah school", "Qasr al-Hanif", "north road", "Bravo", "the dam")


@dataclass
class Plan:
    key: int
    given: str
    family: str
    sex: str  # female / male / unknown
    dob: dt.date | None = None
    age: int | None = None  # an age estimated at intake instead of a date of birth
    site: int = 0
    household: int | None = None
    kind: str = "person"  # person, duplicate, namesake, sibling, feminine, placeholder
    of: int | None = None  # the plan this one duplicates or resembles
    rule: str = ""  # the spelling rules that wrote a duplicate
    heldout: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# ---- the crowd -------------------------------------------------------------------------------


def _clean(names: Sequence[str]) -> list[str]:
    out = []
    for name in names:
        text = name.strip()
        if len(text) < 3 or text.lower() in NOISE or not any(ch.isalpha() for ch in text):
            continue
        if any("\u0590" <= ch <= "\u05ff" for ch in text):  # Hebrew: not this crowd's script
            continue
        out.append(text)
    return out


def crowd_load(source: str) -> tuple[dict[str, dict[str, list[str]]], str]:
    """{country: {"M": [...], "F": [...], "L": [...]}} by rank, and where it came from."""
    if source == "names-dataset":
        try:
            from names_dataset import NameDataset  # type: ignore[import-untyped]
        except ImportError:
            print("names-dataset is not installed: using the small fixture", flush=True)
        else:
            dataset = NameDataset()
            crowd: dict[str, dict[str, list[str]]] = {}
            for country in COUNTRIES:
                first = dataset.get_top_names(n=TOP_GIVEN, country_alpha2=country).get(country, {})
                last = dataset.get_top_names(
                    n=TOP_FAMILY, country_alpha2=country, use_first_names=False
                ).get(country, [])
                crowd[country] = {
                    "M": _clean(first.get("M", [])),
                    "F": _clean(first.get("F", [])),
                    "L": _clean(last),
                }
            del dataset
            from importlib.metadata import version

            return crowd, f"names-dataset {version('names-dataset')}"
    data = json.loads(FIXTURE.read_text())
    return data["countries"], "fixture (hand-written, smoke test only)"


def _zipf(rng: random.Random, names: list[str], exponent: float = 1.0) -> str:
    weights = _weights(len(names), exponent)
    return rng.choices(names, cum_weights=weights)[0]


_WEIGHTS: dict[tuple[int, float], list[float]] = {}


def _weights(n: int, exponent: float) -> list[float]:
    found = _WEIGHTS.get((n, exponent))
    if found is None:
        total, found = 0.0, []
        for rank in range(n):
            total += 1 / (rank + 1) ** exponent
            found.append(total)
        _WEIGHTS[(n, exponent)] = found
    return found


def _canonical(name: str) -> str:
    """One form for a name and its Arabic-script spelling of the hand list (a family does not
    give two children one name, in two scripts either). The crowd writes alef without its hamza
    (احمد) where the hand list has it (أحمد): both are one name."""
    return ARABIC_SPELLING.get(name.lower(), name).translate(_ALEF_PLAIN)


_ALEF_PLAIN = str.maketrans(dict.fromkeys("\u0623\u0625\u0622", "\u0627"))  # hamza-alef -> alef


def _birth(rng: random.Random) -> tuple[dt.date | None, int | None]:
    age = min(int(rng.expovariate(1 / 26)), 90)
    if rng.random() < 0.3:
        return None, _heaped(rng, age)
    born = dt.date(YEAR - age - 1, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return born, None


def _heaped(rng: random.Random, age: int) -> int:
    """An age estimated by sight: off by a little, often rounded to a multiple of five (age
    heaping; Whipple's index, UN Manual X on demographic estimation)."""
    spread = 1 if age < 15 else 3
    guess = max(0, age + round(rng.gauss(0, spread)))
    if guess >= 20 and rng.random() < 0.3:
        guess = 5 * round(guess / 5)
    return guess


def _age_of(plan: Plan) -> int:
    if plan.age is not None:
        return plan.age
    assert plan.dob is not None
    return YEAR - plan.dob.year


def plans_make(scale: int, seed: int, crowd: dict[str, dict[str, list[str]]]) -> list[Plan]:
    rng = random.Random(seed)
    planted = max(2, scale // 50)
    namesakes = planted
    placeholders = max(2, scale // 100)
    feminine_pairs = max(1, scale // 200)
    base = scale - planted - namesakes - placeholders - feminine_pairs
    countries = [c for c in COUNTRIES if crowd.get(c, {}).get("L") and crowd[c].get("M")]
    country_weights = [COUNTRIES[c] for c in countries]
    plans: list[Plan] = []
    households = 0
    while len(plans) < base:
        country = rng.choices(countries, country_weights)[0]
        names = crowd[country]
        family = _zipf(rng, names["L"], FAMILY_EXPONENT)
        site = rng.randrange(SITES)
        size = rng.choice((1, 1, 2, 3, 4, 5, 6))
        household = None
        if size > 1:
            households += 1
            household = households
        given_names: set[str] = set()  # parents do not give two children one name
        for _ in range(min(size, base - len(plans))):
            sex = rng.choice("MF")
            given = _zipf(rng, names[sex] or names["M"])
            while _canonical(given) in given_names:
                given = _zipf(rng, names[sex] or names["M"])
            given_names.add(_canonical(given))
            dob, age = _birth(rng)
            plans.append(
                Plan(
                    key=len(plans), given=given, family=family,
                    sex={"M": "male", "F": "female"}[sex], dob=dob, age=age, site=site,
                    household=household, kind="person" if household is None else "member",
                    extra={"country": country},
                )
            )  # fmt: skip
    members = [p for p in plans if p.household is not None]
    originals = rng.sample(plans, planted)
    for i, original in enumerate(originals):
        plans.append(_duplicate(rng, original, len(plans), heldout=i % 2 == 1))
    for original in rng.sample(plans[:base], namesakes):
        plans.append(_namesake(rng, original, len(plans)))
    # Feminine forms: a woman whose given name is the masculine one with -a (Karim, Karima),
    # in the family of a man of that name.
    men = [
        p for p in members if p.sex == "male" and p.given[-1:].isascii() and p.given[-1:].isalpha()
    ]
    for man in rng.sample(men, min(feminine_pairs, len(men))):
        dob, age = _birth(rng)
        plans.append(
            Plan(
                key=len(plans), given=man.given + "a", family=man.family, sex="female", dob=dob,
                age=age, site=man.site, household=man.household, kind="feminine", of=man.key,
            )
        )  # fmt: skip
    for n in range(placeholders):
        plans.append(_placeholder(rng, n, len(plans)))
    return plans


def _duplicate(rng: random.Random, original: Plan, key: int, *, heldout: bool) -> Plan:
    rules = HELD_OUT if heldout else SEEN
    given, family, used = original.given, original.family, []
    # Each name respelled with probability 0.7; at least one of them.
    change_given = rng.random() < 0.7
    change_family = rng.random() < 0.7 or not change_given
    if change_given:
        given, rule = respell(given, rules, rng)
        used.append(rule)
    if change_family:
        family, rule = respell(family, rules, rng)
        used.append(rule)
    if rng.random() < 0.1:
        given, family = family, given
        used.append("order")
    dob, age = original.dob, original.age
    if rng.random() < 0.6 or dob is None:
        dob, age = None, _heaped(rng, _age_of(original))
    sex = original.sex if rng.random() >= 0.2 else "unknown"
    site = (
        original.site if rng.random() >= 0.35 else (original.site + rng.randrange(1, SITES)) % SITES
    )
    household = original.household if rng.random() < 0.15 else None
    return Plan(
        key=key, given=given, family=family, sex=sex, dob=dob, age=age, site=site,
        household=household, kind="duplicate", of=original.key, rule="+".join(used),
        heldout=heldout,
    )  # fmt: skip


def _namesake(rng: random.Random, original: Plan, key: int) -> Plan:
    given, family = original.given, original.family
    if rng.random() < 0.4:
        given, _ = respell(given, SEEN, rng)
    dob, age = _birth(rng)
    site = original.site if rng.random() < 0.3 else rng.randrange(SITES)
    sex = original.sex if rng.random() < 0.9 else "unknown"
    return Plan(
        key=key, given=given, family=family, sex=sex, dob=dob, age=age, site=site,
        kind="namesake", of=original.key,
    )  # fmt: skip


def _placeholder(rng: random.Random, n: int, key: int) -> Plan:
    age = rng.choice((None, 5, 12, 30, 45, 70))
    site = rng.randrange(SITES)
    style = n % 4
    if style == 0:
        place = rng.choice(PLACEHOLDER_PLACES)
        day = dt.date(YEAR, 5, 1) + dt.timedelta(days=rng.randrange(30))
        given, family = "Unidentified", f"({place} {day:%Y-%m-%d} #{rng.randrange(1, 9)})"
    elif style == 1:
        given, family = "Unknown", ""
    elif style == 2:
        given, family = "مجهول", ""
    else:
        given, family = "Inconnu", rng.choice(("", "(enfant)", "X"))
    return Plan(
        key=key,
        given=given,
        family=family,
        sex="unknown",
        age=age,
        site=site,
        kind="placeholder",
    )


# ---- registering through the services ---------------------------------------------------------


def register(plans: list[Plan], registrar: Any, sites: list[Any]) -> dict[int, Any]:
    """Each plan registered through people.services; {plan key: person id}."""
    from lifeline.people.services import household_create, household_member_add, person_register

    households: dict[int, Any] = {}
    ids: dict[int, Any] = {}
    step = max(1, len(plans) // 5)
    started, cpu_started = time.perf_counter(), time.process_time()
    for done, plan in enumerate(plans, start=1):
        person = person_register(
            actor=registrar,
            given_name=plan.given,
            family_name=plan.family,
            sex=plan.sex,
            date_of_birth=plan.dob,
            age_years=plan.age,
            site=sites[plan.site],
        )
        if plan.household is not None:
            household = households.get(plan.household)
            if household is None:
                household = households[plan.household] = household_create(
                    actor=registrar, site=sites[plan.site]
                )
            household_member_add(actor=registrar, household=household, person=person)
        ids[plan.key] = person.pk
        if done % step == 0:
            progress(done, len(plans), started, "registered", cpu_started)
    return ids


# ---- measuring --------------------------------------------------------------------------------


def _pair(a: Any, b: Any) -> tuple[str, str]:
    x, y = str(a), str(b)
    return (x, y) if x < y else (y, x)


@dataclass
class Truth:
    planted: dict[tuple[str, str], Plan]
    namesakes: set[tuple[str, str]]
    lookalikes: set[tuple[str, str]]
    placeholders: set[str]


def truth_of(plans: list[Plan], ids: dict[int, Any]) -> Truth:
    planted: dict[tuple[str, str], Plan] = {}
    namesakes: set[tuple[str, str]] = set()
    lookalikes: set[tuple[str, str]] = set()
    by_household: dict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        if plan.kind == "duplicate":
            assert plan.of is not None
            planted[_pair(ids[plan.key], ids[plan.of])] = plan
        elif plan.kind == "namesake":
            namesakes.add(_pair(ids[plan.key], ids[plan.of]))
        elif plan.kind == "feminine":
            lookalikes.add(_pair(ids[plan.key], ids[plan.of]))
        if plan.household is not None and plan.kind != "duplicate":
            by_household[plan.household].append(plan)
    for members in by_household.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                lookalikes.add(_pair(ids[a.key], ids[b.key]))
    placeholders = {str(ids[p.key]) for p in plans if p.kind == "placeholder"}
    return Truth(planted, namesakes, lookalikes, placeholders)


def scores(
    found: set[tuple[str, str]], planted: set[tuple[str, str]]
) -> tuple[float, float, float]:
    hits = len(found & planted)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(planted) if planted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def lifeline_find(
    registrar: Any,
) -> tuple[list[tuple[tuple[str, str], float, tuple[str, ...]]], float, float]:
    """The finder as the product calls it: (pairs with likelihood and reasons, seconds of the
    index build, seconds of the finder)."""
    from lifeline.people.matching import selectors
    from lifeline.people.matching.index_store import index_current

    started = time.perf_counter()
    index_current()  # built from the registry: its file is the benchmark's (see run)
    build_s = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    found = selectors.duplicates_all(actor=registrar)
    seconds = time.perf_counter() - started
    lifeline_find.cpu_seconds = time.process_time() - cpu_started  # type: ignore[attr-defined]
    pairs = [(_pair(p.first.pk, p.second.pk), p.score, tuple(p.reasons)) for p in found]
    return pairs, build_s, seconds


def splink_find(
    plans: list[Plan], ids: dict[int, Any], *, verbose: bool = False
) -> tuple[set[tuple[str, str]], float, float | None]:
    """Splink 5 (DuckDB), unsupervised, on the same rows, set up as its tutorials and its
    training guide show: (pairs at match probability >= 0.5, seconds, None); the caller
    computes the best F1 over thresholds from `splink_find.scored`.

    Columns: first_name, surname (lower case), birth_year (the year of the date of birth, or
    the intake year less the estimated age), sex (null when unknown), site.

    Comparison levels:
    - first_name, surname: `NameComparison` (exact; Jaro-Winkler >= 0.92, >= 0.88, >= 0.70;
      else), term-frequency adjustments on the exact level (the tutorials' names);
    - birth_year: exact, within 2, within 5, else (null when unknown);
    - sex, site: exact or not (as the tutorials compare city).
    Household is left out: Splink's person examples compare personal identifiers only, and a
    household is shared by a family, the hardest non-matches here; with it, EM learnt
    families instead of duplicates (household m 0.50, first-name exact m 0.14).

    Training, in the order of the tutorial:
    1. the chance that two random records match, from the deterministic rule "exact
       first_name, surname and birth_year" assumed to find 70% of the matches (the tutorial's
       recall; the rule is the tightest of the data, names alone are shared by namesakes);
    2. u by random sampling of 10^7 pairs (the guide: more pairs, better u);
    3. m by expectation maximisation, each comparison learnt in a session whose blocking rule
       does not use it: blocked on (surname, birth_year) for first_name; on (first_name,
       birth_year) for surname; last on (first_name, surname) for birth_year, sex and site
       (last, so that it starts from trained name weights: run first, it learnt a birth-year
       m no better than u, exact 0.12 for u 0.02, else 0.71 for 0.79, and let namesakes of
       other ages through). The
       tutorial's second session, blocked on birth_year alone, is not used: here one pair in
       20,000 of that block is a match, and the guide asks for blocks where matches are
       between 1% and 99% of the pairs (EM then learnt "same common first name" as a
       match). The prior is held fixed in the sessions (`fix_probability_two_random_records_
       match`): left free, it rose to 1 in the name block and every m came out equal to u;
       term frequencies are kept in the iterations (common names, Mohammad, dominate the
       name blocks).
    Predictions blocked on surname, on first_name, on (first three letters of first_name,
    birth_year), and on first_name and surname swapped; the user's threshold is Splink's
    default 0.5.
    """
    import logging

    import pyarrow as pa  # type: ignore[import-untyped]
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pa.Table.from_pylist(splink_rows(plans, ids))
    started = time.perf_counter()
    db_api = DuckDBAPI()
    table = db_api.register(frame)
    year = cl.CustomComparison(
        output_column_name="birth_year",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.AbsoluteDifferenceLevel("birth_year", 5),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            year,
            cl.ExactMatch("sex"),
            cl.ExactMatch("site"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("first_name"),
            block_on("substr(first_name, 1, 3)", "birth_year"),
            "l.first_name = r.surname and l.surname = r.first_name",
        ],
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "birth_year")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in (
        block_on("surname", "birth_year"),
        block_on("first_name", "birth_year"),
        block_on("first_name", "surname"),
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_probability_two_random_records_match=True
        )
    if verbose:
        splink_parameters_print(linker)
    predictions = linker.inference.predict(threshold_match_probability=0.05).as_record_list()
    seconds = time.perf_counter() - started
    scored = [
        (_pair(r["unique_id_l"], r["unique_id_r"]), float(r["match_probability"]))
        for r in predictions
    ]
    splink_find.scored = scored  # type: ignore[attr-defined]
    return {pair for pair, p in scored if p >= 0.5}, seconds, None


def splink_rows(plans: list[Plan], ids: dict[int, Any]) -> list[dict[str, Any]]:
    """The rows Splink reads: one a person, as registered."""
    rows = []
    for plan in plans:
        born = plan.dob.year if plan.dob else (YEAR - plan.age if plan.age is not None else None)
        rows.append(
            {
                "unique_id": str(ids[plan.key]),
                "first_name": plan.given.strip().lower() or None,
                "surname": plan.family.strip().lower() or None,
                "birth_year": born,
                "sex": plan.sex if plan.sex != "unknown" else None,
                "site": f"S{plan.site}",
                "household": f"H{plan.household}" if plan.household is not None else None,
            }
        )
    return rows


def splink_parameters_print(linker: Any) -> None:
    """The trained m and u of every comparison level, and the prior, for a sanity check."""
    settings = linker.misc.save_model_to_json()
    print(f"splink prior: {settings['probability_two_random_records_match']:.2e}")
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            label = level.get("label_for_charts", level["sql_condition"])[:40]
            print(
                f"  {comparison['output_column_name']:<11} {label:<40}"
                f" m {m if m is None else round(m, 4)!s:<8} u {u if u is None else round(u, 6)}"
            )


def best_f1(
    scored: list[tuple[tuple[str, str], float]], planted: set[tuple[str, str]]
) -> tuple[float, float]:
    """The best F1 over every threshold (an oracle a user could not pick): (F1, threshold)."""
    ordered = sorted(scored, key=lambda s: -s[1])
    hits, best, at = 0, 0.0, 1.0
    for n, (pair, p) in enumerate(ordered, start=1):
        hits += pair in planted
        precision, recall = hits / n, hits / len(planted)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        if f1 > best:
            best, at = f1, p
    return best, at


RELIABILITY_BANDS = (
    (0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95),
    (0.95, 1.01),
)  # fmt: skip


def reliability(
    pairs: list[tuple[tuple[str, str], float, tuple[str, ...]]], planted: set[tuple[str, str]]
) -> list[tuple[str, int, float, float]]:
    """Pairs by likelihood band: (band, pairs, mean likelihood, share planted). A calibrated
    likelihood has the share planted near the mean likelihood in every band."""
    out = []
    for low, high in RELIABILITY_BANDS:
        inside = [(pair, score) for pair, score, _ in pairs if low <= score < high]
        if not inside:
            continue
        share = sum(pair in planted for pair, _ in inside) / len(inside)
        mean = sum(score for _, score in inside) / len(inside)
        out.append((f"{low:.2f}-{min(high, 1.0):.2f}", len(inside), mean, share))
    return out


def reliability_print(table: list[tuple[str, int, float, float]]) -> None:
    print("\nreliability (the finder's likelihood against the planted pairs)\n")
    print("| likelihood | pairs | mean likelihood | share planted |")
    print("|------------|-------|-----------------|---------------|")
    for band, n, mean, share in table:
        print(f"| {band:>10} | {n:>5} | {mean:>15.2f} | {share:>13.2f} |")
    print(flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20_000, help="persons registered")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--crowd", choices=("names-dataset", "fixture"), default="names-dataset")
    parser.add_argument("--no-splink", action="store_true", help="leave the baseline out")
    parser.add_argument("--pairs", type=Path, help="write the misses and false pairs here")
    parser.add_argument(
        "--misses",
        action="store_true",
        help="with --pure: the SEEN planted pairs missed, by cause (blocking, or the evidence"
        " that kept them below the threshold) and by variant rule",
    )
    parser.add_argument(
        "--pure",
        action="store_true",
        help="for tuning only: the finder's model on the plans, no database, no baseline",
    )
    parser.add_argument(
        "--splink-only",
        action="store_true",
        help="for setting up the baseline: Splink alone on the plans (the rows it reads in the"
        " full run, ids aside), its m and u printed, nothing written to var/bench",
    )
    args = parser.parse_args(argv)
    crowd, crowd_source = crowd_load(args.crowd)
    plans = plans_make(args.scale, args.seed, crowd)
    if args.pure:
        return pure_run(plans, args)
    if args.splink_only:
        return splink_only_run(plans)
    with isolated_database("duplicates") as database:
        results = run(plans, args, crowd_source, database.label)
    return 0 if results["targets_hold"] else 1


def splink_only_run(plans: list[Plan]) -> int:
    """The baseline alone: the rows of the full run but for the ids (the plans' keys, not the
    registry's), in a minute rather than the half hour of registering."""
    ids = {p.key: p.key for p in plans}
    truth = truth_of(plans, ids)
    planted = set(truth.planted)
    found, seconds, _ = splink_find(plans, ids, verbose=True)
    precision, recall, f1 = scores(found, planted)
    best, at = best_f1(splink_find.scored, planted)  # type: ignore[attr-defined]
    print(
        f"splink: {len(plans)} persons, {seconds:.1f} s; precision {precision:.3f} recall"
        f" {recall:.3f} f1 {f1:.3f} (best {best:.3f} at {at:.2f}); pairs {len(found)};"
        f" namesakes {len(found & truth.namesakes)}; lookalikes {len(found & truth.lookalikes)}"
    )
    return 0


def run(
    plans: list[Plan], args: argparse.Namespace, crowd_source: str, database: str
) -> dict[str, Any]:
    from lifeline.core.passwords import password_generate
    from lifeline.core.roles import Role
    from lifeline.core.services import site_ensure, user_create

    # Every module the finder runs is loaded now: a run of half an hour must not pick up a
    # file edited in the meantime.
    from lifeline.people.matching import index_store, linkage, selectors  # noqa: F401

    print(
        f"duplicates benchmark: {len(plans):,} persons on {database}, crowd {crowd_source}",
        flush=True,
    )
    # The name index of this database in a file of its own, never the one `make run` uses, and
    # none left from an earlier run of the benchmark.
    own_index = bench_dir() / "duplicates-name-index.npz"
    own_index.unlink(missing_ok=True)
    index_store.index_path = lambda: own_index  # type: ignore[assignment]
    index_store.index_forget()
    sites = [site_ensure(actor=None, code=f"CAMP{n}", name=f"Camp {n}") for n in range(SITES)]
    registrar = user_create(
        actor=None, username="bench-registrar", password=password_generate(), role=Role.REGISTRAR
    )
    started = time.perf_counter()
    ids = register(plans, registrar, sites)
    register_s = time.perf_counter() - started
    truth = truth_of(plans, ids)
    planted = set(truth.planted)

    pairs, build_s, seconds = lifeline_find(registrar)
    found = {pair for pair, _, _ in pairs}
    precision, recall, f1 = scores(found, planted)
    heldout = {pair for pair, plan in truth.planted.items() if plan.heldout}
    seen = planted - heldout
    # Held out and seen: recall over their own pairs, precision over every pair proposed that
    # is not a planted pair of the other group (a false pair belongs to neither).
    _, heldout_recall, _ = scores(found, heldout)
    heldout_precision, _, heldout_f1 = scores(found - seen, heldout)
    _, seen_recall, seen_f1 = scores(found - heldout, seen)
    namesakes_proposed = (
        len(found & truth.namesakes) / len(truth.namesakes) if truth.namesakes else 0.0
    )
    lookalikes_proposed = len(found & truth.lookalikes)
    placeholder_pairs = sum(
        1 for a, b in found if a in truth.placeholders or b in truth.placeholders
    )
    without_reason = sum(1 for _, _, reasons in pairs if not reasons)

    splink_precision = splink_recall = splink_f1 = splink_seconds = float("nan")
    splink_best = float("nan")
    if not args.no_splink:
        try:
            splink_found, splink_seconds, _ = splink_find(plans, ids, verbose=True)
        except ImportError:
            print("splink is not installed: the baseline is left out", flush=True)
        else:
            splink_precision, splink_recall, splink_f1 = scores(splink_found, planted)
            splink_best, _ = best_f1(splink_find.scored, planted)  # type: ignore[attr-defined]
    lifeline_best, lifeline_best_at = best_f1([(p, s) for p, s, _ in pairs], planted)

    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, plan in truth.planted.items():
        for rule in set(plan.rule.split("+")):
            by_rule[rule][0] += 1
            by_rule[rule][1] += pair in found
    table = reliability(pairs, planted)
    splink_ok = splink_f1 != splink_f1 or f1 > splink_f1  # NaN: no baseline ran
    figures = [
        Figure("persons", len(plans)),
        Figure("planted_pairs", len(planted)),
        Figure("precision", precision, splink_precision, "≥ 0.90", precision >= TARGET_PRECISION),
        Figure("recall", recall, splink_recall),
        Figure("f1", f1, splink_f1, "≥ 0.85, > Splink", f1 >= TARGET_F1 and splink_ok),
        Figure("heldout_f1", heldout_f1),
        Figure("seen_f1", seen_f1),
        Figure("best_f1 (any threshold)", lifeline_best, splink_best),
        Figure(
            "namesakes_proposed", namesakes_proposed, None, "≤ 0.01",
            namesakes_proposed <= TARGET_NAMESAKES,
        ),
        Figure("lookalikes_proposed", lookalikes_proposed),
        Figure("placeholder_pairs", placeholder_pairs, None, "0", placeholder_pairs == 0),
        Figure("pairs_without_reason", without_reason, None, "0", without_reason == 0),
        Figure("seconds", seconds, splink_seconds, "≤ 5", seconds <= TARGET_SECONDS),
    ]  # fmt: skip
    notes = [
        f"Registered through the services in {register_s:.0f} s; index built in {build_s:.1f} s.",
        f"Crowd: {crowd_source}. Pairs proposed: {len(found)}; Splink at p ≥ 0.5.",
        f"Best F1 over thresholds is an oracle (Lifeline's at {lifeline_best_at:.2f}).",
        "Recall by rule: "
        + ", ".join(f"{rule} {hit}/{n}" for rule, (n, hit) in sorted(by_rule.items())),
    ]
    table_print(f"duplicates at {len(plans):,} persons", figures, notes)
    reliability_print(table)
    holds = [f.holds for f in figures if f.holds is not None]
    results: dict[str, Any] = {
        "persons": len(plans),
        "planted_pairs": len(planted),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "splink_precision": splink_precision,
        "splink_recall": splink_recall,
        "splink_f1": splink_f1,
        "splink_best_f1": splink_best,
        "best_f1": lifeline_best,
        "namesakes_proposed": namesakes_proposed,
        "lookalikes_proposed": lookalikes_proposed,
        "placeholder_pairs": placeholder_pairs,
        "heldout_f1": heldout_f1,
        "heldout_recall": heldout_recall,
        "heldout_precision": heldout_precision,
        "seen_recall": seen_recall,
        "seen_f1": seen_f1,
        "seconds": seconds,
        # This process's CPU time in the finder: on a shared machine the wall time above counts
        # the other processes' turns too.
        "seconds_cpu": lifeline_find.cpu_seconds,  # type: ignore[attr-defined]
        "splink_seconds": splink_seconds,
        "index_build_s": build_s,
        "register_s": register_s,
        "pairs_proposed": len(found),
        "pairs_without_reason": without_reason,
        "recall_by_rule": {rule: hit / n for rule, (n, hit) in by_rule.items()},
        "reliability": [
            {"band": b, "pairs": n, "mean_likelihood": m, "planted_share": s}
            for b, n, m, s in table
        ],
        "shown_threshold": _shown(),
        "crowd": crowd_source,
        "user_path": True,
        "machine": machine_info(database),
        "targets_hold": all(holds),
    }
    # NaN is not JSON: a baseline left out is null.
    results = {k: (None if isinstance(v, float) and v != v else v) for k, v in results.items()}
    own_index.unlink(missing_ok=True)
    path = results_write("duplicates", results)
    print(f"wrote {path}", flush=True)
    if args.pairs:
        _pairs_write(args.pairs, plans, ids, truth, pairs)
    return results


def _shown() -> float:
    from lifeline.people.matching.linkage import SHOWN

    return SHOWN


def pure_run(plans: list[Plan], args: argparse.Namespace) -> int:
    """The model alone on the plans (as the finder would read them), for tuning: seconds, not
    the minutes of registering. Not a result: nothing is written to var/bench."""
    from lifeline.people.matching.linkage import (
        LinkRecord,
        links_find,
        name_is_placeholder,
        record_names,
    )
    from lifeline.people.rules import birth_date_from_age

    today = dt.date(YEAR, 12, 1)
    records = []
    for plan in plans:
        names, labels = record_names([plan.given, plan.family])
        born = plan.dob or (birth_date_from_age(plan.age, today) if plan.age is not None else None)
        records.append(
            LinkRecord(
                row=plan.key, name=names, labels=labels,
                placeholder=name_is_placeholder([plan.given, plan.family]), born=born,
                born_estimated=plan.dob is None, sex=plan.sex if plan.sex != "unknown" else None,
                household=f"H{plan.household}" if plan.household is not None else None,
                site=f"S{plan.site}",
            )
        )  # fmt: skip
    started = time.perf_counter()
    links = links_find(records, today=today, shown=0.05)
    seconds = time.perf_counter() - started
    ids = {p.key: p.key for p in plans}
    truth = truth_of(plans, ids)
    pairs = [
        (_pair(a.row, b.row), linked.likelihood, tuple(r.text() for r in linked.reasons))
        for a, b, linked in links
    ]
    shown = [p for p in pairs if p[1] >= _shown()]
    found = {p for p, _, _ in shown}
    planted = set(truth.planted)
    heldout = {pair for pair, plan in truth.planted.items() if plan.heldout}
    precision, recall, f1 = scores(found, planted)
    _, seen_recall, seen_f1 = scores(found - heldout, planted - heldout)
    _, _, heldout_f1 = scores(found - (planted - heldout), heldout)
    namesakes = len(found & truth.namesakes) / max(1, len(truth.namesakes))
    print(
        f"pure: {len(plans)} persons, {seconds:.2f} s; precision {precision:.3f}"
        f" recall {recall:.3f}"
        f" f1 {f1:.3f}; seen recall {seen_recall:.3f} f1 {seen_f1:.3f};"
        f" heldout f1 {heldout_f1:.3f}; namesakes {namesakes:.3f};"
        f" lookalikes {len(found & truth.lookalikes)}; pairs {len(found)}"
    )
    reliability_print(reliability(pairs, planted))
    if args.misses:
        misses_print(records, today, truth, found)
        return 0
    _weights_print(records, today, truth)
    _calibration_print(records, today, truth)
    if args.pairs:
        _pairs_write(args.pairs, plans, ids, truth, shown)
    return 0


def _weights_print(records: list[Any], today: dt.date, truth: Truth) -> None:
    """The m and u of the birth, sex, household and site levels of `matching.linkage`: m over
    the compared duplicates written with the SEEN rules, u over the other compared pairs (the
    held-out duplicates are left out)."""
    import numpy as np

    from lifeline.people.matching import linkage

    first, second = linkage.candidate_pairs(records)
    rows = [r.row for r in records]
    pairs = [_pair(rows[a], rows[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)]
    seen = np.array([p in truth.planted and not truth.planted[p].heldout for p in pairs])
    other = np.array([p not in truth.planted for p in pairs])
    exact = np.array([r.born is not None and not r.born_estimated for r in records])
    day = np.array([r.born.toordinal() if r.born else 0 for r in records])
    age = np.array([linkage._age(r.born, today) if r.born else -1 for r in records])
    sex = np.array([{"female": 1, "male": 2}.get(r.sex or "", 0) for r in records])
    homes: dict[str, int] = {}
    home = np.array(
        [homes.setdefault(r.household, len(homes) + 1) if r.household else 0 for r in records]
    )
    site = np.array([hash(r.site) for r in records])
    f, s = first, second
    both_exact = exact[f] & exact[s]
    gap = np.abs(age[f] - age[s])
    child = np.minimum(age[f], age[s]) < linkage.CHILD
    levels: dict[str, Any] = {
        "born the same day": both_exact & (day[f] == day[s]),
        "born within a year": both_exact & (day[f] != day[s]) & (np.abs(day[f] - day[s]) < 366),
        "born a year or more apart": both_exact & (np.abs(day[f] - day[s]) >= 366),
    }
    for name, table in (("adult", linkage.AGE_LEVELS_ADULT), ("child", linkage.AGE_LEVELS_CHILD)):
        wanted = ~both_exact & (~child if name == "adult" else child)
        low = 0
        for largest, _m, _u in table:
            levels[f"{name} age gap {low}-{largest}"] = wanted & (gap >= low) & (gap <= largest)
            low = largest + 1
        levels[f"{name} age gap {low}+"] = wanted & (gap >= low)
    known = (sex[f] > 0) & (sex[s] > 0)
    levels["same sex"] = known & (sex[f] == sex[s])
    levels["another sex"] = known & (sex[f] != sex[s])
    in_homes = (home[f] > 0) & (home[s] > 0)
    levels["same household"] = in_homes & (home[f] == home[s])
    levels["other households"] = in_homes & (home[f] != home[s])
    levels["same site"] = site[f] == site[s]
    print("weights (m over SEEN duplicates compared, u over the other compared pairs):")
    for name, mask in levels.items():
        m = (mask & seen).sum() / max(1, seen.sum())
        u = (mask & other).sum() / max(1, other.sum())
        print(f"  {name:28} m {m:.4f}  u {u:.5f}")


def _calibration_print(records: list[Any], today: dt.date, truth: Truth) -> None:
    """The logistic curve from the model's bits to a likelihood, fitted (Platt scaling, by
    Newton's method) on the compared pairs of this run, the duplicates written with the SEEN
    rules against every other pair (the HELD_OUT duplicates are left out of the fit): the
    SLOPE and OFFSET of `matching.linkage`."""
    import math

    import numpy as np

    from lifeline.people.matching import linkage

    freq = linkage.NameFrequencies(records)
    shares = linkage.site_shares_of(records)
    first, second = linkage.candidate_pairs(records)
    bits = linkage._batch_bits(records, first, second, freq, today, shares)
    rows = [r.row for r in records]
    pairs = [_pair(rows[a], rows[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)]
    kept = np.array([p not in truth.planted or not truth.planted[p].heldout for p in pairs])
    labels = np.array([p in truth.planted for p in pairs], dtype=float)[kept]
    bits = bits[kept]
    # Each SEEN duplicate stands for itself and the held-out ones (as many are planted): the
    # prior of a duplicate is the registry's, only their spellings are kept aside (the
    # correction for sampling one class, King and Zeng 2001).
    weight = np.where(labels == 1, len(truth.planted) / max(1.0, labels.sum()), 1.0)
    slope, offset = 1.0, -9.0
    x = bits * math.log(2)
    for _ in range(50):
        z = np.clip(slope * x + offset * math.log(2), -50, 50)
        p = 1 / (1 + np.exp(-z))
        w = weight * p * (1 - p) + 1e-9
        g = np.array(
            [np.sum(weight * (p - labels) * x), np.sum(weight * (p - labels)) * math.log(2)]
        )
        h = np.array(
            [
                [np.sum(w * x * x), np.sum(w * x) * math.log(2)],
                [np.sum(w * x) * math.log(2), np.sum(w) * math.log(2) ** 2],
            ]
        )
        step = np.linalg.solve(h + np.eye(2) * 1e-6, g)
        slope, offset = slope - step[0], offset - step[1]
    print(
        f"calibration on {len(labels)} compared pairs (held-out duplicates left out):"
        f" SLOPE = {slope:.3f}, OFFSET = {offset:.3f}"
    )


# Which evidence a missed pair is charged to: its bits against a typical proposed duplicate's.
EVIDENCE = ("names", "birth", "sex", "household", "site")


def _evidence_bits(
    a: Any, b: Any, freq: Any, today: dt.date, shares: dict[str, float]
) -> dict[str, float]:
    """link_score's bits of one pair, by evidence (names, birth, sex, household, site)."""
    from lifeline.people.matching import linkage

    out = dict.fromkeys(EVIDENCE, 0.0)
    if not (a.placeholder or b.placeholder):
        out["names"] = linkage._name_evidence(a, b, freq)[0]
    out["birth"] = linkage._birth_evidence(a, b, today)[0]
    if a.sex and b.sex:
        out["sex"] = linkage._bits(*(linkage.SEX_SAME if a.sex == b.sex else linkage.SEX_OTHER))
    if a.household and b.household:
        out["household"] = (
            linkage.HOUSEHOLD_SAME
            if a.household == b.household
            else linkage._bits(*linkage.HOUSEHOLD_OTHER)
        )
    if a.site and b.site:
        out["site"] = linkage._site_bits(a.site == b.site, shares.get(a.site, 0.5))
    return out


def _weakest_name_level(a: Any, b: Any, freq: Any) -> str:
    """The lowest agreement level among the names matched one to one (as link_score does)."""
    from lifeline.people.matching import linkage

    labels = {
        linkage.SAME: "same",
        linkage.SPELLING: "spelling",
        linkage.CLOSE: "close",
        linkage.SLIP: "slip",
        linkage.SHORT_SLIP: "short slip",
        linkage.OTHER: "other names",
    }
    _, reasons = linkage._name_evidence(a, b, freq)
    levels = []
    for reason in reasons:
        for level, template in linkage.NAME_REASONS.items():
            if reason.template == template:
                levels.append(level)
    if not levels:
        return "same"
    return labels[min(levels)]


def misses_print(records: list[Any], today: dt.date, truth: Truth, found: set[Any]) -> None:
    """The SEEN planted pairs the finder does not propose, by cause: never compared (blocking),
    or compared and scored below the shipped threshold, charged to the evidence that fell
    furthest below a proposed duplicate's (the median over the SEEN duplicates proposed); and
    by the variant rules that wrote them. Held-out misses are never looked at."""
    import statistics

    import numpy as np

    from lifeline.people.matching import linkage

    freq = linkage.NameFrequencies(records)
    shares = linkage.site_shares_of(records)
    first, second = linkage.candidate_pairs(records)
    by_row = {r.row: r for r in records}
    index = {r.row: position for position, r in enumerate(records)}
    compared = {
        _pair(records[i].row, records[j].row)
        for i, j in zip(first.tolist(), second.tolist(), strict=True)
    }
    seen = {pair: plan for pair, plan in truth.planted.items() if not plan.heldout}
    hit_bits = [
        _evidence_bits(by_row[int(x)], by_row[int(y)], freq, today, shares)
        for (x, y) in seen
        if (x, y) in found
    ]
    typical = {e: statistics.median(b[e] for b in hit_bits) for e in EVIDENCE}
    causes: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    lines = []
    for (x, y), plan in sorted(seen.items()):
        if (x, y) in found:
            continue
        a, b = by_row[int(x)], by_row[int(y)]
        if (x, y) not in compared:
            cause = "never compared (blocking)"
            detail = ""
        else:
            bits = _evidence_bits(a, b, freq, today, shares)
            worst = max(EVIDENCE, key=lambda e: typical[e] - bits[e])
            cause = f"below threshold: {worst}"
            if worst == "names":
                cause += f" ({_weakest_name_level(a, b, freq)})"
            total = sum(bits.values())
            # The finder's batch scorer decides what is proposed: where its bits differ from
            # link_score's, both are shown.
            batch = float(
                linkage._batch_bits(
                    records,
                    np.array([index[a.row]]),
                    np.array([index[b.row]]),
                    freq,
                    today,
                    shares,
                )[0]
            )
            if abs(batch - total) > 0.05:
                cause += " [batch scorer differs]"
            detail = (
                f" p={linkage.likelihood_of(total):.2f} (batch {linkage.likelihood_of(batch):.2f}) "
                + " ".join(f"{e}={bits[e]:+.1f}" for e in EVIDENCE)
            )
        causes[cause] += 1
        for rule in sorted(set(plan.rule.split("+"))):
            by_rule[cause][rule] += 1
        names_a = " ".join(t.text for t in a.name.tokens)
        names_b = " ".join(t.text for t in b.name.tokens)
        lines.append(f"  {cause:38} {plan.rule:28} {names_a} <> {names_b}{detail}")
    print(
        f"\nmisses of the SEEN rules: {sum(causes.values())} of {len(seen)}"
        " (typical proposed duplicate's bits: "
        + ", ".join(f"{e} {typical[e]:+.1f}" for e in EVIDENCE)
        + ")\n"
    )
    print("| cause | misses | rules (a pair counts under each rule it used) |")
    print("|-------|--------|-----------------------------------------------|")
    for cause, n in causes.most_common():
        rules = ", ".join(f"{r} {k}" for r, k in by_rule[cause].most_common())
        print(f"| {cause} | {n} | {rules} |")
    print("\nmissed pairs (cause, rules, names, likelihood and bits by evidence):")
    print("\n".join(lines))


def _pairs_write(
    path: Path, plans: list[Plan], ids: dict[int, Any], truth: Truth, pairs: list[Any]
) -> None:
    """Misses of the SEEN rules and false pairs, for the one tuning the finder (held-out
    misses are left out on purpose)."""
    by_id = {str(ids[p.key]): p for p in plans}
    found = {pair: (score, reasons) for pair, score, reasons in pairs}

    def text(pid: str) -> str:
        p = by_id[pid]
        born = p.dob or f"~{p.age}"
        return f"{p.given} / {p.family} ({p.sex}, {born}, S{p.site}, H{p.household})"

    lines = ["# misses (seen rules)"]
    for pair, plan in truth.planted.items():
        if pair not in found and not plan.heldout:
            lines.append(f"{plan.rule}: {text(pair[0])}  <>  {text(pair[1])}")
    lines.append("# false pairs")
    for pair, (score, reasons) in sorted(found.items(), key=lambda x: -x[1][0]):
        if pair not in truth.planted:
            kind = (
                "namesake"
                if pair in truth.namesakes
                else "lookalike"
                if pair in truth.lookalikes
                else "other"
            )
            lines.append(
                f"{score:.2f} {kind}: {text(pair[0])}  <>  {text(pair[1])}  [{'; '.join(reasons)}]"
            )
    path.write_text("\n".join(lines) + "\n")
    counts = Counter(line.split(":")[0] for line in lines if not line.startswith("#"))
    print(f"wrote {path} ({sum(counts.values())} lines)", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
