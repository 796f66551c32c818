"""Sync over HTTP: where this site stands with each peer (the exchange itself comes later,
as a thin transport over the same feed)."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import READ_ERRORS, ApiView
from lifeline.sync import holders, selectors
from lifeline.sync.schemas import RecordSitesOutput, SyncStatusOutput


class SyncStatusApi(ApiView):
    """Per peer: the last bundle sent and received, changes not yet sent, conflicts open."""

    @extend_schema(
        operation_id="sync_status",
        tags=["sync"],
        responses={200: SyncStatusOutput, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        status = selectors.sync_status(actor=request.user)
        return Response(SyncStatusOutput(asdict(status)).data)


class RecordSitesApi(ApiView):
    """The sites known to hold one record: this site, its creator, its writers, and the
    peers that acknowledged one of its changes."""

    @extend_schema(
        operation_id="sync_record_sites",
        tags=["sync"],
        responses={200: RecordSitesOutput, **READ_ERRORS},
    )
    def get(self, request: Request, model: str, object_id: uuid.UUID) -> Response:
        held = holders.record_sites(actor=request.user, model=model, object_id=object_id)
        return Response(RecordSitesOutput(asdict(held)).data)
