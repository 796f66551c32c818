"""Routing's pages, under /routing/."""

from django.urls import path

from lifeline.routing import views

app_name = "routing"
urlpatterns = [path("", views.route_map, name="map")]
