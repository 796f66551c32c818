"""The HTTP exchange's endpoints, under /api/sync/exchange/: who answers here (hello), the
changes a peer lacks (pull) and a peer's changes applied here (push).

These are called by another Lifeline site, not by a person: no user session nor token, and no
role. A pull or a push is authenticated by the calling site's key (`sync.exchange`: the
request is signed by the site's ed25519 key, checked against the key registered for that peer,
refused when the site is unknown, the signature wrong or the request seen before); what
leaves for the peer is what it may hold (`Peer.may_hold_protected`). Hello says only what
`lifeline sync identity` publishes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import ANY_CALLER, ApiView, errors
from lifeline.core.clock import site_local
from lifeline.sync import exchange
from lifeline.sync.feed import FORMAT
from lifeline.sync.services import site_identity


class HelloOutput(serializers.Serializer[Any]):
    site = serializers.UUIDField(help_text="this site's id")
    code = serializers.CharField()
    name = serializers.CharField()
    identity = serializers.CharField(help_text="what `lifeline sync identity` prints here")
    format = serializers.IntegerField(help_text="the sync feed format this site writes")


class ExchangeHelloApi(ApiView):
    """Which site answers at this address (its public identity), before a signed exchange."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="sync_exchange_hello", tags=["sync"], responses={200: HelloOutput}, auth=[]
    )
    def get(self, request: Request) -> Response:
        here = site_local()
        return Response(
            HelloOutput(
                {
                    "site": here.pk,
                    "code": here.code,
                    "name": here.name,
                    "identity": site_identity(),
                    "format": FORMAT,
                }
            ).data
        )


_SIGNED = (
    "Signed by the calling site's key (headers X-Lifeline-Site, X-Lifeline-To, X-Lifeline-Seq, "
    "X-Lifeline-Signature; see docs/sync.md), not by a user."
)
_ANSWER: dict[Any, Any] = {
    (200, exchange.CONTENT_TYPE): OpenApiResponse(
        OpenApiTypes.BINARY, description="zstd(msgpack), signed by this site"
    ),
    **errors(400, 401, 403, 413),
    409: errors(409)[409],
}


class _SignedApi(ApiView):
    # Peer-key authentication (exchange.request_check), not a user session: see the module.
    permission = ANY_CALLER
    authentication_classes = []
    permission_classes = [AllowAny]
    operation = ""

    def answer(self, request: Request) -> HttpResponse:
        body = request._request.body  # within DATA_UPLOAD_MAX_MEMORY_SIZE, else a 413
        peer = exchange.request_check(self.operation, request.headers, body)
        seq = int(request.headers[exchange.HEADER_SEQ])
        if self.operation == "pull":
            out = exchange.pull_answer(peer, body)
        else:
            out = exchange.push_answer(peer, body)
        response = HttpResponse(out, content_type=exchange.CONTENT_TYPE)
        for name, value in exchange.answer_headers(self.operation, peer, seq, out).items():
            response[name] = value
        return response


class ExchangePullApi(_SignedApi):
    """A chunk of the changes the calling site lacks (from what it says it has), at most
    `limit`, only what it may hold. Body: msgpack {since, cursors, limit}."""

    operation = "pull"

    @extend_schema(
        operation_id="sync_exchange_pull",
        tags=["sync"],
        description=_SIGNED,
        request={exchange.CONTENT_TYPE: OpenApiTypes.BINARY},
        responses=_ANSWER,
        auth=[],
    )
    def post(self, request: Request) -> HttpResponse:
        return self.answer(request)


class ExchangePushApi(_SignedApi):
    """A chunk of the calling site's changes, applied here through the one apply path (a
    change already here is skipped, so a chunk sent twice is applied once). Answers with what
    this site has now of every writer site. Body: zstd(msgpack(feed))."""

    operation = "push"

    @extend_schema(
        operation_id="sync_exchange_push",
        tags=["sync"],
        description=_SIGNED,
        request={exchange.CONTENT_TYPE: OpenApiTypes.BINARY},
        responses=_ANSWER,
        auth=[],
    )
    def post(self, request: Request) -> HttpResponse:
        return self.answer(request)
