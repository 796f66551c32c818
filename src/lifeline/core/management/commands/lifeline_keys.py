"""`manage.py lifeline_keys [--recovery age1...]`: make the site's key once (before `migrate`,
which needs it when the database is encrypted). Idempotent.

Without --recovery the recovery key is made here too and written to var/RECOVERY-KEY.txt:
that is for the demo. A real site is given the headquarters' public recovery key, so that the
secret half never touches the camp's laptop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lifeline.core.keys import key_paths, keys_init
from lifeline.core.passwords import path_shown, private_file_write


class Command(BaseCommand):
    help = "Make this site's key (and, for a demo, its recovery key) once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recovery", default="", help="the HQ's recovery public key")

    def handle(self, *args: Any, **options: Any) -> None:
        made = keys_init(recovery_recipient=options["recovery"])
        paths = key_paths()
        if not made.created:
            self.stdout.write(f"Site key: kept ({path_shown(paths.key_file)})")
            return
        self.stdout.write(self.style.SUCCESS(f"Site key: made ({path_shown(paths.key_file)})"))
        if made.recovery_identity:
            where = Path(settings.VAR_DIR) / "RECOVERY-KEY.txt"
            private_file_write(where, made.recovery_identity + "\n")
            self.stdout.write(
                self.style.WARNING(
                    f"Recovery key: {path_shown(where)}. This is a demo key made here: a real "
                    "site takes the headquarters' public key (--recovery age1...) and never "
                    "holds the secret one. Move this file off the laptop."
                )
            )
