"""The registry's pages. Each view parses, calls one selector or service, and renders; errors
become pages through `errors.page_view`, bad input becomes messages on the form."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.charts import Series, bars_by_day_svg
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.paging import CappedPaginator
from lifeline.core.selectors import site_choices
from lifeline.core.services import Actor, permission_require
from lifeline.people import rules, selectors, services
from lifeline.people.matching import lookup
from lifeline.people.models import Condition, Status
from lifeline.people.schemas import (
    ConditionInput,
    PersonFilterInput,
    PersonInput,
    StatusInput,
)
from lifeline.sync.holders import record_sites
from lifeline.web import map_layers
from lifeline.web.picture import operating_picture
from lifeline.web.views_households import household_page

PERSON_FILTERS = ("q", "status", "site", "age_band", "sex", "condition")


@page_view
def home(request: HttpRequest) -> HttpResponse:
    picture = operating_picture(actor=request.user)
    # Over the basemap when one is installed (the same live map as the map page), else drawn.
    danger_map = picture.danger.map if picture.danger else None
    live = (
        map_layers.live_map(actor=request.user, viewport=danger_map.viewport, map_id="home-map")
        if danger_map is not None
        else None
    )
    return render(request, "web/home.html", {"picture": picture, "live": live})


# ---- the registry list -----------------------------------------------------------------------


def _filter_form(actor: Actor, data: QueryDict) -> SchemaForm:
    # A role that sees no condition gets no condition choices; one sent anyway is refused by
    # the selector rather than silently ignored.
    visible = selectors.conditions_visible(actor)
    return SchemaForm(
        PersonFilterInput,
        PERSON_FILTERS,
        data=data,
        labels={"q": "Name", "age_band": "Age"},
        widgets={"q": "search"},
        choices={
            "site": site_choices(),
            "condition": [(v, str(label)) for v, label in Condition.choices if v in visible],
        },
    )


def _list_or_search(actor: Actor, values: dict[str, Any]) -> Any:
    """A name in the box: the spelling-robust search, best first, with the other filters
    applied; no name: the registry's list by name."""
    filters = selectors.PersonFilters(**values)
    if filters.q.strip():
        return lookup.registry_search(actor=actor, filters=filters)
    return CappedPaginator(selectors.person_list(actor=actor, filters=filters))


@page_view
def person_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request.user, request.GET)
    found = form.submit(lambda values: _list_or_search(request.user, values))
    page = hits = None
    if isinstance(found, CappedPaginator):
        page = found.get_page(request.GET.get("page"))
    elif found is not None:
        hits = found
    filtered = any(request.GET.get(name) for name in PERSON_FILTERS if name != "q")
    chart = None
    if page is not None and not filtered and page.number == 1:
        chart = _arrivals_chart(request.user)
    return render(
        request,
        "web/person_list.html",
        {"form": form, "page": page, "hits": hits, "filtered": filtered, "chart": chart},
        status=400 if form.has_errors else 200,
    )


def _arrivals_chart(actor: Actor) -> Any:
    per_day = selectors.arrivals_per_day(actor=actor, site=settings.LIFELINE_SITE, days=14)
    days = [day for day, _n in per_day]
    return bars_by_day_svg(
        days=days,
        series=[Series("arrivals", _("Arrivals"), [n for _day, n in per_day])],
        title=_("Arrivals at this site, each day of the last two weeks"),
    )


# ---- one person ------------------------------------------------------------------------------


def _status_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    names = ["status", "site"]
    if selectors.can_see_location(actor):
        names += ["area", "latitude", "longitude"]
    names += ["occurred_at", "note"]
    return SchemaForm(
        StatusInput,
        names,
        data=data,
        initial={"site": settings.LIFELINE_SITE},
        labels={"occurred_at": _("When"), "note": _("Note")},
        hints={"occurred_at": _("Leave empty for now.")},
        # A death is recorded on its own page, behind a confirmation with a reason.
        choices={
            "site": site_choices(),
            "status": [(v, str(label)) for v, label in Status.choices if v != Status.DECEASED],
        },
    )


def _condition_form(data: QueryDict | None = None) -> SchemaForm:
    return SchemaForm(
        ConditionInput,
        ["condition", "present", "note"],
        data=data,
        initial={"present": "true"},
        labels={"present": "Seen"},
        choices={"present": [("true", "Present"), ("false", "Resolved")]},
    )


def _person_page(
    request: HttpRequest,
    person_id: uuid.UUID,
    *,
    status_form: SchemaForm | None = None,
    condition_form: SchemaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    record = selectors.person_record(actor=request.user, person_id=person_id)
    user = request.user
    if status_form is None and user.has_perm("people.record_status"):
        status_form = _status_form(user)
    if condition_form is None and user.has_perm("people.record_condition"):
        condition_form = _condition_form()
    return render(
        request,
        "web/person_detail.html",
        {
            "record": record,
            "person": record.person,
            "status_form": status_form,
            "condition_form": condition_form,
            "conditions_seen": bool(selectors.conditions_visible(user)),
            "held_at": (
                record_sites(actor=user, model="people.person", object_id=record.person.pk).sites
                if user.has_perm("people.view_person")
                else []
            ),
        },
        status=status,
    )


@page_view
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    return _person_page(request, person_id)


@page_view
@require_POST
def person_status(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    permission_require(request.user, "people.record_status", doing=_("record a person's status"))
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = _status_form(request.user, request.POST)

    def no_death_here(values: dict[str, Any]) -> dict[str, Any]:
        if values.get("status") == Status.DECEASED:
            raise ValidationFailed({"status": _("record a death with “Record a death”")})
        return values

    event = form.submit(
        lambda values: services.person_status_record(actor=request.user, person=person, **values),
        prepare=no_death_here,
    )
    if event is None:
        return _person_page(request, person_id, status_form=form, status=400)
    messages.success(
        request, _("Status recorded: %(status)s.") % {"status": event.get_status_display()}
    )
    return redirect("web:person_detail", person_id=person.pk)


@page_view
@require_POST
def person_condition(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    permission_require(
        request.user, "people.record_condition", doing=_("record a person's condition")
    )
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = _condition_form(request.POST)
    observation = form.submit(
        lambda values: services.person_condition_record(actor=request.user, person=person, **values)
    )
    if observation is None:
        return _person_page(request, person_id, condition_form=form, status=400)
    messages.success(request, _("Condition recorded."))
    return redirect("web:person_detail", person_id=person.pk)


# ---- registration ----------------------------------------------------------------------------

REGISTER_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "age_years",
    "languages",
    "phone",
    "callsign",
    "household",
    "status",
    "site",
    "area",
    "latitude",
    "longitude",
    "conditions",
    "notes",
)


def _register_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    names = [
        n for n in REGISTER_FIELDS if n != "conditions" or actor.has_perm("people.record_condition")
    ]
    return SchemaForm(
        PersonInput,
        names,
        data=data,
        initial={"sex": "unknown", "status": "present", "site": settings.LIFELINE_SITE},
        labels={
            "age_years": _("Or age in years"),
            "household": _("Household ration card"),
            "conditions": _("Conditions seen at intake"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
        },
        hints={
            "other_names": _("Separate names with commas."),
            "languages": _("Separate languages with commas."),
            "age_years": _("When the date of birth is not known."),
            "household": _("Leave empty if the household is not registered yet."),
        },
        widgets={"phone": "tel", "household": "text"},
        choices={"site": site_choices()},
    )


def _household_by_card(actor: Actor) -> Any:
    """The form asks for a ration card; the schema takes the household's id."""

    def prepare(values: dict[str, Any]) -> dict[str, Any]:
        card = str(values.pop("household", "")).strip()
        if card:
            try:
                household = selectors.household_by_card(actor=actor, ration_card=card)
            except NotFound as missing:
                raise ValidationFailed({"household": missing.message}) from missing
            values["household"] = str(household.pk)
        return values

    return prepare


def _age_of(values: dict[str, Any]) -> int | None:
    if values.get("age_years") is not None:
        return int(values["age_years"])
    born = values.get("date_of_birth")
    return rules.age_on(born, timezone.localdate()) if born else None


def _register_unless_known(actor: Actor, *, different: bool) -> Any:
    """Register the person, unless the registry probably has them already and the registrar
    has not said yet that this is someone else: then the likely duplicates, to look at first."""

    def call(values: dict[str, Any]) -> Any:
        if not different:
            site = values.get("site")
            hits = lookup.registration_duplicates(
                actor=actor,
                given_name=values.get("given_name", ""),
                family_name=values.get("family_name", ""),
                other_names=values.get("other_names") or (),
                sex=values.get("sex"),
                age=_age_of(values),
                site=getattr(site, "code", None),
            )
            if hits:
                return hits
        return services.person_register(actor=actor, **values)

    return call


@page_view
def person_new(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, "people.add_person", doing=_("register people"))
    if request.method != "POST":
        return render(request, "web/person_form.html", {"form": _register_form(request.user)})
    form = _register_form(request.user, request.POST)
    different = request.POST.get("different") == "yes"
    result = form.submit(
        _register_unless_known(request.user, different=different),
        prepare=_household_by_card(request.user),
    )
    if result is None:
        return render(request, "web/person_form.html", {"form": form}, status=400)
    if isinstance(result, list):
        # Nothing written: the same form again, filled, under the warning.
        return render(request, "web/person_form.html", {"form": form, "duplicates": result})
    messages.success(request, _("%(name)s is registered.") % {"name": result.full_name})
    return redirect("web:person_detail", person_id=result.pk)


# ---- households ------------------------------------------------------------------------------


@page_view
def household_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    households = selectors.household_list(actor=request.user, q=q)
    page = CappedPaginator(households).get_page(request.GET.get("page"))
    return render(
        request,
        "web/household_list.html",
        {
            "page": page,
            "q": q,
            "location_visible": selectors.can_see_location(request.user),
            "can_add": request.user.has_perm("people.add_household"),
        },
    )


@page_view
def household_detail(request: HttpRequest, household_id: uuid.UUID) -> HttpResponse:
    # The page's forms (card, members, head) are views_households'.
    return household_page(request, household_id)
