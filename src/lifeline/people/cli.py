"""`lifeline person ...` and `lifeline household ...`: the registry from the command line.

Each command parses its options with the schema the API uses (`people.schemas`), calls one
service or selector as the `--user` the root command names, and prints a plain table (or JSON
with `--json`). Errors propagate to the root command, which prints them and sets the exit code.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from lifeline.core import csvio
from lifeline.core.commandline import state_of
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.services import Actor
from lifeline.people import rules, schemas, selectors, services, transfer
from lifeline.people.models import Condition, Household, Person, Sex, Status

person_app = typer.Typer(help="Register, find and follow people.", no_args_is_help=True)
household_app = typer.Typer(help="Households: members, shelter, ration card.", no_args_is_help=True)

# How each schema field is spelled on the command line, so that messages name the option.
FLAGS = {
    "given_name": "--given",
    "family_name": "--family",
    "other_names": "--other-name",
    "date_of_birth": "--dob",
    "age_years": "--age",
    "languages": "--language",
    "conditions": "--condition",
    "latitude": "--lat",
    "longitude": "--lon",
    "notes": "--note",
    "present": "--resolved",
    "ration_card": "--card",
}
# Wide enough that ids and names are not folded when the output goes to a file or a pipe.
PIPE_WIDTH = 200

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _flag(name: str) -> str:
    return FLAGS.get(name, f"--{name.replace('_', '-')}")


def _flags_renamed(exc: ValidationFailed) -> ValidationFailed:
    return ValidationFailed({_flag(k): v for k, v in exc.fields.items()})


def _parsed(schema: type[serializers.Serializer[Any]], data: Mapping[str, Any]) -> dict[str, Any]:
    """Options given (None means not given) parsed by the API's schema; errors name options."""
    given = {k: v for k, v in data.items() if v is not None and v != []}
    parser = schema(data=given)
    if not parser.is_valid():
        problems = csvio.schema_problems(parser.errors)
        raise ValidationFailed({_flag(k) if k else "input": v for k, v in problems.items()})
    return dict(parser.validated_data)


def _console(*, stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        highlight=False,
        width=None if stream.isatty() else PIPE_WIDTH,
    )


def _json_print(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _age(person: Person) -> str:
    if person.date_of_birth is None:
        return ""
    age = rules.age_on(person.date_of_birth, timezone.localdate())
    return f"~{age}" if person.birth_date_estimated else str(age)


def _table(*headers: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _row(table: Table, *cells: object) -> None:
    # Text, not str: a name or a note with [brackets] must not be read as rich markup.
    table.add_row(*(Text("" if cell is None else str(cell)) for cell in cells))


def _person_line(person: Person) -> str:
    return f"{person.full_name} ({person.pk})"


def _household_resolve(actor: Actor, ref: str) -> Household:
    """A household by id or by ration card."""
    try:
        household_id = uuid.UUID(ref)
    except ValueError:
        return selectors.household_by_card(actor=actor, ration_card=ref)
    return selectors.household_get(actor=actor, household_id=household_id)


# ---- person --------------------------------------------------------------------------------


@person_app.command("add")
def person_add(
    ctx: typer.Context,
    given: Annotated[str | None, typer.Option("--given", help="Given name(s).")] = None,
    family: Annotated[str | None, typer.Option("--family", help="Family name.")] = None,
    other_name: Annotated[
        list[str] | None, typer.Option("--other-name", help="Another name (repeatable).")
    ] = None,
    sex: Annotated[str | None, typer.Option(help=f"One of {', '.join(Sex.values)}.")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth, YYYY-MM-DD.")] = None,
    age: Annotated[
        str | None, typer.Option(help="Estimated age in years (instead of --dob).")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="A language spoken (repeatable).")
    ] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    callsign: Annotated[str | None, typer.Option()] = None,
    household: Annotated[
        str | None, typer.Option(help="The household's ration card (or id).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help=f"One of {', '.join(Status.values)}; default present.")
    ] = None,
    site: Annotated[str | None, typer.Option(help="Site code; default this site.")] = None,
    area: Annotated[str | None, typer.Option(help="Area or shelter within the site.")] = None,
    lat: Annotated[str | None, typer.Option("--lat", help="Latitude.")] = None,
    lon: Annotated[str | None, typer.Option("--lon", help="Longitude.")] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            "--condition", help=f"Seen at intake (repeatable): {', '.join(Condition.values)}."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Notes.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Register a person."""
    actor = state_of(ctx).actor()
    data = _parsed(
        schemas.PersonInput,
        {
            "given_name": given,
            "family_name": family,
            "other_names": other_name,
            "sex": sex,
            "date_of_birth": dob,
            "age_years": age,
            "languages": language,
            "phone": phone,
            "callsign": callsign,
            "notes": note,
            "status": status,
            "site": site,
            "area": area,
            "latitude": lat,
            "longitude": lon,
            "conditions": condition,
        },
    )
    if household is not None:
        data["household"] = _household_resolve(actor, household)
    try:
        person = services.person_register(actor=actor, **data)
    except ValidationFailed as exc:
        raise _flags_renamed(exc) from exc
    if as_json:
        _json_print(schemas.PersonSummaryOutput(person).data)
    else:
        typer.echo(_("registered %(person)s") % {"person": _person_line(person)})


@person_app.command("show")
def person_show(
    ctx: typer.Context,
    person_id: Annotated[str, typer.Argument(metavar="ID", help="The person's id.")],
    as_json: JsonOption = False,
) -> None:
    """A person's record and history, as much of it as your role may see."""
    actor = state_of(ctx).actor()
    record = selectors.person_record(actor=actor, person_id=person_id)
    if as_json:
        _json_print(schemas.PersonDetailOutput(record).data)
        return
    person = record.person
    facts = _table("", "")
    facts.show_header = False
    _row(facts, "name", person.full_name)
    _row(facts, "id", person.pk)
    if person.other_names:
        _row(facts, "other names", "; ".join(person.other_names))
    _row(facts, "sex", person.sex)
    if person.date_of_birth:
        if person.birth_date_estimated:
            _row(facts, "age", f"about {record.age} (estimated; no date of birth known)")
        else:
            _row(facts, "age", f"{record.age} (born {person.date_of_birth.isoformat()})")
    for label, value in (
        ("languages", ", ".join(person.languages)),
        ("phone", person.phone),
        ("callsign", person.callsign),
    ):
        if value:
            _row(facts, label, value)
    if person.household:
        _row(facts, "household", f"{person.household} ({person.household.pk})")
    _row(facts, "status", f"{person.status} since {_when(person.status_since)}")
    _row(facts, "site", person.current_site or "")
    if record.location_visible:
        _row(facts, "area", person.current_area)
        if person.current_latitude is not None and person.current_longitude is not None:
            _row(facts, "coordinates", f"{person.current_latitude}, {person.current_longitude}")
    if selectors.conditions_visible(actor):
        now = ", ".join(f"{c.label} (since {_when(c.since)})" for c in record.conditions)
        _row(facts, "conditions", now or "none")
    if person.notes:
        _row(facts, "notes", person.notes)
    for merged in record.merged_records:
        _row(facts, "merged record", _person_line(merged))
    console = _console()
    console.print(facts)
    timeline = _table("when", "what", "detail", "by")
    for entry in record.timeline:
        _row(timeline, _when(entry.at), entry.title, entry.detail, entry.by)
    console.print(timeline)


@person_app.command("find")
def person_find(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words of a name; empty lists everyone.")] = "",
    status: Annotated[str | None, typer.Option(help=f"One of {', '.join(Status.values)}.")] = None,
    site: Annotated[str | None, typer.Option(help="Site code or id.")] = None,
    age_band: Annotated[
        str | None, typer.Option(help=f"One of {', '.join(rules.AGE_BAND_CODES)}.")
    ] = None,
    condition: Annotated[str | None, typer.Option(help="A condition your role may see.")] = None,
    sex: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """Find people by name and filters."""
    actor = state_of(ctx).actor()
    filters = selectors.PersonFilters(
        q=query, status=status, site=site, age_band=age_band, condition=condition, sex=sex
    )
    found = selectors.person_list(actor=actor, filters=filters)
    persons = list(found[:limit])
    total = len(persons) if len(persons) < limit else found.count()
    if as_json:
        _json_print(
            {"count": total, "results": schemas.PersonSummaryOutput(persons, many=True).data}
        )
        return
    table = _table("id", "name", "sex", "age", "status", "site", "household")
    for person in persons:
        _row(
            table,
            person.pk,
            person.full_name,
            person.sex,
            _age(person),
            person.status,
            person.current_site.code if person.current_site else "",
            person.household or "",
        )
    console = _console()
    console.print(table)
    console.print(Text(f"{len(persons)} of {total} shown"))


@person_app.command("status")
def person_status(
    ctx: typer.Context,
    person_id: Annotated[str, typer.Argument(metavar="ID")],
    status: Annotated[str, typer.Argument(help=f"One of {', '.join(Status.values)}.")],
    site: Annotated[str | None, typer.Option(help="Site code; default where they are.")] = None,
    area: Annotated[str | None, typer.Option()] = None,
    lat: Annotated[str | None, typer.Option("--lat")] = None,
    lon: Annotated[str | None, typer.Option("--lon")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a status event: where a person is now and in what state."""
    actor = state_of(ctx).actor()
    data = _parsed(
        schemas.StatusInput,
        {
            "status": status,
            "site": site,
            "area": area,
            "latitude": lat,
            "longitude": lon,
            "note": note,
        },
    )
    person = selectors.person_get(actor=actor, person_id=person_id)
    try:
        event = services.person_status_record(actor=actor, person=person, **data)
    except ValidationFailed as exc:
        raise _flags_renamed(exc) from exc
    if as_json:
        _json_print(
            {
                "person": str(person.pk),
                "event": str(event.pk),
                "status": event.status,
                "site": event.site.code if event.site else None,
                "at": event.occurred_at,
            }
        )
    else:
        typer.echo(
            _("%(name)s: %(status)s at %(site)s (%(when)s)")
            % {
                "name": person.full_name,
                "status": event.status,
                "site": event.site,
                "when": _when(event.occurred_at),
            }
        )


@person_app.command("condition")
def person_condition(
    ctx: typer.Context,
    person_id: Annotated[str, typer.Argument(metavar="ID")],
    condition: Annotated[str, typer.Argument(help=f"One of {', '.join(Condition.values)}.")],
    resolved: Annotated[
        bool, typer.Option("--resolved", help="The condition is seen gone, not present.")
    ] = False,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Record a condition observation (seen present, or resolved)."""
    actor = state_of(ctx).actor()
    data = _parsed(
        schemas.ConditionInput, {"condition": condition, "present": not resolved, "note": note}
    )
    person = selectors.person_get(actor=actor, person_id=person_id)
    try:
        observation = services.person_condition_record(actor=actor, person=person, **data)
    except ValidationFailed as exc:
        raise _flags_renamed(exc) from exc
    seen = _("%(name)s: %(condition)s observed") if observation.present else None
    seen = seen or _("%(name)s: %(condition)s resolved")
    typer.echo(seen % {"name": person.full_name, "condition": observation.condition})


@person_app.command("merge")
def person_merge(
    ctx: typer.Context,
    survivor_id: Annotated[str, typer.Argument(metavar="SURVIVOR", help="The record kept.")],
    duplicate_id: Annotated[
        str, typer.Argument(metavar="DUPLICATE", help="The record folded into it.")
    ],
    reason: Annotated[str, typer.Option(help="Why these are the same person.")],
) -> None:
    """Merge two records of the same person (both histories kept; reversible)."""
    actor = state_of(ctx).actor()
    survivor = selectors.person_get(actor=actor, person_id=survivor_id)
    duplicate = selectors.person_get(actor=actor, person_id=duplicate_id)
    merge = services.person_merge(
        actor=actor, survivor=survivor, duplicate=duplicate, reason=reason
    )
    typer.echo(
        _("merged %(duplicate)s into %(survivor)s (merge %(merge)s)")
        % {
            "duplicate": _person_line(duplicate),
            "survivor": _person_line(survivor),
            "merge": merge.pk,
        }
    )


@person_app.command("export")
def person_export(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="FILE", help="CSV file to write; - for stdout.")],
    query: Annotated[str, typer.Option("--query", "-q", help="Words of a name.")] = "",
    status: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option()] = None,
    age_band: Annotated[str | None, typer.Option()] = None,
    condition: Annotated[str | None, typer.Option()] = None,
    sex: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Export people as CSV with an HXL hashtag row (columns your role may see)."""
    actor = state_of(ctx).actor()
    filters = selectors.PersonFilters(
        q=query, status=status, site=site, age_band=age_band, condition=condition, sex=sex
    )
    if path == "-":
        count = transfer.persons_export_csv(actor=actor, stream=sys.stdout, filters=filters)
        sys.stdout.flush()
    else:
        # Write beside the target and rename: a failed export leaves no half-written file.
        target = Path(path)
        part = target.with_name(target.name + ".part")
        try:
            with part.open("w", encoding="utf-8", newline="") as stream:
                count = transfer.persons_export_csv(actor=actor, stream=stream, filters=filters)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    typer.echo(
        ngettext("exported %(n)s person to %(to)s", "exported %(n)s persons to %(to)s", count)
        % {"n": count, "to": "stdout" if path == "-" else path},
        err=True,
    )


def _rejects_write(path: Path, report: transfer.ImportReport) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows(report.header_rows)
        writer.writerows(report.refused)


def _import_open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("no file %(path)s") % {"path": path}) from exc
    except OSError as exc:
        raise ValidationFailed(
            {"file": _("cannot be read: %(strerror)s") % {"strerror": exc.strerror}}
        ) from exc


@person_app.command("import")
def person_import(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="FILE", help="CSV file (UTF-8); - for stdin.")],
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Write the good rows even if some are bad (default: all rows or none).",
        ),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Write the refused rows (with the header) to this CSV file."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import people from CSV (header row, HXL hashtag row, or both). See docs/cli.md."""
    actor = state_of(ctx).actor()
    err = _console(stderr=True)
    stream = _import_open(path)
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            # The bar is for a person watching; a log file gets the summary only.
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("importing rows", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = transfer.persons_import_csv(
                actor=actor, stream=stream, on_progress=on_progress, partial=partial
            )
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    for warning in report.warnings:
        typer.echo(_("warning: %(warning)s") % {"warning": warning}, err=True)
    if rejects is not None and report.refused:
        _rejects_write(rejects, report)
    if as_json:
        _json_print(report.as_dict())
    elif report.imported or not report.errors:
        created = report.households_created
        households = (
            ngettext(" (%(n)s household created)", " (%(n)s households created)", created)
            % {"n": created}
            if created
            else ""
        )
        typer.echo(
            _("imported %(imported)s of %(rows)s rows")
            % {"imported": report.imported, "rows": report.rows}
            + households
        )
    if not report.errors:
        return
    counts = {"refused": report.refused_count, "rows": report.rows, "imported": report.imported}
    if partial:
        summary = (
            _(
                "%(refused)s of %(rows)s rows were refused; the other %(imported)s were written. "
                "Fix the refused rows and import only those"
            )
            % counts
        )
    else:
        summary = (
            _(
                "%(refused)s of %(rows)s rows are invalid; nothing was written. Fix them and "
                "import the whole file again"
            )
            % counts
        )
    if rejects is not None:
        summary += _("; the refused rows are in %(path)s") % {"path": rejects}
    problems: dict[str, list[str]] = {}
    for error in report.errors:
        where = f"line {error.line}" + (f", {error.column}" if error.column else "")
        problems.setdefault(where, []).append(error.message)
    raise ValidationFailed(problems, message=summary)


# ---- household -----------------------------------------------------------------------------


def _household_json(
    actor: Actor, household: Household, members: list[Person] | None = None
) -> dict[str, Any]:
    context = {"location_visible": selectors.can_see_location(actor)}
    data = dict(schemas.HouseholdOutput(household, context=context).data)
    if members is not None:
        data["members"] = schemas.PersonSummaryOutput(members, many=True).data
    return data


@household_app.command("add")
def household_add(
    ctx: typer.Context,
    card: Annotated[str | None, typer.Option("--card", help="Ration card number.")] = None,
    shelter: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option(help="Site code; default this site.")] = None,
    area: Annotated[str | None, typer.Option()] = None,
    head: Annotated[str | None, typer.Option(help="Id of the person who heads it.")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a household."""
    actor = state_of(ctx).actor()
    data = _parsed(
        schemas.HouseholdInput,
        {
            "ration_card": card,
            "shelter": shelter,
            "site": site,
            "area": area,
            "head": head,
            "notes": note,
        },
    )
    try:
        household = services.household_create(actor=actor, **data)
    except ValidationFailed as exc:
        raise _flags_renamed(exc) from exc
    if as_json:
        _json_print(_household_json(actor, household))
    else:
        typer.echo(
            _("created household %(household)s (%(id)s)")
            % {"household": household, "id": household.pk}
        )


@household_app.command("show")
def household_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="CARD|ID")],
    as_json: JsonOption = False,
) -> None:
    """A household and its members."""
    actor = state_of(ctx).actor()
    household = _household_resolve(actor, ref)
    members = list(selectors.household_members(actor=actor, household=household))
    if as_json:
        _json_print(_household_json(actor, household, members))
        return
    facts = _table("", "")
    facts.show_header = False
    _row(facts, "ration card", household.ration_card or "")
    _row(facts, "id", household.pk)
    _row(facts, "site", household.site or "")
    if selectors.can_see_location(actor):
        _row(facts, "shelter", household.shelter)
        _row(facts, "area", household.area)
    _row(facts, "head", household.head.full_name if household.head else "")
    if household.notes:
        _row(facts, "notes", household.notes)
    table = _table("id", "name", "sex", "age", "status", "head")
    for member in members:
        head_mark = "yes" if member.pk == household.head_id else ""
        _row(table, member.pk, member.full_name, member.sex, _age(member), member.status, head_mark)
    console = _console()
    console.print(facts)
    console.print(table)


@household_app.command("move")
def household_move(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="CARD|ID")],
    site: Annotated[str | None, typer.Option(help="New site code.")] = None,
    area: Annotated[str | None, typer.Option()] = None,
    shelter: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Move a household (every member gets a status event at the new place)."""
    actor = state_of(ctx).actor()
    data = _parsed(
        schemas.HouseholdMoveInput, {"site": site, "area": area, "shelter": shelter, "note": note}
    )
    household = _household_resolve(actor, ref)
    try:
        household = services.household_move(actor=actor, household=household, **data)
    except ValidationFailed as exc:
        raise _flags_renamed(exc) from exc
    place = " · ".join(str(p) for p in (household.site, household.area, household.shelter) if p)
    typer.echo(
        _("household %(household)s is now at %(place)s") % {"household": household, "place": place}
    )


@household_app.command("add-member")
def household_add_member(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="CARD|ID")],
    person_id: Annotated[str, typer.Argument(metavar="PERSON")],
) -> None:
    """Add a person to a household."""
    actor = state_of(ctx).actor()
    household = _household_resolve(actor, ref)
    person = selectors.person_get(actor=actor, person_id=person_id)
    services.household_member_add(actor=actor, household=household, person=person)
    typer.echo(
        _("%(person)s joined household %(household)s")
        % {"person": _person_line(person), "household": household}
    )
