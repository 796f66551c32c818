"""The background worker: every interval, raise alerts for teams that missed a check-in and
for risk that rose near the camp or on a mission's route (risk decays, zones come and go).

python manage.py lifeline_worker [--interval 30] [--once]
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lifeline.missions.services import missions_overdue_sweep
from lifeline.routing.services import risk_watch_sweep


class Command(BaseCommand):
    help = "Raise mission.overdue alerts for teams that missed their check-in window, in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=30, help="seconds between sweeps")
        parser.add_argument("--once", action="store_true", help="sweep once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(1, int(options["interval"]))
        while True:
            alerts = missions_overdue_sweep()
            if alerts and options["verbosity"] >= 1:
                self.stdout.write(f"{len(alerts)} mission(s) overdue")
            risk_watch_sweep()
            if options["once"]:
                return
            time.sleep(interval)
