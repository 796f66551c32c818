"""The two-camp walk-through (README): a child registered at the forest camp, a bundle carried
by the convoy, and the mother at the desert base finds her child by a spelling of the name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from typer.testing import CliRunner

from lifeline.core.clock import site_local
from lifeline.core.roles import Role
from lifeline.core.services import roles_sync
from lifeline.people.matching.selectors import person_search
from lifeline.people.services import person_register
from lifeline.sync.tests.conftest import WorldMaker

CAMPS = ("forest", "desert")


def _staff() -> None:
    roles_sync()
    for name, role in (("chief", Role.COMMANDER), ("clerk", Role.REGISTRAR)):
        user = get_user_model().objects.create_user(username=name, password="x" * 20)
        user.groups.add(Group.objects.get(name=role.value))


def _run(*args: str) -> Any:
    from lifeline.cli import app_build

    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    done = runner.invoke(app_build(), ["--user", "chief", *args])
    assert done.exit_code == 0, done.output
    return done


def test_a_child_registered_at_one_camp_is_found_at_the_other_after_a_bundle(
    world: WorldMaker, tmp_path: Path
) -> None:
    w = world(list(CAMPS))
    identity = {}
    for code in CAMPS:
        with w.at(code):
            site_local()
            _staff()
            identity[code] = _run("sync", "identity").output.strip()
    with w.at("desert"):
        _run("sync", "peer", "add", identity["forest"])
    with w.at("forest"):
        _run("sync", "peer", "add", identity["desert"])
        clerk = get_user_model().objects.get(username="clerk")
        child = person_register(
            actor=clerk, given_name="Yasmin", family_name="Al-Khatib", age_years=7, sex="female"
        )
        bundle = tmp_path / "convoy.llsync"
        _run("sync", "export", str(bundle), "--peer", "desert")
    with w.at("desert"):
        imported = _run("sync", "import", str(bundle))
        assert "0 waiting" in imported.output
        clerk = get_user_model().objects.get(username="clerk")
        # The mother spells the name her way; the spelling-robust search finds the child.
        found = person_search(actor=clerk, query="Yasmine Alkhatib")
        assert found and found[0].person.pk == child.pk
