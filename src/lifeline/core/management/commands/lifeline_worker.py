"""The background worker: every interval, run the sweeps the apps registered (core.sweeps):
alerts for teams that missed a check-in, for risk that rose near the camp or on a mission's
route (risk decays, zones come and go).

python manage.py lifeline_worker [--interval 30] [--once]
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lifeline.core.sweeps import SWEEPS


class Command(BaseCommand):
    help = "Run every app's sweeps (overdue missions, the risk watch, ...) in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=30, help="seconds between sweeps")
        parser.add_argument("--once", action="store_true", help="sweep once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(1, int(options["interval"]))
        while True:
            for sweep in list(SWEEPS.values()):
                found = sweep.run()
                if found and sweep.says and options["verbosity"] >= 1:
                    self.stdout.write(sweep.says.format(count=len(found)))
            if options["once"]:
                return
            time.sleep(interval)
