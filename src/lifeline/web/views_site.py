"""This site's page: where the camp is and the settings it may change (the commander)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lifeline.core import services
from lifeline.core.clock import site_local
from lifeline.core.errors import ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.selectors import site_settings_list
from lifeline.core.services import permission_require
from lifeline.core.site_settings import SITE_SETTINGS, value_text

CHANGE = "core.change_setting"


@page_view
def site_page(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, CHANGE, doing="see the site's settings")
    site = site_local()
    rows = [
        (spec, value_text(value) if value is not None else "")
        for spec, value in site_settings_list(site=site)
    ]
    return render(request, "web/site.html", {"site": site, "rows": rows, "here": "site"})


@page_view
@require_POST
def site_position(request: HttpRequest) -> HttpResponse:
    try:
        latitude = float(request.POST.get("latitude", ""))
        longitude = float(request.POST.get("longitude", ""))
    except ValueError:
        messages.error(request, "Position not changed: latitude and longitude are numbers.")
        return redirect("web:site")
    try:
        site = services.site_position_set(
            actor=request.user, site=site_local(), latitude=latitude, longitude=longitude
        )
    except ValidationFailed as error:
        messages.error(request, f"Position not changed: {error.message}.")
    else:
        messages.success(request, f"{site.name} is at {latitude:.5f}, {longitude:.5f}.")
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
            messages.success(request, f"{title}: back to the default.")
        else:
            row = services.site_setting_set(
                actor=request.user, site=site_local(), key=key, text=request.POST.get("value", "")
            )
            messages.success(request, f"{title}: {value_text(row.value)}{unit}.")
    except ValidationFailed as error:
        messages.error(request, f"Not changed: {error.message}.")
    return redirect("web:site")
