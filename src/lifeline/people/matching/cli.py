"""`lifeline search`, `lifeline duplicates`, `lifeline tracing ...` and `lifeline case ...`:
name search, duplicates, family tracing and children's protection cases from the command line.

Options are parsed with the API's schemas (`people.matching.schemas`); each command calls one
service or selector as the `--user` the root command names. Errors propagate to the root.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifeline.core.commandline import state_of
from lifeline.people import protection
from lifeline.people.cli import JsonOption, _console, _json_print, _parsed, _row, _table
from lifeline.people.matching import selectors
from lifeline.people.matching import services as duplicate_services
from lifeline.people.matching.schemas import (
    CaseCloseInput,
    CaseOutput,
    CaseUpdateInput,
    DuplicateDecisionOutput,
    DuplicateDismissInput,
    DuplicateMergeInput,
    DuplicateOutput,
    SearchInput,
    SearchMatchOutput,
    TracingCloseInput,
    TracingInput,
    TracingMatchOutput,
    TracingOutput,
)
from lifeline.people.schemas import PersonMergeOutput

search_app = typer.Typer(help="Find anyone under any spelling.", no_args_is_help=True)
tracing_app = typer.Typer(help="Family tracing requests and their matches.", no_args_is_help=True)
case_app = typer.Typer(help="Children's protection cases.", no_args_is_help=True)


def _person_text(person: Any) -> str:
    return f"{person.full_name} ({person.pk})"


@search_app.command("person")
def search_person(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Names in any spelling, script or order.")],
    age: Annotated[str | None, typer.Option(help="Age in years (an estimate is fine).")] = None,
    sex: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option(help="Site code.")] = None,
    limit: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """The people whose names match, best first, with the reasons."""
    actor = state_of(ctx).actor()
    values = _parsed(
        SearchInput, {"q": query, "age": age, "sex": sex, "site": site, "limit": limit}
    )
    found = selectors.person_search(
        actor=actor,
        query=values["q"],
        age=values.get("age"),
        sex=values.get("sex"),
        site=values.get("site"),
        limit=values["limit"],
    )
    if as_json:
        _json_print(SearchMatchOutput(found, many=True).data)
        return
    table = _table("score", "id", "name", "sex", "age", "why")
    for match in found:
        person = match.person
        age_now = SearchMatchOutput(match).data["person"]["age"]
        _row(table, f"{match.score:.2f}", person.pk, person.full_name, person.sex, age_now,
             "; ".join(match.reasons))  # fmt: skip
    _console().print(table)


@search_app.command("duplicates")
def search_duplicates(
    ctx: typer.Context,
    page: Annotated[int, typer.Option(min=1, help="Page of the queue, 1 first.")] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_json: JsonOption = False,
) -> None:
    """The duplicates queue: records that are probably one person, most likely first. Decide
    a pair with `lifeline search duplicate-merge` or `lifeline search not-duplicates`."""
    actor = state_of(ctx).actor()
    found = selectors.duplicates_all(actor=actor)
    shown = found[(page - 1) * page_size : page * page_size]
    if as_json:
        _json_print(
            {"count": len(found), "page": page, "results": DuplicateOutput(shown, many=True).data}
        )
        return
    table = _table("likely", "first", "second", "why")
    for pair in shown:
        _row(table, f"{pair.score:.0%}", _person_text(pair.first), _person_text(pair.second),
             "; ".join(pair.reasons))  # fmt: skip
    _console().print(table)
    pages = max(1, -(-len(found) // page_size))
    _console().print(f"{len(found)} pair(s); page {page} of {pages}")


@search_app.command("duplicate-merge")
def search_duplicate_merge(
    ctx: typer.Context,
    survivor: Annotated[str, typer.Argument(help="Id of the record kept.")],
    duplicate: Annotated[str, typer.Argument(help="Id of the record folded into it.")],
    reason: Annotated[str, typer.Option(help="Why these are one person.")],
    as_json: JsonOption = False,
) -> None:
    """Merge a pair of the queue (undo from the person's page or `lifeline person`)."""
    actor = state_of(ctx).actor()
    values = _parsed(
        DuplicateMergeInput, {"survivor": survivor, "duplicate": duplicate, "reason": reason}
    )
    merge = duplicate_services.duplicate_merge(actor=actor, **values)
    if as_json:
        _json_print(PersonMergeOutput(merge).data)
        return
    _console().print(f"merged {_person_text(merge.duplicate)} into {_person_text(merge.survivor)}")


@search_app.command("not-duplicates")
def search_not_duplicates(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(help="Id of one record.")],
    second: Annotated[str, typer.Argument(help="Id of the other.")],
    reason: Annotated[str, typer.Option(help="How you know (optional).")] = "",
    as_json: JsonOption = False,
) -> None:
    """Two records of the queue are not the same person: never proposed again."""
    actor = state_of(ctx).actor()
    values = _parsed(DuplicateDismissInput, {"first": first, "second": second, "reason": reason})
    decision = duplicate_services.duplicate_dismiss(actor=actor, **values)
    if as_json:
        _json_print(DuplicateDecisionOutput(decision).data)
        return
    _console().print("noted: not the same person; the pair will not be proposed again")


@tracing_app.command("file")
def tracing_file(
    ctx: typer.Context,
    given: Annotated[str | None, typer.Option("--given", help="Given name sought.")] = None,
    family: Annotated[str | None, typer.Option("--family", help="Family name sought.")] = None,
    sex: Annotated[str | None, typer.Option()] = None,
    age: Annotated[str | None, typer.Option(help="Age of the person sought.")] = None,
    relation: Annotated[str | None, typer.Option(help="e.g. daughter, brother.")] = None,
    seeker: Annotated[str | None, typer.Option(help="Id of the registered seeker.")] = None,
    seeker_name: Annotated[str | None, typer.Option(help="Name of an unregistered seeker.")] = None,
    contact: Annotated[str | None, typer.Option(help="How to reach the seeker.")] = None,
    last_seen_place: Annotated[str | None, typer.Option("--last-seen-place")] = None,
    last_seen_on: Annotated[str | None, typer.Option("--last-seen-on", help="YYYY-MM-DD.")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: JsonOption = False,
) -> None:
    """File a tracing request; matches are proposed at once."""
    actor = state_of(ctx).actor()
    values = _parsed(
        TracingInput,
        {
            "given_name": given, "family_name": family, "sex": sex, "age_years": age,
            "relation": relation, "seeker": seeker, "seeker_name": seeker_name,
            "seeker_contact": contact, "last_seen_place": last_seen_place,
            "last_seen_on": last_seen_on, "notes": note,
        },
    )  # fmt: skip
    request = protection.tracing_request_file(actor=actor, **values)
    _tracing_print(request, as_json)


def _tracing_print(request: Any, as_json: bool) -> None:
    matches = protection.tracing_matches(request=request)
    if as_json:
        _json_print(
            {**TracingOutput(request).data, "matches": TracingMatchOutput(matches, many=True).data}
        )
        return
    typer.echo(
        _("tracing request %(id)s: %(seeker)s looks for %(sought)s (%(status)s)")
        % {
            "id": request.pk,
            "seeker": request.seeker_name,
            "sought": request.sought_name,
            "status": request.status,
        }
    )
    table = _table("match", "status", "score", "person", "why")
    for match in matches:
        _row(table, match.pk, match.status, f"{match.score:.2f}", _person_text(match.person),
             "; ".join(match.reasons))  # fmt: skip
    _console().print(table)


@tracing_app.command("list")
def tracing_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open, matched or closed.")] = None,
    as_json: JsonOption = False,
) -> None:
    actor = state_of(ctx).actor()
    requests = list(protection.tracing_request_list(actor=actor, status=status)[:500])
    if as_json:
        _json_print(TracingOutput(requests, many=True).data)
        return
    table = _table("id", "status", "sought", "seeker", "filed")
    for r in requests:
        _row(table, r.pk, r.status, r.sought_name, r.seeker_name, f"{r.created_at:%Y-%m-%d}")
    _console().print(table)


@tracing_app.command("show")
def tracing_show(ctx: typer.Context, request_id: str, as_json: JsonOption = False) -> None:
    actor = state_of(ctx).actor()
    _tracing_print(protection.tracing_request_get(actor=actor, request_id=request_id), as_json)


@tracing_app.command("confirm")
def tracing_confirm(
    ctx: typer.Context, match_id: str, note: Annotated[str, typer.Option("--note")] = ""
) -> None:
    """The person proposed is the one sought: link the family, close the request."""
    actor = state_of(ctx).actor()
    match = protection.tracing_match_get(actor=actor, match_id=match_id)
    protection.tracing_match_confirm(actor=actor, match=match, note=note)
    typer.echo(
        _("confirmed: %(person)s is %(sought)s")
        % {"person": match.person.full_name, "sought": match.request.sought_name}
    )


@tracing_app.command("reject")
def tracing_reject(
    ctx: typer.Context, match_id: str, note: Annotated[str, typer.Option("--note")] = ""
) -> None:
    actor = state_of(ctx).actor()
    match = protection.tracing_match_get(actor=actor, match_id=match_id)
    protection.tracing_match_reject(actor=actor, match=match, note=note)
    typer.echo(
        _("rejected: %(person)s is not %(sought)s")
        % {"person": match.person.full_name, "sought": match.request.sought_name}
    )


@tracing_app.command("close")
def tracing_close(
    ctx: typer.Context,
    request_id: str,
    reason: Annotated[
        str, typer.Option(help="found_elsewhere (found by other means) or withdrawn.")
    ],
    note: Annotated[str, typer.Option(help="How, by whom, why.")],
) -> None:
    """Close a request without a confirmed match."""
    actor = state_of(ctx).actor()
    request = protection.tracing_request_get(actor=actor, request_id=request_id)
    values = _parsed(TracingCloseInput, {"reason": reason, "note": note})
    protection.tracing_request_close(actor=actor, request=request, **values)
    typer.echo(
        _("closed tracing request %(id)s (%(reason)s)")
        % {"id": request.pk, "reason": values["reason"]}
    )


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="open, closed or all.")] = "open",
    as_json: JsonOption = False,
) -> None:
    """Protection cases, highest risk first (the read is audited)."""
    actor = state_of(ctx).actor()
    cases = protection.case_list(actor=actor, status=None if status == "all" else status)
    if as_json:
        _json_print(CaseOutput(cases, many=True).data)
        return
    table = _table("id", "child", "kind", "risk", "care", "caseworker", "next follow-up")
    for c in cases:
        _row(table, c.pk, _person_text(c.child), c.kind, c.risk_level, c.care_arrangement,
             c.caseworker.username if c.caseworker else "", c.next_follow_up or "")  # fmt: skip
    _console().print(table)


@case_app.command("show")
def case_show(ctx: typer.Context, case_id: str, as_json: JsonOption = False) -> None:
    actor = state_of(ctx).actor()
    case = protection.case_get(actor=actor, case_id=case_id)
    data = CaseOutput(case).data
    if as_json:
        _json_print(data)
        return
    for key, value in data.items():
        typer.echo(f"{key}: {value}")


@case_app.command("update")
def case_update(
    ctx: typer.Context,
    case_id: str,
    care: Annotated[str | None, typer.Option("--care", help="Care arrangement.")] = None,
    carer: Annotated[str | None, typer.Option()] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="low, medium or high.")] = None,
    caseworker: Annotated[str | None, typer.Option(help="Username.")] = None,
    next_follow_up: Annotated[str | None, typer.Option("--next", help="YYYY-MM-DD.")] = None,
    last_follow_up: Annotated[str | None, typer.Option("--last", help="YYYY-MM-DD.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Replaces the notes.")] = None,
) -> None:
    actor = state_of(ctx).actor()
    case = protection.case_get(actor=actor, case_id=case_id)
    changes = _parsed(
        CaseUpdateInput,
        {"care_arrangement": care, "carer": carer, "risk_level": risk, "caseworker": caseworker,
         "next_follow_up": next_follow_up, "last_follow_up": last_follow_up, "notes": note},
    )  # fmt: skip
    protection.case_update(actor=actor, case=case, changes=changes)
    typer.echo(_("updated case %(id)s") % {"id": case.pk})


@case_app.command("review")
def case_review(ctx: typer.Context) -> None:
    """Open a case for every child present with no adult of their household present."""
    actor = state_of(ctx).actor()
    opened = protection.cases_open_for_unaccompanied(actor=actor)
    typer.echo(
        ngettext("%(n)s case opened", "%(n)s cases opened", len(opened)) % {"n": len(opened)}
    )


@case_app.command("close")
def case_close(
    ctx: typer.Context,
    case_id: str,
    outcome: Annotated[str, typer.Option(help="reunified, transferred or aged_out.")],
    note: Annotated[str, typer.Option(help="With whom, where, how it went.")],
) -> None:
    actor = state_of(ctx).actor()
    case = protection.case_get(actor=actor, case_id=case_id)
    values = _parsed(CaseCloseInput, {"outcome": outcome, "note": note})
    protection.case_close(actor=actor, case=case, **values)
    typer.echo(
        _("closed case %(id)s (%(outcome)s)") % {"id": case.pk, "outcome": values["outcome"]}
    )


__all__ = ["case_app", "search_app", "tracing_app"]
