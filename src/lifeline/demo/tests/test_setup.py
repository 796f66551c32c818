"""`manage.py lifeline_setup` then `manage.py lifeline_demo`, as `make setup` runs them:
idempotent, one admin, passwords shown once and kept private."""

from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpRequest

from lifeline.core.models import AuditEntry, ChangeLogEntry, Setting, Site
from lifeline.demo.accounts import DEMO_ACCOUNTS, passwords_read
from lifeline.people.models import ConditionObservation, Household, Person, StatusEvent

pytestmark = pytest.mark.django_db

SMALL = 40  # generated persons: enough to exercise households and histories, and quick


def setup(*, demo: bool = False, population: int = SMALL) -> str:
    out = StringIO()
    call_command("lifeline_setup", stdout=out)
    if demo:
        call_command("lifeline_demo", population=population, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "sites": Site.objects.count(),
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "status events": StatusEvent.objects.count(),
        "conditions": ConditionObservation.objects.count(),
        "change log": ChangeLogEntry.objects.count(),
        "settings": Setting.objects.count(),
    }


def test_setup_without_the_demo_creates_this_site_and_the_admin_only(var_dir: Path) -> None:
    out = setup()

    assert list(Site.objects.values_list("code", flat=True)) == ["desert-base"]
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    assert Person.objects.count() == 0
    password = (var_dir / "admin-password").read_text().strip()
    assert password in out
    assert authenticate(HttpRequest(), username="admin", password=password) is not None


def test_setup_twice_keeps_the_counts_one_admin_and_the_password_file(var_dir: Path) -> None:
    first_out = setup(demo=True)
    admin_file = (var_dir / "admin-password").read_text()
    users_file = (var_dir / "demo-users.txt").read_text()
    before = counts()

    second_out = setup(demo=True)

    assert counts() == before
    assert User.objects.filter(username="admin").count() == 1
    assert (var_dir / "admin-password").read_text() == admin_file
    assert (var_dir / "demo-users.txt").read_text() == users_file
    assert admin_file.strip() in first_out
    assert admin_file.strip() not in second_out
    assert "admin-password" in second_out
    assert "already loaded" in second_out
    for password in passwords_read(var_dir / "demo-users.txt").values():
        assert password not in second_out


def test_the_demo_creates_the_three_sites_with_coordinates(var_dir: Path) -> None:
    setup(demo=True)

    sites = {site.code: site for site in Site.objects.all()}
    assert {code: site.name for code, site in sites.items()} == {
        "desert-base": "Desert Base",
        "forest-camp": "Forest Camp",
        "the-compound": "The Compound",
    }
    assert all(site.latitude is not None and site.longitude is not None for site in sites.values())


def test_the_demo_creates_one_account_per_role_with_its_password_kept(var_dir: Path) -> None:
    out = setup(demo=True)

    kept = passwords_read(var_dir / "demo-users.txt")
    assert stat.S_IMODE((var_dir / "demo-users.txt").stat().st_mode) == 0o600
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert list(user.groups.values_list("name", flat=True)) == [account.role.value]
        assert kept[account.username] in out
        assert authenticate(
            HttpRequest(), username=account.username, password=kept[account.username]
        )


def test_colonel_rahim_is_a_commander_account(var_dir: Path) -> None:
    setup(demo=True)

    rahim = User.objects.get(username="rahim")
    assert rahim.groups.filter(name="commander").exists()
    assert rahim.has_perm("people.view_protection")


def test_the_demo_writes_through_the_services_so_change_log_and_audit_rows_exist(
    var_dir: Path,
) -> None:
    setup(demo=True)

    persons = Person.objects.count()
    registered = AuditEntry.objects.filter(action="person.register").count()
    assert registered == persons
    logged = ChangeLogEntry.objects.filter(model="people.person", op="create").count()
    assert logged == persons
    assert ChangeLogEntry.objects.filter(model="people.statusevent").count() == (
        StatusEvent.objects.count()
    )


def test_the_demo_is_not_loaded_again_when_the_site_code_changes(
    var_dir: Path, settings: Any
) -> None:
    setup(demo=True)
    persons = Person.objects.count()
    settings.LIFELINE_SITE = "forest-camp"

    out = setup(demo=True)

    assert "already loaded" in out
    assert Person.objects.count() == persons
