"""Hostile groups, sightings and the perimeter log: each sighting, wherever it comes from, feeds
the risk grid (which then equals a full recompute) and raises an alert once when risk rises near
the camp or on the route of a mission under way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alert_list
from lifeline.alerts.services import alert_resolve
from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.intel.models import HostileGroup, Sighting, WatchPost
from lifeline.intel.services import report_file
from lifeline.intel.threats import watch
from lifeline.intel.threats.services import (
    hostile_group_create,
    hostile_group_update,
    perimeter_log,
    sighting_record,
    watch_post_create,
)
from lifeline.missions.models import Mission
from lifeline.missions.services import mission_transition as transition
from lifeline.missions.tests.conftest import set_out
from lifeline.routing import risk
from lifeline.routing import services as routing
from lifeline.routing.models import RiskCell, ThreatZone

pytestmark = pytest.mark.django_db

CAMP = (31.9480, -4.4010)
FAR_AWAY = (30.5, -6.0)


@pytest.fixture
def camp(site: Site) -> Site:
    site.latitude, site.longitude = CAMP
    site.save(update_fields=["latitude", "longitude"])
    return site


@pytest.fixture
def jace(commander: Any) -> HostileGroup:
    return hostile_group_create(actor=commander, name="Jace's band", leader="Jace", size_estimate=8)


def full_recompute(now: dt.datetime) -> dict[int, float]:
    """The risk recomputed from every sighting and zone, without the cells below the floor the
    router ignores (the grid neither keeps nor reads those)."""
    sightings = [
        risk.Sighting(s.latitude, s.longitude, s.seen_at, s.count, s.confidence)
        for s in Sighting.objects.alive()
    ]
    zones = [
        risk.Zone(tuple((a, b) for a, b in z.polygon), z.level, z.expires_at)
        for z in ThreatZone.objects.alive()
    ]
    levels = risk.risk_full(sightings, zones, params=routing.risk_params(), now=now)
    return {cell: v for cell, v in levels.items() if v >= routing.ROUTER_RISK_FLOOR}


def test_each_new_sighting_updates_the_grid_to_what_a_full_recompute_gives(
    camp: Site, field_team: Any, commander: Any
) -> None:
    start = timezone.now() - dt.timedelta(hours=20)
    routing.zone_draw(
        actor=commander,
        polygon=[[31.70, -4.04], [31.71, -4.04], [31.71, -4.03]],
        level=3,
    )
    for i in range(6):
        sighting_record(
            actor=field_team,
            latitude=31.700 + 0.001 * i,
            longitude=-4.030 - 0.0005 * i,
            count=2 + i,
            confidence=0.5,
            seen_at=start + dt.timedelta(hours=3 * i),
        )
        now = timezone.now()
        assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))
    later = timezone.now() + dt.timedelta(hours=9)
    assert risk.levels_close(routing.risk_levels(now=later), full_recompute(later))


def test_a_sighting_long_after_the_grid_epoch_moves_the_epoch_and_keeps_the_grid_exact(
    camp: Site, field_team: Any, settings: Any
) -> None:
    settings.LIFELINE_RISK_HALF_LIFE_HOURS = 0.1  # 64 half-lives in under 7 hours
    old = timezone.now() - dt.timedelta(hours=8)
    sighting_record(
        actor=field_team, latitude=31.7, longitude=-4.03, count=5, confidence=1.0, seen_at=old
    )
    sighting_record(actor=field_team, latitude=31.7, longitude=-4.03, count=5, confidence=1.0)
    now = timezone.now()
    assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))


def test_changing_the_half_life_setting_rebuilds_the_grid_with_it(
    camp: Site, field_team: Any, settings: Any
) -> None:
    sighting_record(
        actor=field_team,
        latitude=31.7,
        longitude=-4.03,
        count=4,
        confidence=1.0,
        seen_at=timezone.now() - dt.timedelta(hours=2),
    )
    settings.LIFELINE_RISK_HALF_LIFE_HOURS = 1.0
    settings.LIFELINE_RISK_SPREAD_RINGS = 1
    sighting_record(actor=field_team, latitude=31.71, longitude=-4.03, count=1, confidence=1.0)
    now = timezone.now()
    assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))
    centre = risk.cell_of(31.7, -4.03, routing.RESOLUTION)
    assert routing.risk_levels(now=now)[centre] == pytest.approx(1.0, rel=0.01)  # 4 x 2^-2


def test_cells_that_decayed_below_the_floor_are_deleted_so_the_grid_keeps_only_live_risk(
    camp: Site, field_team: Any
) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=100)  # ~17 half-lives: 5 x 2^-17 left
    for i in range(10):
        sighting_record(
            actor=field_team,
            latitude=31.60 + 0.01 * i,
            longitude=-4.03,
            count=5,
            confidence=1.0,
            seen_at=long_ago,
        )
    sighting_record(actor=field_team, latitude=31.75, longitude=-4.03, count=5, confidence=1.0)
    # The fresh sighting's 19 cells (its own and two rings), not 11 x 19.
    assert RiskCell.objects.count() == 19
    now = timezone.now()
    assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))


def test_a_sighting_on_a_pruned_cell_misses_only_the_residue_below_the_floor(
    camp: Site, field_team: Any
) -> None:
    place = {"latitude": 31.7, "longitude": -4.03, "count": 1, "confidence": 1.0}
    sighting_record(actor=field_team, seen_at=timezone.now() - dt.timedelta(hours=60), **place)
    sighting_record(actor=field_team, **place)  # the first, at 2^-10, is not kept
    now = timezone.now()
    grid, full = routing.risk_levels(now=now), full_recompute(now)
    assert grid.keys() == full.keys()
    assert all(0.0 <= full[cell] - grid[cell] < routing.ROUTER_RISK_FLOOR for cell in full)
    assert full[risk.cell_of(31.7, -4.03, routing.RESOLUTION)] > 1.0  # the residue is there


def test_the_first_sighting_and_the_first_after_a_settings_change_rebuild_the_grid_once(
    camp: Site, field_team: Any, settings: Any
) -> None:
    def rebuilds(queries: CaptureQueriesContext) -> int:
        table = connection.ops.quote_name(RiskCell._meta.db_table)
        statements = [q["sql"].split() for q in queries.captured_queries]
        return sum(1 for words in statements if words == ["DELETE", "FROM", table])

    place = {"latitude": 31.7, "longitude": -4.03, "count": 2, "confidence": 1.0}
    with CaptureQueriesContext(connection) as first:
        sighting_record(actor=field_team, **place)
    with CaptureQueriesContext(connection) as second:
        sighting_record(actor=field_team, **place)
    settings.LIFELINE_RISK_HALF_LIFE_HOURS = 1.0
    with CaptureQueriesContext(connection) as after_change:
        sighting_record(actor=field_team, **place)
    assert (rebuilds(first), rebuilds(second), rebuilds(after_change)) == (1, 0, 1)
    now = timezone.now()
    assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))


def test_a_sighting_report_creates_a_sighting_of_the_group_its_name_matches(
    mission: Mission, field_team: Any, jace: HostileGroup
) -> None:
    report = report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=7,
        armed="yes",
        direction="ne",
        hostile_group="jace's BAND",
        latitude=33.4,
        longitude=36.1,
    )
    sighting = Sighting.objects.get(field_report=report)
    assert (sighting.hostile_group, sighting.count, sighting.source) == (jace, 7, "report")
    assert (sighting.latitude, sighting.longitude) == (33.4, 36.1)
    jace.refresh_from_db()
    assert jace.last_seen_at == report.occurred_at
    assert (jace.last_seen_latitude, jace.last_seen_longitude) == (33.4, 36.1)


def test_a_sighting_report_names_the_group_by_its_leader_or_by_no_known_group(
    mission: Mission, field_team: Any, jace: HostileGroup
) -> None:
    by_leader = report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=2,
        hostile_group="Jace",
        latitude=33.4,
        longitude=36.1,
    )
    unknown = report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=3,
        hostile_group="Jackals",
        latitude=33.41,
        longitude=36.1,
    )
    nameless = report_file(
        actor=field_team, mission=mission, kind="sighting", count=1, latitude=33.42, longitude=36.1
    )
    assert Sighting.objects.get(field_report=by_leader).hostile_group == jace
    other = Sighting.objects.get(field_report=unknown)
    assert other.hostile_group is None and other.group_name == "Jackals"
    assert Sighting.objects.get(field_report=nameless).hostile_group is None


def test_a_sighting_report_without_coordinates_is_placed_at_the_mission_area(
    mission: Mission, field_team: Any
) -> None:
    report = report_file(actor=field_team, mission=mission, kind="sighting", count=4)
    sighting = Sighting.objects.get(field_report=report)
    assert (sighting.latitude, sighting.longitude) == (mission.latitude, mission.longitude)


def test_a_hostile_perimeter_entry_creates_a_sighting_that_far_from_the_post(
    camp: Site, commander: Any, field_team: Any, jace: HostileGroup
) -> None:
    post = watch_post_create(actor=commander, name="North gate", latitude=31.95, longitude=-4.40)
    quiet = perimeter_log(actor=field_team, post=post, seen="nothing")
    assert quiet.sighting is None
    entry = perimeter_log(
        actor=field_team,
        post=post,
        seen="hostile",
        count=5,
        direction="n",
        distance_m=500,
        hostile_group=jace,
        confidence=0.9,
    )
    assert entry.sighting is not None
    sighting = entry.sighting
    assert (sighting.source, sighting.count, sighting.hostile_group) == ("watch", 5, jace)
    assert sighting.latitude == pytest.approx(31.95 + 500 / 111_195, abs=1e-5)
    assert sighting.longitude == pytest.approx(-4.40, abs=1e-9)
    assert sighting.notes == ""  # the post is the watch's: see test_sources
    assert Sighting.objects.count() == 1


def test_the_perimeter_log_refuses_a_hostile_entry_with_no_count(
    camp: Site, commander: Any, field_team: Any
) -> None:
    post = watch_post_create(actor=commander, name="Ridge", latitude=31.95, longitude=-4.40)
    with pytest.raises(ValidationFailed) as caught:
        perimeter_log(actor=field_team, post=post, seen="hostile", count=0, distance_m=300)
    assert set(caught.value.fields) == {"count", "direction"}
    assert Sighting.objects.count() == 0


def test_risk_rising_near_the_camp_raises_one_alert_for_commanders_and_field_teams(
    camp: Site, field_team: Any, commander: Any, viewer: Any
) -> None:
    near = (CAMP[0] + 0.005, CAMP[1])  # about 550 m north
    sighting_record(actor=field_team, latitude=near[0], longitude=near[1], count=6, confidence=0.9)
    alerts = list(Alert.objects.filter(kind="risk.camp"))
    assert len(alerts) == 1
    assert alerts[0].severity == "critical" and alerts[0].permission == "intel.watch_threats"
    # The same group seen again at the same place: the band has not risen, no second alert.
    sighting_record(actor=field_team, latitude=near[0], longitude=near[1], count=1, confidence=0.5)
    watch.risk_watch_sweep()
    assert Alert.objects.filter(kind="risk.camp").count() == 1
    assert [a.kind for a in alert_list(actor=commander)] == ["risk.camp"]
    assert [a.kind for a in alert_list(actor=field_team)] == ["risk.camp"]
    assert list(alert_list(actor=viewer)) == []


def test_risk_far_from_the_camp_and_from_any_route_raises_no_alert(
    camp: Site, field_team: Any
) -> None:
    sighting_record(
        actor=field_team, latitude=FAR_AWAY[0], longitude=FAR_AWAY[1], count=20, confidence=1.0
    )
    watch.risk_watch_sweep()
    assert not Alert.objects.filter(kind__startswith="risk.").exists()


def test_a_small_low_confidence_sighting_near_the_camp_raises_no_alert(
    camp: Site, field_team: Any
) -> None:
    sighting_record(actor=field_team, latitude=CAMP[0], longitude=CAMP[1], count=1, confidence=0.3)
    assert not Alert.objects.filter(kind__startswith="risk.").exists()


def test_risk_rising_on_the_route_of_a_mission_under_way_raises_one_alert_about_it(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    set_out(mission, commander)
    # Halfway along the leg from the waypoint km 42 to extraction Bravo.
    lat, lon = (33.45 + 33.52) / 2, (36.2 + 36.29) / 2
    sighting_record(actor=field_team, latitude=lat, longitude=lon, count=3, confidence=0.9)
    alerts = list(Alert.objects.filter(kind="risk.route"))
    assert len(alerts) == 1
    assert alerts[0].subject_id == str(mission.pk) and alerts[0].severity == "warning"
    assert mission.name in alerts[0].title
    watch.risk_watch_sweep()
    assert Alert.objects.filter(kind="risk.route").count() == 1
    # More of them: the risk climbs into the next band, a new alert.
    sighting_record(actor=field_team, latitude=lat, longitude=lon, count=6, confidence=0.9)
    assert list(Alert.objects.filter(kind="risk.route").values_list("severity", flat=True)) == [
        "critical",
        "warning",
    ]


def test_risk_on_the_route_of_a_mission_not_yet_under_way_raises_no_alert(
    mission: Mission, field_team: Any
) -> None:
    sighting_record(actor=field_team, latitude=33.45, longitude=36.2, count=10, confidence=1.0)
    assert not Alert.objects.filter(kind="risk.route").exists()


def test_the_sweep_alerts_when_a_mission_sets_out_into_risk_and_again_after_it_decayed(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    sighting_record(actor=field_team, latitude=33.45, longitude=36.2, count=3, confidence=1.0)
    set_out(mission, commander)
    assert len(watch.risk_watch_sweep()) == 1
    assert watch.risk_watch_sweep() == []
    # A day later the risk has decayed (and the alert resolved itself); the same sighting
    # again is a new rise.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert watch.risk_watch_sweep(now=tomorrow) == []
    first = Alert.objects.get(kind="risk.route")
    assert first.resolved_at is not None
    again = watch.risk_watch_sweep(now=timezone.now())
    assert len(again) == 1 and again[0].pk != first.pk


def test_a_risk_alert_resolves_itself_once_the_risk_decays_below_its_level(
    camp: Site, field_team: Any, commander: Any
) -> None:
    seen = timezone.now()
    near = (CAMP[0] + 0.005, CAMP[1])
    sighting_record(
        actor=field_team,
        latitude=near[0],
        longitude=near[1],
        count=6,
        confidence=0.9,
        seen_at=seen,
    )
    alert = Alert.objects.get(kind="risk.camp")
    assert alert.severity == "critical"
    # An hour on, the risk is still above the alert's level: it stays open.
    assert watch.risk_watch_sweep(now=seen + dt.timedelta(hours=1)) == []
    alert.refresh_from_db()
    assert alert.is_open
    # Two days on (eight half-lives), far below it: closed by itself, by nobody.
    assert watch.risk_watch_sweep(now=seen + dt.timedelta(days=2)) == []
    alert.refresh_from_db()
    assert not alert.is_open and alert.resolved_by is None
    assert alert.resolution.startswith("risk fell below 4: level 0.")
    assert list(alert_list(actor=commander)) == []
    assert AuditEntry.objects.filter(action="alert.resolve", object_id=str(alert.pk)).exists()


def test_an_alert_a_person_resolved_stays_as_they_left_it_when_the_risk_decays(
    camp: Site, field_team: Any, commander: Any
) -> None:
    seen = timezone.now()
    sighting_record(
        actor=field_team,
        latitude=CAMP[0],
        longitude=CAMP[1],
        count=6,
        confidence=0.9,
        seen_at=seen,
    )
    alert = alert_resolve(
        actor=commander,
        alert=Alert.objects.get(kind="risk.camp"),
        resolution="patrol sent",
    )
    watch.risk_watch_sweep(now=seen + dt.timedelta(days=2))
    alert.refresh_from_db()
    assert alert.resolution == "patrol sent" and alert.resolved_by == commander


def test_a_zone_drawn_across_a_route_is_alerted_at_once_and_once(
    mission: Mission, commander: Any
) -> None:
    set_out(mission, commander)
    routing.zone_draw(
        actor=commander,
        polygon=[[33.44, 36.19], [33.46, 36.19], [33.46, 36.21], [33.44, 36.21]],
        level=4,
    )
    alerts = list(Alert.objects.filter(kind__startswith="risk."))
    assert [(a.kind, a.severity) for a in alerts] == [("risk.route", "critical")]
    assert watch.risk_watch_sweep() == []


def test_a_team_on_its_way_home_is_still_watched(mission: Mission, commander: Any) -> None:
    set_out(mission, commander)
    transition(actor=commander, mission=mission, to="returning")
    sighting_record(actor=commander, latitude=33.52, longitude=36.29, count=5, confidence=1.0)
    assert Alert.objects.filter(kind="risk.route", subject_id=str(mission.pk)).exists()


def test_a_sighting_from_sync_that_skipped_the_grid_is_counted_by_the_sweep(
    camp: Site, field_team: Any
) -> None:
    sighting_record(actor=field_team, latitude=31.7, longitude=-4.03, count=2, confidence=0.5)
    # A row written without the service, as sync applies rows from another site.
    Sighting(latitude=31.71, longitude=-4.03, count=9, confidence=1.0, source="radio").save()
    watch.risk_watch_sweep()
    now = timezone.now()
    assert risk.levels_close(routing.risk_levels(now=now), full_recompute(now))


def test_only_commanders_and_field_teams_record_sightings_and_only_commanders_name_groups(
    camp: Site, viewer: Any, medic: Any, field_team: Any
) -> None:
    for user in (viewer, medic):
        with pytest.raises(Forbidden):
            sighting_record(actor=user, latitude=31.7, longitude=-4.03, count=1, confidence=0.5)
    with pytest.raises(Forbidden):
        hostile_group_create(actor=field_team, name="Ayoub Essouibrat's men")
    assert Sighting.objects.count() == 0 and HostileGroup.objects.count() == 0


def test_a_group_name_is_unique_and_an_update_is_audited(
    commander: Any, jace: HostileGroup
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        hostile_group_create(actor=commander, name="JACE'S BAND")
    assert "name" in caught.value.fields
    hostile_group_update(
        actor=commander, group=jace, changes={"size_estimate": 5, "status": "quiet"}
    )
    jace.refresh_from_db()
    assert (jace.size_estimate, jace.status) == (5, "quiet")
    assert AuditEntry.objects.filter(action="intel.group_update", object_id=str(jace.pk)).exists()


def test_a_sighting_is_refused_with_a_message_naming_each_bad_field(
    camp: Site, field_team: Any
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sighting_record(
            actor=field_team,
            latitude=95.0,
            longitude=-4.03,
            count=-1,
            confidence=1.5,
            seen_at=timezone.now() + dt.timedelta(days=1),
        )
    assert {"latitude", "count", "confidence", "seen_at"} <= set(caught.value.fields)


def test_watch_posts_are_the_commanders_to_set_up(camp: Site, field_team: Any) -> None:
    with pytest.raises(Forbidden):
        watch_post_create(actor=field_team, name="Ridge", latitude=31.95, longitude=-4.4)
    assert WatchPost.objects.count() == 0


def test_a_threat_on_the_streets_a_team_follows_is_alerted_off_the_straight_line(
    mission: Mission, commander: Any
) -> None:
    """The fixture's waypoints km 42 (33.45, 36.2) and Bravo (33.52, 36.29) joined by an L of
    streets, north then east: its corner lies ~5 km from the straight line between them."""
    from lifeline.routing.graph import RoadGraph
    from lifeline.routing.models import StoredGraph

    north = [(33.45 + 0.005 * i, 36.2) for i in range(15)]
    east = [(33.52, 36.2 + 0.005 * i) for i in range(1, 19)]
    nodes = north + east
    graph = RoadGraph.from_edges(
        [p[0] for p in nodes],
        [p[1] for p in nodes],
        list(range(len(nodes) - 1)),
        list(range(1, len(nodes))),
    )
    StoredGraph.objects.create(
        name="l-road",
        node_count=graph.node_count,
        edge_count=graph.edge_count,
        arrays=routing.graph_pack(graph),
    )
    set_out(mission, commander)
    corner = (33.52, 36.2)
    straight = risk.cells_along(
        [(33.45, 36.2), (33.52, 36.29)], resolution=routing.RESOLUTION, buffer_m=150
    )
    assert risk.cell_of(*corner, routing.RESOLUTION) not in straight
    routing.zone_draw(
        actor=commander,
        polygon=[[33.519, 36.199], [33.521, 36.199], [33.521, 36.201], [33.519, 36.201]],
        level=4,
    )
    alerts = list(Alert.objects.filter(kind="risk.route"))
    assert [(a.subject_id, a.severity) for a in alerts] == [(str(mission.pk), "critical")]
