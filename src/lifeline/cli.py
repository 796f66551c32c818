"""The `lifeline` command: one entry point whose subcommands call the same services and
selectors as the API, acting as the Lifeline user named by `--user` (roles and audit apply).

This module only assembles the apps' command groups; the root option and the mapping of
Lifeline's errors to messages and exit codes are `lifeline.core.commandline`'s.
"""

from __future__ import annotations

import os

import typer


def app_build() -> typer.Typer:
    """The Typer app with every capability's commands; Django must be set up first."""
    from lifeline.alerts.cli import app as alert_app
    from lifeline.backups.cli import app as backup_app
    from lifeline.care.cli import app as care_app
    from lifeline.core.cli import app as site_app
    from lifeline.core.cli import audit_app, lockdown, unlock
    from lifeline.core.commandline import command_root_build
    from lifeline.facilities.cli import facility_app, watch_app
    from lifeline.intel.cli import app as report_app
    from lifeline.intel.threats.cli import app as threat_app
    from lifeline.missions.cli import app as mission_app
    from lifeline.people.cli import household_app, person_app
    from lifeline.people.matching.cli import case_app, search_app, tracing_app
    from lifeline.routing.cli import app as route_app
    from lifeline.routing.cli import map_app
    from lifeline.supplies.cli import ration_app, stock_app
    from lifeline.sync.cli import app as sync_app

    root = command_root_build(
        {
            "person": person_app,
            "household": household_app,
            "search": search_app,
            "tracing": tracing_app,
            "case": case_app,
            "route": route_app,
            "map": map_app,
            "mission": mission_app,
            "report": report_app,
            "threat": threat_app,
            "stock": stock_app,
            "ration": ration_app,
            "care": care_app,
            "site": site_app,
            "alert": alert_app,
            "facility": facility_app,
            "watch": watch_app,
            "sync": sync_app,
            "backup": backup_app,
            "audit": audit_app,
        }
    )
    root.command("lockdown")(lockdown)
    root.command("unlock")(unlock)
    return root


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    import django

    django.setup()
    from lifeline.core.batches import batches_sweep_quietly

    # What an earlier command killed half-way (an import) left is removed before anything.
    batches_sweep_quietly()
    app_build()()
