"""Pages of supplies, under /supplies/."""

from django.urls import path

from lifeline.supplies import views

app_name = "supplies"
urlpatterns = [
    path("", views.stock_page, name="stock"),
    path("items/<slug:code>/", views.item_page, name="item"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("points/<uuid:point_id>/", views.point_page, name="point"),
]
