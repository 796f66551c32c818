"""Backup benchmark: a camp of N persons backed up, verified and restored.

    python benchmarks/backup.py [--scale N]     (default 100,000 persons)
    DATABASE_URL=postgres://... python benchmarks/backup.py    (the same on PostgreSQL)

Lifeline: households and persons from the demo's population plan set up as
benchmarks/distribution.py does (`core.models.replicated_create_many`, with their versions and
change-log rows), stock received through the supplies ledger's services, photos in the media
folder; then `backups.services.backup_create` (SQLite's online backup, the manifest, gzip,
age encryption to the site's and the recovery key, written atomically), `backup_verify` (the
archive decrypted, every part's sha256, a scratch database's integrity check, row counts and
the stock ledger against the balances) and `backup_restore` (verified again, then copied into
the live database page by page; without the safety backup of the state before).

Baseline, in the same run, what a user would otherwise reach for: the same online backup to a
file and a gzip of it, neither encrypted nor checked.

On PostgreSQL (DATABASE_URL set; a fresh database on that server, dropped afterwards) the
snapshot is `pg_dump` of an exported snapshot, verify is `pg_restore` into a scratch database
and its checks, restore is `pg_restore --clean` in one transaction; the baseline is `pg_dump`
to a file and a tar.gz of it with the photos.

Prints the table and writes var/bench/backup.json (keys in shared/BENCHMARKS.md); the
PostgreSQL figures go into the same file with a `pg_` prefix, beside SQLite's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
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

BENCH = "backup"
DEFAULT_SCALE = 100_000
BATCH = 5_000
PHOTOS = 40
PHOTO_BYTES = 200_000
_MODULES = (
    "lifeline.backups.archive",
    "lifeline.backups.services",
    "lifeline.core.keys",
    "lifeline.people.services",
    "lifeline.supplies.services",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="persons to register")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    with isolated_database(BENCH, keep=args.keep) as database:
        path = Path(database.name) if database.engine == "sqlite" else None
        results = run(args.scale, database.label, path)
    return 0 if results["targets_hold"] else 1


def run(scale: int, database: str, database_path: Path | None) -> dict[str, Any]:
    """Build, back up, verify and restore; `database_path` is the SQLite file (None: the
    PostgreSQL database Django is pointed at)."""
    for module in _MODULES:
        importlib.import_module(module)
    from django.conf import settings
    from django.db import connection

    from lifeline.backups import services as backups
    from lifeline.core.keys import keys_init
    from lifeline.people.models import Person

    # The benchmark's own keys, media and backup folder: never those of `make run`.
    work = bench_dir() / "backup-var"
    shutil.rmtree(work, ignore_errors=True)
    var_dir, media_root = settings.VAR_DIR, settings.MEDIA_ROOT
    settings.VAR_DIR = work
    settings.MEDIA_ROOT = work / "media"
    settings.LIFELINE_BACKUP_DIR = str(work / "backups")
    settings.LIFELINE_KEY_FILE = ""
    keys_init()
    try:
        print(f"backup benchmark: {scale:,} persons on {database}", flush=True)
        _camp_build(scale)
        if database_path is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                database_bytes = int(cursor.fetchone()[0])
        connection.close()
        if database_path is not None:
            database_bytes = sum(
                p.stat().st_size for p in database_path.parent.glob(database_path.name + "*")
            )

        started = time.perf_counter()
        record = backups.backup_create(actor=None)
        backup_s = time.perf_counter() - started
        path = Path(record.folder) / record.file_name

        started = time.perf_counter()
        report = backups.backup_verify(path=path)
        verify_s = time.perf_counter() - started

        started = time.perf_counter()
        restored = backups.backup_restore(actor=None, path=path, backup_before=False)
        restore_s = time.perf_counter() - started
        persons_after = Person.objects.count()
        verified = report.ok and restored.ok and persons_after >= scale

        baseline_s, baseline_bytes = _baseline(
            database_path, Path(settings.MEDIA_ROOT), work / "baseline"
        )
    finally:
        settings.VAR_DIR, settings.MEDIA_ROOT = var_dir, media_root
        shutil.rmtree(work, ignore_errors=True)

    figures = [
        Figure("backup_s", backup_s, baseline_s),
        Figure("backup_bytes", record.size_bytes, baseline_bytes),
        Figure("verify_s", verify_s),
        Figure("restore_s", restore_s),
        Figure("verified", float(verified), target="true", holds=verified),
    ]
    table_print(
        f"backup: {scale:,} persons, {database}, database {database_bytes / 1e6:,.1f} MB",
        figures,
        notes=[
            "ratio = Lifeline / baseline. Baseline: the same online backup (pg_dump on "
            "PostgreSQL) to a file, then a tar.gz of it with the photos; neither encrypted nor "
            "checked.",
            "restore_s: the backup verified again, then copied into the live database.",
        ],
    )
    results: dict[str, Any] = {
        "persons": scale,
        "backup_s": round(backup_s, 2),
        "backup_bytes": record.size_bytes,
        "restore_s": round(restore_s, 2),
        "verified": verified,
        "verify_s": round(verify_s, 2),
        "database_bytes": database_bytes,
        "rows": record.rows,
        "media_files": record.media_files,
        "baseline_backup_s": round(baseline_s, 2),
        "baseline_backup_bytes": baseline_bytes,
        "baseline": (
            "pg_dump --format=custom to a file"
            if database_path is None
            else "sqlite3 online backup to a file"
        )
        + ", tar.gz with the photos; no encryption, no checks",
        "database": database,
        "machine": machine_info(database),
        "targets_hold": verified,
    }
    if database_path is None:  # beside SQLite's figures, as distribution.json keeps them
        earlier = bench_dir() / f"{BENCH}.json"
        sqlite_figures = json.loads(earlier.read_text()) if earlier.exists() else {}
        sqlite_figures = {k: v for k, v in sqlite_figures.items() if not k.startswith("pg_")}
        results = {**sqlite_figures, **{f"pg_{k}": v for k, v in results.items()}}
        results["targets_hold"] = verified and sqlite_figures.get("targets_hold", True)
    path_written = results_write(BENCH, results)
    print(f"wrote {path_written}", flush=True)
    return results


def _camp_build(scale: int) -> None:
    """Persons and households as distribution.py sets them up (`replicated_create_many`:
    versions and change-log rows as a registration writes them), stock through the ledger's
    services, photos on disk."""
    import os

    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from lifeline.core.models import replicated_create_many
    from lifeline.core.roles import Role
    from lifeline.demo.population import person_plans
    from lifeline.demo.scenario import demo_sites_ensure
    from lifeline.people.models import Household, Person
    from lifeline.supplies import services as supplies

    sites = demo_sites_ensure()
    user = User.objects.create_user(username="bench-logistics")  # no password: never signs in
    user.groups.add(Group.objects.get(name=Role.LOGISTICS.value))
    logistics = User.objects.get(pk=user.pk)
    plans = list(person_plans(size=scale))
    step = max(1, len(plans) // 10)
    started, cpu_started = time.perf_counter(), time.process_time()
    households: dict[str, Household] = {}
    for first in range(0, len(plans), BATCH):
        rows: list[Any] = []
        for plan, person in plans[first : first + BATCH]:
            household = households.get(plan.ration_card)
            if household is None:
                household = Household(
                    ration_card=plan.ration_card, site=sites[plan.site_code], area=plan.area
                )
                households[plan.ration_card] = household
                rows.append(household)
            last = person.events[-1] if person.events else None
            rows.append(
                Person(
                    given_name=person.given_name,
                    family_name=person.family_name,
                    other_names=list(person.other_names),
                    sex=person.sex,
                    date_of_birth=person.date_of_birth,
                    birth_date_estimated=person.birth_date_estimated,
                    languages=list(person.languages),
                    household=household,
                    status=last.status if last else "present",
                    current_site=sites[last.site_code if last else plan.site_code],
                    current_area=last.area if last else plan.area,
                    search_text=f"{person.given_name} {person.family_name}".lower(),
                )
            )
        with transaction.atomic():
            replicated_create_many(rows)
        done = min(first + BATCH, len(plans))
        if done // step != first // step or done == len(plans):
            progress(done, len(plans), started, "registered", cpu_started)
    site = next(iter(sites.values()))
    store = supplies.location_create(actor=logistics, code="bench-store", name="Store", site=site)
    for number in range(20):
        item = supplies.item_create(
            actor=logistics, code=f"item-{number}", name=f"Item {number}", unit="kg"
        )
        for lot in range(5):
            supplies.stock_receive(
                actor=logistics,
                location=store,
                item=item,
                quantity=Decimal(100 + lot),
                batch=f"B{lot}",
            )
    media = Path(settings.MEDIA_ROOT) / "facilities" / "2026" / "12"
    media.mkdir(parents=True, exist_ok=True)
    for number in range(PHOTOS):  # photos do not compress: random bytes stand for them
        (media / f"photo-{number}.jpg").write_bytes(os.urandom(PHOTO_BYTES))


def _baseline(database_path: Path | None, media_root: Path, folder: Path) -> tuple[float, int]:
    """The same online backup (pg_dump) to a file, then a tar.gz of it with the photos."""
    import tarfile

    folder.mkdir(parents=True, exist_ok=True)
    copy_path = folder / "copy.sqlite3"
    packed = folder / "copy.tar.gz"
    started = time.perf_counter()
    if database_path is None:
        from django.db import connection

        from lifeline.backups.services import _pg_env

        args, env = _pg_env()
        subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
            ["pg_dump", "--format=custom", "--file", str(copy_path), *args],  # noqa: S607
            env=env,
            check=True,
        )
        connection.close()
    else:
        source = sqlite3.connect(database_path)
        target = sqlite3.connect(copy_path)
        source.backup(target)
        target.close()
        source.close()
    with tarfile.open(packed, "w:gz", compresslevel=4) as tar:
        tar.add(copy_path, arcname="database.sqlite3")
        tar.add(media_root, arcname="media")
    seconds = time.perf_counter() - started
    return seconds, packed.stat().st_size


if __name__ == "__main__":
    raise SystemExit(main())
