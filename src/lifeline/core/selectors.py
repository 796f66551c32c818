"""Reads of core rows that several apps' pages and forms need, and the audit log."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet

from lifeline.core.models import AuditEntry, Setting, Site
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.core.site_settings import SITE_SETTINGS, SiteSettingSpec


def site_choices() -> list[tuple[str, str]]:
    """(code, name) of every known site, by name: the choices of a site field in a form."""
    return list(Site.objects.order_by("name").values_list("code", "name"))


def site_places() -> list[Site]:
    """Every known site with a position, by name: the camps and bases drawn on the map."""
    return list(
        Site.objects.filter(latitude__isnull=False, longitude__isnull=False).order_by("name")
    )


def site_settings_list(*, site: Site) -> list[tuple[SiteSettingSpec, Any]]:
    """Every setting a site may change, by key, with its value there (None: the default)."""
    values = dict(Setting.objects.filter(site=site).values_list("key", "value"))
    return [(SITE_SETTINGS[key], values.get(key)) for key in sorted(SITE_SETTINGS)]


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a username, exactly
    record: str = ""  # an object id, or a model label (people.person) for all its records
    action: str = ""  # an action (person.register) or its prefix with a dot (person.)


def audit_list(*, actor: Actor | None, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The audit log, newest first, for the roles that may read it (the commander). Reading it
    is itself written to the log: it names who saw whose records."""
    permission_require(actor, "core.view_auditentry", doing="read the audit log")
    f = filters or AuditFilters()
    rows = AuditEntry.objects.all()
    if f.actor:
        rows = rows.filter(actor_username=f.actor)
    if f.record:
        by_type = "." in f.record and not _is_id(f.record)
        rows = rows.filter(**{"object_type" if by_type else "object_id": f.record})
    if f.action:
        if f.action.endswith("."):
            rows = rows.filter(action__startswith=f.action)
        else:
            rows = rows.filter(action=f.action)
    audit_record(
        actor=actor,
        action="audit.read",
        summary="audit log read",
        detail={"filters": {k: v for k, v in asdict(f).items() if v}},
    )
    return rows.order_by("-at", "-id")


def _is_id(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
