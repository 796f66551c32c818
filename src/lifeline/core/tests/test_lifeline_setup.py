"""`manage.py lifeline_setup`: one admin, its password shown once and kept private."""

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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return Path(settings.VAR_DIR)


def setup() -> str:
    out = StringIO()
    call_command("lifeline_setup", stdout=out)
    return out.getvalue()


def test_the_admin_password_file_is_readable_only_by_its_owner(var_dir: Path) -> None:
    setup()

    for name in ("admin-password",):
        mode = stat.S_IMODE((var_dir / name).stat().st_mode)
        assert mode == 0o600


def test_a_recreated_admin_gets_the_kept_password_not_a_new_one(var_dir: Path) -> None:
    setup()
    password = (var_dir / "admin-password").read_text().strip()
    User.objects.filter(username="admin").delete()

    out = setup()

    assert password not in out
    assert (var_dir / "admin-password").read_text().strip() == password
    assert authenticate(HttpRequest(), username="admin", password=password) is not None
