"""Bulk import benchmark: a CSV of N persons through `lifeline person import`'s service while
another process keeps registering people, as a camp's registration desk would.

    python benchmarks/import.py [--rows N]     (default 100,000 persons)

Lifeline: `people.transfer.persons_import_csv` as a registrar: every row checked by the
registry's schema and rules, written with its status event, intake conditions, households by
ration card, change-log and audit rows, in short chunks as one batch (people.bulk).

Concurrent writer: a second process registers one person (`people.services.person_register`)
every 50 ms during the import; `max_writer_wait_ms` is the longest one of those took (its own
work included, so an upper bound of its wait for the lock), `writer_alone_p50_ms` what one
takes with nobody else writing.

Baseline, in the same run: the same rows as plain tuples inserted into one table with one
`executemany` in one transaction (stdlib sqlite3; psycopg on PostgreSQL is not measured here),
i.e. what loading a file costs with no validation, history, change log or audit.

Prints the table and writes var/bench/import.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Figure,
    bench_dir,
    isolated_database,
    machine_info,
    percentile,
    results_write,
    table_print,
)

BENCH = "import"
DEFAULT_ROWS = 100_000
WRITER_EVERY_S = 0.05
TARGET_ROWS_PER_S = 2_000
TARGET_WAIT_MS = 1_000

GIVEN = ["Amal", "Sami", "Hana", "Karim", "Lina", "Omar", "Rania", "Yusuf", "Mona", "Tariq"]
FAMILY = ["Haddad", "Nasser", "Khoury", "Saleh", "Aziz", "Darwish", "Hamdan", "Mansour"]
HEADER = ["given_name", "family_name", "sex", "age_years", "status", "ration_card", "conditions"]
CONDITIONS = ["", "", "", "", "ill", "malnourished", "pregnant", "wounded"]


def rows_make(count: int, seed: int = 17) -> list[list[str]]:
    """Households of about five: an adult or two first, then children."""
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        card = f"IMP-{i // 5:06d}"
        adult = i % 5 < 2
        rows.append(
            [
                rnd.choice(GIVEN),
                rnd.choice(FAMILY),
                rnd.choice(["female", "male"]),
                str(rnd.randint(18, 70) if adult else rnd.randint(0, 17)),
                "present",
                card,
                rnd.choice(CONDITIONS),
            ]
        )
    return rows


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def baseline_rows_per_s(rows: list[list[str]]) -> float:
    path = bench_dir() / "import-baseline.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, given TEXT, family TEXT, sex TEXT,"
        " age INTEGER, status TEXT, card TEXT, conditions TEXT)"
    )
    started = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO person (given, family, sex, age, status, card, conditions)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(g, f, s, int(a), st, c, cond) for g, f, s, a, st, c, cond in rows],
        )
    elapsed = time.perf_counter() - started
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return len(rows) / elapsed


def _writer(database: str, go: Any, stop: Any, results: Any) -> None:
    """Another process: register one person every WRITER_EVERY_S until told to stop."""
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database
    django.setup()
    from django.contrib.auth.models import User

    from lifeline.people.services import person_register

    actor = User.objects.get(username="desk")
    alone = []
    for _ in range(20):
        started = time.perf_counter()
        person_register(actor=actor, given_name="Desk", family_name="Alone")
        alone.append((time.perf_counter() - started) * 1000)
    go.set()
    during = []
    while not stop.is_set():
        started = time.perf_counter()
        person_register(actor=actor, given_name="Desk", family_name="During")
        during.append((time.perf_counter() - started) * 1000)
        time.sleep(WRITER_EVERY_S)
    results.put({"alone": alone, "during": during})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    args = parser.parse_args()
    rows = rows_make(args.rows)
    data = csv_bytes(rows)
    with isolated_database(BENCH) as database:
        from django.contrib.auth.models import Group, User
        from django.db import connections

        from lifeline.core.clock import site_local
        from lifeline.core.roles import Role
        from lifeline.core.services import roles_sync
        from lifeline.people.transfer import persons_import_csv

        roles_sync()
        site_local()
        registrar = User.objects.create_user(username="registrar", password="x" * 20)
        registrar.groups.add(Group.objects.get(name=Role.REGISTRAR.value))
        desk = User.objects.create_user(username="desk", password="x" * 20)
        desk.groups.add(Group.objects.get(name=Role.REGISTRAR.value))
        registrar = User.objects.get(pk=registrar.pk)  # fresh permission cache
        concurrent = database.engine == "sqlite"
        if concurrent:
            connections.close_all()
            context = multiprocessing.get_context("fork")
            go, stop, results = context.Event(), context.Event(), context.Queue()
            writer = context.Process(target=_writer, args=(database.name, go, stop, results))
            writer.start()
            go.wait(120)
        print(f"importing {args.rows:,} rows", flush=True)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = persons_import_csv(actor=registrar, stream=io.BytesIO(data))
        elapsed = time.perf_counter() - started
        cpu_used = time.process_time() - cpu_started
        cpu_share = cpu_used / elapsed
        waits: dict[str, list[float]] = {"alone": [], "during": []}
        if concurrent:
            stop.set()
            waits = results.get(timeout=120)
            writer.join(60)
        assert report.written and report.imported == args.rows, report.as_dict()
        baseline = baseline_rows_per_s(rows)
        rate = args.rows / elapsed
        max_wait = max(waits["during"], default=float("nan"))
        results_out = {
            "rows": args.rows,
            "seconds": round(elapsed, 2),
            "rows_per_s": round(rate, 1),
            "baseline_rows_per_s": round(baseline, 1),
            "max_writer_wait_ms": round(max_wait, 1),
            "writer_p95_ms": round(percentile(waits["during"], 0.95), 1),
            "writer_alone_p50_ms": round(percentile(waits["alone"], 0.5), 1),
            "writer_registrations": len(waits["during"]),
            # The importer's CPU time over its wall time: low on a shared, busy machine.
            "importer_cpu_share": round(cpu_share, 2),
            # Rows per second of the importer's own CPU time: what the rate would be with a
            # core to itself (the rate above follows the machine's load).
            "rows_per_cpu_s": round(args.rows / cpu_used, 1),
            "machine": machine_info(database.label),
        }
        table_print(
            f"Bulk import of {args.rows:,} persons ({database.label})",
            [
                Figure(
                    "rows per second",
                    rate,
                    baseline,
                    f">= {TARGET_ROWS_PER_S:,}",
                    rate >= TARGET_ROWS_PER_S,
                ),
                Figure(
                    "longest concurrent registration (ms)",
                    max_wait,
                    percentile(waits["alone"], 0.5),
                    f"<= {TARGET_WAIT_MS:,}",
                    max_wait <= TARGET_WAIT_MS,
                ),
            ],
            notes=[
                "baseline: rows per second of one executemany into one plain table; "
                "registration's baseline: its median with nobody else writing",
                f"{len(waits['during'])} registrations during the import, "
                f"p95 {results_out['writer_p95_ms']} ms; the importer had the CPU "
                f"{100 * cpu_share:.0f}% of its wall time "
                f"({args.rows / cpu_used:,.0f} rows per second of its own CPU time)",
            ],
        )
        path = results_write(BENCH, results_out)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
