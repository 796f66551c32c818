"""`lifeline person ...` and `lifeline household ...` through the Typer app: the same services,
roles and audit as the API, errors as a message and an exit code."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from lifeline.core.commandline import command_root_build
from lifeline.core.errors import Forbidden, NotFound, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.cli import household_app, person_app
from lifeline.people.matching.cli import case_app, search_app, tracing_app
from lifeline.people.models import Household, Person, StatusEvent

pytestmark = pytest.mark.django_db

Run = Callable[..., Result]


def cli_runner() -> Run:
    """Run `lifeline ARGS` in-process as a user (default: the commander fixture's)."""
    app = command_root_build(
        {
            "person": person_app,
            "household": household_app,
            "search": search_app,
            "tracing": tracing_app,
            "case": case_app,
        }
    )
    # No identity, colour or terminal from the machine running the tests.
    runner = CliRunner(
        env={"LIFELINE_USER": None, "TTY_COMPATIBLE": None, "FORCE_COLOR": None, "NO_COLOR": "1"}
    )

    def run(*args: str, user: str | None = "commander", **kwargs: Any) -> Result:
        argv = ["--user", user, *args] if user else list(args)
        return runner.invoke(app, argv, catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def cli() -> Run:
    return cli_runner()


def assert_user_error(result: Result, exit_code: int, *words: str) -> None:
    """A user error: the exit code of its class, a message on stderr, no traceback."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


@pytest.fixture
def amal(commander: Any, site: Site) -> Person:
    household = services.household_create(actor=commander, ration_card="DB-0001", shelter="Tent 4")
    return services.person_register(
        actor=commander,
        given_name="Amal",
        family_name="Haddad",
        sex="female",
        age_years=34,
        household=household,
        area="Clinic tent",
        latitude=31.5,
        longitude=-3.25,
        conditions=["wounded"],
        status="in_care",
    )


# ---- identity and errors -------------------------------------------------------------------


def test_the_exit_codes_are_those_of_the_error_classes() -> None:
    assert (ValidationFailed({}).exit_code, NotFound("").exit_code, Forbidden("").exit_code) == (
        2,
        3,
        4,
    )


def test_a_command_without_a_user_is_refused(cli: Run, site: Site) -> None:
    result = cli("person", "find", "Amal", user=None)
    assert_user_error(result, 4, "--user", "LIFELINE_USER")


def test_an_unknown_user_is_refused(cli: Run, site: Site) -> None:
    assert_user_error(cli("person", "find", "Amal", user="ghost"), 4, "'ghost'")


def test_the_user_can_come_from_the_environment(cli: Run, commander: Any, amal: Person) -> None:
    result = cli("person", "find", "Amal", user=None, env={"LIFELINE_USER": "commander"})
    assert result.exit_code == 0
    assert str(amal.pk) in result.stdout


def test_an_inactive_user_is_refused(cli: Run, commander: Any) -> None:
    commander.is_active = False
    commander.save(update_fields=["is_active"])
    assert_user_error(cli("person", "find", "Amal"), 4, "no active Lifeline user")


# ---- person add ----------------------------------------------------------------------------


def test_person_add_registers_a_person_as_the_user(cli: Run, commander: Any, site: Site) -> None:
    result = cli(
        "person", "add", "--given", "Amal", "--family", "Haddad", "--sex", "female",
        "--dob", "1991-03-04", "--language", "Arabic", "--language", "English",
        "--condition", "wounded", "--status", "in_care", "--area", "Clinic",
        "--lat", "31.5", "--lon", "-3.25", "--note", "left arm",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    person = Person.objects.get()
    assert result.stdout.strip() == f"registered Amal Haddad ({person.pk})"
    assert person.languages == ["Arabic", "English"]
    assert (person.status, person.current_area, person.current_latitude) == (
        "in_care",
        "Clinic",
        31.5,
    )
    assert person.conditions.get().condition == "wounded"
    assert AuditEntry.objects.get(action="person.register").actor == commander


def test_person_add_with_json_prints_the_person(cli: Run, commander: Any, site: Site) -> None:
    result = cli("person", "add", "--given", "Rahim", "--age", "60", "--json")
    data = json.loads(result.stdout)
    assert data["given_name"] == "Rahim"
    assert data["age"] == 60 and data["birth_date_estimated"] is True


def test_a_viewer_cannot_add_a_person(cli: Run, viewer: Any, site: Site) -> None:
    result = cli("person", "add", "--given", "Amal", user="viewer")
    assert_user_error(result, 4, "may not register people")
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--given", "Amal", "--dob", "04/03/1991"], "--dob"),
        (["--given", "Amal", "--dob", "1991-03-04", "--age", "30"], "--age"),
        (["--given", "Amal", "--age", "two"], "--age"),
        (["--given", "Amal", "--sex", "boy"], "--sex"),
        (["--given", "Amal", "--condition", "cursed"], "--condition"),
        (["--given", "Amal", "--lat", "91", "--lon", "0"], "--lat"),
        (["--sex", "female"], "--given"),
        (["--given", "Amal", "--dob", "2999-01-01"], "--dob"),
        (["--given", "Amal", "--lat", "31.5"], "--lon"),
    ],
)
def test_bad_options_are_refused_naming_the_option(
    cli: Run, commander: Any, site: Site, args: list[str], flag: str
) -> None:
    result = cli("person", "add", *args)
    assert_user_error(result, 2, f"  {flag}: ")
    assert Person.objects.count() == 0


def test_person_add_joins_a_household_by_ration_card(cli: Run, amal: Person) -> None:
    result = cli("person", "add", "--given", "Karim", "--household", "DB-0001")
    assert result.exit_code == 0
    assert Person.objects.get(given_name="Karim").household == amal.household


def test_person_add_with_an_unknown_ration_card_is_not_found(cli: Run, commander: Any) -> None:
    result = cli("person", "add", "--given", "Karim", "--household", "DB-9999")
    assert_user_error(result, 3, "DB-9999")


# ---- person show and find ------------------------------------------------------------------


def test_person_show_prints_the_record_and_its_timeline(cli: Run, amal: Person) -> None:
    result = cli("person", "show", str(amal.pk))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for words in ("Amal Haddad", str(amal.pk), "DB-0001", "in_care", "Clinic tent",
                  "31.5, -3.25", "Wounded", "In care", "registered", "commander"):  # fmt: skip
        assert words in out, words


def test_person_show_hides_what_the_role_may_not_see(cli: Run, amal: Person, viewer: Any) -> None:
    result = cli("person", "show", str(amal.pk), user="viewer")
    assert result.exit_code == 0
    assert "Amal Haddad" in result.stdout
    for hidden in ("Clinic tent", "31.5", "Wounded", "conditions"):
        assert hidden not in result.stdout, hidden


def test_person_show_is_audited_as_a_protected_read(cli: Run, amal: Person) -> None:
    cli("person", "show", str(amal.pk))
    entry = AuditEntry.objects.get(action="read.protected")
    assert entry.actor_username == "commander"


def test_person_show_json_follows_the_api_detail_schema(cli: Run, amal: Person) -> None:
    data = json.loads(cli("person", "show", str(amal.pk), "--json").stdout)
    assert data["id"] == str(amal.pk)
    assert data["location"]["area"] == "Clinic tent"
    assert [c["condition"] for c in data["conditions"]] == ["wounded"]
    assert data["timeline"][0]["kind"] == "status"


def test_person_show_of_an_unknown_or_malformed_id(cli: Run, amal: Person) -> None:
    assert_user_error(cli("person", "show", "0190b7e2-0000-7000-8000-000000000001"), 3)
    assert_user_error(cli("person", "show", "nobody"), 2, "not a valid id")


def test_person_find_by_name_and_filters(cli: Run, commander: Any, amal: Person) -> None:
    services.person_register(actor=commander, given_name="Maaz", status="missing")
    result = cli("person", "find", "amal")
    assert str(amal.pk) in result.stdout and "Maaz" not in result.stdout
    assert "1 of 1 shown" in result.stdout
    result = cli("person", "find", "--status", "missing", "--json")
    data = json.loads(result.stdout)
    assert data["count"] == 1 and data["results"][0]["given_name"] == "Maaz"


def test_person_find_tells_how_many_matched_beyond_the_limit(
    cli: Run, commander: Any, site: Site
) -> None:
    for n in range(3):
        services.person_register(actor=commander, given_name=f"Survivor{n}")
    assert "2 of 3 shown" in cli("person", "find", "survivor", "--limit", "2").stdout


def test_person_find_by_a_condition_the_role_may_not_see_is_forbidden(
    cli: Run, amal: Person, viewer: Any
) -> None:
    result = cli("person", "find", "--condition", "wounded", user="viewer")
    assert_user_error(result, 4)


def test_person_find_with_a_bad_filter_is_invalid(cli: Run, amal: Person) -> None:
    assert_user_error(cli("person", "find", "--age-band", "old"), 2, "age_band")


def test_a_name_with_brackets_is_printed_as_written(cli: Run, commander: Any, site: Site) -> None:
    services.person_register(actor=commander, given_name="[bold]Amal[/bold]")
    assert "[bold]Amal[/bold]" in cli("person", "find").stdout


# ---- person status, condition, merge -------------------------------------------------------


def test_person_status_records_an_event(cli: Run, amal: Person) -> None:
    result = cli("person", "status", str(amal.pk), "evacuated", "--note", "convoy 3")
    assert result.exit_code == 0, result.stderr
    assert "Amal Haddad: evacuated" in result.stdout
    amal.refresh_from_db()
    assert amal.status == "evacuated"
    assert StatusEvent.objects.filter(person=amal, note="convoy 3").exists()


def test_person_status_refuses_a_bad_status_and_a_return_from_death(cli: Run, amal: Person) -> None:
    assert_user_error(cli("person", "status", str(amal.pk), "asleep"), 2, "--status")
    cli("person", "status", str(amal.pk), "deceased")
    assert_user_error(cli("person", "status", str(amal.pk), "present"), 2, "deceased")


def test_a_viewer_cannot_record_a_status(cli: Run, amal: Person, viewer: Any) -> None:
    assert_user_error(cli("person", "status", str(amal.pk), "present", user="viewer"), 4)


def test_person_condition_records_and_resolves(cli: Run, amal: Person) -> None:
    assert "dehydrated observed" in cli("person", "condition", str(amal.pk), "dehydrated").stdout
    result = cli("person", "condition", str(amal.pk), "wounded", "--resolved", "--note", "healed")
    assert "wounded resolved" in result.stdout
    conditions = cli("person", "show", str(amal.pk), "--json")
    assert [c["condition"] for c in json.loads(conditions.stdout)["conditions"]] == ["dehydrated"]


def test_person_merge_folds_a_duplicate_into_the_survivor(
    cli: Run, commander: Any, amal: Person
) -> None:
    twin = services.person_register(actor=commander, given_name="Amal", family_name="Hadad")
    result = cli("person", "merge", str(amal.pk), str(twin.pk), "--reason", "same woman")
    assert result.exit_code == 0, result.stderr
    twin.refresh_from_db()
    assert twin.merged_into_id == amal.pk
    assert_user_error(cli("person", "show", str(twin.pk)), 3, "merged into")


def test_person_merge_needs_a_reason(cli: Run, amal: Person) -> None:
    result = cli("person", "merge", str(amal.pk), str(amal.pk))
    assert result.exit_code == 2
    assert "--reason" in result.stderr


# ---- households ----------------------------------------------------------------------------


def test_household_add_show_add_member_and_move(cli: Run, commander: Any, amal: Person) -> None:
    other = Site.objects.create(code="forest-camp", name="Forest Camp")
    result = cli("household", "add", "--card", "DB-0002", "--shelter", "Tent 9", "--json")
    household_id = json.loads(result.stdout)["id"]
    assert Household.objects.get(pk=household_id).shelter == "Tent 9"

    assert cli("household", "add-member", "DB-0002", str(amal.pk)).exit_code == 0
    shown = cli("household", "show", "DB-0002")
    assert "Amal Haddad" in shown.stdout and "Tent 9" in shown.stdout

    result = cli("household", "move", household_id, "--site", "forest-camp", "--note", "convoy")
    assert result.exit_code == 0, result.stderr
    assert "Forest Camp" in result.stdout
    amal.refresh_from_db()
    assert (amal.status, amal.current_site) == ("transferred", other)


def test_household_add_refuses_a_card_already_taken(cli: Run, amal: Person) -> None:
    assert_user_error(cli("household", "add", "--card", "DB-0001"), 2, "--card")


def test_household_show_json_lists_the_members(cli: Run, amal: Person) -> None:
    data = json.loads(cli("household", "show", "DB-0001", "--json").stdout)
    assert data["ration_card"] == "DB-0001"
    assert [m["id"] for m in data["members"]] == [str(amal.pk)]


def test_household_move_without_a_place_is_invalid(cli: Run, amal: Person) -> None:
    assert_user_error(cli("household", "move", "DB-0001"), 2, "--site")


def test_a_viewer_cannot_create_a_household(cli: Run, viewer: Any, site: Site) -> None:
    assert_user_error(cli("household", "add", "--card", "X", user="viewer"), 4)
