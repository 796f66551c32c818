"""The one schema of each supplies input and output: the API, the CLI, CSV import and the
pages parse with these serializers, then call `supplies.services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from lifeline.core.schemas import ByCodeOrIdField, SiteField
from lifeline.supplies.fields import (
    CycleField,
    ItemField,
    LocationField,
    LotField,
    PointField,
)
from lifeline.supplies.models import (
    Category,
    LocationKind,
    MovementKind,
)


class ItemInput(serializers.Serializer[Any]):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    unit = serializers.CharField(max_length=20, default="unit")
    kcal_per_unit = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    litres_per_unit = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    cold_chain = serializers.BooleanField(default=False)
    reorder_level = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, default=Decimal(0)
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class ItemOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    unit = serializers.CharField()
    kcal_per_unit = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    litres_per_unit = serializers.DecimalField(max_digits=10, decimal_places=3, allow_null=True)
    cold_chain = serializers.BooleanField()
    reorder_level = serializers.DecimalField(max_digits=14, decimal_places=3)


class LocationInput(serializers.Serializer[Any]):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    site = SiteField()
    kind = serializers.ChoiceField(choices=LocationKind.choices, default=LocationKind.STORE)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    cold_chain = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class LocationOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    site = serializers.CharField(source="site.code")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    cold_chain = serializers.BooleanField()


MOVEMENT_INPUT_KINDS = [
    MovementKind.RECEIPT,
    MovementKind.SALVAGE,
    MovementKind.ISSUE,
    MovementKind.LOSS,
    MovementKind.EXPIRY,
    MovementKind.DAMAGE,
]


class MovementInput(serializers.Serializer[Any]):
    """A receipt or salvage (batch, expiry, VVM stage make the lot), an issue, or a write-off
    (from a named lot, or first expiry first)."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in MOVEMENT_INPUT_KINDS])
    location = LocationField()
    item = ItemField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    batch = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expiry_date = serializers.DateField(required=False, allow_null=True)
    vvm_stage = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)
    lot = LotField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CountInput(serializers.Serializer[Any]):
    location = LocationField()
    lot = LotField()
    counted = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TransferLineInput(serializers.Serializer[Any]):
    item = ItemField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)


class TransferInput(serializers.Serializer[Any]):
    source = LocationField()  # type: ignore[assignment]  # DRF pops declared fields
    destination = LocationField()
    vehicle = LocationField(required=False, allow_null=True)
    lines = TransferLineInput(many=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


TRANSFER_FORM_LINES = 3


class TransferFormInput(serializers.Serializer[Any]):
    """A transfer as the phone form sends it: flat fields, the first item and up to two more
    (`item_2`, `quantity_2`, ...); `lines()` gives them as the service's lines."""

    source = LocationField()  # type: ignore[assignment]  # DRF pops declared fields
    destination = LocationField()
    vehicle = LocationField(required=False, allow_null=True)
    item = ItemField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    item_2 = ItemField(required=False, allow_null=True)
    quantity_2 = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    item_3 = ItemField(required=False, allow_null=True)
    quantity_3 = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems: dict[str, str] = {}
        seen = {attrs["item"].pk}
        for n in range(2, TRANSFER_FORM_LINES + 1):
            item, quantity = attrs.get(f"item_{n}"), attrs.get(f"quantity_{n}")
            if item is not None and quantity is None:
                problems[f"quantity_{n}"] = _("how much of it?")
            elif item is None and quantity is not None:
                problems[f"item_{n}"] = _("which item?")
            elif item is not None and item.pk in seen:
                problems[f"item_{n}"] = _("is already on this transfer: put it on one line")
            if item is not None:
                seen.add(item.pk)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs

    @staticmethod
    def lines(values: dict[str, Any]) -> list[tuple[Any, Decimal]]:
        found = [(values["item"], values["quantity"])]
        for n in range(2, TRANSFER_FORM_LINES + 1):
            if values.get(f"item_{n}") is not None:
                found.append((values[f"item_{n}"], values[f"quantity_{n}"]))
        return found


class ColdChainInput(serializers.Serializer[Any]):
    location = LocationField()
    temperature_c = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=-80, max_value=60
    )
    recorded_at = serializers.DateTimeField(required=False, allow_null=True)


class MovementOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    item = serializers.CharField(source="item.code")
    lot = serializers.UUIDField(source="lot_id")
    batch = serializers.CharField(source="lot.batch")
    expiry_date = serializers.DateField(source="lot.expiry_date", allow_null=True)
    location = serializers.CharField(source="location.code")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()


class StockLineOutput(serializers.Serializer[Any]):
    location = serializers.CharField(source="location.code")
    item = serializers.CharField(source="item.code")
    lot = serializers.UUIDField(source="lot.id")
    batch = serializers.CharField(source="lot.batch")
    expiry_date = serializers.DateField(source="lot.expiry_date", allow_null=True)
    vvm_stage = serializers.IntegerField(source="lot.vvm_stage", allow_null=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class StockFilterInput(serializers.Serializer[Any]):
    location = LocationField(required=False)
    item = ItemField(required=False)
    site = SiteField(required=False)


class DaysOfSupplyInput(serializers.Serializer[Any]):
    item = ItemField()
    site = SiteField(required=False)
    basis = serializers.ChoiceField(choices=["auto", "sphere", "observed"], default="auto")


class DaysOfSupplyOutput(serializers.Serializer[Any]):
    item = serializers.CharField()
    site = serializers.CharField()
    on_hand = serializers.DecimalField(max_digits=14, decimal_places=3)
    daily_need = serializers.DecimalField(max_digits=20, decimal_places=3)
    basis = serializers.CharField()
    days = serializers.FloatField(allow_null=True)
    stockout_on = serializers.DateField(allow_null=True)


class AlertFilterInput(serializers.Serializer[Any]):
    site = SiteField(required=False)
    horizon_days = serializers.IntegerField(min_value=1, max_value=365, default=14)


class StockAlertOutput(serializers.Serializer[Any]):
    kind = serializers.CharField()
    key = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()


class BasketLineInput(serializers.Serializer[Any]):
    item = serializers.SlugField(max_length=40)
    per_person = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)


class CycleInput(serializers.Serializer[Any]):
    site = SiteField()
    name = serializers.CharField(max_length=80)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    basket = BasketLineInput(many=True)
    max_household_size = serializers.IntegerField(min_value=1, max_value=50, default=10)

    def validate_basket(self, value: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"item": v["item"], "per_person": str(v["per_person"])} for v in value]


class CycleOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    site = serializers.CharField(source="site.code")
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    basket = serializers.JSONField()
    max_household_size = serializers.IntegerField()
    closed_at = serializers.DateTimeField(allow_null=True)


class PointInput(serializers.Serializer[Any]):
    site = SiteField()
    name = serializers.CharField(max_length=80)
    location = LocationField()


class PointFilterInput(serializers.Serializer[Any]):
    site = SiteField(required=False)


class PointOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    site = serializers.CharField(source="site.code")
    site_name = serializers.CharField(source="site.name")
    name = serializers.CharField()
    location = serializers.CharField(source="location.code")
    location_name = serializers.CharField(source="location.name")


class IssueInput(serializers.Serializer[Any]):
    cycle = CycleField()
    point = PointField()
    ration_card = serializers.CharField(max_length=40)


class EntitlementLineOutput(serializers.Serializer[Any]):
    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class EntitlementOutput(serializers.Serializer[Any]):
    ration_card = serializers.CharField()
    household_size = serializers.IntegerField()
    lines = EntitlementLineOutput(many=True)
    collected_at = serializers.DateTimeField(source="collected.issued_at", allow_null=True)


class DistributionOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    cycle = serializers.UUIDField(source="cycle_id")
    household = serializers.UUIDField(source="household_id")
    site = serializers.UUIDField(source="site_id")
    point = serializers.UUIDField(source="point_id")
    household_size = serializers.IntegerField()
    issued_at = serializers.DateTimeField()


class TransferOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    source = serializers.CharField(source="source.code")  # type: ignore[assignment]
    destination = serializers.CharField(source="destination.code")
    sent_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)


class IdOnly(serializers.Serializer[Any]):
    """A row named in the path, parsed like any other input (a bad id names the field)."""

    @classmethod
    def of(cls, field: type[ByCodeOrIdField]) -> type[serializers.Serializer[Any]]:
        return type(f"{field.__name__}Only", (cls,), {"id": field()})


class CountSheetRowInput(serializers.Serializer[Any]):
    """One row of a count sheet: the lot by item, batch and expiry."""

    location = LocationField()
    item = ItemField()
    batch = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)
    counted = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
