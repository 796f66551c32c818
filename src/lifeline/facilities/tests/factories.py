"""One way to build each replicated model of facilities, for the core change-log test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from lifeline.core.clock import site_local
from lifeline.core.models import ReplicatedModel
from lifeline.facilities.models import (
    DamageAssessment,
    Facility,
    FacilityPhoto,
    Shift,
    WorkMaterial,
    WorkOrder,
)
from lifeline.intel.models import WatchPost
from lifeline.supplies.tests.factories import item, location


def facility() -> Facility:
    row = Facility(site=site_local(), name=f"Shelter {timezone.now():%f}", kind="shelter")
    row.save()
    return row


def assessment() -> DamageAssessment:
    row = DamageAssessment(facility=facility(), severity=2, safe_to_use=True, damage="roof")
    row.save()
    return row


def work() -> WorkOrder:
    row = WorkOrder(facility=facility(), title="Patch the roof")
    row.save()
    return row


def _photo() -> FacilityPhoto:
    row = FacilityPhoto(facility=facility())
    row.image.save("f.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=False)
    return row


def _shift() -> Shift:
    post = WatchPost(
        site=site_local(), name=f"Gate {timezone.now():%f}", latitude=31.9, longitude=-4.4
    )
    post.save()
    start = timezone.now()
    return Shift(post=post, starts_at=start, ends_at=start + dt.timedelta(hours=6))


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Facility: (
        lambda: Facility(site=site_local(), name="Clinic", kind="clinic"),
        "notes",
        "east wing",
    ),
    DamageAssessment: (
        lambda: DamageAssessment(facility=facility(), severity=1, safe_to_use=True, damage="door"),
        "damage",
        "door and frame",
    ),
    WorkOrder: (lambda: WorkOrder(facility=facility(), title="Fix"), "title", "Fix the door"),
    WorkMaterial: (
        lambda: WorkMaterial(
            work_order=work(), item=item(), location=location(), quantity=Decimal("2")
        ),
        "quantity",
        "3",
    ),
    FacilityPhoto: (_photo, "image", "facilities/2026/01/other.jpg"),
    Shift: (_shift, "handover_note", "quiet night"),
}
