"""The `lifeline` command speaks the language it is asked for (--lang, else LANG): its sentences
and its errors, while codes and keys stay as they are typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation
from typer.testing import CliRunner, Result

from lifeline.core.cli import app as site_app
from lifeline.core.commandline import command_root_build
from lifeline.core.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    # The command activates its language for the thread; the next test starts in English again.
    with translation.override("en"):
        yield


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1", **(env or {})})
    return runner.invoke(command_root_build({"site": site_app}), ["--user", "commander", *args])


def test_the_cli_speaks_french_when_asked(commander: object, site: Site) -> None:
    done = run("--lang", "fr", "site", "unset", "care.retriage_minutes")
    assert done.exit_code == 0
    assert done.output.strip() == "care.retriage_minutes n'était pas défini"

    refused = run("--lang", "fr", "site", "unset", "nosuch.setting")
    assert refused.exit_code == 2
    assert refused.output.splitlines() == [
        "erreur : la saisie n'est pas valide",
        "  key: aucun réglage « nosuch.setting »",  # the field is named as it is typed
    ]


def test_the_cli_follows_lang_and_writes_arabic(commander: object, site: Site) -> None:
    moved = run("site", "position", "12.5", "3.25", env={"LANG": "ar_SY.UTF-8"})
    assert moved.exit_code == 0
    assert moved.output.strip() == f"{site.name} عند 12.50000,3.25000"


def test_without_lang_or_lang_the_cli_writes_english(commander: object, site: Site) -> None:
    done = run("site", "unset", "care.retriage_minutes", env={"LANG": None, "LC_ALL": None})
    assert done.output.strip() == "care.retriage_minutes was not set"
