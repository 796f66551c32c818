"""What every API view shares: the error shape, pagination, and the mapping of
`core.errors` to HTTP statuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lifeline.core.errors import LifelineError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts and lists) as {"field.sub": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "body"
            out.update(_flatten(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "body": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix or "body": [str(detail)]}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error has one JSON shape: {"error": {"code", "message", "fields"?}}."""
    if isinstance(exc, LifelineError):
        return Response({"error": exc.as_dict()}, status=exc.http_status)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("too_large", "the request body is larger than this server accepts"),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        return Response(error_body("not_found", str(exc) or "not found"), status=404)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        response.data = error_body("invalid", message, fields)
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        response.data = error_body(
            code if isinstance(code, str) else "error", str(exc.detail)
        )
    return response
