"""`manage.py lifeline_setup`: the operator's set-up after `migrate`. Idempotent.

Ensures this site and the role groups and creates the admin account once (its generated
password printed once and kept in var/admin-password, mode 0600). The demo accounts and
scenario are the demo's own command, `manage.py lifeline_demo`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from lifeline.core.clock import site_local
from lifeline.core.passwords import password_generate, path_shown, private_file_write
from lifeline.core.services import roles_sync, user_create

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Set up this installation: site, roles, admin account (the demo: lifeline_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.management import call_command

        call_command("lifeline_keys", stdout=self.stdout)  # made once; kept afterwards
        roles_sync()
        site = site_local()
        self.stdout.write(f"Site: {site.name} ({site.code})")
        self._admin_ensure(Path(settings.VAR_DIR) / "admin-password")

    def _admin_ensure(self, path: Path) -> None:
        exists = User.objects.filter(username=ADMIN_USERNAME).exists()
        kept = path.read_text().strip() if path.exists() else ""
        if exists:
            where = f"kept in {path_shown(path)}" if kept else "not kept by this installation"
            self.stdout.write(f"Admin account: {ADMIN_USERNAME} (password {where})")
            return
        # A kept password is reused when the database was recreated: it is never replaced.
        password = kept or password_generate()
        user_create(
            actor=None, username=ADMIN_USERNAME, password=password, role=None, superuser=True
        )
        if kept:
            self.stdout.write(
                f"Admin account: {ADMIN_USERNAME} recreated (password kept in {path_shown(path)})"
            )
            return
        private_file_write(path, password + "\n")
        self.stdout.write(
            self.style.SUCCESS(f"Admin account: {ADMIN_USERNAME}  password: {password}")
        )
        self.stdout.write(f"  (shown once; kept in {path_shown(path)}, readable only by you)")
