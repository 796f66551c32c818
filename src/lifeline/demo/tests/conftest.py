"""Fixtures of the demo tests: a fast password hasher and a private var/ folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lifeline.demo.accounts import Cast, demo_accounts_ensure


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    # The demo creates eight accounts; PBKDF2 at full strength would dominate the tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return Path(settings.VAR_DIR)


@pytest.fixture
def cast(db: None, var_dir: Path) -> Cast:
    from lifeline.core.services import roles_sync

    roles_sync()
    return demo_accounts_ensure(path=var_dir / "demo-users.txt").cast
