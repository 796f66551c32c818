"""The threat pages: hostile groups (list, and one group with its sightings) and the perimeter
log of the camp's watch, made for a phone. Each view parses through the one schema, calls one
service or selector, and renders; errors land next to the fields or become pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.services import Actor, permission_require
from lifeline.intel.models import COMPASS_WORDS, HostileGroup
from lifeline.intel.threats import selectors, services
from lifeline.intel.threats.api import threat_values_resolve
from lifeline.intel.threats.schemas import (
    CONFIDENCE_WORDS,
    HostileGroupChangeInput,
    HostileGroupInput,
    PerimeterEntryInput,
    WatchPostInput,
)
from lifeline.missions.sketch import Mark, sketch_of

CONFIDENCE_LABELS = {
    "low": gettext_lazy("Low (%(value)s)"),
    "medium": gettext_lazy("Medium (%(value)s)"),
    "high": gettext_lazy("High (%(value)s)"),
}


def _confidence_choices() -> list[tuple[str, str]]:
    return [
        (word, str(CONFIDENCE_LABELS[word]) % {"value": f"{value:g}"})
        for word, value in CONFIDENCE_WORDS.items()
    ]


def _group_labels() -> dict[str, str]:
    return {
        "name": _("Name"),
        "leader": _("Leader"),
        "size_estimate": _("How many, about"),
        "status": _("Status"),
        "notes": _("Notes"),
    }


GROUP_FIELDS = ("name", "leader", "size_estimate", "status", "notes")
ENTRY_FIELDS = (
    "post",
    "seen",
    "count",
    "direction",
    "distance_m",
    "hostile_group",
    "confidence",
    "observed_at",
    "notes",
)


def _group_form(data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        HostileGroupInput,
        GROUP_FIELDS,
        data=data,
        labels=_group_labels(),
        widgets={"notes": "textarea"},
    )


def _groups_page(
    request: HttpRequest, *, form: SchemaForm | None = None, status: int = 200
) -> HttpResponse:
    groups = list(selectors.hostile_group_list(actor=request.user))
    sightings = list(selectors.sighting_list(actor=request.user)[:20])
    selectors.sighting_sources_attach(actor=request.user, sightings=sightings)
    context = {
        "groups": groups,
        "sightings": sightings,
        "form": form or _group_form(),
        "can_add": request.user.has_perm("intel.add_hostilegroup"),
        "reporter_visible": selectors.reporter_visible(request.user),
        "now": timezone.now(),
    }
    return render(request, "intel/groups.html", context, status=status)


@page_view
def group_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _groups_page(request)
    permission_require(request.user, "intel.add_hostilegroup", doing=_("record hostile groups"))
    form = _group_form(request.POST)
    group = form.submit(lambda values: services.hostile_group_create(actor=request.user, **values))
    if group is None:
        return _groups_page(request, form=form, status=400)
    messages.success(request, _("%(name)s recorded.") % {"name": group.name})
    return redirect("intel:group_detail", group_id=group.pk)


def _change_form(group: HostileGroup, data: QueryDict | None = None) -> SchemaForm:
    initial = {
        name: getattr(group, name) if getattr(group, name) is not None else ""
        for name in GROUP_FIELDS
    }
    return SchemaForm(
        HostileGroupChangeInput,
        GROUP_FIELDS,
        data=data,
        initial=initial,
        labels=_group_labels(),
        widgets={"notes": "textarea"},
    )


@page_view
def group_detail(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    group = selectors.hostile_group_get(actor=request.user, group_id=group_id)
    form = _change_form(group)
    status = 200
    if request.method == "POST":
        permission_require(
            request.user, "intel.change_hostilegroup", doing=_("change hostile groups")
        )
        form = _change_form(group, request.POST)
        changed = form.submit(
            lambda values: services.hostile_group_update(
                actor=request.user, group=group, changes=values
            )
        )
        if changed is not None:
            messages.success(request, _("%(name)s changed.") % {"name": changed.name})
            return redirect("intel:group_detail", group_id=group.pk)
        status = 400
    sightings = list(selectors.sighting_list(actor=request.user, group=group)[:200])
    selectors.sighting_sources_attach(actor=request.user, sightings=sightings)
    marks = [
        Mark("report", f"{s.seen_at:%d/%m %H:%M}: {s.count}", s.latitude, s.longitude)
        for s in sightings
    ]
    context = {
        "group": group,
        "sightings": sightings,
        "sketch": sketch_of(reversed(marks)) if marks else None,
        "form": form,
        "can_change": request.user.has_perm("intel.change_hostilegroup"),
        "reporter_visible": selectors.reporter_visible(request.user),
        "now": timezone.now(),
    }
    return render(request, "intel/group_detail.html", context, status=status)


def _entry_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    posts = [(str(p.pk), p.name) for p in selectors.watch_post_list(actor=actor)]
    groups = [(str(g.pk), g.name) for g in selectors.hostile_group_list(actor=actor)]
    return SchemaForm(
        PerimeterEntryInput,
        ENTRY_FIELDS,
        data=data,
        initial={
            "post": posts[0][0] if len(posts) == 1 else "",
            "seen": "nothing",
            "confidence": "medium",
        },
        labels={
            "post": _("Watch post"),
            "seen": _("What was seen"),
            "count": _("How many"),
            "direction": _("Where, from the post"),
            "distance_m": _("How far (metres)"),
            "hostile_group": _("Which group, if known"),
            "confidence": _("How sure"),
            "observed_at": _("When"),
            "notes": _("Notes"),
        },
        hints={"observed_at": _("Leave empty for now."), "distance_m": _("A guess is fine.")},
        choices={
            "post": posts,
            "hostile_group": groups,
            "confidence": _confidence_choices(),
            "direction": [(code, str(word)) for code, word in COMPASS_WORDS.items()],
        },
    )


def _post_form(data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        WatchPostInput,
        ("name", "latitude", "longitude", "notes"),
        data=data,
        labels={
            "name": _("Name"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
            "notes": _("Notes"),
        },
    )


def _watch_page(
    request: HttpRequest,
    *,
    form: SchemaForm | None = None,
    post_form: SchemaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form or _entry_form(request.user),
        "post_form": post_form or _post_form(),
        "entries": list(selectors.perimeter_log_list(actor=request.user)[:30]),
        "posts": list(selectors.watch_post_list(actor=request.user)),
        "can_log": request.user.has_perm("intel.add_perimeterlogentry"),
        "can_add_post": request.user.has_perm("intel.add_watchpost"),
    }
    return render(request, "intel/watch.html", context, status=status)


@page_view
def perimeter_watch(request: HttpRequest) -> HttpResponse:
    permission_require(
        request.user, "intel.view_perimeterlogentry", doing=_("read the perimeter log")
    )
    if request.method != "POST":
        return _watch_page(request)
    if request.POST.get("form") == "post":
        permission_require(request.user, "intel.add_watchpost", doing=_("set up watch posts"))
        post_form = _post_form(request.POST)
        post = post_form.submit(
            lambda values: services.watch_post_create(actor=request.user, **values)
        )
        if post is None:
            return _watch_page(request, post_form=post_form, status=400)
        messages.success(request, _("Watch post %(name)s set up.") % {"name": post.name})
        return redirect("intel:watch")
    permission_require(
        request.user, "intel.add_perimeterlogentry", doing=_("keep the perimeter log")
    )
    form = _entry_form(request.user, request.POST)
    entry = form.submit(
        lambda values: services.perimeter_log(actor=request.user, **threat_values_resolve(values))
    )
    if entry is None:
        return _watch_page(request, form=form, status=400)
    said = {"post": entry.post.name, "seen": entry.get_seen_display()}
    if entry.sighting_id:
        text = _("Logged: %(post)s, %(seen)s. A sighting was recorded; the risk map is updated.")
    else:
        text = _("Logged: %(post)s, %(seen)s.")
    messages.success(request, text % said)
    return redirect("intel:watch")
