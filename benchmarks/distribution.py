"""Ration distribution under a queue: one cycle issued to N households by 8 concurrent clients.

    python benchmarks/distribution.py [--scale 100000] [--clients 8]

Runs on SQLite (a fresh file under var/bench/) and, when DATABASE_URL is set, on PostgreSQL (a
fresh database on that server, dropped afterwards), each in a process of its own through
benchmarks/common.py's isolated_database. Each client is a
process with its own database connection; it issues the cards of its share of households
through `supplies.services.ration_issue` and, on purpose, retries some cards of its
neighbour's share at the same moment and some of its own, to prove that no household collects
twice. The clients' issues group their commits (lifeline.core.groupcommit: whichever client
holds the writers' lock writes every waiting issue in one transaction, each card still getting
its own outcome); that is what `ration_issue` does for any caller outside a transaction, on a
SQLite file and on PostgreSQL alike, so
the workload, the retries and the count of double issues are as before. The baseline, in the
same run, is the check-then-insert a user would write (look for an earlier row, work out the
ration, insert): fast, and it double-issues under the same load.

Households and their members are set up through `core.models.replicated_create_many` in
chunks (versions and change-log rows as a registration writes them, without the registry's
per-person service work, which benchmarks/registry.py measures). Clients report their CPU
time too: on a shared machine the rate follows the load, the CPU per issue does not.

Prints a table and writes var/bench/distribution.json (keys in BENCHMARKS.md; the
PostgreSQL figures carry a `pg_` prefix).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, isolated_database, machine_info, percentile, results_write, table_print

BENCH = "distribution"
TARGET_PER_S = 500
RETRY_EVERY = 40  # every 40th card of a neighbour's share is also tried by this client
SELF_RETRY_EVERY = 97  # and every 97th of its own is tried twice in a row


# ---- set-up --------------------------------------------------------------------------------


def _build(households: int) -> dict[str, Any]:
    """The camp: a store, flour and oil in stock, one open cycle, a point, N households."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from lifeline.core.clock import site_local
    from lifeline.core.models import replicated_create_many
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
    cards = [f"RC-{n:06d}" for n in range(households)]
    chunk = 5000
    for start in range(0, households, chunk):
        with transaction.atomic():
            rows = [Household(ration_card=card, site=site) for card in cards[start : start + chunk]]
            people = [
                Person(
                    given_name=f"P{i}",
                    family_name=h.ration_card or "",
                    household=h,
                    status="present",
                    current_site=site,
                )
                for h in rows
                for i in range(rng.choice((1, 2, 3, 4, 5, 6)))
            ]
            replicated_create_many([*rows, *people])
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
    from lifeline.supplies.models import DistributionPoint, RationCycle

    # What a queue screen holds for its session: the signed-in user (Django caches the
    # permissions on it after the first check), the point and the cycle.
    actor = User.objects.get(pk=setup["user"])
    cycle = RationCycle.objects.get(pk=setup["cycle"])
    point = DistributionPoint.objects.select_related("location", "site").get(pk=setup["point"])
    latencies, issued, refused = [], 0, 0
    start.wait()
    cpu0 = time.process_time()
    for card in plan:
        t0 = time.perf_counter()
        try:
            services.ration_issue(actor=actor, point=point, cycle=cycle, ration_card=card)
            issued += 1
        except Conflict:
            refused += 1
        latencies.append(time.perf_counter() - t0)
    out.put((issued, refused, latencies, time.process_time() - cpu0))


def _client_naive(setup: dict[str, Any], plan: list[str], start: Any, out: Any) -> None:
    """What a user would write: look for an earlier row, work out the ration, insert."""
    from django.db import connection

    from lifeline.people.models import Household

    latencies, issued, refused = [], 0, 0
    start.wait()
    cpu0 = time.process_time()
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
    out.put((issued, refused, latencies, time.process_time() - cpu0))


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
    latencies = [x for r in results for x in r[2]]
    issued = sum(r[0] for r in results)
    cpu_s = sum(r[3] for r in results)
    return {
        "issued": issued,
        "refused": sum(r[1] for r in results),
        "attempts": len(latencies),
        "seconds": elapsed,
        "per_s": issued / elapsed,
        "p95_ms": percentile(latencies, 0.95) * 1000 if latencies else 0.0,
        "cpu_ms_per_attempt": 1000 * cpu_s / max(1, len(latencies)),
    }


def run_database(households: int, clients: int) -> dict[str, Any]:
    with isolated_database(BENCH) as database:
        from django.db import connection

        t0 = time.perf_counter()
        setup = _build(households)
        build_s = time.perf_counter() - t0
        print(
            f"  {database.label}: {households:,} households set up in {build_s:.0f} s", flush=True
        )
        lifeline = _run_clients(_client_lifeline, setup, clients)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM "
                "supplies_distribution GROUP BY cycle_id, household_id, site_id) AS g"
            )
            double_issues = int(cursor.fetchone()[0])
            cursor.execute("SELECT COUNT(*) FROM supplies_distribution")
            rows = int(cursor.fetchone()[0])
            cursor.execute("CREATE TABLE bench_naive_distribution (card VARCHAR(40), persons INT)")
            cursor.execute("CREATE INDEX bench_naive_card ON bench_naive_distribution (card)")
            cursor.execute("CREATE TABLE bench_naive_stock (quantity BIGINT)")
            cursor.execute("INSERT INTO bench_naive_stock VALUES (1000000000)")
        from lifeline.supplies.models import Item
        from lifeline.supplies.selectors import on_hand_from_ledger, on_hand_total

        ledger_agrees = all(
            on_hand_total(item=item) == on_hand_from_ledger(item=item)
            for item in Item.objects.all()
        )
        baseline = _run_clients(_client_naive, setup, clients)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM "
                "bench_naive_distribution GROUP BY card) AS g"
            )
            baseline_doubles = int(cursor.fetchone()[0])
        return {
            "database": database.label,
            "build_s": round(build_s, 1),
            "issuances": lifeline["issued"],
            "distribution_rows": rows,
            "attempts": lifeline["attempts"],
            "refused_retries": lifeline["refused"],
            "issuances_per_s": round(lifeline["per_s"], 1),
            "p95_ms": round(lifeline["p95_ms"], 2),
            "cpu_ms_per_issue": round(lifeline["cpu_ms_per_attempt"], 3),
            "double_issues": double_issues,
            "ledger_matches_balances": ledger_agrees,
            "baseline_issuances_per_s": round(baseline["per_s"], 1),
            "baseline_p95_ms": round(baseline["p95_ms"], 2),
            "baseline_cpu_ms_per_issue": round(baseline["cpu_ms_per_attempt"], 3),
            "baseline_double_issues": baseline_doubles,
        }


# ---- the report ----------------------------------------------------------------------------


def _figures(r: dict[str, Any], label: str, rate_target: bool) -> list[Figure]:
    return [
        Figure(
            f"{label} issuances/s",
            r["issuances_per_s"],
            r["baseline_issuances_per_s"],
            target=f">= {TARGET_PER_S}" if rate_target else "—",
            holds=r["issuances_per_s"] >= TARGET_PER_S if rate_target else None,
        ),
        Figure(f"{label} p95 ms", r["p95_ms"], r["baseline_p95_ms"]),
        Figure(
            f"{label} CPU ms per issue (all clients)",
            r["cpu_ms_per_issue"],
            r["baseline_cpu_ms_per_issue"],
        ),
        Figure(
            f"{label} double issues",
            r["double_issues"],
            r["baseline_double_issues"],
            target="= 0",
            holds=r["double_issues"] == 0,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scale", type=int, default=100_000, help="households")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="also run on the SQLite database encrypted at rest (SQLCipher), beside the plain one",
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.out:  # one database, in a process of its own (Django is set up once per process)
        Path(args.out).write_text(json.dumps(run_database(args.scale, args.clients)))
        return

    databases = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    databases += ["sqlcipher"] if args.encrypted else []
    results: dict[str, dict[str, Any]] = {}
    for database in databases:
        env = dict(os.environ)
        env["LIFELINE_ENCRYPTED"] = "1" if database == "sqlcipher" else "0"
        if database in ("sqlite", "sqlcipher"):
            env.pop("DATABASE_URL", None)
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, __file__, "--out", tmp.name]
            cmd += ["--scale", str(args.scale), "--clients", str(args.clients)]
            print(f"{database}: {args.scale:,} households, {args.clients} clients", flush=True)
            subprocess.run(cmd, check=True, env=env)  # noqa: S603
            results[database] = json.loads(Path(tmp.name).read_text())

    sqlite = results["sqlite"]
    figures = _figures(sqlite, "SQLite", rate_target=True)
    out: dict[str, Any] = {"households": args.scale, "clients": args.clients, **sqlite}
    holds = sqlite["issuances_per_s"] >= TARGET_PER_S and sqlite["double_issues"] == 0
    holds = holds and sqlite["ledger_matches_balances"]
    pg = results.get("postgresql")
    if pg is not None:
        figures += _figures(pg, "PostgreSQL", rate_target=False)
        out.update({f"pg_{k}": v for k, v in pg.items()})
        holds = holds and pg["double_issues"] == 0 and pg["ledger_matches_balances"]
    encrypted = results.get("sqlcipher")
    if encrypted is not None:
        # The encrypted database keeps at least 80% of the plain one's throughput.
        ratio = encrypted["issuances_per_s"] / sqlite["issuances_per_s"]
        figures += _figures(encrypted, "SQLCipher", rate_target=False)
        figures.append(
            Figure("encrypted / plain issuances", ratio, target=">= 0.8", holds=ratio >= 0.8)
        )
        out.update({f"encrypted_{k}": v for k, v in encrypted.items()})
        out["encrypted_ratio"] = round(ratio, 3)
        holds = holds and ratio >= 0.8 and encrypted["double_issues"] == 0
    out["machine"] = machine_info(sqlite["database"])
    if pg is not None:
        out["machine"]["pg_database"] = pg["database"]
    out["targets_hold"] = holds
    table_print(
        f"distribution: {args.scale:,} households, {args.clients} clients",
        figures,
        [
            f"{sqlite['issuances']:,} issuances ({sqlite['attempts']:,} attempts, "
            f"{sqlite['refused_retries']:,} deliberate retries refused) on SQLite; "
            "baseline: check-then-insert without a unique constraint.",
            f"targets hold: {holds}",
        ],
    )
    print(f"wrote {results_write(BENCH, out)}")


if __name__ == "__main__":
    main()
