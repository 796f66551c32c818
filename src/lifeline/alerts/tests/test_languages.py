"""An alert is kept as its message and the values of its placeholders, and each reader sees it
in their own language: the inbox page, the CLI and the API (Accept-Language). An alert raised
with a finished English text still shows, translated when it is a message of the catalogues."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lifeline.alerts.cli import app as alert_app
from lifeline.alerts.models import Alert
from lifeline.alerts.services import alert_raise
from lifeline.core.commandline import command_root_build
from lifeline.core.models import Site
from lifeline.people.arrivals import CARD_SHARED_KIND

pytestmark = pytest.mark.django_db
TITLE = gettext_lazy("Ration card %(card)s is held by %(count)s households")


@pytest.fixture
def shared_card(site: Site) -> Alert:
    with translation.override("ar"):  # the language of whoever raises it does not matter
        return alert_raise(
            kind=CARD_SHARED_KIND, key="AB-12", title=TITLE, params={"card": "AB-12", "count": 2}
        )


def test_an_alert_keeps_its_message_and_params_and_its_english_text(shared_card: Alert) -> None:
    shared_card.refresh_from_db()
    assert shared_card.title == "Ration card AB-12 is held by 2 households"
    assert shared_card.title_msgid == "Ration card %(card)s is held by %(count)s households"
    assert shared_card.params == {"card": "AB-12", "count": 2}


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", "La carte de ration AB-12 est détenue par 2 ménages"),
        ("ar", "بطاقة التموين AB-12 تحملها 2 أسر"),
        ("en", "Ration card AB-12 is held by 2 households"),
    ],
)
def test_each_reader_sees_the_alert_in_their_language(
    shared_card: Alert, language: str, shown: str
) -> None:
    with translation.override(language):
        assert shared_card.shown_title == shown


def test_a_finished_text_is_kept_and_translated_when_it_is_a_known_message(site: Site) -> None:
    known = alert_raise(kind=CARD_SHARED_KIND, key="k1", title="Ration card AB-9 is shared")
    fixed = alert_raise(kind=CARD_SHARED_KIND, key="k2", title="Resolved: %(title)s")
    with translation.override("fr"):
        assert known.shown_title == "Ration card AB-9 is shared"  # data as raised
        assert fixed.shown_title == "Résolue : %(title)s"  # looked up in the catalogues


def test_the_note_of_an_alert_closed_by_sync_reads_in_the_readers_language(
    shared_card: Alert,
) -> None:
    note = "the same alert as the one raised at Forest camp, kept open"
    shared_card.resolved_at, shared_card.same_as = timezone.now(), uuid.uuid4()
    shared_card.resolution = note
    shared_card.save(update_fields=["resolved_at", "same_as", "resolution"])
    shared_card.refresh_from_db()
    with translation.override("fr"):
        assert shared_card.shown_resolution == (
            "la même alerte que celle déclenchée à Forest camp, laissée ouverte"
        )
    assert shared_card.shown_resolution == note


def test_a_message_that_does_not_fit_its_params_is_refused_when_raised(site: Site) -> None:
    with pytest.raises(ValueError, match="does not fit its params"):
        alert_raise(kind=CARD_SHARED_KIND, key="k3", title=TITLE, params={"card": "X"})


def test_the_api_gives_the_title_in_the_accept_language_under_the_same_field(
    shared_card: Alert, commander: Any
) -> None:
    api = APIClient()
    api.force_authenticate(commander)
    rows = api.get("/api/alerts/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    row = next(r for r in rows if r["id"] == str(shared_card.pk))
    assert row["title"] == "La carte de ration AB-12 est détenue par 2 ménages"
    assert row["kind"] == CARD_SHARED_KIND and row["severity"] == "warning"


def test_the_cli_lists_the_alert_in_french(shared_card: Alert, commander: Any) -> None:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    root = command_root_build({"alert": alert_app})
    result = runner.invoke(root, ["--user", "commander", "--lang", "fr", "alert", "list"])
    assert result.exit_code == 0, result.output
    assert "La carte de ration AB-12 est détenue par 2 ménages" in result.output
    assert "NOUVELLE" in result.output
