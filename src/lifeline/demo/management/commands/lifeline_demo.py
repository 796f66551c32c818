"""`manage.py lifeline_demo`: the demo sites, accounts and scenario, loaded once, after
`manage.py lifeline_setup`. Idempotent.

Each demo account's generated password is printed once and kept in var/demo-users.txt (mode
0600); a re-run reuses them and says the scenario is already loaded.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lifeline.core.passwords import path_shown
from lifeline.core.services import roles_sync
from lifeline.demo.accounts import DEMO_ACCOUNTS, demo_accounts_ensure
from lifeline.demo.loader import demo_load
from lifeline.demo.population import DEFAULT_SIZE


class Command(BaseCommand):
    help = "Load the demo sites, accounts and scenario (once), after lifeline_setup."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--population",
            type=int,
            default=DEFAULT_SIZE,
            help=f"persons in the generated demo population (default {DEFAULT_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles_sync()  # the accounts join the role groups, even when run on its own
        path = Path(settings.VAR_DIR) / "demo-users.txt"
        accounts = demo_accounts_ensure(path=path)
        if accounts.created:
            self.stdout.write(self.style.SUCCESS("Demo accounts (shown once):"))
            roles = {account.username: account.role.value for account in DEMO_ACCOUNTS}
            for username, password in accounts.created.items():
                self.stdout.write(f"  {username:<10} {roles[username]:<20} {password}")
        self.stdout.write(f"Demo accounts: passwords kept in {path_shown(path)}")
        started = time.monotonic()
        result = demo_load(cast=accounts.cast, population=options["population"])
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
