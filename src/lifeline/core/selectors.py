"""Reads of core rows that several apps' pages and forms need."""

from __future__ import annotations

from lifeline.core.models import Site


def site_choices() -> list[tuple[str, str]]:
    """(code, name) of every known site, by name: the choices of a site field in a form."""
    return list(Site.objects.order_by("name").values_list("code", "name"))
