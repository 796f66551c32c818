"""Sync benchmark: changes written at three camps, carried in bundles, applied at a fourth site.

    python benchmarks/sync.py [--scale N]     (default 100,000 changes)

Three camps (forest, desert, compound), each its own SQLite database, write N changes between
them through the local write path: persons and households registered, status events (naming
the user who recorded them), updates of their own persons and concurrent updates of persons
the forest camp registered before the others copied them (so that the merge has conflicts to
keep). Each camp exports a signed bundle for the headquarters; the headquarters checks and
applies the three (`lifeline.sync.services.bundle_import`: the one apply path), timed.

Baseline, in the same run: the same changes upserted row by row through the ORM in one
transaction at a fifth database (read the row, set its fields, save it: no versions kept, no
merge, no conflicts, no log). `json_bytes` is the same changes as plain JSON lines.

Then every camp imports the others' bundles, and `converged` says whether the four canonical
dumps (every replicated row with every field that travels) are equal; `lost` counts writes
that are neither the value at the headquarters, nor a loser kept for review, nor overwritten
by a writer who had seen them. Prints the table; writes var/bench/sync.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, bench_dir, django_settings, machine_info, results_write, table_print

BENCH = "sync"
DEFAULT_SCALE = 100_000
CAMPS = ("forest", "desert", "compound")
HQ = "hq"
BASELINE = "baseline"
SHARED_SHARE = 0.01  # of the forest camp's persons, copied to the others before they write


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="changes in all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files afterwards")
    args = parser.parse_args(argv)
    if args.scale < 30:
        parser.error("--scale must be at least 30")
    settings = django_settings()
    default = dict(settings.DATABASES["default"])
    on_postgres = not default["ENGINE"].endswith("sqlite3")
    if on_postgres and "postgresql" not in default["ENGINE"]:
        print("sync benchmark: runs on SQLite, or with a PostgreSQL headquarters")
        return 2
    folder = bench_dir() / f"sync-sites-{os.getpid()}"  # two runs at once never share files
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # The camps are SQLite files; on PostgreSQL the headquarters (and the baseline) are
    # databases of that server, made for this run and dropped afterwards.
    if on_postgres:  # the camps as Lifeline's settings make an SQLite database
        settings.DATABASES["default"] = {
            **default,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "unused.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON;",
            },
            "CONN_MAX_AGE": 0,
        }
    else:
        settings.DATABASES["default"]["NAME"] = str(folder / "unused.sqlite3")
    import django

    django.setup()
    servers: dict[str, dict[str, Any]] = {}
    if on_postgres:
        from common import _pg_admin

        for code in (HQ, BASELINE):
            name = f"lifeline_bench_sync_{code}_{os.getpid()}"
            _pg_admin(default, f'CREATE DATABASE "{name}"')
            servers[code] = {**default, "NAME": name}
    try:
        results = run(args.scale, args.seed, folder, servers)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        for config in servers.values():
            _pg_admin(default, f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
    return 0 if results["targets_hold"] else 1


def run(
    scale: int, seed: int, folder: Path, servers: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    from common import database_label
    from django.db import connection

    from lifeline.sync.tests.sites import SiteWorld, database_migrate, template_database

    for config in (servers or {}).values():
        database_migrate(config)
    world = SiteWorld(folder, [*CAMPS, HQ, BASELINE], template_database(folder), servers)
    with world.at(HQ):
        label = database_label(connection)
    print(f"sync benchmark: {scale:,} changes from {len(CAMPS)} camps on {label}", flush=True)
    rng = random.Random(seed)
    identities = _sites_meet(world)
    _write(world, scale, rng)

    bundles = {code: _export(world, code, HQ) for code in CAMPS}
    changes_by_camp = {code: _feed_changes(bundle) for code, bundle in bundles.items()}
    changes = sum(len(c) for c in changes_by_camp.values())
    bundle_bytes = sum(len(b) for b in bundles.values())
    json_bytes = sum(
        len(json.dumps(change, separators=(",", ":"), default=str)) + 1
        for camp in changes_by_camp.values()
        for change in camp
    )

    apply_s = _import_all(world, HQ, [bundles[c] for c in CAMPS])
    apply_cpu_s = _cpu_seconds[-1]
    baseline_s = _baseline_upsert(world, [c for camp in CAMPS for c in changes_by_camp[camp]])
    print(f"  applied {changes:,} changes in {apply_s:.1f} s; baseline {baseline_s:.1f} s")

    for camp in CAMPS:  # every camp gets every other camp's changes
        others = [_export(world, other, camp) for other in CAMPS if other != camp]
        _import_all(world, camp, others)
    dumps = {code: _canonical_digest(world, code) for code in (*CAMPS, HQ)}
    converged = len(set(dumps.values())) == 1
    lost, conflicts = _lost(world, HQ, [c for camp in changes_by_camp.values() for c in camp])
    _ = identities

    apply_per_s = changes / apply_s
    baseline_per_s = changes / baseline_s
    json_ratio = json_bytes / bundle_bytes
    on_sqlite = label.startswith("SQLite")
    targets = {
        "json_ratio": json_ratio >= 5,
        "converged": converged,
        "lost": lost == 0,
    }
    if on_sqlite:  # the rate's target is SQLite's; a PostgreSQL headquarters' is reported
        targets["apply_per_s"] = apply_per_s >= 5_000
    figures = [
        Figure("changes", changes),
        Figure("bundle_bytes", bundle_bytes, json_bytes),
        Figure("json_ratio", json_ratio, None, "≥ 5", targets["json_ratio"]),
        Figure(
            "apply_per_s",
            apply_per_s,
            baseline_per_s,
            "≥ 5,000" if on_sqlite else "—",
            targets.get("apply_per_s"),
        ),
        Figure("apply_cpu_per_s", changes / apply_cpu_s),
        Figure("conflicts kept", conflicts),
        Figure("converged (1 = yes)", float(converged), None, "yes", converged),
        Figure("lost", lost, None, "0", targets["lost"]),
    ]
    table_print(
        f"sync: {changes:,} changes from {len(CAMPS)} camps applied at a headquarters ({label})",
        figures,
        notes=[
            "bundle_bytes: baseline column is json_bytes (the same changes as JSON lines)",
            "apply_per_s: baseline column is the row-by-row ORM upsert; apply_cpu_per_s is the",
            "  same rate per second of this process's CPU (the wall rate falls on a busy machine)",
        ],
    )
    results = {
        "changes": changes,
        "bundle_bytes": bundle_bytes,
        "json_bytes": json_bytes,
        "json_ratio": round(json_ratio, 2),
        "apply_per_s": round(apply_per_s, 1),
        # The same, per second of this process's CPU: on a shared machine the wall-clock rate
        # falls with the other processes' load, this one does not.
        "apply_cpu_per_s": round(changes / apply_cpu_s, 1),
        "baseline_apply_per_s": round(baseline_per_s, 1),
        "conflicts": conflicts,
        "converged": converged,
        "lost": lost,
        "database": label,
        "machine": machine_info(label),
        "targets_hold": all(targets.values()),
    }
    # A PostgreSQL headquarters' figures beside SQLite's, not over them.
    results_write(BENCH if on_sqlite else f"{BENCH}_postgresql", results)
    return results


def _sites_meet(world: Any) -> dict[str, str]:
    """Every site knows every other (a commander each, identities registered both ways)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from lifeline.core.clock import site_local
    from lifeline.core.roles import Role
    from lifeline.core.services import roles_sync
    from lifeline.sync import services

    identities = {}
    for code in (*CAMPS, HQ):
        with world.at(code):
            site_local()
            roles_sync()
            user = get_user_model().objects.create_user(username="chief", password="x" * 24)
            user.groups.add(Group.objects.get(name=Role.COMMANDER.value))
            identities[code] = services.site_identity()
    for code in (*CAMPS, HQ):
        with world.at(code):
            chief = get_user_model().objects.get(username="chief")
            for other in (*CAMPS, HQ):
                if other != code:
                    services.peer_register(
                        actor=chief, identity=identities[other], may_hold_protected=True
                    )
    return identities


def _write(world: Any, scale: int, rng: random.Random) -> None:
    """`scale` changes in all: the forest camp's first persons copied to the others, then each
    camp registers, records status and updates (some of the copied persons concurrently)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from lifeline.core.models import replicated_create_many
    from lifeline.people.models import Household, Person, StatusEvent
    from lifeline.sync.services import bundle_import

    per_camp = scale // len(CAMPS)
    shared_count = max(1, int(per_camp * SHARED_SHARE))
    shared: list[Any] = []
    with world.at("forest"), transaction.atomic():
        shared = [Person(given_name=f"Shared{i}", family_name="Camp") for i in range(shared_count)]
        replicated_create_many(shared)
    copy = _export(world, "forest", "desert"), _export(world, "forest", "compound")
    for code, data in zip(("desert", "compound"), copy, strict=True):
        with world.at(code):
            bundle_import(actor=get_user_model().objects.get(username="chief"), data=data)
    started = time.perf_counter()
    for index, code in enumerate(CAMPS):
        budget = per_camp - (shared_count if code == "forest" else 0)
        if index == len(CAMPS) - 1:
            budget += scale - per_camp * len(CAMPS)
        households = budget // 10
        persons = budget * 4 // 10
        events = budget * 2 // 10
        updates = budget - households - persons - events
        concurrent = max(1, updates // 10)
        with world.at(code), transaction.atomic():
            chief = get_user_model().objects.get(username="chief")
            homes = [Household(shelter=f"{code} tent {i}") for i in range(households)]
            people = [
                Person(
                    given_name=rng.choice(("Amal", "Yusuf", "Mariam", "Omar", "Huda", "Sami")),
                    family_name=f"{code}-{i}",
                    household=homes[i % len(homes)] if homes else None,
                    languages=["ar"],
                )
                for i in range(persons)
            ]
            for start in range(0, len(homes), 1000):
                replicated_create_many(homes[start : start + 1000])
            for start in range(0, len(people), 1000):
                replicated_create_many(people[start : start + 1000])
            statuses = [
                StatusEvent(person=people[i % len(people)], status="present", recorded_by=chief)
                for i in range(events)
            ]
            for start in range(0, len(statuses), 1000):
                replicated_create_many(statuses[start : start + 1000])
            mine = [
                Person.objects.get(pk=p.pk)
                for p in rng.sample(shared, min(len(shared), concurrent))
            ]
            targets = mine + [
                people[rng.randrange(len(people))] for _ in range(updates - len(mine))
            ]
            for n, person in enumerate(targets):
                person.notes = f"{code} note {n % 7}"
                person.save(update_fields=["notes"])
        print(f"  {code}: {budget:,} changes written", flush=True)
    print(f"  written in {time.perf_counter() - started:.1f} s", flush=True)


def _export(world: Any, code: str, peer: str) -> bytes:
    from django.contrib.auth import get_user_model

    from lifeline.sync.services import bundle_export

    path = world.directory / f"{code}-for-{peer}.llsync"
    with world.at(code):
        bundle_export(
            actor=get_user_model().objects.get(username="chief"), path=path, peer_code=peer
        )
    return path.read_bytes()


def _feed_changes(bundle: bytes) -> list[dict[str, Any]]:
    from lifeline.sync.bundle import bundle_feed

    return list(bundle_feed(bundle)["changes"])


_cpu_seconds: list[float] = []


def _import_all(world: Any, code: str, bundles: list[bytes]) -> float:
    """Wall seconds to check and apply the bundles (their CPU seconds go to _cpu_seconds)."""
    from django.contrib.auth import get_user_model

    from lifeline.sync.services import bundle_import

    with world.at(code):
        chief = get_user_model().objects.get(username="chief")
        started, cpu = time.perf_counter(), time.process_time()
        for data in bundles:
            bundle_import(actor=chief, data=data)
        _cpu_seconds.append(time.process_time() - cpu)
        return time.perf_counter() - started


def _baseline_upsert(world: Any, changes: list[dict[str, Any]]) -> float:
    """Row by row through the ORM: read the row, set the fields, save; one transaction."""
    from django.contrib.auth import get_user_model
    from django.db import models, transaction

    from lifeline.core.clock import site_local
    from lifeline.core.models import Site
    from lifeline.sync.apply import model_plan

    ordered = sorted(changes, key=lambda c: c["v"])
    with world.at(BASELINE):
        here = site_local()
        user, _ = get_user_model().objects.get_or_create(username="anyone")
        for code in CAMPS:  # the rows point at their sites
            with world.at(code):
                site = site_local()
            Site.objects.get_or_create(pk=site.pk, defaults={"code": site.code, "name": site.name})
        _ = here
        started = time.perf_counter()
        with transaction.atomic():
            for change in ordered:
                plan = model_plan(change["model"])
                assert plan is not None
                row = plan.model._base_manager.filter(pk=change["id"]).first()
                if row is None:
                    row = plan.model(pk=change["id"], origin_site_id=change["origin"])
                for attname, value in change["fields"].items():
                    field = plan.fields.get(attname)
                    if field is None:
                        continue
                    if attname in plan.actors:
                        value = user.pk if value else None
                    setattr(row, attname, field.to_python(value))
                row.version = change["v"]
                models.Model.save(row)  # the plain ORM save, without Lifeline's versioning
        return time.perf_counter() - started


def _canonical_digest(world: Any, code: str) -> str:
    from lifeline.people.models import Household, Person, StatusEvent
    from lifeline.sync.apply import model_plan

    digest = hashlib.sha256()
    with world.at(code):
        for model in (Household, Person, StatusEvent):
            plan = model_plan(model._meta.label_lower)
            assert plan is not None
            names = [n for n in plan.fields if n not in plan.actors]
            for values in model._base_manager.order_by("pk").values_list("pk", "version", *names):
                digest.update(repr(values).encode())
    return digest.hexdigest()


def _lost(world: Any, code: str, changes: list[dict[str, Any]]) -> tuple[int, int]:
    """Writes neither the value here, nor kept as a loser, nor the base of a later write."""
    from lifeline.sync.apply import model_plan
    from lifeline.sync.models import Conflict

    seen: set[tuple[str, str, str]] = set()  # (row, field, version) some later write built on
    for change in changes:
        for attname in change["fields"]:
            base = change["base"].get(attname, change["base"].get("*"))
            if base:
                seen.add((str(change["id"]), attname, base))
    lost = 0
    with world.at(code):
        kept = set(Conflict.objects.values_list("loser_version", "field"))
        by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for change in changes:
            by_model[change["model"]].append(change)
        for label, its in by_model.items():
            plan = model_plan(label)
            assert plan is not None
            versions = {
                str(pk): (fv or {}, version)
                for pk, fv, version in plan.model._base_manager.values_list(
                    "pk", "field_versions", "version"
                )
            }
            for change in its:
                fv, version = versions[str(change["id"])]
                for attname in change["fields"]:
                    if attname not in plan.fields:
                        continue
                    here = fv.get(attname) or fv.get("*") or version
                    if here == change["v"] or (change["v"], attname) in kept:
                        continue
                    if (str(change["id"]), attname, change["v"]) not in seen:
                        lost += 1
        return lost, len(kept)


if __name__ == "__main__":
    raise SystemExit(main())
