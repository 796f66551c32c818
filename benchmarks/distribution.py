"""Ration distribution under a queue: one cycle issued to N households by 8 concurrent clients.

    python benchmarks/distribution.py [--scale 100000] [--clients 8]

Runs on SQLite (in its own database under var/bench/) and, when DATABASE_URL is set, on
PostgreSQL (in a database of its own on that server, dropped and made again). Each client is a
process with its own database connection; it issues the cards of its share of households
through `supplies.services.ration_issue` and, on purpose, retries some cards of its
neighbour's share at the same moment and some of its own, to prove that no household collects
twice. The baseline, in the same run, is the check-then-insert a user would write (look for an
earlier row, work out the ration, insert): fast, and it double-issues under the same load.

Prints a table and writes var/bench/distribution.json (keys in BENCHMARKS.md; the
PostgreSQL figures carry a `pg_` prefix).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
TARGET_PER_S = 500
RETRY_EVERY = 40  # every 40th card of a neighbour's share is also tried by this client
SELF_RETRY_EVERY = 97  # and every 97th of its own is tried twice in a row


# ---- set-up (runs in the child process that owns one database) -----------------------------


def _django(database: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    os.environ["LIFELINE_VAR_DIR"] = str(BENCH_DIR / "distribution-var")
    os.environ["LIFELINE_SITE"] = "bench-camp"
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        db = BENCH_DIR / "distribution-var" / "lifeline.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    else:
        os.environ["DATABASE_URL"] = _pg_fresh(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pg_fresh(url: str) -> str:
    """A database of the benchmark's own on the server DATABASE_URL points at."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = "lifeline_bench_distribution"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _build(households: int) -> dict[str, Any]:
    """The camp: a store, flour and oil in stock, one open cycle, a point, N households.

    Households and persons are inserted in bulk: the benchmark measures issuing, and the
    registry's own benchmark measures registration.
    """
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.models import Group, User
    from django.db import models, transaction

    from lifeline.core.clock import clock_tick, site_local
    from lifeline.core.roles import Role
    from lifeline.core.services import roles_sync
    from lifeline.people.models import Household, Person
    from lifeline.supplies import services

    roles_sync()
    site = site_local()
    user = User.objects.create_user(username="bench-logistics")  # no password: never signs in
    user.groups.add(Group.objects.get(name=Role.LOGISTICS.value))
    actor = User.objects.get(pk=user.pk)
    store = services.location_create(actor=actor, code="store", name="Main store", site=site)
    flour = services.item_create(
        actor=actor, code="flour", name="Wheat flour", unit="kg", kcal_per_unit=Decimal(3640)
    )
    oil = services.item_create(
        actor=actor, code="oil", name="Vegetable oil", unit="litre", kcal_per_unit=Decimal(8840)
    )
    for item, batches in ((flour, 3), (oil, 2)):
        for b in range(batches):
            services.stock_receive(
                actor=actor,
                location=store,
                item=item,
                quantity=Decimal(10_000_000),
                batch=f"{item.code}-{b}",
                expiry_date=dt.date(2026, 1 + b, 1),
            )
    cycle = services.ration_cycle_create(
        actor=actor,
        site=site,
        name="Cycle 1",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 3, 14),
        basket=[{"item": "flour", "per_person": "3"}, {"item": "oil", "per_person": "0.25"}],
    )
    point = services.distribution_point_create(
        actor=actor, site=site, name="Mess hall", location=store
    )
    rng = random.Random(7)
    version = clock_tick().version
    cards = [f"RC-{n:06d}" for n in range(households)]
    chunk = 5000
    with transaction.atomic():
        for start in range(0, households, chunk):
            rows = [
                Household(ration_card=card, site=site, origin_site=site, version=version)
                for card in cards[start : start + chunk]
            ]
            models.QuerySet(Household).bulk_create(rows)
            people = [
                Person(
                    given_name=f"P{i}",
                    family_name=h.ration_card or "",
                    household=h,
                    status="present",
                    current_site=site,
                    origin_site=site,
                    version=version,
                )
                for h in rows
                for i in range(rng.choice((1, 2, 3, 4, 5, 6)))
            ]
            models.QuerySet(Person).bulk_create(people, batch_size=2000)
    return {"user": user.pk, "cycle": cycle.pk, "point": point.pk, "cards": cards}


# ---- clients -------------------------------------------------------------------------------


def _plan(cards: list[str], clients: int, k: int) -> list[str]:
    """Client k's cards: its own share, with some of the next client's share at the same
    positions (a second queue with the same cards) and some of its own twice."""
    own = cards[k::clients]
    neighbour = cards[(k + 1) % clients :: clients]
    plan: list[str] = []
    for i, card in enumerate(own):
        plan.append(card)
        if i % SELF_RETRY_EVERY == 0:
            plan.append(card)
        if i % RETRY_EVERY == 0 and i < len(neighbour):
            plan.append(neighbour[i])
    return plan


def _client_lifeline(setup: dict[str, Any], plan: list[str], start: Any, out: Any) -> None:
    from django.contrib.auth.models import User

    from lifeline.core.errors import Conflict
    from lifeline.supplies import services
    from lifeline.supplies.models import DistributionPoint, Item, RationCycle

    actor = User.objects.get(pk=setup["user"])
    actor.has_perm("supplies.issue_ration")  # load the permission cache once
    cycle = RationCycle.objects.get(pk=setup["cycle"])
    point = DistributionPoint.objects.select_related("location", "site").get(pk=setup["point"])
    items = {i.code: i for i in Item.objects.all()}
    latencies, issued, refused = [], 0, 0
    start.wait()
    for card in plan:
        t0 = time.perf_counter()
        try:
            services.ration_issue(
                actor=actor, point=point, cycle=cycle, ration_card=card, items=items
            )
            issued += 1
        except Conflict:
            refused += 1
        latencies.append(time.perf_counter() - t0)
    out.put((issued, refused, latencies))


def _client_naive(setup: dict[str, Any], plan: list[str], start: Any, out: Any) -> None:
    """What a user would write: look for an earlier row, work out the ration, insert."""
    from django.db import connection

    from lifeline.people.models import Household

    latencies, issued, refused = [], 0, 0
    start.wait()
    with connection.cursor() as cursor:
        for card in plan:
            t0 = time.perf_counter()
            cursor.execute("SELECT 1 FROM bench_naive_distribution WHERE card = %s", [card])
            if cursor.fetchone() is not None:
                refused += 1
            else:
                household = Household.objects.filter(ration_card=card).values("pk").first()
                assert household is not None
                size = Household.objects.get(pk=household["pk"]).members.count()
                cursor.execute(
                    "INSERT INTO bench_naive_distribution (card, persons) VALUES (%s, %s)",
                    [card, size],
                )
                cursor.execute(
                    "UPDATE bench_naive_stock SET quantity = quantity - %s", [3 * min(size, 10)]
                )
                issued += 1
            latencies.append(time.perf_counter() - t0)
    out.put((issued, refused, latencies))


def _run_clients(target: Any, setup: dict[str, Any], clients: int) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # each forked client opens its own connection
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [
        ctx.Process(target=target, args=(setup, _plan(setup["cards"], clients, k), start, out))
        for k in range(clients)
    ]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    latencies = sorted(x for _, _, lat in results for x in lat)
    issued = sum(r[0] for r in results)
    return {
        "issued": issued,
        "refused": sum(r[1] for r in results),
        "attempts": len(latencies),
        "seconds": elapsed,
        "per_s": issued / elapsed,
        "p95_ms": statistics.quantiles(latencies, n=100)[94] * 1000 if len(latencies) > 1 else 0,
    }


def run_database(database: str, households: int, clients: int) -> dict[str, Any]:
    _django(database)
    from django.db import connection

    t0 = time.perf_counter()
    setup = _build(households)
    build_s = time.perf_counter() - t0
    lifeline = _run_clients(_client_lifeline, setup, clients)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM "
            "supplies_distribution GROUP BY cycle_id, household_id, site_id) AS g"
        )
        double_issues = int(cursor.fetchone()[0])
        cursor.execute("SELECT COUNT(*) FROM supplies_distribution")
        rows = int(cursor.fetchone()[0])
        cursor.execute("CREATE TABLE bench_naive_distribution (card VARCHAR(40), persons INTEGER)")
        cursor.execute("CREATE INDEX bench_naive_card ON bench_naive_distribution (card)")
        cursor.execute("CREATE TABLE bench_naive_stock (quantity BIGINT)")
        cursor.execute("INSERT INTO bench_naive_stock VALUES (1000000000)")
    from lifeline.supplies.models import Item
    from lifeline.supplies.selectors import on_hand_from_ledger, on_hand_total

    ledger_agrees = all(
        on_hand_total(item=item) == on_hand_from_ledger(item=item) for item in Item.objects.all()
    )
    baseline = _run_clients(_client_naive, setup, clients)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM "
            "bench_naive_distribution GROUP BY card) AS g"
        )
        baseline_doubles = int(cursor.fetchone()[0])
    return {
        "database": connection.vendor,
        "database_version": _db_version(connection),
        "build_s": round(build_s, 1),
        "issuances": lifeline["issued"],
        "distribution_rows": rows,
        "attempts": lifeline["attempts"],
        "refused_retries": lifeline["refused"],
        "issuances_per_s": round(lifeline["per_s"], 1),
        "p95_ms": round(lifeline["p95_ms"], 2),
        "double_issues": double_issues,
        "ledger_matches_balances": ledger_agrees,
        "baseline_issuances_per_s": round(baseline["per_s"], 1),
        "baseline_p95_ms": round(baseline["p95_ms"], 2),
        "baseline_double_issues": baseline_doubles,
    }


def _db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


# ---- the report ----------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    memory_gb = None
    try:
        with open("/proc/meminfo") as f:
            memory_gb = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    header = ("figure", "Lifeline", "baseline", "ratio", "target", "holds?")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(6)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, rows)])


def _rows(r: dict[str, Any], label: str, per_s_target: bool) -> list[tuple[str, ...]]:
    ratio = r["issuances_per_s"] / r["baseline_issuances_per_s"]
    holds_rate = r["issuances_per_s"] >= TARGET_PER_S
    return [
        (
            f"{label} issuances/s",
            f"{r['issuances_per_s']:.0f}",
            f"{r['baseline_issuances_per_s']:.0f}",
            f"{ratio:.2f}",
            f">= {TARGET_PER_S}" if per_s_target else "-",
            ("yes" if holds_rate else "NO") if per_s_target else "-",
        ),
        (
            f"{label} p95 ms",
            f"{r['p95_ms']:.1f}",
            f"{r['baseline_p95_ms']:.1f}",
            f"{r['p95_ms'] / r['baseline_p95_ms']:.2f}" if r["baseline_p95_ms"] else "-",
            "-",
            "-",
        ),
        (
            f"{label} double issues",
            str(r["double_issues"]),
            str(r["baseline_double_issues"]),
            "-",
            "= 0",
            "yes" if r["double_issues"] == 0 else "NO",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100_000, help="households")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database:  # one database, in a process of its own (Django is set up once)
        result = run_database(args.database, args.scale, args.clients)
        Path(args.out).write_text(json.dumps(result))
        return

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    results: dict[str, dict[str, Any]] = {}
    for database in databases:
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, __file__, "--database", database, "--out", tmp.name]
            cmd += ["--scale", str(args.scale), "--clients", str(args.clients)]
            print(f"running on {database} ({args.scale} households, {args.clients} clients)...")
            subprocess.run(cmd, check=True)  # noqa: S603
            results[database] = json.loads(Path(tmp.name).read_text())

    sqlite = results["sqlite"]
    rows = _rows(sqlite, "SQLite", per_s_target=True)
    out: dict[str, Any] = {
        "households": args.scale,
        "clients": args.clients,
        **sqlite,
    }
    holds = sqlite["issuances_per_s"] >= TARGET_PER_S and sqlite["double_issues"] == 0
    holds = holds and sqlite["ledger_matches_balances"]
    pg = results.get("postgresql")
    if pg is not None:
        rows += _rows(pg, "PostgreSQL", per_s_target=False)
        out.update({f"pg_{k}": v for k, v in pg.items()})
        holds = holds and pg["double_issues"] == 0 and pg["ledger_matches_balances"]
    out["machine"] = {**_machine(), "database": sqlite["database_version"]}
    if pg is not None:
        out["machine"]["pg_database"] = pg["database_version"]
    out["targets_hold"] = holds
    print()
    print(_table(rows))
    print(
        f"\n{sqlite['issuances']} issuances ({sqlite['attempts']} attempts, "
        f"{sqlite['refused_retries']} deliberate retries refused) on SQLite; "
        f"baseline: check-then-insert without a unique constraint."
    )
    print(f"targets hold: {holds}")
    (BENCH_DIR / "distribution.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {BENCH_DIR / 'distribution.json'}")


if __name__ == "__main__":
    main()
