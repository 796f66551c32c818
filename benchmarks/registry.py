"""Registry benchmark: register N persons through the service layer, then list and filter them.

    python benchmarks/registry.py [--scale N]     (default 100,000 persons)

Lifeline: `people.services.person_register` as a registrar, one transaction per person, each
with its status event, intake conditions, change-log and audit rows (what the API, the CLI and
the import do). Reads: `people.selectors.person_list`, first page of 50, serialized with the
API's `PersonSummaryOutput`; filters by status, site, age band, condition and name search.

Baseline, in the same run, what a user would otherwise reach for: the same rows in one plain
table (stdlib sqlite3 on SQLite, psycopg on PostgreSQL) inserted with one `executemany` in one
transaction, and plain `SELECT ... ORDER BY family, given LIMIT 50` queries for the same lists
and filters. The plain table gets the same indexes as the registry, so the comparison is of
everything else: validation, history, change log, audit, permissions, ORM and serializing.

Planner statistics are gathered once after loading (ANALYZE), for both, as a running server
would. Prints the table and writes var/bench/registry.json (keys in shared/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Figure,
    bench_dir,
    isolated_database,
    machine_info,
    percentile,
    progress,
    results_write,
    table_print,
    timed_ms,
)

BENCH = "registry"
_MODULES = (
    "django.utils.timezone",
    "lifeline.people.models",
    "lifeline.people.rules",
    "lifeline.people.schemas",
    "lifeline.people.selectors",
    "lifeline.people.services",
)
DEFAULT_SCALE = 100_000
PAGE = 50
FILTER_KINDS = ("status", "site", "age_band", "condition", "name")
# Conditions a commander can filter by and that the generated population has.
FILTER_CONDITIONS = ("malnourished", "dehydrated", "wounded", "chronic_illness", "pregnant")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="persons to register")
    parser.add_argument("--queries", type=int, default=200, help="list and filter queries each")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random queries")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="also run on the SQLite database encrypted at rest (SQLCipher), beside the plain one",
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")

    if args.out:  # the encrypted run, in a process of its own (settings are read once)
        with isolated_database(BENCH) as database:
            results = run(args.scale, args.queries, args.seed, database.label, "sqlite", False)
        Path(args.out).write_text(json.dumps(results))
        return 0
    with isolated_database(BENCH, keep=args.keep) as database:
        results = run(args.scale, args.queries, args.seed, database.label, database.engine)
    if args.encrypted:
        results = _encrypted_beside(results, args.scale, args.queries, args.seed)
    return 0 if results["targets_hold"] else 1


def _encrypted_beside(
    results: dict[str, Any], scale: int, queries: int, seed: int
) -> dict[str, Any]:
    """The same run on the encrypted database; its registration rate beside the plain one
    (the encrypted database keeps at least 80% of it)."""
    import os
    import subprocess
    import tempfile

    env = {**os.environ, "LIFELINE_ENCRYPTED": "1"}
    env.pop("DATABASE_URL", None)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, __file__, "--out", out.name, "--scale", str(scale)]
        cmd += ["--queries", str(queries), "--seed", str(seed)]
        subprocess.run(cmd, check=True, env=env)  # noqa: S603 - our own script
        encrypted = json.loads(Path(out.name).read_text())
    ratio = encrypted["register_per_s"] / results["register_per_s"]
    table_print(
        f"registry, encrypted at rest: {scale:,} persons, {encrypted['database']}",
        [
            Figure("register_per_s", encrypted["register_per_s"], results["register_per_s"]),
            Figure("list_p95_ms", encrypted["list_p95_ms"], results["list_p95_ms"]),
            Figure("filter_p95_ms", encrypted["filter_p95_ms"], results["filter_p95_ms"]),
            Figure("encrypted / plain register", ratio, target=">= 0.8", holds=ratio >= 0.8),
        ],
        notes=["baseline here = the plain (unencrypted) database of the same run."],
    )
    for key in ("register_per_s", "list_p95_ms", "filter_p95_ms", "database"):
        results[f"encrypted_{key}"] = encrypted[key]
    results["encrypted_ratio"] = round(ratio, 3)
    results["targets_hold"] = bool(results["targets_hold"] and ratio >= 0.8)
    print(f"wrote {results_write(BENCH, results)}", flush=True)
    return results


def run(
    scale: int, queries: int, seed: int, database: str, engine: str, write: bool = True
) -> dict[str, Any]:
    # Load every module the run uses now: a run of an hour must not pick up a file that is
    # edited in the meantime.
    for module in _MODULES:
        importlib.import_module(module)
    from lifeline.core.passwords import password_generate
    from lifeline.core.roles import Role
    from lifeline.core.services import user_create
    from lifeline.demo.population import person_plans
    from lifeline.demo.scenario import demo_sites_ensure

    print(f"registry benchmark: {scale:,} persons on {database}", flush=True)
    sites = demo_sites_ensure()
    password = password_generate()  # nobody signs in to a benchmark database
    registrar = user_create(
        actor=None, username="bench-registrar", password=password, role=Role.REGISTRAR
    )
    commander = user_create(
        actor=None, username="bench-commander", password=password, role=Role.COMMANDER
    )
    plans = list(person_plans(size=scale))
    rows = [_row(household, person) for household, person in plans]

    register_s = _register(plans, sites, registrar)
    register_per_s = scale / register_s
    baseline_register_per_s = _baseline_insert(rows, engine)
    _statistics_refresh(engine)

    rng = random.Random(seed)
    family_names = sorted({row["family_name"] for row in rows})
    query_plan = [(kind, _query(kind, rng, family_names, sites)) for kind in _kinds(queries)]
    lifeline = _Lifeline(commander)
    baseline = _Baseline(engine)
    try:
        _warm(lifeline, baseline, query_plan)
        list_ms = timed_ms(lifeline.first_page, queries)
        baseline_list_ms = timed_ms(baseline.first_page, queries)
        filter_ms: dict[str, list[float]] = {kind: [] for kind in FILTER_KINDS}
        baseline_filter_ms: dict[str, list[float]] = {kind: [] for kind in FILTER_KINDS}
        for kind, value in query_plan:
            filter_ms[kind].append(_once_ms(lifeline.filtered, kind, value))
            baseline_filter_ms[kind].append(_once_ms(baseline.filtered, kind, value))
    finally:
        baseline.close()

    all_filter = [t for times in filter_ms.values() for t in times]
    all_baseline_filter = [t for times in baseline_filter_ms.values() for t in times]
    figures = [
        Figure("register_per_s", register_per_s, baseline_register_per_s),
        Figure("list_p95_ms", percentile(list_ms, 0.95), percentile(baseline_list_ms, 0.95)),
        Figure(
            "filter_p95_ms", percentile(all_filter, 0.95), percentile(all_baseline_filter, 0.95)
        ),
    ]
    figures += [
        Figure(
            f"  filter {kind} p95_ms",
            percentile(filter_ms[kind], 0.95),
            percentile(baseline_filter_ms[kind], 0.95),
        )
        for kind in FILTER_KINDS
    ]
    table_print(
        f"registry: {scale:,} persons, {database}, {queries} list and {queries} filter queries",
        figures,
        notes=[
            "ratio = Lifeline / baseline. Baseline: one plain table, executemany in one "
            "transaction; plain SELECT ... LIMIT 50 with the same indexes.",
            "No targets for the registry: the figures are reported (shared/BENCHMARKS.md).",
        ],
    )
    results: dict[str, Any] = {
        "persons": scale,
        "register_per_s": round(register_per_s, 1),
        "list_p95_ms": round(percentile(list_ms, 0.95), 3),
        "filter_p95_ms": round(percentile(all_filter, 0.95), 3),
        "database": database,
        "register_s": round(register_s, 2),
        "list_p50_ms": round(percentile(list_ms, 0.5), 3),
        "filter_p50_ms": round(percentile(all_filter, 0.5), 3),
        "filter_p95_ms_by_kind": {
            kind: round(percentile(times, 0.95), 3) for kind, times in filter_ms.items()
        },
        "queries": queries,
        "baseline_register_per_s": round(baseline_register_per_s, 1),
        "baseline_list_p95_ms": round(percentile(baseline_list_ms, 0.95), 3),
        "baseline_filter_p95_ms": round(percentile(all_baseline_filter, 0.95), 3),
        "baseline": "one plain table: executemany in one transaction; SELECT ... LIMIT 50",
        "machine": machine_info(database),
        "targets_hold": True,  # the registry has no targets; its figures are reported
    }
    if write:
        print(f"wrote {results_write(BENCH, results)}", flush=True)
    return results


def _once_ms(run: Callable[..., object], *args: Any) -> float:
    started = time.perf_counter()
    run(*args)
    return (time.perf_counter() - started) * 1000


def _row(household: Any, person: Any) -> dict[str, Any]:
    status = person.events[-1].status if person.events else "present"
    site = person.events[-1].site_code if person.events else household.site_code
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth.isoformat(),
        "status": status,
        "site": site,
        "area": household.area,
        "conditions": " ".join(person.intake_conditions),
        "other_names": json.dumps(list(person.other_names)),
        "languages": json.dumps(list(person.languages)),
        "ration_card": household.ration_card,
        "registered_at": household.arrived_at.isoformat(),
    }


def _register(plans: list[Any], sites: dict[str, Any], registrar: Any) -> float:
    """Register every planned person through the service; returns the seconds it took."""
    from lifeline.people.services import person_register

    step = max(1, len(plans) // 10)
    started, cpu_started = time.perf_counter(), time.process_time()
    for done, (household, person) in enumerate(plans, start=1):
        last = person.events[-1] if person.events else None
        person_register(
            actor=registrar,
            given_name=person.given_name,
            family_name=person.family_name,
            other_names=person.other_names,
            sex=person.sex,
            date_of_birth=person.date_of_birth,
            birth_date_estimated=person.birth_date_estimated,
            languages=person.languages,
            phone=person.phone,
            status=last.status if last else "present",
            site=sites[last.site_code if last else household.site_code],
            area=last.area if last else household.area,
            occurred_at=last.when if last else household.arrived_at,
            conditions=person.intake_conditions,
        )
        if done % step == 0:
            progress(done, len(plans), started, "registered", cpu_started)
    return time.perf_counter() - started


_PLAIN_COLUMNS = (
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "status",
    "site",
    "area",
    "conditions",
    "other_names",
    "languages",
    "ration_card",
    "registered_at",
)
_PLAIN_INDEXES = (
    "create index plain_name on plain_person (family_name, given_name)",
    "create index plain_status on plain_person (status)",
    "create index plain_site_status on plain_person (site, status)",
    "create index plain_dob on plain_person (date_of_birth)",
)


def _insert_sql(mark: str) -> str:
    # Constant column names and placeholders only; the values go in as parameters.
    marks = ", ".join(mark for _ in _PLAIN_COLUMNS)
    return f"insert into plain_person ({', '.join(_PLAIN_COLUMNS)}) values ({marks})"  # noqa: S608


def _baseline_path() -> Path:
    return bench_dir() / f"{BENCH}-baseline.sqlite3"


def _baseline_insert(rows: list[dict[str, Any]], engine: str) -> float:
    """The spreadsheet-to-database user: one table, one executemany, one commit."""
    columns = ", ".join(_PLAIN_COLUMNS)
    values = [tuple(row[c] for c in _PLAIN_COLUMNS) for row in rows]
    if engine == "sqlite":
        path = _baseline_path()
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        conn.execute(f"create table plain_person (id integer primary key, {columns})")
        for sql in _PLAIN_INDEXES:
            conn.execute(sql)
        marks = "?"
        started = time.perf_counter()
        with conn:
            conn.executemany(_insert_sql(marks), values)
        elapsed = time.perf_counter() - started
        conn.close()
        return len(rows) / elapsed
    from django.db import connection

    marks = "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"create table plain_person (id bigserial primary key, "
            f"{', '.join(c + ' text' for c in _PLAIN_COLUMNS)})"
        )
        for sql in _PLAIN_INDEXES:
            cursor.execute(sql)
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_insert_sql(marks), values)
    return len(rows) / (time.perf_counter() - started)


def _statistics_refresh(engine: str) -> None:
    """Planner statistics after the bulk load, as autovacuum (PostgreSQL) or `PRAGMA optimize`
    (SQLite) would gather on a running server: without them a fresh database is planned as if
    its tables were empty."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if engine == "sqlite":
        conn = sqlite3.connect(_baseline_path())
        conn.execute("ANALYZE")
        conn.close()


def _kinds(queries: int) -> list[str]:
    return [FILTER_KINDS[i % len(FILTER_KINDS)] for i in range(queries)]


def _query(kind: str, rng: random.Random, family_names: list[str], sites: dict[str, Any]) -> Any:
    from lifeline.people import rules
    from lifeline.people.models import Status

    if kind == "status":
        return rng.choice(list(Status.values))
    if kind == "site":
        return rng.choice(sorted(sites))
    if kind == "age_band":
        return rng.choice(rules.AGE_BAND_CODES)
    if kind == "condition":
        return rng.choice(FILTER_CONDITIONS)
    return rules.fold(rng.choice(family_names).split()[-1])


def _warm(lifeline: _Lifeline, baseline: _Baseline, query_plan: list[tuple[str, Any]]) -> None:
    """One pass first, so that p95 measures a running server, not a cold cache."""
    lifeline.first_page()
    baseline.first_page()
    for kind, value in query_plan[: len(FILTER_KINDS) * 2]:
        lifeline.filtered(kind, value)
        baseline.filtered(kind, value)


class _Lifeline:
    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def _page(self, **filters: Any) -> Any:
        from lifeline.people.schemas import PersonSummaryOutput
        from lifeline.people.selectors import PersonFilters, person_list

        people = person_list(actor=self.actor, filters=PersonFilters(**filters))
        return PersonSummaryOutput(list(people[:PAGE]), many=True).data

    def first_page(self) -> Any:
        return self._page()

    def filtered(self, kind: str, value: Any) -> Any:
        if kind == "name":
            return self._page(q=value)
        return self._page(**{kind: value})


class _Baseline:
    def __init__(self, engine: str) -> None:
        self.engine = engine
        if engine == "sqlite":
            self.conn: Any = sqlite3.connect(_baseline_path())
            self.mark = "?"
        else:
            from django.db import connection

            self.conn = connection
            self.mark = "%s"

    def close(self) -> None:
        if self.engine == "sqlite":
            self.conn.close()

    def _select(self, where: str = "", params: Sequence[Any] = ()) -> list[Any]:
        # Built from constants and placeholders only; values go in as parameters.
        sql = (
            f"select {', '.join(_PLAIN_COLUMNS)} from plain_person {where} "  # noqa: S608
            f"order by family_name, given_name, id limit {PAGE}"
        )
        if self.engine == "sqlite":
            return self.conn.execute(sql, params).fetchall()  # type: ignore[no-any-return]
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()  # type: ignore[no-any-return]

    def first_page(self) -> list[Any]:
        return self._select()

    def filtered(self, kind: str, value: Any) -> list[Any]:
        from django.utils import timezone

        from lifeline.people import rules

        m = self.mark
        if kind in ("status", "site"):
            return self._select(f"where {kind} = {m}", [value])
        if kind == "age_band":
            oldest, youngest = rules.birth_date_range(rules.age_band(value), timezone.localdate())
            if oldest is None:
                return self._select(f"where date_of_birth <= {m}", [youngest.isoformat()])
            return self._select(
                f"where date_of_birth <= {m} and date_of_birth > {m}",
                [youngest.isoformat(), oldest.isoformat()],
            )
        if kind == "condition":
            return self._select(f"where conditions like {m}", [f"%{value}%"])
        return self._select(
            f"where lower(given_name || ' ' || family_name) like {m}", [f"%{value}%"]
        )


if __name__ == "__main__":
    raise SystemExit(main())
