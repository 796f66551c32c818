"""The core's API endpoints: an API token for a username and password, the sites, who the
caller is, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import (
    ANY_CALLER,
    ApiView,
    BoundedFormParser,
    BoundedJSONParser,
    ListApiView,
    actor_of,
    errors,
    input_parse,
)
from lifeline.core.errors import NotFound
from lifeline.core.models import Site
from lifeline.core.selectors import AuditFilters, audit_list
from lifeline.core.services import token_issue, token_revoke, user_roles


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField()


class TokenObtainApi(ApiView):
    """Exchange a username and password for the API token (send it as `Authorization: Token
    <key>`)."""

    permission = ANY_CALLER

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser, BoundedFormParser]

    @extend_schema(
        operation_id="token_obtain",
        tags=["auth"],
        request=AuthTokenSerializer,
        responses={200: TokenOutput, **errors(400, 413, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        # django-axes reads the address from the request it is given and marks that request
        # when the account is locked out: give it Django's own.
        http_request = request._request
        serializer = AuthTokenSerializer(data=request.data, context={"request": http_request})
        if not serializer.is_valid():
            if getattr(http_request, "axes_locked_out", False):
                raise Throttled(
                    detail=_(
                        "too many failed sign-ins for this account from here; try again in %(wait)s"
                    )
                    % {"wait": settings.AXES_COOLOFF_TIME}
                )
            raise ValidationError(serializer.errors)
        key = token_issue(user=serializer.validated_data["user"])
        return Response(TokenOutput({"token": key}).data)


class TokenRevokeInput(serializers.Serializer[Any]):
    username = serializers.CharField(
        max_length=150,
        required=False,
        help_text="whose token (the commander only); by default the caller's own",
    )


class TokenRevokeOutput(serializers.Serializer[Any]):
    revoked = serializers.BooleanField()


class TokenRevokeApi(ApiView):
    """Revoke an API token: the caller's own (sign out everywhere), or, for the commander,
    anyone's. Programs using it must sign in again."""

    permission = ANY_CALLER

    @extend_schema(
        operation_id="token_revoke",
        tags=["auth"],
        request=TokenRevokeInput,
        responses={200: TokenRevokeOutput, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(TokenRevokeInput, request.data)
        actor = actor_of(request)
        user: Any = actor
        if values.get("username"):
            user = User.objects.filter(username=values["username"]).first()
            if user is None:
                raise NotFound(_("no user named %(name)r") % {"name": values["username"]})
        revoked = token_revoke(actor=actor, user=user)
        return Response(TokenRevokeOutput({"revoked": revoked}).data)


class SiteListOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class SiteListApi(ListApiView):
    """The sites (camps and headquarters) this installation knows."""

    @extend_schema(
        operation_id="site_list",
        tags=["core"],
        responses={200: SiteListOutput(many=True), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        return self.page_response(Site.objects.order_by("name", "code"), SiteListOutput)


class MeOutput(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    site = serializers.CharField(help_text="the code of this installation's site")


class MeApi(ApiView):
    """Who the caller is and which roles they hold."""

    @extend_schema(operation_id="me", tags=["core"], responses={200: MeOutput, **errors(401)})
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        data = {
            "username": user.get_username(),
            "full_name": user.get_full_name() if isinstance(user, User) else "",
            "roles": user_roles(user),
            "site": settings.LIFELINE_SITE,
        }
        return Response(MeOutput(data).data)


class AuditFilterInput(serializers.Serializer[Any]):
    actor = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="a username"
    )
    record = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="a record's id, or a kind of record (people.person)",
    )
    action = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="an action (person.register), or all of a kind ending in a dot (person.)",
    )


class AuditEntryOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_username")
    site = serializers.CharField(source="site_code")
    action = serializers.CharField()
    record_type = serializers.CharField(source="object_type")
    record_id = serializers.CharField(source="object_id")
    summary = serializers.CharField()
    detail = serializers.DictField()


class AuditListApi(ListApiView):
    """The audit log, newest first (the commander): every write and every read of a protected
    record, by whom and when. Reading it is itself logged."""

    @extend_schema(
        operation_id="audit_list",
        tags=["core"],
        parameters=[AuditFilterInput],
        responses={200: AuditEntryOutput(many=True), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = input_parse(AuditFilterInput, request.query_params, strict=False)
        rows = audit_list(actor=actor_of(request), filters=AuditFilters(**filters))
        return self.page_response(rows, AuditEntryOutput)
