"""The threat part of the demo: the stories' two hostile groups with their sightings, armed men
in Mavrah's hot streets raising the rescue team's route alert, the watch of Desert Base."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.demo import missions as missions_demo
from lifeline.demo import routing as routing_demo
from lifeline.demo import threats as threats_demo
from lifeline.demo.accounts import Cast
from lifeline.demo.scenario import demo_sites_ensure
from lifeline.intel.models import HostileGroup, PerimeterLogEntry, Sighting
from lifeline.routing import services as routing

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(cast: Cast) -> Cast:
    demo_sites_ensure()
    roles = {"commander": cast.commander, "field_team": cast.field_team}
    missions_demo.load(actor_by_role=roles)
    routing_demo.load(actor_by_role=roles)
    threats_demo.load(actor_by_role=roles)
    return cast


def test_ayoubs_men_and_jaces_band_are_known_with_where_they_were_last_seen(
    loaded: Cast,
) -> None:
    ayoub = HostileGroup.objects.get(name="Ayoub Essouibrat's men")
    jace = HostileGroup.objects.get(name="Jace's band")
    assert (ayoub.leader, jace.leader) == ("Ayoub Essouibrat", "Jace")
    assert ayoub.last_seen_latitude == pytest.approx(33.3712)
    assert jace.last_seen_at is not None and jace.last_seen_at.month == 10
    assert Sighting.objects.filter(hostile_group=ayoub).count() == 2


def test_armed_men_in_mavrahs_hot_streets_raise_the_rescue_teams_route_alert(
    loaded: Cast,
) -> None:
    titles = list(Alert.objects.filter(kind="risk.route").values_list("title", flat=True))
    assert any("Search and rescue, Mavrah" in t for t in titles)
    levels = routing.risk_levels(now=timezone.now())
    assert max(levels.values()) >= 2  # fresh risk east of the mosque, on the map


def test_the_watch_of_desert_base_has_two_posts_and_a_log(loaded: Cast) -> None:
    entries = PerimeterLogEntry.objects.select_related("post")
    assert {e.post.name for e in entries} == {"North gate", "Ridge"}
    assert [e.seen for e in entries if e.sighting_id] == ["hostile"]


def test_a_second_load_adds_nothing(loaded: Cast) -> None:
    before = Sighting.objects.count()
    roles = {"commander": loaded.commander, "field_team": loaded.field_team}
    assert threats_demo.load(actor_by_role=roles) == []
    assert Sighting.objects.count() == before


def test_the_demo_has_mavrahs_basemap_made_from_its_road_graph(loaded: Cast) -> None:
    from lifeline.routing import selectors as routing_selectors

    kept = routing_selectors.basemap_list()
    assert [row.name for row in kept] == ["mavrah"]
    info = kept[0].info
    assert info.vector and info.south < 31.6940 < 31.7075 < info.north
