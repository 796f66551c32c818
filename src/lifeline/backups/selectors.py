"""Reads of the backups: the last good one (what the Site page shows and the schedule checks)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lifeline.backups.models import BackupRecord
from lifeline.core.services import Actor, permission_require


def backup_last_good() -> BackupRecord | None:
    """The newest backup still kept that was verified and found sound."""
    return (
        BackupRecord.objects.filter(removed_at__isnull=True, verified_at__isnull=False, problems="")
        .order_by("-created_at")
        .first()
    )


def backup_list(*, actor: Actor | None, limit: int = 10) -> QuerySet[BackupRecord]:
    permission_require(actor, "core.change_setting", doing=_("see the backups"))
    return BackupRecord.objects.filter(removed_at__isnull=True).order_by("-created_at")[:limit]
