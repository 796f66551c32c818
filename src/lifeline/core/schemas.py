"""Input fields every app's schemas share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.core.models import Site


class ByCodeOrIdField(serializers.RelatedField[Any, Any, Any]):
    """A row by its code, or by its id."""

    model: Any = None
    by_code = True
    default_error_messages = {"does_not_exist": "no {what} {value!r}"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self.model.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        text = str(data).strip()
        qs = self.model.objects.all()
        if hasattr(self.model, "deleted_at"):
            qs = qs.filter(deleted_at__isnull=True)
        row = qs.filter(code=text).first() if self.by_code else None
        if row is None:
            try:
                row = qs.filter(pk=text).first()
            except (ValueError, ValidationError):
                row = None
        if row is None:
            self.fail("does_not_exist", what=self.model._meta.verbose_name, value=text)
        return row

    def to_representation(self, value: Any) -> Any:
        return getattr(value, "code", None) or str(value.pk)


@extend_schema_field(OpenApiTypes.STR)
class SiteField(ByCodeOrIdField):
    """A site by code (`desert-base`) or by id."""

    model = Site


class UserRefField(serializers.SlugRelatedField[User]):
    """A user by username."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
        )
