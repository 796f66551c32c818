"""The background worker: every interval, run the sweeps the apps registered (core.sweeps):
alerts for teams that missed a check-in, for risk that rose near the camp or on a mission's
route (risk decays, zones come and go).

A sweep that fails (the database busy with a long write, or any other error) is logged and
tried again at the next interval: the worker never dies of it, since nothing would raise the
camp's alerts until someone restarted it.

python manage.py lifeline_worker [--interval 30] [--once]
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from lifeline.core.sweeps import SWEEPS, Sweep

log = logging.getLogger("lifeline.worker")


class Command(BaseCommand):
    help = "Run every app's sweeps (overdue missions, the risk watch, ...) in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=30, help="seconds between sweeps")
        parser.add_argument("--once", action="store_true", help="sweep once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(1, int(options["interval"]))
        while True:
            for sweep in list(SWEEPS.values()):
                self._sweep(sweep, verbosity=options["verbosity"])
            if options["once"]:
                return
            time.sleep(interval)

    def _sweep(self, sweep: Sweep, *, verbosity: int) -> None:
        try:
            found = sweep.run()
        except DatabaseError as exc:
            # `database is locked` while an import holds the writer, a dropped connection:
            # the next interval tries again on a fresh connection.
            log.warning(
                "sweep %s: the database is busy or unreachable (%s); retrying", sweep.name, exc
            )
            close_old_connections()
            return
        except Exception:
            log.exception("sweep %s failed; it runs again at the next interval", sweep.name)
            return
        if found and sweep.says and verbosity >= 1:
            self.stdout.write(sweep.says.format(count=len(found)))
