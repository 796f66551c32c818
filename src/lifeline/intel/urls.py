"""The field-report and radio API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.intel import api

urlpatterns: list[URLPattern] = [
    *operations(
        "missions/<str:mission_id>/reports/",
        api.MissionReportListApi,
        api.MissionReportFileApi,
        name="api-mission-reports",
    ),
    *operations("missions/<str:mission_id>/cot/", api.MissionCotIngestApi, name="api-mission-cot"),
    *operations("reports/<str:report_id>/", api.ReportDetailApi, name="api-report"),
    *operations("reports/<str:report_id>/packet/", api.ReportPacketApi, name="api-report-packet"),
    *operations("radio/decode/", api.PacketDecodeApi, name="api-radio-decode"),
    *operations("radio/ingest/", api.PacketIngestApi, name="api-radio-ingest"),
]
