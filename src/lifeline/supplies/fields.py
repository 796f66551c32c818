"""Fields that name a supplies row in another serializer, by its code or id: supplies' own
schemas and other apps' (care's doses name an item and a store) use these."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lifeline.core.schemas import ByCodeOrIdField
from lifeline.supplies.models import DistributionPoint, Item, Location, Lot, RationCycle, Transfer


@extend_schema_field(OpenApiTypes.STR)
class ItemField(ByCodeOrIdField):
    model = Item


@extend_schema_field(OpenApiTypes.STR)
class LocationField(ByCodeOrIdField):
    model = Location


@extend_schema_field(OpenApiTypes.UUID)
class LotField(ByCodeOrIdField):
    model = Lot
    by_code = False


@extend_schema_field(OpenApiTypes.UUID)
class CycleField(ByCodeOrIdField):
    model = RationCycle
    by_code = False


@extend_schema_field(OpenApiTypes.UUID)
class PointField(ByCodeOrIdField):
    model = DistributionPoint
    by_code = False


@extend_schema_field(OpenApiTypes.UUID)
class TransferField(ByCodeOrIdField):
    model = Transfer
    by_code = False
