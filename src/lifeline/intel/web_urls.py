"""The threat pages, under /intel/."""

from django.urls import path

from lifeline.intel import views_threats

app_name = "intel"
urlpatterns = [
    path("groups/", views_threats.group_list, name="groups"),
    path("groups/<uuid:group_id>/", views_threats.group_detail, name="group_detail"),
    path("watch/", views_threats.perimeter_watch, name="watch"),
]
