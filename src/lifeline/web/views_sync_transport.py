"""The Sync page's transports for a camp with no network: a bundle file for the convoy's USB
stick (made for one peer, or imported), and the radio digest (the lines to read out, the lines
heard). Thin views over the services the CLI calls (`lifeline sync export|import`,
`lifeline sync radio export|import`)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.sync import digest, selectors, services

BUNDLE_TYPE = "application/octet-stream"
# Bundles the page accepts: the largest a camp's laptop reads into memory at once.
BUNDLE_MAX_BYTES = 512 * 1024 * 1024
SINCE_FORMAT = "%Y-%m-%dT%H:%M"


def _why(error: ValidationFailed | NotFound) -> str:
    """The service's own words: a refused bundle says what was wrong with it."""
    return error.said_plainly() if isinstance(error, ValidationFailed) else error.message


@page_view
@require_POST
def sync_bundle(request: HttpRequest) -> HttpResponse:
    """A bundle of what one peer lacks, to save on the convoy's USB stick."""
    peer_code = request.POST.get("peer", "").strip()
    if not peer_code:
        raise ValidationFailed({"peer": _("choose the peer the bundle is for")})
    made = services.bundle_make(actor=request.user, peer_code=peer_code)
    day = timezone.localdate().isoformat()
    filename = f"{made.site}-for-{peer_code}-{day}-{made.seq}.llsync"
    response = HttpResponse(made.data, content_type=BUNDLE_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(made.data))
    return response


@page_view
def sync_bundle_import(request: HttpRequest) -> HttpResponse:
    """A bundle from a USB stick: checked whole, then applied; a refused one changes nothing."""
    permission_require(request.user, "sync.change_peer", doing=_("import a sync bundle"))
    context: dict[str, object] = {"error": "", "done": None}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("bundle")
        if upload is None:
            context["error"] = _("Choose the bundle file to import.")
        elif upload.size is not None and upload.size > BUNDLE_MAX_BYTES:
            context["error"] = _("This file is too large to be a bundle (%(size)s bytes).") % {
                "size": upload.size
            }
        else:
            try:
                context["done"] = services.bundle_import(actor=request.user, data=upload.read())
            except (ValidationFailed, NotFound) as error:
                context["error"] = _why(error)
        if context["error"]:
            status = 400
    return render(request, "web/sync_bundle_import.html", context, status=status)


def _since_default(last: datetime | None) -> str:
    """Since the last radio digest made here, or the last 24 hours. A moment is written in
    UTC, as `digest.since_parse` reads a moment without a zone."""
    if last is None:
        return "24h"
    return last.astimezone(UTC).strftime(SINCE_FORMAT)


@page_view
def sync_radio(request: HttpRequest) -> HttpResponse:
    """The radio digest: the lines to read out since a moment, and the lines heard applied."""
    last = selectors.radio_export_last(actor=request.user)
    context: dict[str, object] = {
        "last": last,
        "since": _since_default(last),
        "heard": "",
        "errors": {},
        "sent": None,
        "done": None,
    }
    status = 200
    errors: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("action") == "export":
        since_text = request.POST.get("since", "").strip() or "24h"
        context["since"] = since_text
        try:
            since = digest.since_parse(since_text, now=timezone.now())
            context["sent"] = digest.radio_export(actor=request.user, since=since)
            context["since_moment"] = since
        except ValidationFailed as error:
            errors["since"] = _why(error)
    elif request.method == "POST" and request.POST.get("action") == "import":
        heard = request.POST.get("heard", "")
        context["heard"] = heard
        if not heard.strip():
            errors["heard"] = _("Paste or type the lines heard, one per line.")
        else:
            try:
                context["done"] = digest.radio_import(actor=request.user, lines=heard.splitlines())
                context["heard"] = ""  # applied: a second press would only repeat it
            except ValidationFailed as error:
                errors["heard"] = _why(error)
    if errors:
        context["errors"] = errors
        status = 400
    return render(request, "web/sync_radio.html", context, status=status)
