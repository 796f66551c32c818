"""`lifeline sync ...`: this site's identity, its peers, bundles for a USB stick, the status
and the conflicts to review, through the same services and selectors as the pages and API."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed
from lifeline.core.models import Site
from lifeline.sync import digest, holders, selectors, services

app = typer.Typer(help="Sync between sites: bundles, peers, status, conflicts.")
peer_app = typer.Typer(help="The sites this one exchanges with.")
app.add_typer(peer_app, name="peer")
radio_app = typer.Typer(help="The radio digest: urgent changes in packets of 200 bytes.")
app.add_typer(radio_app, name="radio")


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value is not None else _("never")


@app.command("identity")
def sync_identity() -> None:
    """This site's identity: register it at a peer with `lifeline sync peer add IDENTITY`."""
    typer.echo(services.site_identity())


@peer_app.command("add")
def peer_add(
    ctx: typer.Context,
    identity: Annotated[str, typer.Argument(help="what `lifeline sync identity` prints there")],
    protected: Annotated[
        bool,
        typer.Option(help="the peer may hold children's protection cases and medical records"),
    ] = False,
) -> None:
    """Accept bundles from a peer site (and say what may leave for it)."""
    peer = services.peer_register(
        actor=state_of(ctx).actor(), identity=identity, may_hold_protected=protected
    )
    if peer.may_hold_protected:
        said = _("peer %(code)s registered; it may hold protected records")
    else:
        said = _("peer %(code)s registered; it may not hold protected records")
    typer.echo(said % {"code": peer.site.code})


@app.command("export")
def sync_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the bundle file to write")],
    peer: Annotated[
        str | None, typer.Option(help="only what this peer lacks, and only what it may hold")
    ] = None,
) -> None:
    """Write a bundle of this site's changes for a USB stick."""
    done = services.bundle_export(actor=state_of(ctx).actor(), path=file, peer_code=peer)
    words = {"seq": done.seq, "peer": done.peer, "n": done.changes, "bytes": f"{done.bytes:,}"}
    if done.peer:
        said = _("bundle %(seq)s for %(peer)s: %(n)s changes, %(bytes)s bytes -> %(file)s")
    else:
        said = _("bundle %(seq)s: %(n)s changes, %(bytes)s bytes -> %(file)s")
    typer.echo(said % {**words, "file": file})


@app.command("import")
def sync_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="the bundle file to read")]
) -> None:
    """Check a bundle whole and apply it; a bundle refused changes nothing."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            {"file": _("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}}
        ) from exc
    done = services.bundle_import(actor=state_of(ctx).actor(), data=data)
    report = done.report.apply
    typer.echo(
        _(
            "bundle %(seq)s from %(sender)s: %(received)s changes, %(applied)s applied, "
            "%(duplicates)s already here, %(waiting)s waiting for their parent, %(held)s held "
            "(clock ahead), %(conflicts)s conflicts kept for review"
        )
        % {
            "seq": done.seq,
            "sender": done.sender,
            "received": report.received,
            "applied": report.applied,
            "duplicates": report.duplicates,
            "waiting": report.waiting,
            "held": report.held,
            "conflicts": report.conflicts,
        }
    )


@app.command("exchange")
def sync_exchange(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="the peer's address, e.g. http://10.0.0.2:8000")],
    chunk: Annotated[int, typer.Option(help="changes per request")] = 500,
    timeout: Annotated[float, typer.Option(help="seconds to wait for one answer")] = 20.0,
    give_up_after: Annotated[
        float, typer.Option(help="seconds of failed requests before stopping (it resumes)")
    ] = 300.0,
) -> None:
    """Exchange changes with a peer over HTTP (pull, then push), in signed chunks; a cut
    link is retried, and an exchange stopped resumes where it was."""
    from lifeline.sync.exchange_client import exchange_run, exchange_start
    from lifeline.sync.progress import ExchangeBar

    actor = state_of(ctx).actor()
    record = exchange_start(actor=actor, url=url)
    with ExchangeBar() as bar:
        done = exchange_run(
            actor=actor,
            record=record,
            chunk=chunk,
            timeout=timeout,
            give_up_after=give_up_after,
            progress=bar.update,
        )
    peer = done.peer.site.code if done.peer is not None else url
    typer.echo(
        f"exchanged with {peer}: {done.pulled} change(s) received ({done.applied} applied), "
        f"{done.pushed} sent, {done.retries} request(s) sent again"
    )


@app.command("status")
def sync_status(ctx: typer.Context) -> None:
    """Per peer: last exchange, changes not yet sent, conflicts open."""
    status = selectors.sync_status(actor=state_of(ctx).actor())
    typer.echo(
        _(
            "%(site)s: %(conflicts)s conflict(s) open, %(waiting)s change(s) waiting for their "
            "parent, %(held)s held (clock ahead)"
        )
        % {
            "site": status.site_code,
            "conflicts": status.conflicts_open,
            "waiting": status.waiting_for_parent,
            "held": status.held_for_clock,
        }
    )
    if not status.peers:
        typer.echo(_("no peers yet: `lifeline sync peer add IDENTITY`"))
    for peer in status.peers:
        typer.echo(
            "  "
            + _(
                "%(code)s (%(name)s): sent %(sent)s, received %(received)s, %(not_sent)s "
                "change(s) not sent, %(conflicts)s conflict(s) open"
            )
            % {
                "code": peer.code,
                "name": peer.name,
                "sent": _when(peer.last_sent_at),
                "received": _when(peer.last_received_at),
                "not_sent": peer.changes_not_sent,
                "conflicts": peer.conflicts_open,
            }
        )


@app.command("where")
def sync_where(
    ctx: typer.Context,
    model: Annotated[str, typer.Argument(help="the record's kind, e.g. people.person")],
    record_id: Annotated[str, typer.Argument(help="the record's id")],
) -> None:
    """The sites known to hold a record (this site, its creator, its writers, the peers that
    acknowledged its changes)."""
    try:
        pk = uuid.UUID(record_id)
    except ValueError as exc:
        raise ValidationFailed({"record_id": _("not a record id")}) from exc
    held = holders.record_sites(actor=state_of(ctx).actor(), model=model, object_id=pk)
    for site in held.sites:
        version = _("latest version") if site.latest else _("an older version")
        line = (
            _("%(code)s (this site): %(name)s, %(version)s")
            if site.here
            else _("%(code)s: %(name)s, %(version)s")
        )
        typer.echo(line % {"code": site.code, "name": site.name, "version": version})


@app.command("conflicts")
def sync_conflicts(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="resolved ones too")] = False,
) -> None:
    """The values that lost a merge, kept for review."""
    sites: dict[uuid.UUID | None, str] = {s.pk: s.code for s in Site.objects.all()}
    rows = selectors.conflicts_open(actor=state_of(ctx).actor(), include_resolved=all_)
    shown = 0
    for c in rows:
        shown += 1
        state = f" [{c.resolution}]" if c.resolved_at else ""
        typer.echo(
            f"{c.id}  {c.model} {c.object_id} {c.field}: kept {c.winner_value!r} "
            f"({sites.get(c.winner_site, '?')}), lost {c.loser_value!r} "
            f"({sites.get(c.loser_site, '?')}){state}"
        )
    if not shown:
        typer.echo(_("no conflicts to review"))


@app.command("resolve")
def sync_resolve(
    ctx: typer.Context,
    conflict_id: Annotated[str, typer.Argument(help="the conflict's id")],
    keep: Annotated[str, typer.Option(help="winner (as it is) or loser (write it again)")],
) -> None:
    """Close a conflict, keeping the value that won or the one that lost."""
    try:
        pk = uuid.UUID(conflict_id)
    except ValueError as exc:
        raise ValidationFailed({"conflict_id": _("not a conflict id")}) from exc
    services.conflict_resolve(actor=state_of(ctx).actor(), conflict_id=pk, keep=keep)
    kept = _("kept the value that won") if keep == "winner" else _("kept the value that lost")
    typer.echo(_("conflict %(id)s: %(kept)s") % {"id": pk, "kept": kept})


@radio_app.command("export")
def radio_export(
    ctx: typer.Context,
    since: Annotated[
        str, typer.Option(help="changes stamped since: a duration (90m, 6h, 2d) or a moment")
    ] = "24h",
    out: Annotated[
        Path | None, typer.Option(help="write the lines here, not to the screen")
    ] = None,
) -> None:
    """Persons' status, check-ins and alerts as packets, one line of text each, to send by
    radio in any order (a packet lost or heard twice does no harm)."""
    moment = digest.since_parse(since, now=timezone.now())
    done = digest.radio_export(actor=state_of(ctx).actor(), since=moment)
    text = "".join(f"{line}\n" for line in done.lines)
    if out is not None:
        out.write_text(text)
    else:
        typer.echo(text, nl=False)
    said = _("%(changes)s changes in %(packets)s packets") % {
        "changes": done.changes,
        "packets": len(done.lines),
    }
    if done.too_large:
        said += "; " + _("%(n)s too large for radio (they go by bundle)") % {"n": done.too_large}
    typer.echo(said, err=True)


@radio_app.command("import")
def radio_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="the lines received ('-': read them here)")] = "-",
) -> None:
    """Apply the messages whose packets all arrived; say what was refused or is missing."""
    if file == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = Path(file).read_text(errors="replace").splitlines()
        except OSError as exc:
            raise ValidationFailed(
                {"file": _("cannot read %(file)s: %(why)s") % {"file": file, "why": exc.strerror}}
            ) from exc
    done = digest.radio_import(actor=state_of(ctx).actor(), lines=lines)
    report = done.report.apply if done.report is not None else None
    applied = report.applied if report is not None else 0
    already = report.duplicates if report is not None else 0
    waiting = report.waiting if report is not None else 0
    typer.echo(
        _(
            "%(packets)s packets, %(messages)s messages whole: %(applied)s changes applied, "
            "%(already)s already here, %(waiting)s waiting for their parent"
        )
        % {
            "packets": done.packets,
            "messages": done.messages,
            "applied": applied,
            "already": already,
            "waiting": waiting,
        }
    )
    for line in done.incomplete:
        typer.echo("  " + _("incomplete: %(line)s") % {"line": line})
    for line in done.refused:
        typer.echo("  " + _("refused: %(line)s") % {"line": line})
    if done.refused:
        raise typer.Exit(code=1)
