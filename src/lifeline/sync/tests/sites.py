"""Several Lifeline sites in one process, each with its own SQLite database file.

`SiteWorld.at(code)` swaps Django's default connection for that site's (the test database's
connection is put back afterwards, untouched) and sets LIFELINE_SITE, so every service, the
clock and the apply path run exactly as at a real site. A migrated template file is copied for
each site, so a new world costs a file copy, not a migration.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import load_backend
from django.test import override_settings


def _wrapper(where: Path | Mapping[str, Any]) -> BaseDatabaseWrapper:
    """A connection to a site's SQLite file, or to the database a settings dict names (a
    PostgreSQL headquarters beside SQLite camps)."""
    if not isinstance(where, Path):
        config = connections.configure_settings({"default": dict(where)})["default"]
        return load_backend(config["ENGINE"]).DatabaseWrapper(config, alias="default")  # type: ignore[no-any-return]
    config = {**connections["default"].settings_dict, "NAME": str(where)}
    config["TEST"] = {**config.get("TEST", {}), "NAME": str(where)}
    return DatabaseWrapper(config, alias="default")


@contextmanager
def _connected(where: Path | Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    original = connections["default"]
    wrapper = _wrapper(where)
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


def database_migrate(config: Mapping[str, Any]) -> None:
    """Migrate the (empty) database a settings dict names."""
    with _connected(config):
        call_command("migrate", verbosity=0, interactive=False)


class SiteWorld:
    def __init__(
        self,
        directory: Path,
        codes: Sequence[str],
        template: Path,
        databases: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """A site per code: a copy of the template SQLite file, or, for a code in
        `databases`, the (migrated) database that settings dict names."""
        self.directory = directory
        self.codes = list(codes)
        self.paths: dict[str, Path | Mapping[str, Any]] = {}
        for code in self.codes:
            if databases and code in databases:
                self.paths[code] = databases[code]
                continue
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


# Two camps that know each other, as the radio and bundle tests start from.
CAMPS = ("forest", "desert")


def chief() -> Any:
    """The commander of the camp `SiteWorld.at` is in."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="chief")


def staff(
    world: SiteWorld, codes: Sequence[str], *, may_hold_protected: bool = True
) -> dict[str, str]:
    """A commander ("chief") at each site; every site registers every other as a peer.
    Returns each site's identity."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from lifeline.core.clock import site_local
    from lifeline.core.roles import Role
    from lifeline.core.services import roles_sync
    from lifeline.sync import services

    identity = {}
    for code in codes:
        with world.at(code):
            site_local()
            roles_sync()
            user = get_user_model().objects.create_user(username="chief", password="x" * 20)
            user.groups.add(Group.objects.get(name=Role.COMMANDER.value))
            identity[code] = services.site_identity()
    for code in codes:
        with world.at(code):
            for other in codes:
                if other != code:
                    services.peer_register(
                        actor=chief(), identity=identity[other],
                        may_hold_protected=may_hold_protected,
                    )  # fmt: skip
    return identity


def camps_paired(w: SiteWorld) -> SiteWorld:
    """The CAMPS of `w`, each with a commander, each registered as the other's peer."""
    staff(w, CAMPS, may_hold_protected=False)
    return w
