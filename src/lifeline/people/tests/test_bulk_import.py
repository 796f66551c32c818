"""The bulk import writes in short chunks as one batch: a failure part-way removes the whole
batch; what follows a registration (a child's case) sees the whole file."""

from __future__ import annotations

import fcntl
import io
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connection
from django.utils import timezone

from lifeline.core import batches
from lifeline.core.models import AuditEntry, ChangeLogEntry, Site, WriteBatch, change_entry
from lifeline.people import bulk, protection
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    ProtectionCase,
    StatusEvent,
    TracingStatus,
)
from lifeline.people.transfer import persons_import_csv

pytestmark = pytest.mark.django_db

HEADER = "given_name,family_name,sex,date_of_birth,status,ration_card,conditions\n"


def import_text(actor: Any, text: str, **kwargs: Any) -> Any:
    return persons_import_csv(actor=actor, stream=io.BytesIO(text.encode()), **kwargs)


def test_a_failure_after_some_chunks_were_written_removes_the_whole_batch(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    real = bulk._persons_write
    calls = []

    def fails_third(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("disk I/O error")
        real(*args, **kwargs)

    monkeypatch.setattr(bulk, "_persons_write", fails_third)
    rows = "".join(f"P{i},Haddad,female,,present,DB-{i % 2},\n" for i in range(6))
    log_before = ChangeLogEntry.objects.count()

    with pytest.raises(OperationalError):
        import_text(registrar, HEADER + rows)

    assert len(calls) == 3  # two chunks had been committed
    assert Person.objects.count() == 0
    assert StatusEvent.objects.count() == 0
    assert Household.objects.count() == 0
    assert ChangeLogEntry.objects.count() == log_before
    assert not AuditEntry.objects.filter(action__in=["person.register", "household.create"])


def test_the_rows_of_an_import_carry_its_batch_in_their_audit(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    rows = "".join(f"P{i},Haddad,male,1990-01-0{i + 1},present,,\n" for i in range(5))

    report = import_text(registrar, HEADER + rows)

    assert report.imported == 5 and report.written
    done = AuditEntry.objects.get(action="person.import")
    batch = done.detail["batch"]
    registered = AuditEntry.objects.filter(action="person.register")
    assert registered.count() == 5
    assert {entry.detail["batch"] for entry in registered} == {batch}
    assert ChangeLogEntry.objects.filter(model="people.person").count() == 5
    assert ChangeLogEntry.objects.filter(model="people.statusevent").count() == 5


def test_a_child_whose_adult_comes_later_in_the_file_gets_no_case(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 1)
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    text = HEADER + (
        "Sami,Haddad,male,2019-03-01,present,DB-1,\n"
        "Amal,Haddad,female,1990-01-01,present,DB-1,\n"
        "Lina,Nasser,female,2018-05-05,present,DB-2,\n"
    )

    import_text(registrar, text)

    cases = ProtectionCase.objects.select_related("child")
    assert [case.child.given_name for case in cases] == ["Lina"]
    assert cases[0].kind == "unaccompanied"
    assert AuditEntry.objects.filter(action="protection.open").count() == 1


def test_the_change_log_row_of_an_imported_person_is_the_one_a_save_writes(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    import_text(registrar, HEADER + "Amal,Haddad,female,1990-01-01,present,DB-1,ill\n")

    person = Person.objects.get()
    entry = ChangeLogEntry.objects.get(model="people.person", object_id=person.pk)
    expected = change_entry(person, op="create")
    assert entry.fields == json.loads(json.dumps(expected.fields, cls=DjangoJSONEncoder))
    assert (entry.op, entry.version, entry.base) == ("create", person.version, {})
    assert entry.source_site == site.pk and entry.origin_site_id == site.pk
    registered = AuditEntry.objects.get(action="person.register")
    assert (registered.actor, registered.object_id) == (registrar, str(person.pk))
    assert registered.summary == "Amal Haddad"


def test_an_open_tracing_request_is_matched_against_the_imported_persons(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    request = protection.tracing_request_file(
        actor=registrar, seeker_name="Zohra Tazi", given_name="Maryam", family_name="Tazi",
        sex="female", age_years=6,
    )  # fmt: skip
    assert not request.matches.exists()
    born = f"{timezone.localdate().year - 6}-01-01"
    text = HEADER + (
        f"Maryam,Tazi,female,{born},present,DB-1,\nKarim,Nasser,male,1980-02-02,present,,\n"
    )

    import_text(registrar, text)

    (match,) = request.matches.all()
    assert match.person.given_name == "Maryam"
    request.refresh_from_db()
    assert request.status == TracingStatus.MATCHED


def _import_dies_after_two_chunks(registrar: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An import whose process 'dies' after two chunks: nothing of its own clean-up runs and
    its lock is gone, as after SIGKILL (the subprocess test in test_import_killed does it for
    real)."""
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    monkeypatch.setattr(bulk, "SQLITE_PAUSE_S", 0)
    real = bulk._persons_write
    calls = []

    def dies_third(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("killed")
        real(*args, **kwargs)

    monkeypatch.setattr(bulk, "_persons_write", dies_third)
    with monkeypatch.context() as dead:
        dead.setattr(bulk, "_discard", lambda written: None)
        dead.setattr(bulk, "batch_discarded", lambda batch: None)
        rows = "".join(f"P{i},Haddad,female,,present,DB-{i % 2},ill\n" for i in range(6))
        with pytest.raises(SystemExit):
            import_text(registrar, HEADER + rows)
    (batch,) = WriteBatch.objects.filter(state=WriteBatch.OPEN)
    batches._release(batch.pk)  # the process is gone, and its lock with it
    return batch


def test_a_killed_import_is_left_open_and_swept_at_the_next_start(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_text(registrar, HEADER + "Omar,Saleh,male,1980-01-01,present,KEEP-1,\n")
    earlier = WriteBatch.objects.get(state=WriteBatch.DONE)
    log_before = ChangeLogEntry.objects.count()
    batch = _import_dies_after_two_chunks(registrar, monkeypatch)
    assert Person.objects.count() == 1 + 4  # two chunks of two were committed
    assert ChangeLogEntry.objects.count() > log_before

    swept = batches.batches_sweep()

    assert [b.pk for b in swept] == [batch.pk]
    batch.refresh_from_db()
    assert batch.state == WriteBatch.DISCARDED and batch.finished_at is not None
    assert [p.given_name for p in Person.objects.all()] == ["Omar"]
    assert StatusEvent.objects.count() == 1
    assert not ConditionObservation.objects.exists()
    assert list(Household.objects.values_list("ration_card", flat=True)) == ["KEEP-1"]
    assert ChangeLogEntry.objects.count() == log_before
    registered = AuditEntry.objects.filter(action="person.register")
    assert [e.detail["batch"] for e in registered] == [str(earlier.pk)]
    (note,) = AuditEntry.objects.filter(action="person.import_discard")
    assert note.detail["batch"] == str(batch.pk) and note.detail["persons"] == 4
    assert batches.batches_sweep() == []  # once


def test_a_batch_whose_writer_is_alive_is_not_swept(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = batches.batch_open(bulk.BATCH_KIND)
    try:
        assert batches.batches_sweep() == []
        if connection.vendor == "sqlite":
            # As another process sees it: the file lock is held.
            assert not _file_lock_free(batch.pk)
    finally:
        batches._release(batch.pk)
    assert WriteBatch.objects.get().state == WriteBatch.OPEN
    if connection.vendor == "sqlite":
        assert _file_lock_free(batch.pk)


def _file_lock_free(batch_id: Any) -> bool:
    with batches._lock_path(batch_id).open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def test_a_finished_import_leaves_its_batch_done_and_unlocked(registrar: Any, site: Site) -> None:
    import_text(registrar, HEADER + "Amal,Haddad,female,1990-01-01,present,DB-1,\n")

    (batch,) = WriteBatch.objects.all()
    assert batch.state == WriteBatch.DONE
    assert batch.pk not in batches._HELD
    assert batches.batches_sweep() == []
