"""The field-report and radio API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.intel import api, api_threats

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
    *operations(
        "hostile-groups/",
        api_threats.HostileGroupListApi,
        api_threats.HostileGroupCreateApi,
        name="api-hostile-groups",
    ),
    *operations(
        "hostile-groups/<str:group_id>/",
        api_threats.HostileGroupDetailApi,
        api_threats.HostileGroupUpdateApi,
        name="api-hostile-group",
    ),
    *operations(
        "sightings/",
        api_threats.SightingListApi,
        api_threats.SightingRecordApi,
        name="api-sightings",
    ),
    *operations(
        "watch-posts/",
        api_threats.WatchPostListApi,
        api_threats.WatchPostCreateApi,
        name="api-watch-posts",
    ),
    *operations(
        "perimeter-log/",
        api_threats.PerimeterLogListApi,
        api_threats.PerimeterLogWriteApi,
        name="api-perimeter-log",
    ),
]
