"""Fields that name a person or a household in another serializer, by id: the registry's own
schemas and other apps' (care's admissions, a mission's team) use these."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.people.models import Household, Person


@extend_schema_field(OpenApiTypes.UUID)
class HouseholdRefField(serializers.PrimaryKeyRelatedField[Household]):
    def get_queryset(self) -> Any:
        return Household.objects.alive()


@extend_schema_field(OpenApiTypes.UUID)
class PersonRefField(serializers.PrimaryKeyRelatedField[Person]):
    def get_queryset(self) -> Any:
        return Person.objects.alive()
