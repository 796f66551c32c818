"""Several Lifeline sites in one process, each with its own SQLite database file.

`SiteWorld.at(code)` swaps Django's default connection for that site's (the test database's
connection is put back afterwards, untouched) and sets LIFELINE_SITE, so every service, the
clock and the apply path run exactly as at a real site. A migrated template file is copied for
each site, so a new world costs a file copy, not a migration.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import override_settings


def _wrapper(path: Path) -> DatabaseWrapper:
    config = {**connections["default"].settings_dict, "NAME": str(path)}
    config["TEST"] = {**config.get("TEST", {}), "NAME": str(path)}
    return DatabaseWrapper(config, alias="default")


@contextmanager
def _connected(path: Path) -> Iterator[DatabaseWrapper]:
    original = connections["default"]
    wrapper = _wrapper(path)
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections["default"] = original


def template_database(directory: Path) -> Path:
    """A migrated empty database file to copy for each site."""
    path = directory / "template.sqlite3"
    if not path.exists():
        with _connected(path):
            call_command("migrate", verbosity=0, interactive=False)
    return path


class SiteWorld:
    def __init__(self, directory: Path, codes: Sequence[str], template: Path) -> None:
        self.directory = directory
        self.codes = list(codes)
        self.paths: dict[str, Path] = {}
        for code in self.codes:
            path = directory / f"{code}.sqlite3"
            shutil.copyfile(template, path)
            self.paths[code] = path

    @contextmanager
    def at(self, code: str) -> Iterator[Any]:
        """Run as site `code`: its database, its site code."""
        with (
            override_settings(LIFELINE_SITE=code, LIFELINE_SITE_NAME=code.title()),
            _connected(self.paths[code]) as wrapper,
        ):
            yield wrapper

    @property
    def site_code(self) -> str:
        return str(settings.LIFELINE_SITE)
