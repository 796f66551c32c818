"""`lifeline person import` and `export`: the progress bar, the per-row report, the exit codes,
and the rule that a file with bad rows writes nothing unless `--partial` is given."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.models import Household, Person
from lifeline.people.tests.test_cli import Run, assert_user_error, cli_runner
from lifeline.people.tests.test_transfer import registry_wipe

pytestmark = pytest.mark.django_db


@pytest.fixture
def cli() -> Run:
    return cli_runner()


HEADER = "given_name,family_name,sex,date_of_birth,ration_card\n"
GOOD = HEADER + "Amal,Haddad,female,1991-03-04,DB-0007\nKarim,Haddad,male,2015-01-01,DB-0007\n"
BAD = (
    HEADER
    + "Amal,Haddad,female,1991-03-04,DB-0007\n"
    + "Karim,Haddad,boy,2015-01-01,DB-0007\n"
    + "Fiona,,female,12/05/1980,\n"
    + "Rahim,,male,,\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "people.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file_is_imported(cli: Run, registrar: Any, site: Site, tmp_path: Path) -> None:
    result = cli("person", "import", write(tmp_path, GOOD), user="registrar")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "imported 2 of 2 rows (1 household created)"
    assert Household.objects.get().members.count() == 2


def test_a_file_with_bad_rows_writes_nothing_and_lists_each_bad_row(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    result = cli("person", "import", write(tmp_path, BAD), user="registrar")
    assert_user_error(result, 2, "2 of 4 rows are invalid; nothing was written")
    assert '  line 3, sex: "boy" is not a valid choice.' in result.stderr
    assert "  line 4, date_of_birth: Date has wrong format" in result.stderr
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_fixing_the_file_and_importing_it_again_writes_each_person_once(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    cli("person", "import", write(tmp_path, BAD), user="registrar")
    fixed = BAD.replace("boy", "male").replace("12/05/1980", "1980-05-12")
    result = cli("person", "import", write(tmp_path, fixed), user="registrar")
    assert result.exit_code == 0, result.stderr
    assert sorted(Person.objects.values_list("given_name", flat=True)) == [
        "Amal",
        "Fiona",
        "Karim",
        "Rahim",
    ]


def test_with_partial_the_good_rows_are_written_and_the_exit_code_says_some_were_not(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    result = cli(
        "person", "import", write(tmp_path, BAD), "--partial", "--rejects", str(rejects),
        user="registrar",
    )  # fmt: skip
    assert_user_error(result, 2, "2 of 4 rows were refused; the other 2 were written")
    assert "imported 2 of 4 rows" in result.stdout
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Amal", "Rahim"]
    rows = list(csv.reader(rejects.open(encoding="utf-8")))
    assert [row[0] for row in rows] == ["given_name", "Karim", "Fiona"]

    # The rejects file, fixed, completes the registry without duplicating anyone.
    fixed = rejects.read_text(encoding="utf-8").replace("boy", "male")
    fixed = fixed.replace("12/05/1980", "1980-05-12")
    result = cli("person", "import", write(tmp_path, fixed, "fixed.csv"), user="registrar")
    assert result.exit_code == 0, result.stderr
    assert Person.objects.count() == 4
    assert Household.objects.get().members.count() == 2


def test_with_partial_and_no_bad_rows_the_exit_code_is_zero(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    result = cli("person", "import", write(tmp_path, GOOD), "--partial", user="registrar")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_import_reads_stdin(cli: Run, registrar: Any, site: Site) -> None:
    result = cli("person", "import", "-", user="registrar", input=GOOD)
    assert result.exit_code == 0, result.stderr
    assert Person.objects.count() == 2


def test_import_json_prints_the_report(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    result = cli("person", "import", write(tmp_path, BAD), "--json", user="registrar")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert (report["rows"], report["imported"], report["written"]) == (4, 0, False)
    assert report["errors"][0] == {
        "line": 3,
        "column": "sex",
        "message": '"boy" is not a valid choice.',
    }


def test_the_progress_bar_is_drawn_on_a_terminal(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    result = cli(
        "person", "import", write(tmp_path, GOOD), user="registrar", env={"TTY_COMPATIBLE": "1"}
    )
    assert result.exit_code == 0
    assert "importing rows" in result.stderr and "2/2" in result.stderr
    assert "importing rows" not in result.stdout


@pytest.mark.parametrize(
    ("text", "exit_code", "words"),
    [
        ("given_name,famly_name\nAmal,Haddad\n", 2, "column B (famly_name)"),
        ("sex,age\nfemale,30\n", 2, "needs a given_name, family_name or name column"),
        ("", 2, "is empty"),
        ("Given name;Sex\nAmal;female\n", 2, "is not a column of the person registry"),
        ("given_name\nJos\xe9\n".encode("latin-1"), 2, "not UTF-8 text (byte 0xe9 on line 2)"),
        (f"given_name,notes\nAmal,{'x' * 200_000}\n", 2, "line 2 cannot be read as CSV"),
        (
            'given_name,notes\nAmal,"ok\nKarim,x\nHana,y\n',
            2,
            "line 2: a quoted cell is never closed",
        ),
    ],
    ids=[
        "unknown column",
        "no name column",
        "empty",
        "semicolons",
        "latin-1",
        "huge field",
        "unterminated quote",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(
    cli: Run,
    registrar: Any,
    site: Site,
    tmp_path: Path,
    text: str | bytes,
    exit_code: int,
    words: str,
) -> None:
    result = cli("person", "import", write(tmp_path, text), "--partial", user="registrar")
    assert_user_error(result, exit_code, words)
    assert Person.objects.count() == 0


def test_a_file_with_only_headers_imports_nothing_and_succeeds(
    cli: Run, registrar: Any, site: Site, tmp_path: Path
) -> None:
    result = cli("person", "import", write(tmp_path, HEADER), user="registrar")
    assert result.exit_code == 0
    assert "imported 0 of 0 rows" in result.stdout
    assert "warning: the file has no data rows" in result.stderr


def test_a_missing_file_is_not_found(cli: Run, registrar: Any, tmp_path: Path) -> None:
    assert_user_error(
        cli("person", "import", str(tmp_path / "nope.csv"), user="registrar"), 3, "nope.csv"
    )


def test_a_viewer_cannot_import(cli: Run, viewer: Any, site: Site, tmp_path: Path) -> None:
    assert_user_error(cli("person", "import", write(tmp_path, GOOD), user="viewer"), 4)
    assert Person.objects.count() == 0


# ---- export --------------------------------------------------------------------------------


@pytest.fixture
def registry(commander: Any, site: Site) -> list[Person]:
    household = services.household_create(actor=commander, ration_card="DB-0001")
    return [
        services.person_register(
            actor=commander,
            given_name="Amal",
            family_name="Haddad",
            household=household,
            conditions=["wounded"],
            area="Clinic",
            status="in_care",
        ),
        services.person_register(actor=commander, given_name="Rahim", age_years=61),
    ]


def test_export_writes_a_file_with_the_hashtag_row(
    cli: Run, registry: list[Person], tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    result = cli("person", "export", str(target))
    assert result.exit_code == 0
    assert "exported 2 persons" in result.stderr
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[1][1] == "#beneficiary +name +given"
    assert sorted(row[1] for row in rows[2:]) == ["Amal", "Rahim"]
    assert not (tmp_path / "out.csv.part").exists()


def test_export_to_stdout_with_filters(cli: Run, registry: list[Person]) -> None:
    result = cli("person", "export", "-", "--status", "in_care")
    rows = list(csv.reader(result.stdout.splitlines()))
    assert [row[1] for row in rows[2:]] == ["Amal"]
    assert AuditEntry.objects.get(action="person.export").detail["count"] == 1


def test_a_viewer_exports_without_location_or_conditions(
    cli: Run, registry: list[Person], viewer: Any
) -> None:
    header = next(csv.reader(cli("person", "export", "-", user="viewer").stdout.splitlines()))
    assert "area" not in header and "conditions" not in header and "site" in header


def test_export_then_import_into_an_empty_registry_gives_the_same_persons(
    cli: Run, registry: list[Person], tmp_path: Path
) -> None:
    before, after = tmp_path / "before.csv", tmp_path / "after.csv"
    cli("person", "export", str(before))
    registry_wipe()
    result = cli("person", "import", str(before))
    assert result.exit_code == 0, result.stderr
    cli("person", "export", str(after))

    def without_ids(path: Path) -> list[list[str]]:
        return [row[1:] for row in csv.reader(path.open(encoding="utf-8"))]

    assert without_ids(after) == without_ids(before)
    assert len(without_ids(after)) == 4
