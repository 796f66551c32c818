"""Reads of core rows that several apps' pages and forms need."""

from __future__ import annotations

from typing import Any

from lifeline.core.models import Setting, Site
from lifeline.core.site_settings import SITE_SETTINGS, SiteSettingSpec


def site_choices() -> list[tuple[str, str]]:
    """(code, name) of every known site, by name: the choices of a site field in a form."""
    return list(Site.objects.order_by("name").values_list("code", "name"))


def site_settings_list(*, site: Site) -> list[tuple[SiteSettingSpec, Any]]:
    """Every setting a site may change, by key, with its value there (None: the default)."""
    values = dict(Setting.objects.filter(site=site).values_list("key", "value"))
    return [(SITE_SETTINGS[key], values.get(key)) for key in sorted(SITE_SETTINGS)]
