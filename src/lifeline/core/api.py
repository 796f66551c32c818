"""What every API view shares: the error shape and the mapping of `core.errors` to HTTP
statuses, pagination, a JSON parser that honours the body size limit, input parsing, and the
routing of one URL to several one-operation views.

DRF imports this module from its settings (pagination, exception handler), so it defines no
documented endpoint itself: `extend_schema` would import the schema generator, which imports
DRF's generics, which are still importing this module. The core's endpoints are in
`core.endpoints`."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any, ClassVar, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from lifeline.core.errors import Forbidden, LifelineError, ValidationFailed
from lifeline.core.services import Actor


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int | None:
        """`page_size` must be a whole number from 1 when given: a wrong one (`null`, `-3`)
        is a 400 naming it, not silently the default."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                if int(raw) < 1:
                    raise ValueError(raw)
            except ValueError:
                raise ValidationFailed(
                    {
                        self.page_size_query_param: _(
                            "must be a whole number from 1 to %(most)s, got %(given)s"
                        )
                        % {"most": self.max_page_size, "given": repr(raw[:20])}
                    }
                ) from None
        return super().get_page_size(request)


def error_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts and lists) as {"field.sub": [messages]}: the `fields`
    of the API's error body, and of the ValidationFailed that the CLI and pages show."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # an item of a list field: `languages[2]`
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "body"
            out.update(error_fields(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "body": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(error_fields(item, f"{prefix}[{index}]"))
        return out
    return {prefix or "body": [str(detail)]}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
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
            error_body(
                "too_large",
                _("the request body is larger than this server accepts (%(limit)d bytes)")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            ),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        return Response(error_body("not_found", str(exc) or _("not found")), status=404)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = error_fields(exc.detail)
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        response.data = error_body("invalid", message, fields)
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        response.data = error_body(code if isinstance(code, str) else "error", str(exc.detail))
    return response


# ---- request bodies ------------------------------------------------------------------------


def body_read(stream: IO[bytes] | None, meta: Mapping[str, Any]) -> bytes:
    """The request body, refused (RequestDataTooBig, a 413) above DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django applies the limit only when `request.body` is read. DRF before 3.17.2 handed its
    parsers the raw stream, skipping it, and pyproject allows 3.16; so the API's parsers
    apply it themselves, to the declared length and to the bytes actually read.
    """
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_big = f"the request body is larger than {limit} bytes"
    if declared > limit:
        raise RequestDataTooBig(too_big)
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise RequestDataTooBig(too_big)
    return raw


def _meta(parser_context: Mapping[str, Any] | None) -> Mapping[str, Any]:
    request = (parser_context or {}).get("request")
    return cast(Mapping[str, Any], request.META) if request is not None else {}


# No body of ours nests deeper than a few levels; Python's json recurses once per level and
# fails with a RecursionError (a 500) near 1,000, so deeper bodies are refused before parsing.
JSON_MAX_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings ignored)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = body_read(stream, _meta(parser_context))
        if json_depth(raw) > JSON_MAX_DEPTH:
            raise exceptions.ParseError(
                f"JSON parse error - the body nests deeper than {JSON_MAX_DEPTH} levels"
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class BoundedFormParser(parsers.FormParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = body_read(stream, _meta(parser_context))
        return super().parse(io.BytesIO(raw), media_type, parser_context)


@dataclass(frozen=True)
class Needs:
    """What a write of the API requires: a permission (or several, of which any one will
    do), and what the caller is doing, for the message when it is refused."""

    permission: str | tuple[str, ...]
    # gettext_lazy, or gettext_noop (then looked up when the refusal is worded).
    doing: str | Promise

    @property
    def any_of(self) -> tuple[str, ...]:
        return (self.permission,) if isinstance(self.permission, str) else self.permission


# `ApiView.permission` of a write that any caller may make (it checks nothing more itself).
ANY_CALLER = Needs((), "")


class ApiView(APIView):
    """The base of every Lifeline API view: JSON bodies only, within the size limit.

    A view that writes (POST, PUT, PATCH, DELETE) declares `permission`: what its service
    will require. It is checked before the body is read, so that a role that may not write
    learns nothing of the body's rules from a 400; the service still checks for itself."""

    parser_classes = [BoundedJSONParser]
    permission: ClassVar[Needs | None] = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        needs = self.permission
        if request.method in SAFE_METHODS or needs is None or not needs.any_of:
            return
        for perm in needs.any_of:
            if request.user.has_perm(perm):
                return
        raise Forbidden(
            _("your role may not %(doing)s (needs %(permission)s)")
            % {"doing": _(str(needs.doing)), "permission": " | ".join(needs.any_of)}
        )


def actor_of(request: Request) -> Actor:
    """The caller, as the services and selectors take it."""
    return request.user


def input_parse(
    schema: type[serializers.Serializer[Any]], data: Any, *, strict: bool = True
) -> dict[str, Any]:
    """Validate `data` with one of the shared input schemas and return the clean values.

    `strict` refuses keys the schema does not know, so that a misspelt field is an error
    instead of a change silently not made.
    """
    serializer = schema(data=data)
    if strict and isinstance(data, Mapping):
        unknown = sorted(str(key) for key in data if key not in serializer.fields)
        if unknown:
            known = ", ".join(serializer.fields)
            raise ValidationFailed(
                {
                    key: _("is not a field here (fields: %(known)s)") % {"known": known}
                    for key in unknown
                }
            )
        # DRF turns a number sent for a text field into text; a JSON body says what it means,
        # so a number where text belongs is refused (`"notes": 5`).
        not_text = sorted(
            name
            for name, field in serializer.fields.items()
            if isinstance(field, serializers.CharField)
            and name in data
            and data[name] is not None
            and not isinstance(data[name], str)
        )
        if not_text:
            raise ValidationFailed({name: _("must be text (a JSON string)") for name in not_text})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def input_parse_or_fail(schema: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    """`input_parse` for callers outside an API view (the CLI, pages, services): the schema's
    errors become one ValidationFailed naming each field as the API's error body does."""
    try:
        return input_parse(schema, data)
    except serializers.ValidationError as exc:
        raise ValidationFailed(error_fields(exc.detail)) from exc


class ListApiView(ApiView):
    """A paginated list (`?page=`, `?page_size=`); the schema shows the page envelope."""

    pagination_class = Pagination

    def page_response(
        self,
        queryset: QuerySet[Any],
        output: type[serializers.Serializer[Any]],
        *,
        context: dict[str, Any] | None = None,
    ) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(output(page, many=True, context=context or {}).data)


class ErrorDetailOutput(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="invalid, not_found, forbidden, conflict, ...")
    message = serializers.CharField()
    # A serializer's own `fields` attribute is unaffected: declared fields are collected
    # by the metaclass, not left on the class.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="each offending field and what is wrong with it",
    )


class ErrorOutput(serializers.Serializer[Any]):
    error = ErrorDetailOutput()


_ERROR_MEANINGS = {
    400: "bad input; `fields` names each offending field",
    401: "not signed in",
    403: "the role may not do this; the message says what was refused",
    404: "no such record",
    409: "the record changed in a way that forbids this (deleted, merged, already undone)",
    413: "the request body is too large",
    429: "too many failed sign-ins: wait (Retry-After) and try again",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for an operation's schema: all share the one error shape."""
    return {code: OpenApiResponse(ErrorOutput, description=_ERROR_MEANINGS[code]) for code in codes}


READ_ERRORS = errors(400, 401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413)


def path_id(name: str, what: str) -> OpenApiParameter:
    """A UUID in the path (typed as text in the URL so a malformed one gets a JSON 400)."""
    return OpenApiParameter(
        name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"the id of the {what}"
    )


# ---- routing -------------------------------------------------------------------------------


ViewFunction = Callable[..., HttpResponseBase]


def operations(route: str, *apis: type[APIView], name: str) -> list[URLPattern]:
    """One URL whose HTTP methods are served by separate one-operation API classes.

    Django stops at the first pattern that matches, so the first pattern dispatches each
    request by its method. The patterns after it are never reached by a request: they are
    there so the schema generator documents each class's operation under the same path.
    """
    handlers: dict[str, ViewFunction] = {}
    for api in apis:
        view = api.as_view()
        for method in api.http_method_names:
            if method in {"options", "head"} or not hasattr(api, method):
                continue
            if method.upper() in handlers:
                raise ValueError(f"{route}: two views serve {method.upper()}")
            handlers[method.upper()] = view
    if "GET" in handlers:
        handlers["HEAD"] = handlers["GET"]
    handlers["OPTIONS"] = apis[0].as_view()
    allowed = ", ".join(m for m in sorted(handlers) if m not in {"HEAD", "OPTIONS"})

    every = ", ".join([*allowed.split(", "), *(("HEAD",) if "GET" in handlers else ()), "OPTIONS"])

    @csrf_exempt
    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        handler = handlers.get(request.method or "")
        if handler is None:
            body = error_body(
                "method_not_allowed", f"{request.method} is not allowed here; use {allowed}"
            )
            return JsonResponse(body, status=405, headers={"Allow": allowed})
        response = handler(request, *args, **kwargs)
        if response.has_header("Allow"):
            # Each view knows only its own methods; the URL answers every one of them.
            response["Allow"] = every
        return response

    return [
        path(route, dispatch, name=name),
        *(path(route, api.as_view()) for api in apis),
    ]
