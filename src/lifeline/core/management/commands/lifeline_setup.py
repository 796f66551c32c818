"""`manage.py lifeline_setup [--demo]`: the operator's set-up after `migrate`. Idempotent.

Ensures this site and the role groups, creates the admin account once (its generated password
printed once and kept in var/admin-password, mode 0600) and, with --demo, the demo accounts and
the demo scenario, loaded once.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser, BooleanOptionalAction
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from lifeline.core.clock import site_local
from lifeline.core.services import roles_sync, user_create
from lifeline.demo.accounts import (
    DEMO_ACCOUNTS,
    demo_accounts_ensure,
    password_generate,
    private_file_write,
)
from lifeline.demo.loader import demo_load
from lifeline.demo.population import DEFAULT_SIZE

ADMIN_USERNAME = "admin"


def _shown(path: Path) -> str:
    """A path as the operator typed it: relative to the project when it lies inside."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Command(BaseCommand):
    help = "Set up this installation: site, roles, admin account; --demo adds the demo."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--demo",
            action=BooleanOptionalAction,
            default=False,
            help="also create the demo sites, accounts and scenario (once)",
        )
        parser.add_argument(
            "--population",
            type=int,
            default=DEFAULT_SIZE,
            help=f"persons in the generated demo population (default {DEFAULT_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles_sync()
        site = site_local()
        self.stdout.write(f"Site: {site.name} ({site.code})")
        self._admin_ensure(Path(settings.VAR_DIR) / "admin-password")
        if options["demo"]:
            self._demo_ensure(Path(settings.VAR_DIR) / "demo-users.txt", options["population"])

    def _admin_ensure(self, path: Path) -> None:
        exists = User.objects.filter(username=ADMIN_USERNAME).exists()
        kept = path.read_text().strip() if path.exists() else ""
        if exists:
            where = f"kept in {_shown(path)}" if kept else "not kept by this installation"
            self.stdout.write(f"Admin account: {ADMIN_USERNAME} (password {where})")
            return
        # A kept password is reused when the database was recreated: it is never replaced.
        password = kept or password_generate()
        user_create(
            actor=None, username=ADMIN_USERNAME, password=password, role=None, superuser=True
        )
        if kept:
            self.stdout.write(
                f"Admin account: {ADMIN_USERNAME} recreated (password kept in {_shown(path)})"
            )
            return
        private_file_write(path, password + "\n")
        self.stdout.write(
            self.style.SUCCESS(f"Admin account: {ADMIN_USERNAME}  password: {password}")
        )
        self.stdout.write(f"  (shown once; kept in {_shown(path)}, readable only by you)")

    def _demo_ensure(self, path: Path, population: int) -> None:
        accounts = demo_accounts_ensure(path=path)
        if accounts.created:
            self.stdout.write(self.style.SUCCESS("Demo accounts (shown once):"))
            roles = {account.username: account.role.value for account in DEMO_ACCOUNTS}
            for username, password in accounts.created.items():
                self.stdout.write(f"  {username:<10} {roles[username]:<20} {password}")
        self.stdout.write(f"Demo accounts: passwords kept in {_shown(path)}")
        started = time.monotonic()
        result = demo_load(cast=accounts.cast, population=population)
        if not result.loaded:
            self.stdout.write("Demo scenario: already loaded")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo scenario: {result.story_persons} people of the stories and "
                f"{result.generated_persons} generated, loaded in "
                f"{time.monotonic() - started:.0f} s"
            )
        )
