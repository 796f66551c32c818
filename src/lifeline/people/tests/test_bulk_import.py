"""The bulk import writes in short chunks as one batch: a failure part-way removes the whole
batch; what follows a registration (a child's case) sees the whole file."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError
from django.utils import timezone

from lifeline.core.models import AuditEntry, ChangeLogEntry, Site, change_entry
from lifeline.people import bulk, protection
from lifeline.people.models import (
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
