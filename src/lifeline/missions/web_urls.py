"""The missions pages, under /missions/."""

from django.urls import path

from lifeline.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_board, name="board"),
    path("<uuid:mission_id>/", views.mission_detail, name="detail"),
    path("<uuid:mission_id>/move/", views.mission_transition, name="transition"),
    path("<uuid:mission_id>/checkin/", views.mission_checkin, name="checkin"),
    path("<uuid:mission_id>/report/", views.report_new, name="report_new"),
]
