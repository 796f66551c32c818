from django.contrib.auth import views as auth_views
from django.urls import path

from lifeline.core.privacy import SignOutView
from lifeline.web import (
    views,
    views_alerts,
    views_audit,
    views_cards,
    views_exports,
    views_households,
    views_language,
    views_map,
    views_matching,
    views_mission_plan,
    views_missions,
    views_person,
    views_site,
    views_sync,
    views_sync_exchange,
    views_sync_transport,
)

app_name = "web"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", SignOutView.as_view(), name="logout"),
    path("language/", views_language.language_choose, name="language"),
    path("site/", views_site.site_page, name="site"),
    path("site/position/", views_site.site_position, name="site_position"),
    path("site/setting/", views_site.site_setting, name="site_setting"),
    path("site/basemap/", views_site.site_basemap, name="site_basemap"),
    path("sync/", views_sync.sync_page, name="sync"),
    path(
        "sync/conflicts/<uuid:conflict_id>/resolve/",
        views_sync.sync_conflict_resolve,
        name="sync_conflict_resolve",
    ),
    path("sync/exchange/", views_sync_exchange.sync_exchange_start, name="sync_exchange_start"),
    path("sync/bundle/", views_sync_transport.sync_bundle, name="sync_bundle"),
    path(
        "sync/bundle/import/",
        views_sync_transport.sync_bundle_import,
        name="sync_bundle_import",
    ),
    path("sync/radio/", views_sync_transport.sync_radio, name="sync_radio"),
    path(
        "sync/exchange/<uuid:exchange_id>/",
        views_sync_exchange.sync_exchange_page,
        name="sync_exchange",
    ),
    path("site/backup/", views_site.site_backup, name="site_backup"),
    path("site/lockdown/", views_site.site_lockdown, name="site_lockdown"),
    path("audit/", views_audit.audit_page, name="audit"),
    path("", views.home, name="home"),
    path("alerts/", views_alerts.alert_inbox, name="alerts"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        views_alerts.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("alerts/<uuid:alert_id>/resolve/", views_alerts.alert_resolve, name="alert_resolve"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/status/", views.person_status, name="person_status"),
    path("people/<uuid:person_id>/conditions/", views.person_condition, name="person_condition"),
    path("people/<uuid:person_id>/death/", views_person.person_death, name="person_death"),
    path(
        "people/<uuid:person_id>/merges/<uuid:merge_id>/undo/",
        views_person.person_merge_undo,
        name="person_merge_undo",
    ),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views_households.household_new, name="household_new"),
    path("households/<uuid:household_id>/", views.household_detail, name="household_detail"),
    path(
        "households/<uuid:household_id>/ration-card/",
        views_households.household_card_issue,
        name="household_card_issue",
    ),
    path(
        "households/<uuid:household_id>/members/",
        views_households.household_member,
        name="household_member",
    ),
    # Printable cards and downloads (issue 13).
    path("people/<uuid:person_id>/card/", views_cards.person_card, name="person_card"),
    path("households/<uuid:household_id>/card/", views_cards.household_card, name="household_card"),
    path("people/export/<slug:flavour>/", views_exports.persons_export, name="persons_export"),
    path(
        "households/export/<slug:flavour>/",
        views_exports.households_export,
        name="households_export",
    ),
    # Name search, duplicates, tracing and protection cases (issue 3).
    path("search/", views_matching.person_search, name="person_search"),
    path("duplicates/", views_matching.duplicates, name="duplicates"),
    path("duplicates/merge/", views_matching.duplicate_merge, name="duplicate_merge"),
    path("duplicates/dismiss/", views_matching.duplicate_dismiss, name="duplicate_dismiss"),
    path("tracing/", views_matching.tracing_list, name="tracing_list"),
    path("tracing/<uuid:request_id>/", views_matching.tracing_detail, name="tracing_detail"),
    path("tracing/<uuid:request_id>/close/", views_matching.tracing_close, name="tracing_close"),
    path("tracing/matches/<uuid:match_id>/", views_matching.tracing_decide, name="tracing_decide"),
    path("cases/", views_matching.case_list, name="case_list"),
    path("cases/<uuid:case_id>/", views_matching.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/close/", views_matching.case_close, name="case_close"),
    # The map: streets, zones, risk and threats, and the safest route between two points.
    path("routing/", views_map.route_map, name="map"),
    path("routing/basemaps/<slug:name>.pmtiles", views_map.basemap_file, name="basemap_file"),
    # Missions: the board, a mission's page and its phone forms (a report is intel's).
    path("missions/", views_missions.mission_board, name="mission_board"),
    path("missions/new/", views_mission_plan.mission_new, name="mission_new"),
    path("missions/<uuid:mission_id>/", views_missions.mission_detail, name="mission_detail"),
    path(
        "missions/<uuid:mission_id>/move/",
        views_missions.mission_transition,
        name="mission_transition",
    ),
    path(
        "missions/<uuid:mission_id>/checkin/",
        views_missions.mission_checkin,
        name="mission_checkin",
    ),
    path(
        "missions/<uuid:mission_id>/report/",
        views_missions.report_new,
        name="mission_report_new",
    ),
]
