"""The field-report and radio API: file a report (the `kind` picks the schema), read reports,
encode a stored report as a packet, decode a packet, ingest a packet or a CoT event."""

from __future__ import annotations

import base64
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import (
    ANY_CALLER,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ListApiView,
    Needs,
    input_parse,
    path_id,
)
from lifeline.core.errors import ValidationFailed
from lifeline.intel import codec, cot, selectors, services
from lifeline.intel.radio import values_of
from lifeline.intel.schemas import (
    CotInput,
    DecodedOutput,
    FieldReportOutput,
    IngestOutput,
    PacketInput,
    PacketOutput,
    ReportBaseInput,
)
from lifeline.missions import selectors as mission_selectors

MISSION_ID = path_id("mission_id", "mission")
REPORT_ID = path_id("report_id", "field report")


# A packet or CoT event becomes a check-in or a field report, as its content says.
INGEST_NEEDS = Needs(
    ("intel.add_fieldreport", "missions.checkin_mission"),
    gettext_lazy("file field reports or check teams in"),
)


class MissionReportListApi(ListApiView):
    @extend_schema(
        operation_id="mission_report_list",
        tags=["reports"],
        parameters=[MISSION_ID],
        responses={200: FieldReportOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, mission_id: str) -> Response:
        mission = mission_selectors.mission_get(actor=request.user, mission_id=mission_id)
        reports = selectors.report_list(actor=request.user, mission=mission)
        return self.page_response(reports, FieldReportOutput)


class MissionReportFileApi(ApiView):
    """File a field report; `kind` (sitrep, sighting, survivors, casualty, cache) decides
    which other fields it takes. Its side effects are written in the same transaction."""

    permission = Needs("intel.add_fieldreport", gettext_lazy("file field reports"))

    @extend_schema(
        operation_id="mission_report_file",
        tags=["reports"],
        parameters=[MISSION_ID],
        request=ReportBaseInput,
        responses={201: FieldReportOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        mission = mission_selectors.mission_get(actor=request.user, mission_id=mission_id)
        report = services.report_file_from_input(
            actor=request.user, mission=mission, data=request.data
        )
        return Response(FieldReportOutput(report).data, status=status.HTTP_201_CREATED)


class ReportDetailApi(ApiView):
    @extend_schema(
        operation_id="report_get",
        tags=["reports"],
        parameters=[REPORT_ID],
        responses={200: FieldReportOutput, **READ_ERRORS},
    )
    def get(self, request: Request, report_id: str) -> Response:
        report = selectors.report_get(actor=request.user, report_id=report_id)
        return Response(FieldReportOutput(report).data)


def packet_of(report: Any) -> dict[str, Any]:
    radio = services.report_radio(report)
    packet = codec.encode(radio)
    return {
        "packet_base64": base64.b64encode(packet).decode(),
        "packet_hex": packet.hex(),
        "bytes": len(packet),
        "readback": codec.readback(codec.normalise(radio)),
        "cot": cot.cot_export(radio, mission_start=report.mission.planned_start),
    }


class ReportPacketApi(ApiView):
    """The report as one radio packet, its readback text and its Cursor-on-Target event."""

    @extend_schema(
        operation_id="report_packet",
        tags=["radio"],
        parameters=[REPORT_ID],
        responses={200: PacketOutput, **READ_ERRORS},
    )
    def get(self, request: Request, report_id: str) -> Response:
        report = selectors.report_get(actor=request.user, report_id=report_id)
        return Response(PacketOutput(packet_of(report)).data)


def decoded_of(radio: codec.RadioReport) -> dict[str, Any]:
    fix = radio.fix
    return {
        "type": values_of(radio).kind,
        "mission_tag": f"{fix.mission_tag:08X}",
        "member": fix.member,
        "seq": fix.seq,
        "seconds": fix.seconds,
        "latitude": codec.e6_to_degrees(fix.lat_e6),
        "longitude": codec.e6_to_degrees(fix.lon_e6),
        "values": values_of(radio).values,
        "readback": codec.readback(radio),
    }


class PacketDecodeApi(ApiView):
    """Decode a radio packet (base64 or hex) without recording it."""

    permission = ANY_CALLER

    @extend_schema(
        operation_id="packet_decode",
        tags=["radio"],
        request=PacketInput,
        responses={200: DecodedOutput, **READ_ERRORS},
    )
    def post(self, request: Request) -> Response:
        packet = input_parse(PacketInput, request.data)["packet"]
        try:
            radio = codec.decode(packet)
        except codec.CodecError as exc:
            raise ValidationFailed({"packet": str(exc)}) from exc
        return Response(DecodedOutput(decoded_of(radio)).data)


def ingest_output(result: services.RadioIngest) -> dict[str, Any]:
    return {
        "mission": result.mission.pk,
        "checkin": result.checkin.pk if result.checkin else None,
        "report": result.report.pk if result.report else None,
        "readback": codec.readback(result.radio),
    }


class PacketIngestApi(ApiView):
    """Record a radio packet: a check-in or a field report with its side effects. A packet
    heard twice is recorded once."""

    permission = Needs(
        ("intel.add_fieldreport", "missions.checkin_mission"),
        gettext_lazy("file field reports or check teams in"),
    )

    @extend_schema(
        operation_id="packet_ingest",
        tags=["radio"],
        request=PacketInput,
        responses={201: IngestOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        packet = input_parse(PacketInput, request.data)["packet"]
        result = services.report_ingest_packet(actor=request.user, packet=packet)
        return Response(IngestOutput(ingest_output(result)).data, status=status.HTTP_201_CREATED)


class MissionCotIngestApi(ApiView):
    """Record a Cursor-on-Target event from a TAK client for this mission."""

    permission = Needs(
        ("intel.add_fieldreport", "missions.checkin_mission"),
        gettext_lazy("file field reports or check teams in"),
    )

    @extend_schema(
        operation_id="mission_cot_ingest",
        tags=["radio"],
        parameters=[MISSION_ID],
        request=CotInput,
        responses={201: IngestOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        mission = mission_selectors.mission_get(actor=request.user, mission_id=mission_id)
        xml = input_parse(CotInput, request.data)["xml"]
        result = services.report_ingest_cot(actor=request.user, mission=mission, xml=xml)
        return Response(IngestOutput(ingest_output(result)).data, status=status.HTTP_201_CREATED)
