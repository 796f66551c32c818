"""Households from the pages: create one, issue (or replace) its ration card, add members found
in the registry and name its head. The registry's household list and page are `views`; this
module draws the page's forms, each shown only to a role the service would let through."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.clock import site_local
from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.selectors import site_choices
from lifeline.core.services import Actor, permission_require
from lifeline.people import selectors, services
from lifeline.people.models import Household
from lifeline.people.schemas import HouseholdInput, HouseholdUpdateInput, MemberInput

MEMBER_HITS = 10


def _new_form(actor: Actor, data: QueryDict | None = None) -> SchemaForm:
    names = ["ration_card", "site", "shelter"]
    if selectors.can_see_location(actor):
        names.append("area")
    return SchemaForm(
        HouseholdInput,
        [*names, "notes"],
        data=data,
        initial={
            "site": settings.LIFELINE_SITE,
            "ration_card": selectors.ration_card_suggest(actor=actor, site=site_local()),
        },
        labels={"ration_card": _("Ration card number"), "notes": _("Notes")},
        hints={
            "ration_card": _("The next free number is offered; leave empty to issue one later."),
            "shelter": _("Tent, room or block where the household sleeps."),
        },
        widgets={"notes": "textarea"},
        choices={"site": site_choices()},
    )


@page_view
def household_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, "people.add_household", doing=_("create households"))
    form = _new_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        household = form.submit(lambda v: services.household_create(actor=actor, **v))
        if household is not None:
            messages.success(
                request,
                _("Household %(card)s created: now add its members.")
                % {"card": household.ration_card or _("(no card yet)")},
            )
            return redirect("web:household_detail", household_id=household.pk)
    return render(
        request,
        "web/household_form.html",
        {"form": form},
        status=400 if form.has_errors else 200,
    )


def _card_form(actor: Actor, household: Household, data: QueryDict | None = None) -> SchemaForm:
    suggestion = household.ration_card or selectors.ration_card_suggest(
        actor=actor, site=household.site or site_local()
    )
    return SchemaForm(
        HouseholdUpdateInput,
        ["ration_card"],
        data=data,
        initial={"ration_card": suggestion},
        labels={"ration_card": _("Ration card number")},
        hints={"ration_card": _("Replacing a card makes the old number invalid at every point.")}
        if household.ration_card
        else {"ration_card": _("The next free number is offered.")},
    )


def household_page(
    request: HttpRequest,
    household_id: uuid.UUID,
    *,
    card_form: SchemaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A household with its members and, for a role that may change households, the forms
    to issue its card, find members in the registry and name its head."""
    actor = request.user
    household = selectors.household_get(actor=actor, household_id=household_id)
    members = list(selectors.household_members(actor=actor, household=household))
    can_change = actor.has_perm("people.change_household")
    q = request.GET.get("q", "").strip()[:100]
    hits: list[Any] = []
    if can_change and q:
        found = selectors.person_list(actor=actor, filters=selectors.PersonFilters(q=q))
        hits = list(found.exclude(household=household)[:MEMBER_HITS])
    if can_change and card_form is None:
        card_form = _card_form(actor, household)
    return render(
        request,
        "web/household_detail.html",
        {
            "household": household,
            "members": members,
            "location_visible": selectors.can_see_location(actor),
            "can_change": can_change,
            "card_form": card_form if can_change else None,
            "q": q,
            "hits": hits,
        },
        status=status,
    )


@page_view
@require_POST
def household_card_issue(request: HttpRequest, household_id: uuid.UUID) -> HttpResponse:
    """Issue a ration card to a household, or replace the one it has."""
    actor = request.user
    permission_require(actor, "people.change_household", doing=_("issue ration cards"))
    household = selectors.household_get(actor=actor, household_id=household_id)
    had = household.ration_card
    form = _card_form(actor, household, request.POST)
    changed = form.submit(
        lambda v: services.household_update(
            actor=actor, household=household, changes={"ration_card": v.get("ration_card", "")}
        )
    )
    if changed is None:
        return household_page(request, household_id, card_form=form, status=400)
    if changed.ration_card:
        text = (
            _("Ration card %(card)s replaces %(old)s.")
            if had
            else _("Ration card %(card)s issued.")
        )
        messages.success(request, text % {"card": changed.ration_card, "old": had})
    else:
        messages.success(request, _("The household has no ration card now."))
    return redirect("web:household_detail", household_id=household.pk)


def _member_from(request: HttpRequest) -> Any:
    values = MemberInput(data={"person": request.POST.get("person", "")})
    if not values.is_valid():
        return None
    return values.validated_data["person"]


@page_view
@require_POST
def household_member(request: HttpRequest, household_id: uuid.UUID) -> HttpResponse:
    """Add a person found in the registry to the household, or make a member its head."""
    actor = request.user
    permission_require(actor, "people.change_household", doing=_("change households"))
    household = selectors.household_get(actor=actor, household_id=household_id)
    person = _member_from(request)
    if person is None:
        messages.error(request, _("Choose a person from the registry."))
        return redirect("web:household_detail", household_id=household.pk)
    if request.POST.get("head"):
        services.household_update(actor=actor, household=household, changes={"head": person})
        messages.success(request, _("%(name)s is the head of the household.") % {"name": person})
    else:
        services.household_member_add(actor=actor, household=household, person=person)
        messages.success(request, _("%(name)s joined the household.") % {"name": person})
    return redirect("web:household_detail", household_id=household.pk)
