"""`lifeline backup create|verify|restore|list|prune`: the operator's backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pyrage
import typer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifeline.backups import services
from lifeline.backups.archive import BackupInvalid
from lifeline.backups.selectors import backup_list
from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed

app = typer.Typer(help="Backups: made, verified by a restore into a scratch database, restored.")

IdentityOption = Annotated[
    Path | None,
    typer.Option(
        "--identity",
        help="a file holding the recovery key (AGE-SECRET-KEY-1...), when the site's is gone",
    ),
]


def _identities(path: Path | None) -> list[pyrage.x25519.Identity] | None:
    if path is None:
        return None
    try:
        return [pyrage.x25519.Identity.from_str(path.read_text().strip())]
    except (OSError, pyrage.IdentityError) as exc:
        raise ValidationFailed(
            {"identity": _("%(path)s does not hold an age secret key") % {"path": path}}
        ) from exc


def _actor(ctx: typer.Context) -> Any:
    state = state_of(ctx)
    return state.actor() if state.username else None


@app.command("create")
def backup_create(
    ctx: typer.Context,
    to: Annotated[Path | None, typer.Option("--to", help="folder (a USB stick)")] = None,
    verify: Annotated[bool, typer.Option(help="restore it into a scratch database")] = True,
) -> None:
    """Back up the database and the photos, encrypted to the site's and the recovery key."""
    record = services.backup_create(actor=_actor(ctx), folder=to, verify=verify)
    typer.echo(f"{Path(record.folder) / record.file_name}")
    typer.echo(
        "  "
        + _("%(bytes)s bytes, %(rows)s rows, media files: %(media)s, %(seconds)s s")
        % {
            "bytes": f"{record.size_bytes:,}",
            "rows": f"{record.rows:,}",
            "media": record.media_files,
            "seconds": f"{record.seconds:.1f}",
        }
    )
    if verify:
        if record.problems:
            typer.echo(
                "  " + _("NOT VERIFIED: %(problems)s") % {"problems": record.problems}, err=True
            )
            raise typer.Exit(code=BackupInvalid.exit_code)
        typer.echo("  " + _("verified: restored into a scratch database, every check passed"))


@app.command("verify")
def backup_verify(
    file: Annotated[Path, typer.Argument(help="the backup file")],
    identity: IdentityOption = None,
) -> None:
    """Restore a backup into a scratch database and check it (integrity, counts, ledger)."""
    report = services.backup_verify(path=file, identities=_identities(identity))
    made = report.manifest.get("created_at", "?")
    if not report.ok:
        typer.echo(
            _("%(file)s: NOT GOOD (made %(made)s)") % {"file": file.name, "made": made}, err=True
        )
        for problem in report.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(code=BackupInvalid.exit_code)
    rows = sum(report.counts.values())
    typer.echo(
        _("%(file)s: good (site %(site)s, made %(made)s, %(rows)s rows, media files: %(media)s)")
        % {
            "file": file.name,
            "site": report.manifest.get("site"),
            "made": made,
            "rows": f"{rows:,}",
            "media": report.manifest.get("media_files", 0),
        }
    )


@app.command("restore")
def backup_restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the backup file")],
    identity: IdentityOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask (for scripts)")] = False,
) -> None:
    """Replace this site's database and photos with a backup's (stop the server first)."""
    if not yes and not typer.confirm(
        _(
            "Replace this site's database and photos with %(file)s? What is here now is "
            "backed up first"
        )
        % {"file": file.name},
        default=False,
    ):
        typer.echo(_("Nothing restored."))
        raise typer.Exit(code=1)
    report = services.backup_restore(
        actor=_actor(ctx),
        path=file,
        identities=_identities(identity),
    )
    typer.echo(
        _("Restored %(file)s (made %(made)s).")
        % {"file": file.name, "made": report.manifest.get("created_at", "?")}
    )


@app.command("list")
def backup_list_command(ctx: typer.Context) -> None:
    """The backups this site made and still keeps, newest first."""
    for record in backup_list(actor=state_of(ctx).actor()):
        state = (
            _("verified")
            if record.verified_at and not record.problems
            else (_("NOT GOOD") if record.problems else _("not verified"))
        )
        typer.echo(
            f"{record.created_at:%Y-%m-%d %H:%M} {record.file_name} "
            + _("%(bytes)s bytes") % {"bytes": f"{record.size_bytes:,}"}
            + f" {state}"
        )


@app.command("prune")
def backup_prune() -> None:
    """Remove the backups the retention rule does not keep."""
    removed = services.backups_prune()
    said = ngettext("%(n)s backup removed", "%(n)s backups removed", len(removed)) % {
        "n": len(removed)
    }
    typer.echo(said + (": " + ", ".join(removed) if removed else ""))
