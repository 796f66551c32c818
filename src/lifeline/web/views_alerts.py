"""The alert inbox: every open alert that concerns the person's role, critical first, with who
acknowledged or resolved it and when; acknowledge and resolve from the page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.alerts import selectors, services
from lifeline.alerts.kinds import ALERT_KINDS
from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import INBOX_STATES
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.paging import CappedPaginator

# Where a person acts on the row an alert is about: (URL name, its id argument).
SUBJECT_PAGES = {
    "missions.mission": ("web:mission_detail", "mission_id"),
    "facilities.facility": ("facilities:detail", "facility_id"),
}


def _subject_url(alert: Alert) -> str:
    page = SUBJECT_PAGES.get(alert.subject_type)
    if page is None or not alert.subject_id:
        return ""
    name, argument = page
    try:
        return reverse(name, kwargs={argument: alert.subject_id})
    except NoReverseMatch:
        return ""


@page_view
def alert_inbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    if state not in INBOX_STATES:
        state = "open"
    alerts = selectors.alert_inbox(actor=request.user, state=state)
    page = CappedPaginator(alerts).get_page(request.GET.get("page"))
    rows = [
        {
            "alert": alert,
            "meaning": ALERT_KINDS[alert.kind].meaning if alert.kind in ALERT_KINDS else "",
            "subject_url": _subject_url(alert),
        }
        for alert in page
    ]
    return render(
        request,
        "web/alerts.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "can_resolve": request.user.has_perm("alerts.resolve_alert"),
            "can_acknowledge": request.user.has_perm("alerts.acknowledge_alert"),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("web:alerts") + f"?state={request.POST.get('state', 'open')}")


@page_view
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: str) -> HttpResponse:
    alert = selectors.alert_get(actor=request.user, alert_id=alert_id)
    try:
        services.alert_acknowledge(actor=request.user, alert=alert)
    except Conflict as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("Acknowledged: %(title)s") % {"title": alert.shown_title})
    return _back(request)


@page_view
@require_POST
def alert_resolve(request: HttpRequest, alert_id: str) -> HttpResponse:
    alert = selectors.alert_get(actor=request.user, alert_id=alert_id)
    try:
        services.alert_resolve(
            actor=request.user, alert=alert, resolution=request.POST.get("resolution", "")
        )
    except ValidationFailed:
        messages.error(
            request,
            _("Not resolved: say how it was resolved (%(title)s).") % {"title": alert.shown_title},
        )
    except Conflict as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("Resolved: %(title)s") % {"title": alert.shown_title})
    return _back(request)
