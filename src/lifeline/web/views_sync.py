"""The sync page: where this site stands with each peer, and the values that lost a merge,
each kept for a person to review (keeping the other value writes it again as a new change)."""

from __future__ import annotations

import uuid

from django.apps import apps
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.errors import Conflict as ConflictError
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.models import Site
from lifeline.core.pages import page_view
from lifeline.sync import exchange_client, selectors, services
from lifeline.sync.models import Conflict

SHOWN = 50  # conflicts on the page, newest first


def _described(
    conflict: Conflict, sites: dict[uuid.UUID | None, str], rows: dict[tuple[str, str], str]
) -> dict[str, object]:
    """A conflict in words: what record, which field, both values and where they came from."""
    try:
        model = apps.get_model(conflict.model)
        record = str(model._meta.verbose_name)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        field = fields.get(conflict.field)
        field_name = str(field.verbose_name) if field is not None else conflict.field
    except LookupError:
        record, field_name = conflict.model, conflict.field
    return {
        "conflict": conflict,
        "record": record,
        "title": rows.get((conflict.model, str(conflict.object_id)), record),
        "field": field_name,
        "winner": _text(conflict.winner_value),
        "loser": _text(conflict.loser_value),
        "winner_site": sites.get(conflict.winner_site, _("another site")),
        "loser_site": sites.get(conflict.loser_site, _("another site")),
    }


def _titles(conflicts: list[Conflict]) -> dict[tuple[str, str], str]:
    """The records the conflicts are about, by name: one query per kind of record."""
    ids: dict[str, set[uuid.UUID]] = {}
    for conflict in conflicts:
        ids.setdefault(conflict.model, set()).add(conflict.object_id)
    titles: dict[tuple[str, str], str] = {}
    for label, wanted in ids.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for row in model._base_manager.filter(pk__in=wanted):
            titles[(label, str(row.pk))] = str(row)
    return titles


def _text(value: object) -> str:
    if value in (None, ""):
        return _("(empty)")
    return str(value)


@page_view
def sync_page(request: HttpRequest) -> HttpResponse:
    status = selectors.sync_status(actor=request.user)
    sites: dict[uuid.UUID | None, str] = {s.pk: s.name for s in Site.objects.all()}
    can_review = request.user.has_perm("sync.review_conflict")
    shown = list(selectors.conflicts_open(actor=request.user)[:SHOWN]) if can_review else []
    titles = _titles(shown)
    conflicts = [_described(c, sites, titles) for c in shown]
    addresses = exchange_client.peer_urls(actor=request.user)
    return render(
        request,
        "web/sync.html",
        {
            "status": status,
            "conflicts": conflicts,
            "can_review": can_review,
            # The HTTP exchange (views_sync_exchange): each peer's address, the last exchanges.
            "peer_rows": [(peer, addresses.get(peer.code, "")) for peer in status.peers],
            "can_exchange": request.user.has_perm("sync.change_peer"),
            "exchanges": exchange_client.exchanges_recent(actor=request.user),
        },
    )


@page_view
@require_POST
def sync_conflict_resolve(request: HttpRequest, conflict_id: uuid.UUID) -> HttpResponse:
    keep = request.POST.get("keep", "")
    try:
        services.conflict_resolve(actor=request.user, conflict_id=conflict_id, keep=keep)
    except (ValidationFailed, ConflictError, NotFound) as error:
        messages.error(request, _("Not changed: %(why)s") % {"why": error.message})
    else:
        if keep == "loser":
            messages.success(request, _("The other value is kept: every site will take it."))
        else:
            messages.success(request, _("The value is kept as it is."))
    return redirect("web:sync")
