"""`lifeline stock` and `lifeline ration`: the same rules as the API, errors as exit codes."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from lifeline.core.commandline import command_root_build
from lifeline.supplies.cli import ration_app, stock_app
from lifeline.supplies.models import Item, Location, Movement

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> Any:
    return CliRunner().invoke(
        command_root_build({"stock": stock_app, "ration": ration_app}), list(args)
    )


def test_logistics_receives_and_lists_stock(logistics: Any, store: Location, flour: Item) -> None:
    result = run(
        "--user",
        "logistics",
        "stock",
        "move",
        "receipt",
        "--location",
        "main-store",
        "--item",
        "flour",
        "--quantity",
        "25",
        "--batch",
        "WF-9",
    )
    assert result.exit_code == 0, result.output
    listed = run("--user", "logistics", "stock", "list")
    assert "WF-9" in listed.output and "25 kg" in listed.output


def test_a_bad_option_is_named_and_nothing_is_written(
    logistics: Any, store: Location, flour: Item
) -> None:
    result = run(
        "--user",
        "logistics",
        "stock",
        "move",
        "receipt",
        "--location",
        "main-store",
        "--item",
        "flour",
        "--quantity",
        "lots",
    )
    assert result.exit_code == 2
    assert "--quantity" in result.output
    assert not Movement.objects.exists()


def test_a_viewer_cannot_move_stock(viewer: Any, store: Location, flour: Item) -> None:
    result = run(
        "--user",
        "viewer",
        "stock",
        "move",
        "receipt",
        "--location",
        "main-store",
        "--item",
        "flour",
        "--quantity",
        "1",
    )
    assert result.exit_code == 4


def test_a_second_issue_of_one_card_exits_with_the_conflict_code(
    logistics: Any, make_household: Any, cycle: Any, point: Any, store: Location, flour: Item
) -> None:
    from decimal import Decimal

    from lifeline.supplies import services

    services.stock_receive(actor=logistics, location=store, item=flour, quantity=Decimal(50))
    make_household("RC-CLI", 2)
    args = ["--user", "logistics", "ration", "issue", "RC-CLI"]
    args += ["--cycle", str(cycle.pk), "--point", str(point.pk)]
    assert run(*args).exit_code == 0
    second = run(*args)
    assert second.exit_code == 5
    assert "already collected" in second.output


@pytest.fixture
def english_after() -> Any:
    """`--lang` activates a language in this thread: the tests after this one read English."""
    from django.utils import translation

    yield
    translation.deactivate()


def test_the_ration_commands_speak_french_with_lang_fr(
    english_after: None,
    logistics: Any,
    make_household: Any,
    cycle: Any,
    point: Any,
    store: Location,
    flour: Item,
) -> None:
    from decimal import Decimal

    from lifeline.supplies import services

    services.stock_receive(actor=logistics, location=store, item=flour, quantity=Decimal(50))
    make_household("RC-FR", 2)
    args = ["--lang", "fr", "--user", "logistics", "ration", "issue", "RC-FR"]
    args += ["--cycle", str(cycle.pk), "--point", str(point.pk)]
    assert run(*args).exit_code == 0
    second = run(*args)
    assert second.exit_code == 5
    assert "la carte de ration RC-FR a déjà retiré Cycle 7" in second.output
    days = run("--lang", "fr", "--user", "logistics", "stock", "days", "flour")
    assert days.exit_code == 0, days.output
    assert "Wheat flour à " in days.output and "jours" in days.output
    assert "kcal par personne et par jour (Sphère)" in days.output
