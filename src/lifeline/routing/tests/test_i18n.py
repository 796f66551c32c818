"""Routes in the user's language: the turn list, the distances, the reasons and the files for a
GPS unit read in French and Arabic, while the street names stay as they were mapped. And the
catalogues of intel, facilities and routing are complete (no empty or fuzzy message)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gpxpy
import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from lifeline.core.models import Site
from lifeline.routing import services
from lifeline.routing.models import StoredGraph
from lifeline.routing.tests.test_app import AT_BRAVO, AT_SCHOOL, BRAVO, SCHOOL, around
from lifeline.routing.turns import Turn

LIFELINE = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _language_given_back() -> Iterator[None]:
    """The CLI and a request's Accept-Language activate a language for the whole thread (the
    test client's requests run in it): each test here gives English back to the next tests."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize(
    ("language", "left", "depart"),
    [
        ("en", "Turn left onto Rue des Oliviers", "Start along شارع السوق, heading east"),
        ("fr", "Tournez à gauche sur Rue des Oliviers", "Partez par شارع السوق, cap est"),
        ("ar", "انعطف يساراً إلى Rue des Oliviers", "انطلق عبر شارع السوق باتجاه الشرق"),
    ],
)
def test_a_turn_reads_in_the_users_language_with_the_street_as_mapped(
    language: str, left: str, depart: str
) -> None:
    with translation.override(language):
        assert services.turn_text(Turn("left", "Rue des Oliviers", 120.0, 0, 0, 0)) == left
        assert services.turn_text(Turn("depart", "شارع السوق", 80.0, 0, 0, 90)) == depart


@pytest.mark.parametrize(
    ("language", "near", "far"),
    [("en", "87 m", "1.2 km"), ("fr", "87 m", "1,2 km"), ("ar", "87 م", "كم")],
)
def test_distances_carry_the_units_of_the_language(language: str, near: str, far: str) -> None:
    with translation.override(language):
        assert services.distance_words(87) == near
        assert far in services.distance_words(1234.5)


@pytest.fixture
def town(site: Site, commander: Any) -> StoredGraph:
    return services.graph_generate_demo(actor=commander)


def _api(user: Any, language: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_the_gpx_file_names_the_route_and_its_turns_in_french(
    town: StoredGraph, medic: Any
) -> None:
    query = {"origin": AT_SCHOOL, "destination": AT_BRAVO}
    response = _api(medic, "fr").get("/api/routes/gpx/", query)
    assert response.status_code == 200
    gpx = gpxpy.parse(response.content.decode())
    assert gpx.name == "Itinéraire le plus sûr sur mavrah"  # the graph's name is data
    assert "exposition" in (gpx.description or "")
    turns = gpx.routes[0].points
    assert turns[0].comment.startswith("Partez par") and turns[-1].comment == "Arrivée"
    assert all(" m)" in t.comment for t in turns[:-1])


@pytest.mark.django_db
def test_the_geojson_turns_read_in_arabic_and_keep_their_codes(
    town: StoredGraph, medic: Any
) -> None:
    query = {"origin": AT_SCHOOL, "destination": AT_BRAVO}
    response = _api(medic, "ar").get("/api/routes/geojson/", query)
    line, *turns = json.loads(response.content)["features"]
    assert line["properties"]["name"] == "المسار الأكثر أماناً على mavrah"
    assert turns[0]["properties"]["action"] == "depart"  # codes stay stable
    assert turns[0]["properties"]["instruction"].startswith("انطلق عبر")
    assert turns[-1]["properties"]["instruction"] == "الوصول"


@pytest.mark.django_db
def test_a_route_that_cannot_avoid_a_zone_says_why_in_french(
    town: StoredGraph, commander: Any
) -> None:
    services.zone_draw(actor=commander, polygon=around(BRAVO, 0.002), level=4)
    with translation.override("fr"):
        plan = services.route_safest(
            actor=commander, origin=SCHOOL, destination=BRAVO, avoid_level=4
        )
    assert not plan.found
    assert plan.reason == "la destination est dans une zone de niveau de risque 4 ou plus"


def _messages(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, every msgstr joined, fuzzy) of each entry but the header."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        ids = re.findall(r'^msgid "(.*)"((?:\n".*")*)', text, re.MULTILINE)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text, re.MULTILINE)
        msgid = "".join(first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in ids)
        if not ids or not msgid:
            continue
        parts = [first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in strs]
        entries.append((msgid, "" if not all(parts) else "|".join(parts), fuzzy))
    return entries


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize("app", ["intel", "facilities", "routing"])
def test_the_catalogue_is_complete(app: str, language: str) -> None:
    po = LIFELINE / app / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = _messages(po)
    assert len(entries) > 40
    assert [msgid for msgid, text, _fuzzy in entries if not text] == []
    assert [msgid for msgid, _text, fuzzy in entries if fuzzy] == []


@pytest.mark.django_db
def test_the_cli_plans_a_route_in_french_with_its_turn_list(site: Site, commander: Any) -> None:
    from typer.testing import CliRunner

    from lifeline.core.commandline import command_root_build
    from lifeline.routing.cli import app as route_app

    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1", "LANG": "C.UTF-8"})
    app = command_root_build({"route": route_app})
    user = ["--lang", "fr", "--user", commander.get_username(), "route"]
    made = runner.invoke(app, [*user, "demo-town"], catch_exceptions=False)
    planned = runner.invoke(
        app, [*user, "plan", "--from", AT_SCHOOL, "--to", AT_BRAVO], catch_exceptions=False
    )
    assert "réseau routier mavrah v1" in made.output
    assert planned.exit_code == 0, planned.output
    lines = planned.output.splitlines()
    assert lines[0].startswith("le plus sûr : ") and "exposition" in lines[0]
    assert lines[1].startswith("  Partez par") and lines[-1] == "  Arrivée"
