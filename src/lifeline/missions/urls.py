"""The missions API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.missions import api

urlpatterns: list[URLPattern] = [
    *operations("missions/", api.MissionBoardApi, api.MissionPlanApi, name="api-missions"),
    *operations(
        "missions/<str:mission_id>/",
        api.MissionDetailApi,
        api.MissionUpdateApi,
        name="api-mission",
    ),
    *operations(
        "missions/<str:mission_id>/transitions/",
        api.MissionTransitionApi,
        name="api-mission-transitions",
    ),
    *operations(
        "missions/<str:mission_id>/members/", api.MissionMemberAddApi, name="api-mission-members"
    ),
    *operations(
        "missions/<str:mission_id>/points/", api.MissionPointAddApi, name="api-mission-points"
    ),
    *operations(
        "missions/<str:mission_id>/vehicles/",
        api.MissionVehicleAssignApi,
        name="api-mission-vehicles",
    ),
    *operations(
        "missions/<str:mission_id>/checkins/", api.MissionCheckInApi, name="api-mission-checkins"
    ),
    *operations(
        "missions/<str:mission_id>/debrief/", api.MissionDebriefApi, name="api-mission-debrief"
    ),
    *operations("vehicles/", api.VehicleListApi, api.VehicleRegisterApi, name="api-vehicles"),
    *operations("vehicles/<str:vehicle_id>/", api.VehicleUpdateApi, name="api-vehicle"),
]
