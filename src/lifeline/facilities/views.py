"""Pages of facilities and the watch, phone first: the camp's facilities worst first, one
facility with its damage and repairs, assessing damage with the phone's camera, repair work,
the roster with its gaps, a shift with its post's log, and one's own shifts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.errors import ValidationFailed
from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.services import audit_record, permission_require
from lifeline.facilities import schemas, selectors, services
from lifeline.facilities.models import FacilityKind, FacilityPhoto, FacilityState, Severity
from lifeline.supplies.selectors import item_list, location_list

PHOTO_FIELD = "photos"
MAX_PHOTOS = 6


def _photos(request: HttpRequest) -> list[Any]:
    files = request.FILES.getlist(PHOTO_FIELD)
    if len(files) > MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("at most %(n)d photos at once") % {"n": MAX_PHOTOS}]})
    return files


def _can(request: HttpRequest, perm: str) -> bool:
    return bool(request.user.has_perm(perm))


@page_view
def facility_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    state = request.GET.get("state") or None
    every_site = request.GET.get("sites") == "all"
    rows = selectors.facility_list(
        actor=request.user, kind=kind, state=state, every_site=every_site
    )
    picture = selectors.facilities_picture(actor=request.user, every_site=every_site)
    return render(
        request,
        "facilities/list.html",
        {
            "rows": rows,
            "picture": picture,
            "kinds": FacilityKind.choices,
            "states": FacilityState.choices,
            "kind": kind or "",
            "state": state or "",
            "every_site": every_site,
            "can_add": _can(request, "facilities.add_facility"),
        },
    )


def _register_form(data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.FacilityInput,
        ["name", "kind", "capacity", "latitude", "longitude", "notes"],
        data=data,
        labels={
            "name": _("Name"),
            "kind": _("Kind"),
            "capacity": _("Capacity (people, beds or litres a day)"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
            "notes": _("Notes"),
        },
        widgets={"notes": "textarea"},
    )


@page_view
def facility_new(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, "facilities.add_facility", doing=_("register facilities"))
    form = _register_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        facility = form.submit(
            lambda values: services.facility_register(actor=request.user, **values)
        )
        if facility is not None:
            messages.success(request, _("%(name)s registered.") % {"name": facility.name})
            return redirect("facilities:detail", facility_id=facility.pk)
    return render(request, "facilities/new.html", {"form": form})


@page_view
def facility_detail(request: HttpRequest, facility_id: str) -> HttpResponse:
    record = selectors.facility_record(actor=request.user, facility_id=facility_id)
    return render(
        request,
        "facilities/detail.html",
        {
            "record": record,
            "f": record.facility,
            "can_assess": _can(request, "facilities.add_damageassessment"),
            "can_work": _can(request, "facilities.add_workorder"),
        },
    )


def _assess_form(data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.AssessmentInput,
        ["severity", "safe_to_use", "damage", "capacity_lost"],
        data=data,
        labels={
            "severity": _("How bad is it?"),
            "safe_to_use": _("Safe to use?"),
            "damage": _("What is damaged"),
            "capacity_lost": _("Capacity lost"),
        },
        widgets={"damage": "textarea"},
        choices={
            "severity": [(str(value), str(label)) for value, label in Severity.choices],
            "safe_to_use": [("true", _("Yes")), ("false", _("No"))],
        },
    )


@page_view
def facility_assess(request: HttpRequest, facility_id: str) -> HttpResponse:
    facility = selectors.facility_get(actor=request.user, facility_id=facility_id)
    permission_require(request.user, "facilities.add_damageassessment", doing=_("assess damage"))
    form = _assess_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            photos = _photos(request)
        except ValidationFailed as failure:
            form.errors_add(failure.fields)
            photos = []
        if not form.has_errors:
            assessment = form.submit(
                lambda values: services.damage_assess(
                    actor=request.user, facility=facility, photos=photos, **values
                )
            )
            if assessment is not None:
                messages.success(request, _("Assessment recorded."))
                return redirect("facilities:detail", facility_id=facility.pk)
    return render(request, "facilities/assess.html", {"form": form, "f": facility})


def _work_form(data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.WorkInput,
        ["title", "priority"],
        data=data,
        labels={"title": _("What is to be done"), "priority": _("Priority")},
    )


@page_view
def work_new(request: HttpRequest, facility_id: str) -> HttpResponse:
    facility = selectors.facility_get(actor=request.user, facility_id=facility_id)
    permission_require(request.user, "facilities.add_workorder", doing=_("raise repair work"))
    assessment_id = request.GET.get("assessment") or request.POST.get("assessment") or ""
    assessment = (
        selectors.assessment_get(actor=request.user, assessment_id=assessment_id)
        if assessment_id
        else None
    )
    form = _work_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        order = form.submit(
            lambda values: services.work_order_raise(
                actor=request.user,
                facility=facility,
                assessment=assessment,
                title=values["title"],
                priority=values.get("priority", "normal"),
            ),
            prepare=lambda values: {**values, "facility": str(facility.pk)},
        )
        if order is not None:
            messages.success(request, _("Repair work raised."))
            return redirect("facilities:work", work_id=order.pk)
    return render(
        request,
        "facilities/work_new.html",
        {"form": form, "f": facility, "assessment": assessment},
    )


def _material_form(request: HttpRequest, data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.MaterialInput,
        ["item", "location", "quantity"],
        data=data,
        labels={"item": _("Item"), "location": _("From the store"), "quantity": _("Quantity")},
        choices={
            "item": [(i.code, f"{i.name} ({i.unit})") for i in item_list(actor=request.user)],
            "location": [(loc.code, loc.name) for loc in location_list(actor=request.user)],
        },
        widgets={"quantity": "decimal"},
    )


def _close_form(data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.WorkCloseInput,
        ["note"],
        data=data,
        labels={"note": _("What was done")},
        widgets={"note": "textarea"},
    )


@page_view
def work_detail(request: HttpRequest, work_id: str) -> HttpResponse:
    order = selectors.work_get(actor=request.user, work_id=work_id)
    can_change = _can(request, "facilities.change_workorder")
    material_form = close_form = None
    if can_change:
        can_draw = request.user.has_perm("supplies.manage_stock")
        material_form = _material_form(request) if can_draw else None
        close_form = _close_form()
    record = selectors.facility_record(actor=request.user, facility_id=order.facility_id)
    order = next(w for w in record.work if w.pk == order.pk)
    return render(
        request,
        "facilities/work.html",
        {
            "w": order,
            "f": record.facility,
            "can_change": can_change,
            "material_form": material_form,
            "close_form": close_form,
        },
    )


@page_view
@require_POST
def work_start(request: HttpRequest, work_id: str) -> HttpResponse:
    order = selectors.work_get(actor=request.user, work_id=work_id)
    services.work_order_start(actor=request.user, order=order)
    messages.success(request, _("Work started: the facility is under repair."))
    return redirect("facilities:work", work_id=order.pk)


@page_view
@require_POST
def work_material(request: HttpRequest, work_id: str) -> HttpResponse:
    order = selectors.work_get(actor=request.user, work_id=work_id)
    form = _material_form(request, request.POST)
    line = form.submit(
        lambda values: services.work_material_draw(actor=request.user, order=order, **values)
    )
    if line is None:
        for problem in form.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("Material drawn from the store."))
    return redirect("facilities:work", work_id=order.pk)


@page_view
@require_POST
def work_close(request: HttpRequest, work_id: str) -> HttpResponse:
    order = selectors.work_get(actor=request.user, work_id=work_id)
    done = request.POST.get("outcome", "done") != "cancel"
    form = _close_form(request.POST)
    try:
        photos = _photos(request)
    except ValidationFailed as failure:
        form.errors_add(failure.fields)
        photos = []
    closed = None
    if not form.has_errors:
        closed = form.submit(
            lambda values: services.work_order_close(
                actor=request.user, order=order, note=values["note"], done=done, photos=photos
            ),
            prepare=lambda values: {**values, "done": done},
        )
    if closed is None:
        for problem in form.problems:
            messages.error(request, problem)
        return redirect("facilities:work", work_id=order.pk)
    messages.success(request, _("Work closed."))
    return redirect("facilities:detail", facility_id=order.facility_id)


@page_view
def photo(request: HttpRequest, photo_id: str) -> HttpResponse:
    permission_require(request.user, "facilities.view_facility", doing=_("see facility photos"))
    row = FacilityPhoto.objects.alive().filter(pk=photo_id).first()
    if row is None or not row.image:
        raise Http404
    try:
        with row.image.open("rb") as handle:
            body = handle.read()  # resized on the way in: a few hundred kilobytes
    except FileNotFoundError as exc:  # a photo whose file has not arrived from its site yet
        raise Http404 from exc
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---- the watch ----


def _roster_start(raw: str) -> dt.datetime:
    """The roster's start: 'now' (default), 'tonight' (18:00 local today) or a date."""
    now = timezone.localtime()
    if raw == "tonight":
        return now.replace(hour=18, minute=0, second=0, microsecond=0)
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise ValidationFailed({"start": [_("a date such as 2026-12-07")]}) from exc
        return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
    return now.replace(minute=0, second=0, microsecond=0)


def _shift_form(request: HttpRequest, posts: list[Any], data: Any = None) -> SchemaForm:
    watchers = User.objects.filter(is_active=True).order_by("first_name", "username")
    return SchemaForm(
        schemas.ShiftInput,
        ["post", "starts_at", "ends_at", "user"],
        data=data,
        labels={
            "post": _("Post"),
            "starts_at": _("From"),
            "ends_at": _("To"),
            "user": _("Who stands it"),
        },
        choices={
            "post": [(str(p.pk), p.name) for p in posts],
            "user": [(u.username, u.get_full_name() or u.username) for u in watchers],
        },
    )


@page_view
def roster(request: HttpRequest) -> HttpResponse:
    start = _roster_start(request.GET.get("start", ""))
    hours = 24
    view = selectors.roster_view(actor=request.user, start=start, hours=hours)
    can_plan = _can(request, "facilities.plan_shift")
    form = _shift_form(request, view.posts, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        permission_require(request.user, "facilities.plan_shift", doing=_("plan the watch"))
        shift = form.submit(lambda values: services.shift_plan(actor=request.user, **values))
        if shift is not None:
            messages.success(request, _("Shift planned."))
            return redirect(f"{request.path}?start={request.GET.get('start', '')}")
    names = {p.pk: p.name for p in view.posts}
    by_post = [
        {
            "post": post,
            "shifts": [s for s in view.shifts if s.post_id == post.pk],
            "gaps": [g for g in view.check.gaps if g.post == post.pk],
        }
        for post in view.posts
    ]
    clashes = {key for c in view.check.clashes for key in (c.first, c.second)}
    short_rest = {r.after for r in view.check.short_rests}
    return render(
        request,
        "facilities/roster.html",
        {
            "view": view,
            "by_post": by_post,
            "clashes": clashes,
            "short_rest": short_rest,
            "names": names,
            "form": form if can_plan else None,
            "start_key": request.GET.get("start", ""),
        },
    )


@page_view
def shift_detail(request: HttpRequest, shift_id: str) -> HttpResponse:
    shift = selectors.shift_get(actor=request.user, shift_id=shift_id)
    mine = shift.user_id == request.user.pk
    can_write = mine or _can(request, "facilities.plan_shift")
    if request.method == "POST":
        try:
            services.shift_handover(
                actor=request.user, shift=shift, note=request.POST.get("note", "")
            )
        except ValidationFailed as failure:
            for problems in failure.fields.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Hand-over note saved."))
        return redirect("facilities:shift", shift_id=shift.pk)
    can_read_log = _can(request, "intel.view_perimeterlogentry")
    log = selectors.shift_log(actor=request.user, shift=shift) if can_read_log else []
    audit_record(actor=request.user, action="watch.read", obj=shift, summary=str(shift))
    return render(
        request,
        "facilities/shift.html",
        {"s": shift, "log": log, "can_write": can_write, "can_read_log": can_read_log},
    )


@page_view
def my_shifts(request: HttpRequest) -> HttpResponse:
    return render(
        request, "facilities/mine.html", {"rows": selectors.shifts_of_user(actor=request.user)}
    )
