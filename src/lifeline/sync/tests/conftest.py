"""A world of sites for sync's tests: one migrated template database for the session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from lifeline.sync.tests.sites import SiteWorld, template_database


@pytest.fixture(scope="session")
def site_template(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any
) -> Path:
    with django_db_blocker.unblock():
        return template_database(tmp_path_factory.mktemp("sync-template"))


@pytest.fixture
def world(
    site_template: Path, tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any
) -> Any:
    """make(codes) -> a SiteWorld of fresh databases, one per site code."""

    def make(codes: Sequence[str]) -> SiteWorld:
        return SiteWorld(tmp_path_factory.mktemp("sites"), codes, site_template)

    with django_db_blocker.unblock():
        yield make


WorldMaker = Callable[[Sequence[str]], SiteWorld]
