"""The field-report and radio API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.intel import api
from lifeline.intel.threats import api as threats_api

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
        threats_api.HostileGroupListApi,
        threats_api.HostileGroupCreateApi,
        name="api-hostile-groups",
    ),
    *operations(
        "hostile-groups/<str:group_id>/",
        threats_api.HostileGroupDetailApi,
        threats_api.HostileGroupUpdateApi,
        name="api-hostile-group",
    ),
    *operations(
        "sightings/",
        threats_api.SightingListApi,
        threats_api.SightingRecordApi,
        name="api-sightings",
    ),
    *operations(
        "watch-posts/",
        threats_api.WatchPostListApi,
        threats_api.WatchPostCreateApi,
        name="api-watch-posts",
    ),
    *operations(
        "perimeter-log/",
        threats_api.PerimeterLogListApi,
        threats_api.PerimeterLogWriteApi,
        name="api-perimeter-log",
    ),
]
