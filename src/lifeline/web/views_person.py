"""Acts on one person that cannot be taken back lightly, each behind a page that names the person
and asks why: recording a death, undoing a merge. The GET shows the confirmation, the POST with
a reason does it through the people services (which write the history, the change log and the
audit row); without a reason the same page comes back with the field in error."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework import serializers

from lifeline.care import selectors as care_selectors
from lifeline.core.errors import Conflict
from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.people import selectors, services
from lifeline.people.models import Status


class ReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300)


def _reason_form(request: HttpRequest, label: str, hint: str) -> SchemaForm:
    return SchemaForm(
        ReasonInput,
        ["reason"],
        data=request.POST if request.method == "POST" else None,
        labels={"reason": label},
        hints={"reason": hint},
        widgets={"reason": "textarea"},
    )


@page_view
def person_death(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Record that a person died. A patient in care dies in care: that is the care record's
    death, with its cause, and this page sends there."""
    actor = request.user
    permission_require(actor, "people.record_status", doing=_("record a person's status"))
    person = selectors.person_get(actor=actor, person_id=person_id)
    if person.status == Status.DECEASED:
        raise Conflict(_("%(name)s is already recorded as deceased") % {"name": person.full_name})
    stay = None
    if actor.has_perm("care.view_medical"):
        stay = care_selectors.patient_open_of(actor=actor, person_id=person.pk)
    if stay is not None:
        return redirect("care:death", patient_id=stay.pk)
    form = _reason_form(
        request,
        _("How is the death known"),
        _("Who saw it or reported it, and when. Kept in the person's history."),
    )
    if request.method == "POST":
        event = form.submit(
            lambda v: services.person_status_record(
                actor=actor, person=person, status=Status.DECEASED, note=v["reason"]
            )
        )
        if event is not None:
            messages.success(
                request, _("The death of %(name)s is recorded.") % {"name": person.full_name}
            )
            return redirect("web:person_detail", person_id=person.pk)
    return render(
        request,
        "web/people/person_death.html",
        {"person": person, "form": form},
        status=400 if form.has_errors else 200,
    )


@page_view
def person_merge_undo(
    request: HttpRequest, person_id: uuid.UUID, merge_id: uuid.UUID
) -> HttpResponse:
    """Split a record merged into this person back out, as it was before the merge."""
    actor = request.user
    permission_require(actor, "people.merge_person", doing=_("undo a merge"))
    person = selectors.person_get(actor=actor, person_id=person_id)
    merge = selectors.person_merge_get(actor=actor, merge_id=merge_id)
    if merge.survivor_id != person.pk:
        raise Conflict(_("this merge did not keep this person's record"))
    if merge.undone_at is not None:
        raise Conflict(_("this merge was already undone"))
    form = _reason_form(
        request,
        _("Why are they two people"),
        _("What showed that the records are of two different people."),
    )
    if request.method == "POST":
        restored = form.submit(
            lambda v: services.person_merge_undo(actor=actor, merge=merge, reason=v["reason"])
        )
        if restored is not None:
            messages.success(
                request,
                _("%(duplicate)s is a separate record again.") % {"duplicate": restored.full_name},
            )
            return redirect("web:person_detail", person_id=restored.pk)
    return render(
        request,
        "web/people/person_merge_undo.html",
        {"person": person, "merge": merge, "form": form},
        status=400 if form.has_errors else 200,
    )
