"""The core's API endpoints: an API token for a username and password, the sites, and who
the caller is."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
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
)
from lifeline.core.models import Site
from lifeline.core.services import token_issue, user_roles


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
        responses={200: TokenOutput, **errors(400, 413)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        key = token_issue(user=serializer.validated_data["user"])
        return Response(TokenOutput({"token": key}).data)


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
