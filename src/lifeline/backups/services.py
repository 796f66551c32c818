"""Backups made, kept and proven: `backup_create` (a consistent snapshot of the database with the
media, encrypted to the site's key and the recovery key), `backup_verify` (restored into a
scratch database and checked), `backup_restore`, the retention rule and the worker's schedule.

On SQLite the snapshot is SQLite's online backup (`sqlite3.Connection.backup`) taken from the
server's own connection: one step, so one consistent state, while others keep writing. On
PostgreSQL it is `pg_dump` (when it is installed) of a snapshot exported by a repeatable-read
transaction that also counts the rows, so the manifest's counts are the dump's; it is verified
by `pg_restore` into a scratch database, dropped afterwards, and restored with `pg_restore
--clean` in one transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lifeline.alerts.models import Alert, Severity
from lifeline.alerts.services import alert_raise, alert_resolve_by_system
from lifeline.backups import archive, rules
from lifeline.backups.archive import BackupInvalid, Part
from lifeline.backups.models import BackupRecord
from lifeline.backups.selectors import backup_last_good
from lifeline.backups.settings import backup_folder, backup_policy
from lifeline.core import keys
from lifeline.core.errors import LifelineError
from lifeline.core.services import Actor, audit_record, permission_require

logger = logging.getLogger(__name__)

STALE_KIND = "backups.stale"
STALE_KEY = "last-good-backup"
DATABASE_PART = "database.sqlite3"
PG_DUMP_PART = "database.pgdump"
PARTIAL_MAX_AGE = dt.timedelta(hours=6)


class BackupUnavailable(LifelineError):
    """A backup cannot be made here (no pg_dump, no key): nothing was written."""

    code = "backup_unavailable"
    exit_code = 8


def _staging_parent() -> Path:
    return Path(settings.VAR_DIR) / "tmp"


def _operator(actor: Actor | None) -> dict[str, str]:
    """Who ran a command without a Lifeline user: the account on the machine."""
    if actor is not None and actor.is_authenticated:
        return {}
    try:
        return {"os_user": getpass.getuser()}
    except (KeyError, OSError):
        return {"os_user": "unknown"}


def _require(actor: Actor | None, *, doing: str) -> None:
    # The command line without --user is the operator at the machine (who could copy the
    # files anyway); a Lifeline user must be one who may change the site.
    if actor is not None:
        permission_require(actor, "core.change_site", doing=doing)


# -- the database snapshot ---------------------------------------------------------------------


def database_connect(path: Path) -> Any:
    """A DB-API connection to a database file of the kind this site runs (plain SQLite or
    SQLCipher with the site's key)."""
    from lifeline.core.sqlcipher import sqlcipher_enabled, sqlcipher_file_connect

    if sqlcipher_enabled():
        return sqlcipher_file_connect(path)
    return sqlite3.connect(path)


def _server_connection() -> Any:
    connection.ensure_connection()
    return connection.connection


def _snapshot_sqlite(target: Path) -> None:
    source = _server_connection()
    copy = database_connect(target)
    try:
        source.backup(copy)  # one step: the whole database as of one moment
    finally:
        copy.close()


def _tables(db: Any, *, postgresql: bool = False) -> list[str]:
    query = (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        if postgresql
        else "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [str(row[0]) for row in db.execute(query).fetchall()]


def table_counts(db: Any, *, postgresql: bool = False) -> dict[str, int]:
    """Each table's rows, through a DB-API connection with `execute` (sqlite3, psycopg)."""
    return {
        table: int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
        for table in _tables(db, postgresql=postgresql)
    }


def _migrations(db: Any) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name"):
        state.setdefault(str(app), []).append(str(name))
    return state


def _pg_env(dbname: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The connection arguments and environment of pg_dump/pg_restore for this database (or
    another one on the same server)."""
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    # A restore waiting on a lock that a busy server holds fails after a minute, clearly,
    # rather than hanging.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=60s".strip()
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return [*args, "--dbname", dbname or str(db["NAME"])], env


def _pg_connect(*, autocommit: bool = False) -> Any:
    """A psycopg connection of its own to this site's database, outside Django's."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = autocommit
    return raw


def _pg_run(command: list[str], *, env: dict[str, str]) -> None:
    """Run pg_dump/pg_restore; its own words in the error when it fails."""
    result = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        command, env=env, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise BackupUnavailable(
            _("%(tool)s failed: %(error)s")
            % {
                "tool": Path(command[0]).name,
                "error": result.stderr.decode(errors="replace").strip()[-500:],
            }
        )


def _dump_pg(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """pg_dump of the database to `target`, with each table's rows and the migrations as of
    the same moment: a repeatable-read transaction exports its snapshot to pg_dump and counts
    in it."""
    import psycopg

    pg_dump = _tool("pg_dump")
    raw = _pg_connect()
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        snapshot = str(raw.execute("SELECT pg_export_snapshot()").fetchone()[0])
        counts = table_counts(raw, postgresql=True)
        migrations = _migrations(raw)
        args, env = _pg_env()
        _pg_run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(target), *args],
            env=env,
        )
        raw.rollback()
    finally:
        raw.close()
    return counts, migrations


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupUnavailable(
            _(
                "%(name)s is not installed: a PostgreSQL site is backed up with %(name)s "
                "(apt-get install postgresql-client), or by the database server's own backups"
            )
            % {"name": name}
        )
    return found


# -- create ------------------------------------------------------------------------------------


def _partials_sweep(folder: Path) -> None:
    """Remove what a backup killed long ago left behind (a running one is younger)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - PARTIAL_MAX_AGE.total_seconds()
    for path in folder.glob(f".lifeline-*{archive.SUFFIX}.partial"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def backup_create(
    *, actor: Actor | None, folder: Path | None = None, verify: bool = False
) -> BackupRecord:
    """Back up the database and the media to `folder` (the site's backup folder by default);
    with `verify`, prove it at once by restoring it into a scratch database."""
    _require(actor, doing=_("make a backup"))
    from lifeline.core.clock import site_local

    site = site_local()
    folder = Path(folder) if folder is not None else backup_folder()
    recipients = keys.backup_recipients()
    started = time.perf_counter()
    now = timezone.now()
    name = archive.archive_name(site.code, now)
    _partials_sweep(folder)
    manifest: dict[str, Any] = {
        "format": archive.FORMAT,
        "site": site.code,
        "site_name": site.name,
        "created_at": now.isoformat(),
    }
    with archive.scratch_folder(_staging_parent()) as staging:
        if connection.vendor == "postgresql":
            dump = staging / PG_DUMP_PART
            counts, manifest["migrations"] = _dump_pg(dump)
            manifest["database"] = {"engine": "postgresql", "part": PG_DUMP_PART}
            parts = [Part(PG_DUMP_PART, dump)]
        else:
            snapshot = staging / DATABASE_PART
            _snapshot_sqlite(snapshot)
            db = database_connect(snapshot)
            try:
                counts = table_counts(db)
                manifest["migrations"] = _migrations(db)
            finally:
                db.close()
            from lifeline.core.sqlcipher import sqlcipher_enabled

            engine = "sqlcipher" if sqlcipher_enabled() else "sqlite"
            manifest["database"] = {"engine": engine, "part": DATABASE_PART}
            parts = [Part(DATABASE_PART, snapshot)]
        manifest["counts"] = counts
        media = archive.media_parts(Path(settings.MEDIA_ROOT))
        manifest["media_files"] = len(media)
        path = archive.archive_write(
            folder=folder,
            name=name,
            parts=[*parts, *media],
            manifest=manifest,
            recipients=recipients,
            staging=staging,
        )
    record = _record_create(
        name=name,
        folder=folder,
        created_at=now,
        size=path.stat().st_size,
        seconds=time.perf_counter() - started,
        rows=sum(counts.values()),
        media_files=len(media),
        actor=actor,
    )
    if verify:
        backup_verify(path=path)
        record.refresh_from_db()
    return record


@transaction.atomic
def _record_create(
    *,
    name: str,
    folder: Path,
    created_at: dt.datetime,
    size: int,
    seconds: float,
    rows: int,
    media_files: int,
    actor: Actor | None,
) -> BackupRecord:
    record = BackupRecord.objects.create(
        file_name=name,
        folder=str(folder),
        created_at=created_at,
        size_bytes=size,
        seconds=seconds,
        rows=rows,
        media_files=media_files,
    )
    audit_record(
        actor=actor,
        action="backup.create",
        obj=record,
        summary=f"backup {name} ({size} bytes) to {folder}",
        detail=_operator(actor),
    )
    return record


# -- verify ------------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    path: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@contextmanager
def _scratch_database(name: str) -> Iterator[str]:
    """A Django database alias over a scratch database (a file on SQLite, a database of the
    same server on PostgreSQL), for the apps' own checks. Only this thread sees it (it is not
    added to the configured databases)."""
    from django.db.utils import load_backend

    alias = f"backup_scratch_{os.getpid()}_{time.monotonic_ns()}"
    config = {**connections.settings["default"], "NAME": name}
    scratch = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    connections[alias] = scratch
    try:
        yield alias
    finally:
        scratch.close()
        del connections[alias]


def _check_sqlite(report: VerifyReport, database: Path) -> None:
    expected = report.manifest.get("counts", {})
    try:
        db = database_connect(database)
        try:
            integrity = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
            report.counts = table_counts(db)
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        report.problems.append(_("the database does not open: %(exc)s") % {"exc": exc})
        return
    if integrity != ["ok"]:
        report.problems.append(
            _("integrity check: %(problems)s") % {"problems": "; ".join(integrity[:5])}
        )
        return
    _counts_and_ledger_check(report, expected, str(database))


def _counts_and_ledger_check(report: VerifyReport, expected: dict[str, int], name: str) -> None:
    """Each table's rows against the manifest's, then the stock ledger against the balances in
    the scratch database `name`."""
    for table in sorted(set(expected) | set(report.counts)):
        if expected.get(table) != report.counts.get(table):
            report.problems.append(
                _("%(table)s: %(rows)s rows, the manifest says %(expected)s")
                % {
                    "table": table,
                    "rows": report.counts.get(table),
                    "expected": expected.get(table),
                }
            )
    if report.problems:
        return
    from lifeline.supplies.selectors import stock_ledger_mismatches

    with _scratch_database(name) as alias:
        mismatches = stock_ledger_mismatches(using=alias)
    report.problems += [
        _("stock ledger and balances differ: %(lines)s") % {"lines": m} for m in mismatches[:10]
    ]


@contextmanager
def _pg_scratch_database() -> Iterator[str]:
    """An empty database on the same server, dropped afterwards whatever happens (the
    database's user needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    base = str(connection.settings_dict["NAME"])
    name = f"{base[:30]}_verify_{os.getpid()}_{time.monotonic_ns() % 10**12}"
    admin = _pg_connect(autocommit=True)
    try:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise BackupUnavailable(
                _("no scratch database to restore into (its user needs CREATEDB): %(exc)s")
                % {"exc": exc}
            ) from exc
        try:
            yield name
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        admin.close()


def _check_pg(report: VerifyReport, dump: Path) -> None:
    """Restore the dump into a scratch database, then the same checks as on SQLite."""
    pg_restore = _tool("pg_restore")
    try:
        with _pg_scratch_database() as name:
            args, env = _pg_env(name)
            _pg_run(
                [
                    pg_restore,
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env=env,
            )
            with _scratch_database(name) as alias:
                scratch = connections[alias]
                scratch.ensure_connection()
                report.counts = table_counts(scratch.connection, postgresql=True)
            _counts_and_ledger_check(report, report.manifest.get("counts", {}), name)
    except BackupUnavailable as exc:
        report.problems.append(exc.message)


def _opened_checked(path: Path, identities: list[Any] | None, scratch: Path) -> VerifyReport:
    opened = archive.archive_open(
        path, identities=identities or [keys.site_identity()], scratch=scratch
    )
    report = VerifyReport(path=path, manifest=opened.manifest, problems=list(opened.problems))
    part = opened.manifest.get("database", {}).get("part", "")
    if part == DATABASE_PART:
        _check_sqlite(report, opened.part(DATABASE_PART))
    elif part == PG_DUMP_PART:
        _check_pg(report, opened.part(PG_DUMP_PART))
    else:
        report.problems.append(_("the manifest names no database"))
    return report


def backup_verify(*, path: Path, identities: list[Any] | None = None) -> VerifyReport:
    """Restore a backup into a scratch database and check it: every part's sha256, SQLite's
    integrity check, each table's rows against the manifest, the stock ledger against the
    balances. Raises BackupInvalid when it cannot even be opened."""
    path = Path(path)
    with archive.scratch_folder(_staging_parent()) as scratch:
        report = _opened_checked(path, identities, scratch)
    _record_verified(report)
    return report


@transaction.atomic
def _record_verified(report: VerifyReport) -> None:
    record = BackupRecord.objects.filter(file_name=report.path.name).first()
    if record is None:
        return
    record.verified_at = timezone.now()
    record.problems = "\n".join(report.problems)
    record.save(update_fields=["verified_at", "problems"])


# -- restore -----------------------------------------------------------------------------------


def backup_restore(
    *,
    actor: Actor | None,
    path: Path,
    identities: list[Any] | None = None,
    backup_before: bool = True,
) -> VerifyReport:
    """Replace this site's database and media with a backup's, once it has been verified.
    What is here now is backed up first (when it can still be read), unless told not to."""
    _require(actor, doing=_("restore a backup"))
    path = Path(path)
    with archive.scratch_folder(_staging_parent()) as scratch:
        report = _opened_checked(path, identities, scratch)
        if not report.ok:
            raise BackupInvalid(
                _("%(name)s is not restored: %(problems)s")
                % {"name": path.name, "problems": "; ".join(report.problems[:5])}
            )
        before = _backup_before_restore() if backup_before else ""
        content = scratch / "content"
        if report.manifest["database"]["part"] == DATABASE_PART:
            copy = database_connect(content / DATABASE_PART)
            try:
                connection.close()
                copy.backup(_server_connection())  # page by page, in one transaction
            finally:
                copy.close()
        else:
            # Every object of the dump dropped and made again in one transaction: a failure
            # halfway leaves the database as it was.
            args, env = _pg_env()
            connection.close()
            _pg_run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    *args,
                    str(content / PG_DUMP_PART),
                ],
                env=env,
            )
        _media_replace(content / "media", Path(settings.MEDIA_ROOT))
    audit_record(
        actor=actor,
        action="backup.restore",
        summary=f"restored {path.name} (made {report.manifest.get('created_at', '?')})",
        detail={**_operator(actor), "backup_before": before},
    )
    return report


def _backup_before_restore() -> str:
    try:
        record = backup_create(actor=None)
    except Exception as exc:
        logger.warning("no backup of the state before the restore: %s", exc)
        return ""
    return record.file_name


def _media_replace(source: Path, media_root: Path) -> None:
    """Put the backup's media in place of the current folder (swapped by renames)."""
    incoming = media_root.with_name(f".{media_root.name}.restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, incoming)
    else:
        incoming.mkdir(parents=True)
    replaced = media_root.with_name(f".{media_root.name}.replaced")
    shutil.rmtree(replaced, ignore_errors=True)
    if media_root.exists():
        media_root.rename(replaced)
    incoming.rename(media_root)
    shutil.rmtree(replaced, ignore_errors=True)


# -- retention and schedule --------------------------------------------------------------------


def backups_prune(*, folder: Path | None = None, now: dt.datetime | None = None) -> list[str]:
    """Remove the backups the retention rule does not keep; returns the names removed."""
    from lifeline.core.clock import site_local

    policy = backup_policy()
    folder = Path(folder) if folder is not None else backup_folder()
    now = now or timezone.now()
    files = {
        archive.archive_time(p.name): p for p in archive.archives_in(folder, site_local().code)
    }
    made = [at for at in files if at is not None]
    keep = rules.retention_keep(
        made, keep_last=policy.keep_last, keep_days=policy.keep_days, now=now
    )
    removed = []
    for at, path in files.items():
        if at is not None and at not in keep:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    if removed:
        with transaction.atomic():
            BackupRecord.objects.filter(file_name__in=removed).update(removed_at=now)
            audit_record(
                actor=None,
                action="backup.prune",
                summary=f"{len(removed)} backup(s) removed by the retention rule",
                detail={"removed": removed},
            )
    return removed


def backup_sweep(now: dt.datetime | None = None) -> list[object]:
    """The worker's job: make and verify a backup when the schedule says so, apply the
    retention rule, and alert when the last good backup is older than the schedule allows."""
    if keys.keys_state() != "unlocked":
        return []  # not set up, or locked down: nothing may be read
    now = now or timezone.now()
    policy = backup_policy()
    every = dt.timedelta(hours=policy.every_hours)
    last = backup_last_good()
    done: list[object] = []
    failure = ""
    if last is None or now - last.created_at >= every:
        try:
            record = backup_create(actor=None, verify=True)
        except Exception as exc:
            logger.exception("scheduled backup failed")
            failure = str(exc)
        else:
            done.append(record)
            backups_prune(now=now)
            last = backup_last_good()
    done += backup_staleness_check(now=now, failure=failure)
    return done


def backup_staleness_check(*, now: dt.datetime, failure: str = "") -> list[Alert]:
    """Raise the alert when the last good backup is older than the schedule plus a grace of
    a quarter of it (at least an hour); close it when a good backup is there again."""
    policy = backup_policy()
    every = dt.timedelta(hours=policy.every_hours)
    allowed = every + max(every / 4, dt.timedelta(hours=1))
    last = backup_last_good()
    open_alerts = Alert.objects.alive().filter(
        kind=STALE_KIND, key=STALE_KEY, resolved_at__isnull=True
    )
    if last is not None and now - last.created_at <= allowed:
        for alert in open_alerts:
            alert_resolve_by_system(
                alert=alert,
                # Stored in English; the alert shows it in the reader's language.
                resolution=gettext_noop("a good backup was made"),
            )
        return []
    if open_alerts.exists() and not failure:
        return []
    if last is None:
        detail = (
            gettext_lazy("no good backup yet. The last attempt failed: %(failure)s")
            if failure
            else gettext_lazy("no good backup yet.")
        )
    else:
        detail = (
            gettext_lazy("last good backup %(when)s UTC. The last attempt failed: %(failure)s")
            if failure
            else gettext_lazy("last good backup %(when)s UTC.")
        )
    when = f"{last.created_at:%Y-%m-%d %H:%M}" if last is not None else ""
    return [
        alert_raise(
            kind=STALE_KIND,
            key=STALE_KEY,
            title=gettext_lazy("No recent backup"),
            severity=Severity.WARNING,
            detail=detail,
            params={"when": when, "failure": failure},
            permission="core.change_setting",
        )
    ]
