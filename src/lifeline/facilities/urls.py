"""The facilities API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.facilities import api

urlpatterns: list[URLPattern] = [
    *operations("facilities/", api.FacilityListApi, api.FacilityRegisterApi, name="api-facilities"),
    *operations("facilities/<str:facility_id>/", api.FacilityDetailApi, name="api-facility"),
    *operations(
        "facilities/<str:facility_id>/assessments/",
        api.AssessmentApi,
        name="api-facility-assessments",
    ),
    *operations("work/", api.WorkOpenApi, api.WorkRaiseApi, name="api-work"),
    *operations("work/<str:work_id>/start/", api.WorkStartApi, name="api-work-start"),
    *operations("work/<str:work_id>/materials/", api.WorkMaterialApi, name="api-work-materials"),
    *operations("work/<str:work_id>/close/", api.WorkCloseApi, name="api-work-close"),
    *operations("watch/roster/", api.RosterApi, name="api-watch-roster"),
    *operations("watch/shifts/", api.ShiftPlanApi, name="api-watch-shifts"),
    *operations("watch/shifts/mine/", api.ShiftMineApi, name="api-watch-mine"),
    *operations("watch/shifts/<str:shift_id>/", api.ShiftAssignApi, name="api-watch-shift"),
    *operations(
        "watch/shifts/<str:shift_id>/handover/",
        api.ShiftHandoverApi,
        name="api-watch-shift-handover",
    ),
]
