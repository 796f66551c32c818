"""The audit log's page (the commander): who wrote or saw what, when, filterable by person,
record and action, newest first."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lifeline.core.models import AuditEntry
from lifeline.core.pages import page_view
from lifeline.core.paging import CappedPaginator
from lifeline.core.selectors import AuditFilters, audit_list


def action_meaning(action: str) -> str:
    """An action as words: `read.protected` -> "read protected", `person.register` ->
    "person register" (the code stays in the filter's value)."""
    return action.replace(".", " ").replace("_", " ")


def record_meaning(entry: AuditEntry) -> str:
    """The kind of record an entry is about, by its name (a person, a household), not its
    internal label."""
    if not entry.object_type:
        return ""
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return entry.object_type
    return str(model._meta.verbose_name)


@page_view
def audit_page(request: HttpRequest) -> HttpResponse:
    filters = AuditFilters(
        actor=request.GET.get("actor", "").strip()[:150],
        record=request.GET.get("record", "").strip()[:100],
        action=request.GET.get("action", "").strip()[:40],
    )
    rows = audit_list(actor=request.user, filters=filters)
    page = CappedPaginator(rows).get_page(request.GET.get("page"))
    entries = [
        {"entry": e, "action": action_meaning(e.action), "record": record_meaning(e)}
        for e in page.object_list
    ]
    return render(
        request,
        "web/audit.html",
        {"page": page, "entries": entries, "filters": filters, "title": _("Audit log")},
    )
