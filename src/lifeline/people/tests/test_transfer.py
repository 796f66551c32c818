"""CSV import and export of the registry: roles, audit, the all-or-nothing rule, bad files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    PersonMerge,
    StatusEvent,
)
from lifeline.people.selectors import PersonFilters
from lifeline.people.transfer import persons_export_csv, persons_import_csv

pytestmark = pytest.mark.django_db

HEADER = "given_name,family_name,sex,date_of_birth,status,ration_card,conditions\n"


def export(actor: Any, filters: PersonFilters | None = None) -> list[list[str]]:
    stream = io.StringIO()
    persons_export_csv(actor=actor, stream=stream, filters=filters)
    return list(csv.reader(io.StringIO(stream.getvalue())))


def import_text(actor: Any, text: str | bytes, **kwargs: Any) -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return persons_import_csv(actor=actor, stream=io.BytesIO(raw), **kwargs)


def by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


@pytest.fixture
def amal(commander: Any, site: Site) -> Person:
    household = services.household_create(actor=commander, ration_card="DB-0001", shelter="Tent 4")
    return services.person_register(
        actor=commander,
        given_name="Amal",
        family_name="Haddad",
        other_names=["Um Karim"],
        sex="female",
        date_of_birth=dt.date(1991, 3, 4),
        languages=["Arabic", "English"],
        phone="+963 11 555",
        household=household,
        status="in_care",
        area="Clinic",
        latitude=31.5,
        longitude=-3.25,
        conditions=["wounded", "unaccompanied_child"],
        notes="Freed with the captives; left arm.",
    )


# ---- export --------------------------------------------------------------------------------


def test_export_writes_a_header_row_a_hashtag_row_and_one_row_per_person(
    commander: Any, amal: Person
) -> None:
    rows = export(commander)
    assert rows[0][:3] == ["id", "given_name", "family_name"]
    assert rows[1][:3] == [
        "#beneficiary +id",
        "#beneficiary +name +given",
        "#beneficiary +name +family",
    ]
    (row,) = by_header(rows)
    assert row["id"] == str(amal.pk)
    assert row["other_names"] == "Um Karim"
    assert row["date_of_birth"] == "1991-03-04"
    assert row["languages"] == "Arabic;English"
    assert row["phone"] == "'+963 11 555"
    assert row["ration_card"] == "DB-0001"
    assert row["status"] == "in_care"
    assert row["site"] == amal.current_site.code
    assert (row["area"], row["latitude"], row["longitude"]) == ("Clinic", "31.5", "-3.25")
    assert row["conditions"] == "unaccompanied_child;wounded"


def test_a_viewer_exports_neither_locations_nor_conditions(viewer: Any, amal: Person) -> None:
    rows = export(viewer)
    assert not {"area", "latitude", "longitude", "conditions"} & set(rows[0])
    assert "#geo +lat" not in rows[1]
    assert by_header(rows)[0]["site"] == amal.current_site.code


def test_a_medic_exports_medical_conditions_only_and_no_location(medic: Any, amal: Person) -> None:
    (row,) = by_header(export(medic))
    assert row["conditions"] == "wounded"
    assert "area" not in row


def test_an_estimated_birth_date_is_exported_as_an_age_only(commander: Any, site: Site) -> None:
    services.person_register(actor=commander, given_name="Rahim", age_years=60)
    (row,) = by_header(export(commander))
    assert (row["date_of_birth"], row["age"]) == ("", "60")


def test_export_applies_the_filters(commander: Any, amal: Person) -> None:
    services.person_register(actor=commander, given_name="Maaz", status="missing")
    rows = by_header(export(commander, PersonFilters(status="missing")))
    assert [r["given_name"] for r in rows] == ["Maaz"]


def test_export_writes_an_audit_row_naming_the_protected_parts(
    commander: Any, amal: Person
) -> None:
    export(commander, PersonFilters(status="in_care"))
    entry = AuditEntry.objects.get(action="person.export")
    assert entry.actor == commander
    assert entry.detail["count"] == 1
    assert entry.detail["filters"] == {"status": "in_care"}
    assert entry.detail["parts"] == ["location", "conditions"]


def test_a_conditions_of_a_merged_record_are_exported_with_the_survivor(
    commander: Any, amal: Person
) -> None:
    twin = services.person_register(actor=commander, given_name="Amal", conditions=["dehydrated"])
    services.person_merge(actor=commander, survivor=amal, duplicate=twin, reason="same woman")
    (row,) = by_header(export(commander))
    assert row["conditions"] == "dehydrated;unaccompanied_child;wounded"


def test_a_resolved_condition_is_not_exported(commander: Any, amal: Person) -> None:
    services.person_condition_record(
        actor=commander, person=amal, condition="wounded", present=False
    )
    (row,) = by_header(export(commander))
    assert row["conditions"] == "unaccompanied_child"


def test_export_reads_in_a_few_queries_however_many_persons(
    commander: Any, site: Site, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        services.person_register(
            actor=commander, given_name=f"P{n}", conditions=["ill"], area="North"
        )
    with django_assert_max_num_queries(8):
        rows = export(commander)
    assert len(rows) == 32


# ---- import --------------------------------------------------------------------------------


def test_a_good_file_is_imported_with_households_by_ration_card(registrar: Any, site: Site) -> None:
    report = import_text(
        registrar,
        HEADER
        + "Amal,Haddad,female,1991-03-04,present,DB-0007,\n"
        + "Karim,Haddad,male,2015-01-01,present,DB-0007,\n"
        + "Fiona,,female,,,,\n",
    )
    assert (report.rows, report.imported, report.households_created) == (3, 3, 1)
    assert report.written and not report.errors
    household = Household.objects.get(ration_card="DB-0007")
    assert sorted(p.given_name for p in household.members.all()) == ["Amal", "Karim"]
    assert Person.objects.count() == 3


def test_an_existing_ration_card_links_the_household(commander: Any, amal: Person) -> None:
    import_text(commander, HEADER + "Karim,Haddad,male,2015-01-01,,DB-0001,\n")
    assert Person.objects.get(given_name="Karim").household == amal.household
    assert Household.objects.count() == 1


def test_each_imported_person_is_audited_and_so_is_the_import(registrar: Any, site: Site) -> None:
    import_text(registrar, HEADER + "Amal,,,,,,\nKarim,,,,,,\n")
    assert AuditEntry.objects.filter(action="person.register", actor=registrar).count() == 2
    entry = AuditEntry.objects.get(action="person.import")
    assert entry.detail["imported"] == 2 and entry.detail["partial"] is False


def test_conditions_and_status_are_recorded_as_history(registrar: Any, site: Site) -> None:
    import_text(registrar, HEADER + "Amal,,,,in_care,,Wounded;malnourished\n")
    amal = Person.objects.get(given_name="Amal")
    assert amal.status == "in_care"
    assert StatusEvent.objects.filter(person=amal).count() == 1
    assert set(
        ConditionObservation.objects.filter(person=amal).values_list("condition", flat=True)
    ) == {"wounded", "malnourished"}


BAD_FILE = (
    HEADER
    + "Amal,Haddad,female,1991-03-04,present,DB-0007,\n"  # line 2: good
    + "Karim,Haddad,boy,2015-01-01,present,DB-0007,\n"  # line 3: bad sex
    + "Fiona,,female,12/05/1980,,,\n"  # line 4: bad date
    + "Rahim,,male,,present,,\n"  # line 5: good
)


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_bad_row(
    registrar: Any, site: Site
) -> None:
    report = import_text(registrar, BAD_FILE)
    assert not report.written
    assert (report.rows, report.imported, report.refused_count) == (4, 0, 2)
    assert [(e.line, e.column) for e in report.errors] == [(3, "sex"), (4, "date_of_birth")]
    assert '"boy" is not a valid choice' in report.errors[0].message
    assert "wrong format" in report.errors[1].message
    assert Person.objects.count() == 0
    assert Household.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="person.").exists()


def test_with_partial_the_good_rows_are_written_and_the_bad_ones_reported(
    registrar: Any, site: Site
) -> None:
    report = import_text(registrar, BAD_FILE, partial=True)
    assert report.written
    assert (report.imported, report.refused_count, report.households_created) == (2, 2, 1)
    assert [e.line for e in report.errors] == [3, 4]
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Amal", "Rahim"]
    assert [row[0] for row in report.refused] == ["Karim", "Fiona"]
    assert AuditEntry.objects.get(action="person.import").detail["refused"] == 2


def test_a_rule_of_the_service_is_a_row_error_too(registrar: Any, site: Site) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    report = import_text(registrar, f"given_name,date_of_birth\nAmal,{tomorrow}\n")
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (2, "date_of_birth", "is in the future")
    ]


def test_a_row_without_a_name_is_reported_on_the_name_column(registrar: Any, site: Site) -> None:
    report = import_text(registrar, "family_name,sex\n,female\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "family_name")]


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("Amal,,,,dancing,,", "status", "not a valid choice"),
        ("Amal,,,,,,wounded;cursed", "conditions", '"cursed" is not a valid choice'),
        ("Amal,,,2001-02-30,,,", "date_of_birth", "wrong format"),
    ],
)
def test_bad_values_name_their_line_and_column(
    registrar: Any, site: Site, row: str, column: str, words: str
) -> None:
    report = import_text(registrar, HEADER + row + "\n")
    (error,) = report.errors
    assert (error.line, error.column) == (2, column)
    assert words in error.message


def test_a_quoted_cell_over_several_lines_keeps_the_line_numbers_true(
    registrar: Any, site: Site
) -> None:
    report = import_text(registrar, 'given_name,notes,sex\nAmal,"two\nlines",\nKarim,,boy\n')
    assert [e.line for e in report.errors] == [4]


def test_an_unknown_column_refuses_the_file(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, "given_name,famly_name\nAmal,Haddad\n")
    assert "column B (famly_name)" in caught.value.fields
    assert Person.objects.count() == 0


def test_a_file_without_a_name_column_is_refused(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, "sex,age\nfemale,30\n")
    assert "given_name, family_name or name" in caught.value.fields["columns"][0]


def test_an_empty_file_is_refused(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, "")
    assert "is empty" in caught.value.fields["file"][0]


def test_a_file_with_only_headers_imports_nothing_and_says_so(registrar: Any, site: Site) -> None:
    report = import_text(registrar, "given_name,sex\n#affected +name +given,#sex\n\n")
    assert (report.rows, report.imported, report.errors) == (0, 0, [])
    assert "no data rows" in report.warnings[-1]


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte(
    registrar: Any, site: Site
) -> None:
    latin1 = "given_name\nAmal\nJosé\n".encode("latin-1")
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, latin1)
    assert "not UTF-8 text (byte 0xe9 on line 3)" in caught.value.fields["file"][0]
    assert Person.objects.count() == 0


def test_a_utf16_file_is_refused_by_name(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, "given_name\nAmal\n".encode("utf-16"))
    assert "UTF-16" in caught.value.fields["file"][0]


def test_a_byte_order_mark_is_not_part_of_the_first_header(registrar: Any, site: Site) -> None:
    report = import_text(registrar, "\ufeffgiven_name\nAmal\n".encode())
    assert report.imported == 1


def test_a_field_longer_than_the_schema_allows_is_a_short_row_error(
    registrar: Any, site: Site
) -> None:
    report = import_text(registrar, f"given_name,notes\nAmal,{'x' * 5000}\n")
    (error,) = report.errors
    assert error.column == "notes"
    assert "4000 characters" in error.message
    assert len(error.message) < 200


def test_a_field_too_large_for_csv_refuses_the_file(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, f"given_name,notes\nAmal,Haddad\nKarim,{'x' * 200_000}\n")
    assert "line 3 cannot be read as CSV" in caught.value.fields["file"][0]
    assert Person.objects.count() == 0


def test_a_viewer_cannot_import(viewer: Any, site: Site) -> None:
    with pytest.raises(Forbidden):
        import_text(viewer, HEADER + "Amal,,,,,,\n")


def test_a_role_that_may_not_create_households_gets_a_row_error_for_a_new_card(
    field_team: Any, site: Site
) -> None:
    report = import_text(field_team, HEADER + "Amal,,,,,DB-0099,\n")
    (error,) = report.errors
    assert error.column == "ration_card"
    assert "may not create households" in error.message


def test_progress_is_reported_after_each_chunk_written(
    registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lifeline.people import bulk

    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    seen: list[tuple[int, int]] = []
    rows = "".join(f"{name},,,,,,\n" for name in "ABCDE")
    import_text(registrar, HEADER + rows, on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_an_export_imported_again_into_the_same_registry_is_refused(
    commander: Any, amal: Person
) -> None:
    stream = io.StringIO()
    persons_export_csv(actor=commander, stream=stream)
    report = import_text(commander, stream.getvalue())
    assert report.errors[0].column == "id"
    assert "already in this registry" in report.errors[0].message
    assert Person.objects.count() == 1


def test_an_id_repeated_in_the_file_is_refused(commander: Any, site: Site) -> None:
    text = "id,given_name\n0190b7e2-0000-7000-8000-000000000001,A\n"
    text += "0190b7e2-0000-7000-8000-000000000001,B\n"
    report = import_text(commander, text)
    assert [(e.line, e.message) for e in report.errors] == [(3, "repeats the id of line 2")]


def registry_wipe() -> None:
    """Empty the registry as a fresh camp's would be (tests only: rows are never deleted)."""
    with connection.cursor() as cursor:
        for model in (ConditionObservation, StatusEvent, PersonMerge, Person, Household):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608


def test_an_export_imported_into_an_empty_registry_gives_the_same_persons(
    commander: Any, amal: Person
) -> None:
    services.person_register(actor=commander, given_name="Rahim", age_years=60, status="missing")
    services.person_register(
        actor=commander,
        given_name="=cmd|' /C calc'!A0",
        family_name="Song",
        callsign="Doc",
        household=amal.household,
        conditions=["pregnant"],
    )
    before = export(commander)
    registry_wipe()
    text = io.StringIO()
    csv.writer(text).writerows(before)
    report = import_text(commander, text.getvalue())
    assert report.errors == [] and report.imported == 3
    after = export(commander)
    assert [row[1:] for row in after] == [row[1:] for row in before]
    assert Household.objects.get().ration_card == "DB-0001"


def test_an_unterminated_quote_refuses_the_file_naming_the_line_instead_of_losing_rows(
    registrar: Any, site: Site
) -> None:
    text = 'given_name,notes\nAmal,fine\nKarim,"has a quote\nHana,lost\nSami,lost too\n'
    with pytest.raises(ValidationFailed) as caught:
        import_text(registrar, text)
    assert "line 3: a quoted cell is never closed" in caught.value.fields["file"][0]
    assert Person.objects.count() == 0
