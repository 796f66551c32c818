"""The care API routes, under /api/."""

from django.urls import URLPattern

from lifeline.care import api
from lifeline.core.api import operations

urlpatterns: list[URLPattern] = [
    *operations("care/board/", api.BoardApi, name="api-care-board"),
    *operations("care/patients/", api.PatientAdmitApi, name="api-care-patients"),
    *operations("care/patients/<str:patient_id>/", api.PatientRecordApi, name="api-care-patient"),
    *operations(
        "care/patients/<str:patient_id>/triage/", api.TriageRecordApi, name="api-care-triage"
    ),
    *operations(
        "care/patients/<str:patient_id>/triage/next/",
        api.TriagePreviewApi,
        name="api-care-triage-next",
    ),
    *operations(
        "care/patients/<str:patient_id>/vitals/", api.VitalsRecordApi, name="api-care-vitals"
    ),
    *operations("care/patients/<str:patient_id>/death/", api.DeathRecordApi, name="api-care-death"),
    *operations(
        "care/patients/<str:patient_id>/discharge/", api.DischargeApi, name="api-care-discharge"
    ),
]
