"""The machinery of the `lifeline` command that every app's command group uses: who is acting
(`state_of`), and the one place where Lifeline's errors become a message on stderr and the
error class's exit code, never a traceback. `lifeline.cli` only assembles the groups.

Who is acting is proved, not claimed: `lifeline login NAME` asks the password and keeps an
API token in a file only its owner can read (~/.config/lifeline/token, or LIFELINE_TOKEN_FILE);
a script sets LIFELINE_TOKEN. `--user NAME` alone is believed only where the installation says
so (LIFELINE_CLI_TRUST_USER=1: the operator's own account on the camp laptop, which can read
the database anyway); otherwise it must name the signed-in user.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _
from typer.core import TyperGroup

ENV_USER = "LIFELINE_USER"
ENV_TOKEN = "LIFELINE_TOKEN"  # noqa: S105 - the variable's name, not a secret
ENV_TOKEN_FILE = "LIFELINE_TOKEN_FILE"  # noqa: S105 - a variable's name


def token_file() -> Path:
    named = os.environ.get(ENV_TOKEN_FILE)
    return Path(named) if named else Path.home() / ".config" / "lifeline" / "token"


class CliState:
    """What the root options give every subcommand: who is acting."""

    def __init__(self, username: str | None = None) -> None:
        self.username = username
        self._actor: Any = None

    def actor(self) -> Any:
        """The signed-in user (LIFELINE_TOKEN, or the token `lifeline login` kept), or the
        one named by --user where the installation trusts it; Forbidden otherwise."""
        if self._actor is None:
            self._actor = self._actor_find()
        return self._actor

    def _actor_find(self) -> Any:
        from django.conf import settings
        from django.contrib.auth import get_user_model

        from lifeline.core.errors import Forbidden
        from lifeline.core.tokens import token_user

        key = os.environ.get(ENV_TOKEN, "").strip()
        if key:
            user = token_user(key)
            if user is None:
                raise Forbidden(
                    _("%(variable)s is not a current token; get a new one")
                    % {"variable": ENV_TOKEN}
                )
        elif self.username and settings.LIFELINE_CLI_TRUST_USER:
            user = (
                get_user_model()
                .objects.filter(username=self.username, is_active=True)
                .prefetch_related("groups")
                .first()
            )
            if user is None:
                raise Forbidden(
                    _("no active Lifeline user named %(name)r") % {"name": self.username}
                )
            return user
        else:
            path = token_file()
            if not path.exists():
                if settings.LIFELINE_CLI_TRUST_USER:
                    message = _(
                        "sign in first: lifeline login NAME (or set %(token)s, "
                        "or say who you are: --user NAME (%(user)s))"
                    )
                else:
                    message = _("sign in first: lifeline login NAME (or set %(token)s)")
                raise Forbidden(message % {"token": ENV_TOKEN, "user": ENV_USER})
            user = token_user(path.read_text().strip())
            if user is None:
                raise Forbidden(_("your sign-in has expired or was revoked: lifeline login NAME"))
        if self.username and user.get_username() != self.username:
            raise Forbidden(
                _("you are signed in as %(user)r, not %(name)r")
                % {"user": user.get_username(), "name": self.username}
            )
        return user


def cli_login(username: str, password: str) -> Path:
    """Check the password (throttled and audited as every sign-in is), then keep a token in
    a file only this account can read."""
    from django.contrib.auth import authenticate
    from django.http import HttpRequest

    from lifeline.core.errors import Forbidden
    from lifeline.core.passwords import private_file_write
    from lifeline.core.services import token_issue

    request = HttpRequest()  # django-axes throttles by username and address
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        if getattr(request, "axes_locked_out", False):
            raise Forbidden(_("too many failed sign-ins for this account; wait and try again"))
        raise Forbidden(_("wrong username or password"))
    path = token_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_file_write(path, token_issue(user=user) + "\n")
    return path


def cli_logout() -> bool:
    """Revoke the kept token and forget it; False when nobody was signed in here."""
    from lifeline.core.services import token_revoke
    from lifeline.core.tokens import token_user

    path = token_file()
    if not path.exists():
        return False
    user = token_user(path.read_text().strip())
    if user is not None:
        token_revoke(actor=user, user=user)
    path.unlink()
    return True


def state_of(ctx: typer.Context) -> CliState:
    state = ctx.find_object(CliState)
    if state is None:  # a subcommand app invoked on its own, as some tests do
        state = ctx.ensure_object(CliState)
    return state


def error_print(exc: Exception) -> None:
    from lifeline.core.errors import LifelineError, ValidationFailed

    if isinstance(exc, ValidationFailed) and exc.fields:
        summary = _("the input is not valid") if exc.message_is_fields else exc.message
        typer.echo(_("error: %(message)s") % {"message": summary}, err=True)
        for name, messages in exc.fields.items():
            for message in messages:
                typer.echo(f"  {name}: {message}" if name else f"  {message}", err=True)
    elif isinstance(exc, LifelineError):
        typer.echo(_("error: %(message)s") % {"message": exc.message}, err=True)
    else:
        typer.echo(_("error: %(message)s") % {"message": exc}, err=True)


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
            typer.echo(
                _("error: the database refused the command: %(why)s") % {"why": exc}, err=True
            )
            typer.echo(_("  (has it been set up? run `make run` or `manage.py migrate`)"), err=True)
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
                help="The Lifeline user you act as (the one you signed in as).",
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

    @app.command("login")
    def login(
        username: Annotated[str, typer.Argument(help="your Lifeline username")],
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="read the password from stdin")
        ] = False,
    ) -> None:
        """Sign in: the password is checked and a token kept for the next commands."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt(_("Password"), hide_input=True)
        path = cli_login(username, password)
        typer.echo(
            _("signed in as %(name)s (token kept in %(path)s, readable by you only)")
            % {"name": username, "path": path}
        )

    @app.command("logout")
    def logout() -> None:
        """Sign out: the kept token is revoked and forgotten."""
        typer.echo(_("signed out") if cli_logout() else _("nobody was signed in here"))

    for name, group in groups.items():
        app.add_typer(group, name=name)
    return app
