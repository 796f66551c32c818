"""What every benchmark shares (see shared/BENCHMARKS.md): an isolated database, the machine
it ran on, p95 of timings, the table a person reads and var/bench/NAME.json.

A benchmark never touches the database `make run` uses: on SQLite it builds a fresh file under
var/bench/, on PostgreSQL (DATABASE_URL set) a fresh database that it creates and drops.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))


def django_settings() -> Any:
    """Lifeline's settings, loaded but not yet set up: databases can still be redirected."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    from django.conf import settings

    settings.DATABASES  # noqa: B018 - loads the settings module
    return settings


def bench_dir() -> Path:
    settings = django_settings()
    path = Path(settings.VAR_DIR) / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class BenchDatabase:
    engine: str  # "sqlite" or "postgresql"
    label: str  # e.g. "SQLite 3.45.1", filled in once connected
    name: str  # file path or database name


@contextmanager
def isolated_database(bench: str, *, keep: bool = False) -> Iterator[BenchDatabase]:
    """Point Django at a fresh database for this benchmark, set Django up and migrate it.

    SQLite: var/bench/BENCH.sqlite3 (removed afterwards unless `keep`). PostgreSQL, when
    DATABASE_URL is set: a new database next to the one named there, dropped afterwards.
    """
    settings = django_settings()
    config = settings.DATABASES["default"]
    created_pg: str | None = None
    if config["ENGINE"] == "lifeline.core.sqlcipher":
        # Encrypted at rest (LIFELINE_ENCRYPTED=1): the benchmark's own keys, never the demo's.
        path = bench_dir() / f"{bench}-encrypted.sqlite3"
        _sqlite_remove(path)
        config["NAME"] = str(path)
        keys = bench_dir() / f"{bench}-keys"
        shutil.rmtree(keys, ignore_errors=True)
        settings.LIFELINE_KEY_DIR = str(keys)
        database = BenchDatabase("sqlite", "SQLCipher", str(path))
    elif config["ENGINE"].endswith("sqlite3"):
        path = bench_dir() / f"{bench}.sqlite3"
        _sqlite_remove(path)
        config["NAME"] = str(path)
        database = BenchDatabase("sqlite", "SQLite", str(path))
    else:
        created_pg = f"lifeline_bench_{bench}_{os.getpid()}"
        _pg_admin(config, f'CREATE DATABASE "{created_pg}"')
        config["NAME"] = created_pg
        database = BenchDatabase("postgresql", "PostgreSQL", created_pg)

    import django
    from django.core.management import call_command
    from django.db import connection, connections

    django.setup()
    if getattr(settings, "LIFELINE_KEY_DIR", ""):
        from lifeline.core.keys import keys_init

        keys_init()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        # A server never serves on the connection that migrated (`migrate` is a command of its
        # own): measured on a fresh one. SQLCipher's driver keeps the older pysqlite statement
        # cache, which, once filled by the migrations' hundreds of statements, evicted every new
        # one (the registry's statements were prepared again on every registration).
        connections.close_all()
        database.label = database_label(connection)
        yield database
    finally:
        connections.close_all()
        if created_pg is not None:
            _pg_admin(config, f'DROP DATABASE IF EXISTS "{created_pg}"')
        elif not keep:
            _sqlite_remove(Path(database.name))
        if getattr(settings, "LIFELINE_KEY_DIR", ""):
            shutil.rmtree(settings.LIFELINE_KEY_DIR, ignore_errors=True)


def _sqlite_remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{path}.rations", ignore_errors=True)  # the ration issues' group-commit spool


def _pg_admin(config: dict[str, Any], sql: str) -> None:
    """Run CREATE/DROP DATABASE from the server's maintenance database (outside a transaction)."""
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def database_label(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
            return f"SQLCipher ({version})" if "SQLCipher" in connection.display_name else version
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def machine_info(database: str) -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "memory_mb": _memory_mb(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "database": database,
    }


def _memory_mb() -> int | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the value below which `fraction` of the values lie."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def timed_ms(run: Callable[[], object], repeats: int) -> list[float]:
    """Wall time of each of `repeats` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


@dataclass(frozen=True)
class Figure:
    name: str
    lifeline: float
    baseline: float | None = None
    target: str = "—"
    holds: bool | None = None  # None: reported, no target

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.lifeline / self.baseline  # type: ignore[operator]


def _number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def table_print(title: str, figures: Sequence[Figure], notes: Sequence[str] = ()) -> str:
    """The table a person reads: figure, Lifeline, baseline, ratio, target, holds?"""
    header = ("figure", "Lifeline", "baseline", "ratio", "target", "holds?")
    rows = [
        (
            f.name,
            _number(f.lifeline),
            _number(f.baseline),
            _number(f.ratio) if f.ratio is not None else "—",
            f.target,
            "—" if f.holds is None else ("yes" if f.holds else "NO"),
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = f"{cells[0]:<{widths[0]}}"
        rest = [f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "| " + " | ".join([first, *rest]) + " |"

    text = [title, "", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    text += [line(r) for r in rows]
    if notes:
        text.append("")
        text += list(notes)
    out = "\n".join(text)
    print(out, flush=True)
    return out


def results_write(bench: str, results: dict[str, Any]) -> Path:
    """var/bench/BENCH.json: one flat object, numbers as numbers."""
    path = bench_dir() / f"{bench}.json"
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return path


def progress(
    done: int, total: int, started: float, what: str, cpu_started: float | None = None
) -> None:
    """A progress line: count, rate so far and, given the process time at the start, the share
    of wall time this process had the CPU (low on a busy shared machine)."""
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed else 0.0
    line = f"  {what}: {done:,}/{total:,} ({rate:,.0f}/s"
    if cpu_started is not None and elapsed:
        line += f", cpu {100 * (time.process_time() - cpu_started) / elapsed:.0f}%"
    print(line + ")", flush=True)
