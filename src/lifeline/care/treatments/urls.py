"""The treatments and allocation API routes, under /api/care/."""

from django.urls import URLPattern

from lifeline.care.treatments import api
from lifeline.core.api import operations

urlpatterns: list[URLPattern] = [
    *operations(
        "care/treatments/", api.TreatmentListApi, api.TreatmentCreateApi, name="api-treatments"
    ),
    *operations(
        "care/treatments/<str:treatment_id>/", api.TreatmentDetailApi, name="api-treatment"
    ),
    *operations(
        "care/treatments/<str:treatment_id>/doses/", api.DoseCreateApi, name="api-treatment-doses"
    ),
    *operations(
        "care/treatments/<str:treatment_id>/stop/", api.TreatmentStopApi, name="api-treatment-stop"
    ),
    *operations(
        "care/allocations/",
        api.AllocationListApi,
        api.AllocationProposeApi,
        name="api-allocations",
    ),
    *operations(
        "care/allocations/<str:allocation_id>/", api.AllocationDetailApi, name="api-allocation"
    ),
    *operations(
        "care/allocations/<str:allocation_id>/confirm/",
        api.AllocationConfirmApi,
        name="api-allocation-confirm",
    ),
]
