"""The care pages, under /care/."""

from django.urls import path

from lifeline.care import views

app_name = "care"
urlpatterns = [
    path("", views.board, name="board"),
    path("admit/", views.admit, name="admit"),
    path("patients/<uuid:patient_id>/", views.patient, name="patient"),
    path("patients/<uuid:patient_id>/triage/", views.triage, name="triage"),
    path("patients/<uuid:patient_id>/vitals/", views.vitals, name="vitals"),
    path("patients/<uuid:patient_id>/death/", views.death, name="death"),
    path("patients/<uuid:patient_id>/discharge/", views.discharge, name="discharge"),
]
