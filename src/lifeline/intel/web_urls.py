"""The threat pages, under /intel/."""

from django.urls import path

from lifeline.intel.threats import views as threats_views

app_name = "intel"
urlpatterns = [
    path("groups/", threats_views.group_list, name="groups"),
    path("groups/<uuid:group_id>/", threats_views.group_detail, name="group_detail"),
    path("watch/", threats_views.perimeter_watch, name="watch"),
]
