"""`lifeline facility ...` and `lifeline watch ...`: the camp's facilities, damage, repairs
and the watch roster from the command line; the same services, roles and audit as the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.facilities import schemas, selectors, services

facility_app = typer.Typer(help="Facilities: buildings and works, damage and repairs.")
watch_app = typer.Typer(help="The watch roster: shifts at the posts, gaps and rest.")


def _local(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


@facility_app.command("list")
def facility_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="shelter, clinic, water_point, ...")] = None,
    state: Annotated[str | None, typer.Option(help="working, damaged, unsafe, ...")] = None,
) -> None:
    """This site's facilities, those that need work first."""
    rows = selectors.facility_list(actor=state_of(ctx).actor(), kind=kind, state=state)
    if not rows:
        typer.echo(_("No facilities."))
    for f in rows:
        capacity = (
            f"  {f.capacity_usable}/{f.capacity} {f.get_capacity_unit_display()}"
            if f.capacity is not None
            else ""
        )
        typer.echo(
            f"{f.pk}  {f.get_state_display():<14} {f.get_kind_display():<12} {f.name}{capacity}"
        )


@facility_app.command("add")
def facility_add(
    ctx: typer.Context,
    name: str,
    kind: Annotated[str, typer.Option(help="shelter, clinic, store, water_point, well, ...")],
    capacity: Annotated[int | None, typer.Option()] = None,
    latitude: Annotated[float | None, typer.Option()] = None,
    longitude: Annotated[float | None, typer.Option()] = None,
    notes: Annotated[str, typer.Option()] = "",
) -> None:
    """Register a building or a work of the camp."""
    values = input_parse_or_fail(
        schemas.FacilityInput,
        {
            "name": name,
            "kind": kind,
            "capacity": capacity,
            "latitude": latitude,
            "longitude": longitude,
            "notes": notes,
        },
    )
    facility = services.facility_register(actor=state_of(ctx).actor(), **values)
    typer.echo(f"{facility.pk}  " + _("%(name)s registered") % {"name": facility.name})


@facility_app.command("assess")
def facility_assess(
    ctx: typer.Context,
    facility_id: str,
    severity: Annotated[
        int, typer.Option(help="0 none, 1 light, 2 moderate, 3 heavy, 4 destroyed")
    ],
    damage: Annotated[str, typer.Option(help="what is damaged")] = "",
    unsafe: Annotated[bool, typer.Option("--unsafe", help="not safe to use")] = False,
    capacity_lost: Annotated[int, typer.Option()] = 0,
) -> None:
    """Record how a facility stands after an event (photos through the page)."""
    actor = state_of(ctx).actor()
    facility = selectors.facility_get(actor=actor, facility_id=facility_id)
    values = input_parse_or_fail(
        schemas.AssessmentInput,
        {
            "severity": severity,
            "safe_to_use": not unsafe,
            "damage": damage,
            "capacity_lost": capacity_lost,
        },
    )
    assessment = services.damage_assess(actor=actor, facility=facility, **values)
    facility.refresh_from_db()
    typer.echo(f"{assessment.pk}  {facility.name}: {facility.get_state_display()}")


@facility_app.command("work")
def facility_work(ctx: typer.Context) -> None:
    """Open repair work, most urgent first."""
    rows = selectors.work_open_list(actor=state_of(ctx).actor())
    if not rows:
        typer.echo(_("No open work."))
    for w in rows:
        typer.echo(
            f"{w.pk}  {w.get_priority_display():<7} {w.get_status_display():<12} "
            f"{w.facility.name}: {w.title}"
        )


@facility_app.command("repair")
def facility_repair(
    ctx: typer.Context,
    facility_id: str,
    title: str,
    priority: Annotated[str, typer.Option(help="urgent, high, normal, low")] = "normal",
    assessment: Annotated[str | None, typer.Option(help="the assessment it repairs")] = None,
) -> None:
    """Raise repair work on a facility."""
    actor = state_of(ctx).actor()
    values = input_parse_or_fail(
        schemas.WorkInput,
        {"facility": facility_id, "title": title, "priority": priority, "assessment": assessment},
    )
    order = services.work_order_raise(
        actor=actor, **selectors.work_rows(actor=actor, values=values)
    )
    typer.echo(f"{order.pk}  " + _("%(title)s raised") % {"title": order.title})


@facility_app.command("done")
def facility_done(
    ctx: typer.Context,
    work_id: str,
    note: Annotated[str, typer.Option(help="what was done")],
    cancel: Annotated[bool, typer.Option("--cancel", help="cancelled, not done")] = False,
) -> None:
    """Close repair work: done (the facility works again) or cancelled."""
    actor = state_of(ctx).actor()
    order = selectors.work_get(actor=actor, work_id=work_id)
    order = services.work_order_close(actor=actor, order=order, note=note, done=not cancel)
    typer.echo(f"{order.pk}  {order.get_status_display()}")


@watch_app.command("roster")
def watch_roster(
    ctx: typer.Context,
    hours: Annotated[int, typer.Option(help="how far ahead")] = 24,
) -> None:
    """The roster from now, with the posts left uncovered and the watchers' rest."""
    view = selectors.roster_view(actor=state_of(ctx).actor(), start=timezone.now(), hours=hours)
    names: dict[object, str] = {p.pk: p.name for p in view.posts}
    for s in view.shifts:
        who = s.person.full_name if s.person else (s.user.get_username() if s.user else _("NOBODY"))
        span = f"{_local(s.starts_at)}-{timezone.localtime(s.ends_at):%H:%M}"
        typer.echo(f"{s.pk}  {span}  {s.post.name:<14} {who}")
    for gap in view.check.gaps:
        said = {"post": names.get(gap.post, gap.post), "start": _local(gap.start)}
        said["end"] = _local(gap.end)
        typer.echo(_("UNCOVERED  %(post)s %(start)s to %(end)s") % said)
    for clash in view.check.clashes:
        typer.echo(
            _("TWO POSTS  shifts %(first)s and %(second)s")
            % {"first": clash.first, "second": clash.second}
        )
    for rest in view.check.short_rests:
        typer.echo(
            _("SHORT REST  %(hours)s h before shift %(shift)s")
            % {"hours": f"{rest.rest.total_seconds() / 3600:.1f}", "shift": rest.after}
        )
    for day in view.check.long_days:
        typer.echo(
            _("LONG DAY  %(hours)s h from %(start)s")
            % {"hours": f"{day.hours:g}", "start": _local(day.start)}
        )


@watch_app.command("plan")
def watch_plan(
    ctx: typer.Context,
    post: str,
    starts_at: Annotated[str, typer.Option("--from", help="ISO 8601 start")],
    ends_at: Annotated[str, typer.Option("--to", help="ISO 8601 end")],
    person: Annotated[str | None, typer.Option(help="the person's id")] = None,
    user: Annotated[str | None, typer.Option("--watcher-user", help="their username")] = None,
) -> None:
    """Put a shift on the roster (a post's id, from, to, who)."""
    values = input_parse_or_fail(
        schemas.ShiftInput,
        {"post": post, "starts_at": starts_at, "ends_at": ends_at, "person": person, "user": user},
    )
    shift = services.shift_plan(actor=state_of(ctx).actor(), **values)
    typer.echo(f"{shift.pk}  " + _("%(shift)s planned") % {"shift": shift})


@watch_app.command("mine")
def watch_mine(ctx: typer.Context) -> None:
    """Your own shifts from now on."""
    rows = selectors.shifts_of_user(actor=state_of(ctx).actor())
    if not rows:
        typer.echo(_("No shifts ahead."))
    for s in rows:
        typer.echo(
            f"{s.pk}  {_local(s.starts_at)}-{timezone.localtime(s.ends_at):%H:%M}  {s.post.name}"
        )
