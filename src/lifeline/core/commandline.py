"""The machinery of the `lifeline` command that every app's command group uses: who is acting
(`--user`, `state_of`), and the one place where Lifeline's errors become a message on stderr
and the error class's exit code, never a traceback. `lifeline.cli` only assembles the groups.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def command_root_build(groups: Mapping[str, typer.Typer]) -> typer.Typer:
    """The root `lifeline` command over the given command groups (name -> group): the
    `--user` option and the error mapping. An app's tests build it over the app's own groups."""
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
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                help="Language of the messages (en, fr, ar); else LANG, else the site's.",
            ),
        ] = None,
    ) -> None:
        import os

        from django.utils import translation

        from lifeline.core.language import environment_language

        translation.activate(environment_language(lang, dict(os.environ)))
        ctx.obj = CliState(user)

    for name, group in groups.items():
        app.add_typer(group, name=name)
    return app
