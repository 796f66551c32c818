"""Backups made, verified and restored: the restore drill, damaged files refused, the
retention rule applied to the folder, the schedule's alert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from lifeline.alerts.models import Alert
from lifeline.backups import archive, services
from lifeline.backups.archive import BackupInvalid
from lifeline.backups.models import BackupRecord
from lifeline.backups.selectors import backup_last_good
from lifeline.core.models import AuditEntry
from lifeline.people.models import Person

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postgresql_only: pg_dump and pg_restore"
)


def canonical_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted: two databases with equal dumps hold the same data."""
    dump = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            dump[table] = sorted(cursor.fetchall(), key=repr)
    return dump


def database_destroy() -> None:
    """Every table dropped, as a dead disk or a wrong command would leave it."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


BOOKKEEPING = {"backups_backuprecord", "core_auditentry"}  # rows that backing up itself adds


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_gives_back_the_same_database_and_photos(
    site_keys: Any, camp: dict[str, Any], settings: Any
) -> None:
    before = canonical_dump()
    record = services.backup_create(actor=None, verify=True)
    assert record.verified_at is not None and record.problems == ""
    assert record.media_files == 1
    assert record.rows == sum(len(rows) for rows in before.values())

    # Disaster: the database destroyed, the photo gone.
    database_destroy()
    camp["photo"].unlink()

    path = Path(record.folder) / record.file_name
    report = services.backup_restore(actor=None, path=path)

    assert report.ok
    after = canonical_dump()
    assert {t: rows for t, rows in after.items() if t not in BOOKKEEPING} == {
        t: rows for t, rows in before.items() if t not in BOOKKEEPING
    }
    assert set(before["core_auditentry"]) <= set(after["core_auditentry"])
    assert camp["photo"].read_bytes().startswith(b"\xff\xd8")
    assert AuditEntry.objects.filter(action="backup.restore").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_encrypted_and_needs_the_sites_key(
    site_keys: Any, camp: dict[str, Any]
) -> None:
    record = services.backup_create(actor=None)
    data = (Path(record.folder) / record.file_name).read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert b"Haddad" not in data

    import pyrage

    stranger = pyrage.x25519.Identity.generate()
    with pytest.raises(BackupInvalid, match="cannot be decrypted"):
        services.backup_verify(path=Path(record.folder) / record.file_name, identities=[stranger])


@pytest.mark.django_db(transaction=True)
def test_the_recovery_key_alone_verifies_a_backup(site_keys: Any, camp: dict[str, Any]) -> None:
    import pyrage

    record = services.backup_create(actor=None)
    recovery = pyrage.x25519.Identity.from_str(site_keys.recovery_identity)
    report = services.backup_verify(
        path=Path(record.folder) / record.file_name, identities=[recovery]
    )
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "not_a_backup"])
def test_a_damaged_backup_is_refused_with_a_clear_message(
    site_keys: Any, camp: dict[str, Any], damage: str
) -> None:
    record = services.backup_create(actor=None)
    path = Path(record.folder) / record.file_name
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"PK\x03\x04 a zip file, not a backup")

    with pytest.raises(BackupInvalid, match=r"cannot be decrypted: it is damaged or truncated"):
        services.backup_verify(path=path)
    with pytest.raises(BackupInvalid):
        services.backup_restore(actor=None, path=path)
    assert Person.objects.count() == 3  # nothing was touched


@pytest.mark.django_db(transaction=True)
def test_a_backup_whose_ledger_disagrees_with_the_balances_is_not_good(
    site_keys: Any, camp: dict[str, Any]
) -> None:
    from lifeline.supplies.models import StockBalance

    # The balances cache corrupted behind the ledger's back (never done by a service).
    StockBalance.objects.update(quantity=1)
    record = services.backup_create(actor=None, verify=True)
    assert "stock ledger and balances differ" in record.problems
    assert backup_last_good() is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_verify_restores_a_dump_into_a_scratch_database_and_drops_it(
    site_keys: Any, camp: dict[str, Any]
) -> None:
    def scratch_databases() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE '%%_verify_%%'")
            return [row[0] for row in cursor.fetchall()]

    record = services.backup_create(actor=None)
    report = services.backup_verify(path=Path(record.folder) / record.file_name)
    assert report.ok, report.problems
    assert report.manifest["database"]["engine"] == "postgresql"
    # The scratch database held what the manifest counted at the moment of the dump.
    assert report.counts == report.manifest["counts"]
    assert report.counts["people_person"] == 3
    assert scratch_databases() == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_dump_that_pg_restore_cannot_read_is_not_good(
    site_keys: Any, camp: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services._dump_pg

    def garbled(target: Path) -> Any:
        made = real(target)
        target.write_bytes(target.read_bytes()[:200])  # cut short before it is sealed
        return made

    monkeypatch.setattr(services, "_dump_pg", garbled)
    record = services.backup_create(actor=None, verify=True)
    assert "pg_restore failed" in record.problems
    assert backup_last_good() is None
    with pytest.raises(BackupInvalid, match="is not restored"):
        services.backup_restore(actor=None, path=Path(record.folder) / record.file_name)
    assert Person.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_retention_rule_removes_old_backups_from_the_folder(
    site_keys: Any, site: Any, settings: Any
) -> None:
    from lifeline.backups.settings import backup_folder

    folder = backup_folder()
    folder.mkdir(parents=True)
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    for hours in range(0, 24 * 40, 6):  # every 6 hours for 40 days
        name = archive.archive_name(site.code, now - dt.timedelta(hours=hours))
        (folder / name).write_bytes(b"x")
    (folder / "notes.txt").write_text("not a backup")
    removed = services.backups_prune(now=now)
    kept = archive.archives_in(folder, site.code)
    # The last 7 (today's 3 and yesterday's 4) and the newest of each of the last 30 days, of
    # which today's and yesterday's are already among the 7.
    assert len(kept) == 7 + 30 - 2
    assert archive.archive_time(kept[-1].name) == dt.datetime(2026, 11, 8, 18, tzinfo=dt.UTC)
    assert removed and (folder / "notes.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_a_backup_when_due_and_alerts_when_none_is_recent(
    site_keys: Any, camp: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = services.backup_sweep()
    assert len(made) == 1 and backup_last_good() is not None
    assert services.backup_sweep() == []  # not due yet

    # Backups start failing (the stick is full) and the last good one grows a day and a half
    # old: the alert is raised, saying why.
    def full(**kwargs: Any) -> None:
        raise OSError("No space left on device")

    BackupRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=31))
    monkeypatch.setattr(services, "backup_create", full)
    raised = services.backup_sweep()
    alert = Alert.objects.get(kind=services.STALE_KIND)
    assert raised == [alert] and "No space left" in alert.detail
    with translation.override("fr"):  # stored as a message: each reader has it in their language
        assert alert.shown_title == "Aucune sauvegarde récente"
        assert alert.shown_detail.endswith(
            "La dernière tentative a échoué : No space left on device"
        )
    monkeypatch.undo()

    # The stick is replaced: the next sweep makes a good backup and closes the alert.
    services.backup_sweep()
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    with translation.override("fr"):
        assert alert.shown_resolution == "une sauvegarde réussie a été faite"
    assert BackupRecord.objects.count() == 2
