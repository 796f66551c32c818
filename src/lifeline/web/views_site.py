"""This site's page: where the camp is, the settings it may change, its backups, the offline
basemaps the map draws and the lockdown button (the commander)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core import services
from lifeline.core.clock import site_local
from lifeline.core.errors import ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.selectors import site_settings_list
from lifeline.core.services import permission_require
from lifeline.core.site_settings import SITE_SETTINGS, value_text
from lifeline.routing import selectors as routing_selectors
from lifeline.routing import services as routing_services

CHANGE = "core.change_setting"
# A basemap's tiles as its list and messages name them (routing.basemap's tile types).
BASEMAP_KINDS = {
    "mvt": gettext_lazy("vector map"),
    "png": gettext_lazy("PNG images"),
    "jpg": gettext_lazy("JPEG images"),
}


@page_view
def site_page(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, CHANGE, doing=_("see the site's settings"))
    site = site_local()
    rows = [
        (spec, value_text(value) if value is not None else "")
        for spec, value in site_settings_list(site=site)
    ]
    return render(
        request,
        "web/site.html",
        {
            "site": site,
            "rows": rows,
            "here": "site",
            "basemaps": [
                (row, BASEMAP_KINDS[row.info.tile_type]) for row in routing_selectors.basemap_list()
            ],
            **backups_context(),
        },
    )


@page_view
@require_POST
def site_position(request: HttpRequest) -> HttpResponse:
    try:
        latitude = float(request.POST.get("latitude", ""))
        longitude = float(request.POST.get("longitude", ""))
    except ValueError:
        messages.error(request, _("Position not changed: latitude and longitude are numbers."))
        return redirect("web:site")
    try:
        site = services.site_position_set(
            actor=request.user, site=site_local(), latitude=latitude, longitude=longitude
        )
    except ValidationFailed as error:
        messages.error(request, _("Position not changed: %(why)s.") % {"why": error.message})
    else:
        messages.success(
            request,
            _("%(site)s is at %(latitude).5f, %(longitude).5f.")
            % {"site": site.name, "latitude": latitude, "longitude": longitude},
        )
    return redirect("web:site")


@page_view
@require_POST
def site_setting(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("key", "")
    spec = SITE_SETTINGS.get(key)
    # A setting is named by what it means; its unit follows the value.
    title = spec.title if spec else key
    unit = f" {spec.unit}" if spec and spec.unit and " " not in spec.unit else ""
    try:
        if request.POST.get("action") == "unset":
            services.site_setting_clear(actor=request.user, site=site_local(), key=key)
            messages.success(request, _("%(setting)s: back to the default.") % {"setting": title})
        else:
            row = services.site_setting_set(
                actor=request.user, site=site_local(), key=key, text=request.POST.get("value", "")
            )
            messages.success(
                request,
                _("%(setting)s: %(value)s%(unit)s.")
                % {"setting": title, "value": value_text(row.value), "unit": unit},
            )
    except ValidationFailed as error:
        messages.error(request, _("Not changed: %(why)s.") % {"why": error.message})
    return redirect("web:site")


@page_view
@require_POST
def site_basemap(request: HttpRequest) -> HttpResponse:
    """A basemap uploaded by the commander: checked, kept under the data folder (audited)."""
    # The service decides too; checked here first so a refused role uploads nothing.
    permission_require(request.user, "routing.import_graph", doing=_("add basemaps"))
    upload = request.FILES.get("basemap")
    if upload is None:
        messages.error(request, _("Basemap not added: choose a PMTiles file."))
        return redirect("web:site")
    try:
        info = routing_services.basemap_add(
            actor=request.user, source=upload, name=request.POST.get("name", "")
        )
    except ValidationFailed as error:
        messages.error(
            request, _("Basemap not added: %(problem)s.") % {"problem": error.said_plainly()}
        )
    else:
        messages.success(
            request,
            _("Basemap added: %(kind)s, zoom %(low)s to %(high)s; the map draws it from now on.")
            % {"kind": BASEMAP_KINDS[info.tile_type], "low": info.min_zoom, "high": info.max_zoom},
        )
    return redirect("web:site")


# -- backups and lockdown (lifeline.backups, core.keys) -----------------------------------------


def backups_context() -> dict[str, object]:
    """What the Site page shows of the backups: the last good one and whether it is recent."""
    from lifeline.backups.selectors import backup_last_good
    from lifeline.backups.settings import backup_policy
    from lifeline.core.keys import keys_state

    policy = backup_policy()
    last = backup_last_good()
    overdue = last is None or timezone.now() - last.created_at > dt.timedelta(
        hours=policy.every_hours
    ) + max(dt.timedelta(hours=policy.every_hours) / 4, dt.timedelta(hours=1))
    return {
        "backup_last": last,
        "backup_overdue": overdue,
        "backup_every": dt.timedelta(hours=policy.every_hours),
        "keys_state": keys_state(),
    }


@page_view
@require_POST
def site_backup(request: HttpRequest) -> HttpResponse:
    """Make and verify a backup now, into the site's backup folder."""
    from lifeline.backups import services as backups
    from lifeline.core.errors import LifelineError

    try:
        record = backups.backup_create(actor=request.user, verify=True)
    except (LifelineError, OSError) as error:
        messages.error(request, _("No backup made: %(why)s") % {"why": error})
    else:
        if record.problems:
            messages.error(
                request,
                _("The backup was made but is not good: %(why)s") % {"why": record.problems},
            )
        else:
            messages.success(
                request, _("Backup made and verified: %(name)s") % {"name": record.file_name}
            )
    return redirect("web:site")


@page_view
def site_lockdown(request: HttpRequest) -> HttpResponse:
    """Destroy the site's key, behind a confirmation (the commander)."""
    permission_require(request.user, "core.change_site", doing=_("lock the site down"))
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Not locked down: tick the box to confirm."))
            return redirect("web:site_lockdown")
        services.site_lockdown(actor=request.user)
        return render(request, "web/site_locked.html", {"here": "site"})
    from lifeline.core.keys import keys_state

    return render(request, "web/site_lockdown.html", {"here": "site", "keys_state": keys_state()})
