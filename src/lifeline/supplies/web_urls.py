"""Pages of supplies, under /supplies/."""

from django.urls import path

from lifeline.supplies import views, views_exports

app_name = "supplies"
urlpatterns = [
    path("", views.stock_page, name="stock"),
    path("items/<slug:code>/", views.item_page, name="item"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("points/<uuid:point_id>/", views.point_page, name="point"),
    # Downloads (CSV, or HXL with its hashtag row): issue 13's cards and exports.
    path("export/<slug:flavour>/", views_exports.stock_export, name="stock_export"),
    path(
        "cycles/<uuid:cycle_id>/export/<slug:flavour>/",
        views_exports.distributions_export,
        name="distributions_export",
    ),
]
