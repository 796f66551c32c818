"""The `lifeline` command: one entry point whose subcommands call the same services and
selectors as the API, acting as the Lifeline user named by `--user` (roles and audit apply).

Errors of `lifeline.core.errors` are caught once, here: the message (and each field) goes to
stderr and the process exits with the error class's exit code, never with a traceback.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

ENV_USER = "LIFELINE_USER"


class CliState:
    """What the root options give every subcommand: who is acting."""

    def __init__(self, username: str | None = None) -> None:
        self.username = username
        self._actor: Any = None

    def actor(self) -> Any:
        """The active Lifeline user named by --user; Forbidden when missing or unknown."""
        from django.contrib.auth import get_user_model

        from lifeline.core.errors import Forbidden

        if self._actor is None:
            if not self.username:
                raise Forbidden(f"say who you are: --user NAME (or set {ENV_USER})")
            user = (
                get_user_model()
                .objects.filter(username=self.username, is_active=True)
                .prefetch_related("groups")
                .first()
            )
            if user is None:
                raise Forbidden(f"no active Lifeline user named {self.username!r}")
            self._actor = user
        return self._actor


def state_of(ctx: typer.Context) -> CliState:
    state = ctx.find_object(CliState)
    if state is None:  # a subcommand app invoked on its own, as some tests do
        state = ctx.ensure_object(CliState)
    return state


def error_print(exc: Exception) -> None:
    from lifeline.core.errors import LifelineError, ValidationFailed

    if isinstance(exc, ValidationFailed) and exc.fields:
        joined = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
        typer.echo(
            f"error: {exc.message if exc.message != joined else 'the input is not valid'}",
            err=True,
        )
        for name, messages in exc.fields.items():
            for message in messages:
                typer.echo(f"  {name}: {message}" if name else f"  {message}", err=True)
    elif isinstance(exc, LifelineError):
        typer.echo(f"error: {exc.message}", err=True)
    else:
        typer.echo(f"error: {exc}", err=True)


class LifelineGroup(TyperGroup):
    """The root group: maps Lifeline's errors to a message and an exit code, once."""

    def invoke(self, ctx: Any) -> Any:
        from django.db import DatabaseError

        from lifeline.core.errors import LifelineError

        try:
            return super().invoke(ctx)
        except LifelineError as exc:
            error_print(exc)
            raise typer.Exit(code=exc.exit_code) from exc
        except DatabaseError as exc:
            # Most often a database that was never migrated: say so without a traceback.
            typer.echo(f"error: the database refused the command: {exc}", err=True)
            typer.echo("  (has it been set up? run `make run` or `manage.py migrate`)", err=True)
            raise typer.Exit(code=1) from exc


def app_build() -> typer.Typer:
    """The Typer app with every capability's commands; Django must be set up first."""
    from lifeline.care.cli import app as care_app
    from lifeline.core.cli import app as site_app
    from lifeline.intel.cli import app as report_app
    from lifeline.intel.cli_threats import app as threat_app
    from lifeline.missions.cli import app as mission_app
    from lifeline.people.cli import household_app, person_app
    from lifeline.people.matching.cli import case_app, search_app, tracing_app
    from lifeline.routing.cli import app as route_app
    from lifeline.supplies.cli import ration_app, stock_app

    app = typer.Typer(
        name="lifeline",
        cls=LifelineGroup,
        help="Lifeline: the registry and operations of a survivor camp, from the command line.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        user: Annotated[
            str | None,
            typer.Option(
                "--user",
                "-u",
                envvar=ENV_USER,
                help="The Lifeline user you act as; their role decides what you may do.",
            ),
        ] = None,
    ) -> None:
        ctx.obj = CliState(user)

    app.add_typer(person_app, name="person")
    app.add_typer(household_app, name="household")
    app.add_typer(search_app, name="search")
    app.add_typer(tracing_app, name="tracing")
    app.add_typer(case_app, name="case")
    app.add_typer(route_app, name="route")
    app.add_typer(mission_app, name="mission")
    app.add_typer(report_app, name="report")
    app.add_typer(threat_app, name="threat")
    app.add_typer(stock_app, name="stock")
    app.add_typer(ration_app, name="ration")
    app.add_typer(care_app, name="care")
    app.add_typer(site_app, name="site")
    return app


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    import django

    django.setup()
    app_build()()
