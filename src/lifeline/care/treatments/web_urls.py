"""Pages of treatments and scarce-medicine allocation, under /care/."""

from django.urls import path

from lifeline.care.treatments import views

app_name = "treatments"
urlpatterns = [
    path(
        "patients/<uuid:patient_id>/treatments/",
        views.patient_treatments_page,
        name="patient",
    ),
    path("allocations/", views.allocations_page, name="allocations"),
    path("allocations/<uuid:allocation_id>/", views.allocation_page, name="allocation"),
]
