"""Pages of supplies, under /supplies/."""

from django.urls import path

from lifeline.supplies import views, views_exports, views_stock

app_name = "supplies"
urlpatterns = [
    path("", views.stock_page, name="stock"),
    path("items/<slug:code>/", views.item_page, name="item"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("points/", views.points_page, name="points"),
    path("points/<uuid:point_id>/", views.point_page, name="point"),
    # The logistics officer's daily jobs (views_stock).
    path("receive/", views_stock.stock_receive_page, name="receive"),
    path("issue/", views_stock.stock_issue_page, name="issue"),
    path("count/", views_stock.stock_count_page, name="count"),
    path("transfer/", views_stock.stock_transfer_page, name="transfer"),
    path(
        "transfers/<uuid:transfer_id>/receive/",
        views_stock.transfer_receive_page,
        name="transfer_receive",
    ),
    path("cold-chain/", views_stock.cold_chain_page, name="cold_chain"),
    # Downloads (CSV, or HXL with its hashtag row): issue 13's cards and exports.
    path("export/<slug:flavour>/", views_exports.stock_export, name="stock_export"),
    path(
        "cycles/<uuid:cycle_id>/export/<slug:flavour>/",
        views_exports.distributions_export,
        name="distributions_export",
    ),
]
