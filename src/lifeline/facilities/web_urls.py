"""Pages of facilities and the watch, under /facilities/."""

from django.urls import path

from lifeline.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_new, name="new"),
    path("<uuid:facility_id>/", views.facility_detail, name="detail"),
    path("<uuid:facility_id>/assess/", views.facility_assess, name="assess"),
    path("<uuid:facility_id>/repair/", views.work_new, name="work_new"),
    path("work/<uuid:work_id>/", views.work_detail, name="work"),
    path("work/<uuid:work_id>/start/", views.work_start, name="work_start"),
    path("work/<uuid:work_id>/material/", views.work_material, name="work_material"),
    path("work/<uuid:work_id>/close/", views.work_close, name="work_close"),
    path("photos/<uuid:photo_id>/", views.photo, name="photo"),
    path("watch/", views.roster, name="roster"),
    path("watch/mine/", views.my_shifts, name="mine"),
    path("watch/<uuid:shift_id>/", views.shift_detail, name="shift"),
]
