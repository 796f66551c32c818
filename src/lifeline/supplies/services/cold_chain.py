"""Writes of the cold chain: temperature readings of fridges and cold boxes, and the vaccine
vial monitor stage of a lot; a reading out of range or a stage past discard raises an alert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.errors import ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies import rules
from lifeline.supplies.models import ColdChainReading, Location, Lot
from lifeline.supplies.services.ledger import _user


@transaction.atomic
def cold_chain_record(
    *,
    actor: Actor | None,
    location: Location,
    temperature_c: Decimal,
    recorded_at: dt.datetime | None = None,
) -> ColdChainReading:
    """A temperature reading of a fridge or cold box; outside 2-8 °C raises an alert."""
    permission_require(actor, "supplies.manage_stock", doing=_("record cold-chain readings"))
    reading = ColdChainReading(
        location=location,
        temperature_c=temperature_c,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=_user(actor),
    )
    reading.save()
    audit_record(
        actor=actor,
        action="coldchain.record",
        obj=reading,
        summary=f"{temperature_c} °C at {location.name}",
    )
    if rules.temperature_excursion(Decimal(temperature_c)):
        alert_raise(
            kind="supplies.cold_chain_excursion",
            key=f"{location.pk}:{reading.recorded_at:%Y-%m-%d}",
            # The same message as the stock alerts' (supplies.selectors): one entry to translate.
            title=gettext_lazy("Cold chain: %(t)s °C at %(where)s (keep 2-8 °C)"),
            params={"t": str(temperature_c), "where": location.name},
            severity=Severity.CRITICAL,
            subject=reading,
        )
    return reading


@transaction.atomic
def lot_vvm_record(*, actor: Actor | None, lot: Lot, stage: int) -> Lot:
    """The vaccine vial monitor stage seen on a lot; past the discard point raises an alert."""
    permission_require(actor, "supplies.manage_stock", doing=_("record vial monitor stages"))
    if not 1 <= stage <= 4:
        raise ValidationFailed({"vvm_stage": _("must be 1, 2, 3 or 4")})
    lot = Lot.objects.select_for_update().select_related("item").get(pk=lot.pk)
    lot.vvm_stage = stage
    lot.save(update_fields=["vvm_stage"])
    audit_record(actor=actor, action="lot.vvm", obj=lot, summary=f"VVM stage {stage} on {lot}")
    if rules.vvm_past_discard(stage):
        alert_raise(
            kind="supplies.vvm_discard",
            key=str(lot.pk),
            title=gettext_lazy("%(item)s lot %(lot)s: vial monitor at stage %(stage)s, do not use"),
            params={"item": lot.item.name, "lot": str(lot), "stage": str(stage)},
            severity=Severity.CRITICAL,
            subject=lot,
        )
    return lot
