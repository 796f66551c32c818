"""Pages of name search, duplicates, family tracing and children's protection cases. Each
view parses with `people.matching.schemas`, calls one service or selector and renders;
errors become pages through `errors.page_view`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.people import protection, selectors
from lifeline.people.matching import selectors as matching
from lifeline.people.matching import services as duplicate_services
from lifeline.people.matching.schemas import (
    CaseCloseInput,
    CaseUpdateInput,
    TracingCloseInput,
    TracingInput,
)

DUPLICATES_PAGE = 20
TRACING_FIELDS = (
    "given_name", "family_name", "sex", "age_years", "relation", "seeker_name",
    "seeker_contact", "last_seen_place", "last_seen_on", "notes",
)  # fmt: skip
CASE_FIELDS = (
    "kind", "care_arrangement", "carer", "risk_level", "last_follow_up", "next_follow_up",
    "notes",
)  # fmt: skip


@page_view
def person_search(request: HttpRequest) -> HttpResponse:
    """The old Find page: the registry's own box now searches in any spelling, so a link or
    bookmark here lands on it with the same name, sex and site."""
    kept = {k: request.GET[k] for k in ("q", "sex", "site") if request.GET.get(k)}
    target = reverse("web:person_list")
    return redirect(f"{target}?{urlencode(kept)}" if kept else target)


@page_view
def duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicates queue, most likely first, a page at a time; each pair is merged (after a
    confirmation) or marked "not the same person"."""
    pairs = matching.duplicates_all(actor=request.user)
    page = Paginator(pairs, DUPLICATES_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/matching/duplicates.html", {"page": page, "total": len(pairs)})


@page_view
def duplicate_merge(request: HttpRequest) -> HttpResponse:
    """The confirmation before a merge: both records side by side, which one to keep, and why.
    GET shows it for a proposed pair; POST merges."""
    if request.method == "POST":
        first = selectors.person_get(actor=request.user, person_id=request.POST.get("first"))
        second = selectors.person_get(actor=request.user, person_id=request.POST.get("second"))
        survivor, duplicate = (
            (second, first) if request.POST.get("keep") == "second" else (first, second)
        )
        reason = request.POST.get("reason", "")
        if not reason.strip():
            pair = matching.duplicate_pair_get(actor=request.user, first=first.pk, second=second.pk)
            return render(
                request,
                "web/matching/duplicate_merge.html",
                {
                    "pair": pair,
                    "error": _("Say why these records are one person."),
                    "keep": request.POST.get("keep"),
                },
                status=400,
            )
        duplicate_services.duplicate_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, reason=reason,
            likelihood=_likelihood(request),
        )  # fmt: skip
        messages.success(
            request,
            _("%(duplicate)s merged into %(survivor)s.")
            % {"duplicate": duplicate.full_name, "survivor": survivor.full_name},
        )
        return redirect("web:duplicates")
    pair = matching.duplicate_pair_get(
        actor=request.user, first=request.GET.get("first"), second=request.GET.get("second")
    )
    return render(request, "web/matching/duplicate_merge.html", {"pair": pair, "keep": "first"})


@page_view
@require_POST
def duplicate_dismiss(request: HttpRequest) -> HttpResponse:
    first = selectors.person_get(actor=request.user, person_id=request.POST.get("first"))
    second = selectors.person_get(actor=request.user, person_id=request.POST.get("second"))
    duplicate_services.duplicate_dismiss(
        actor=request.user, first=first, second=second, reason=request.POST.get("reason", ""),
        likelihood=_likelihood(request),
    )  # fmt: skip
    messages.success(
        request,
        _("Noted: %(first)s and %(second)s are not the same person.")
        % {"first": first.full_name, "second": second.full_name},
    )
    page = request.POST.get("page", "")
    target = reverse("web:duplicates")
    return redirect(f"{target}?page={page}" if page.isdigit() else target)


def _likelihood(request: HttpRequest) -> float | None:
    try:
        value = float(request.POST.get("likelihood", ""))
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


@page_view
def tracing_list(request: HttpRequest) -> HttpResponse:
    requests = list(protection.tracing_request_list(actor=request.user)[:200])
    form = SchemaForm(
        TracingInput,
        TRACING_FIELDS,
        data=request.POST if request.method == "POST" else None,
        labels={"seeker_name": _("Who is looking"), "age_years": _("Age")},
    )
    if request.method == "POST":
        filed = form.submit(lambda v: protection.tracing_request_file(actor=request.user, **v))
        if filed is not None:
            count = filed.matches.count()
            messages.success(
                request,
                ngettext(
                    "Request filed; %(count)d match proposed.",
                    "Request filed; %(count)d matches proposed.",
                    count,
                )
                % {"count": count},
            )
            return redirect("web:tracing_detail", request_id=filed.pk)
    return render(
        request,
        "web/matching/tracing_list.html",
        {"requests": requests, "form": form},
        status=400 if form.has_errors else 200,
    )


@page_view
def tracing_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    found = protection.tracing_request_get(actor=request.user, request_id=request_id)
    matches = protection.tracing_matches(request=found)
    return render(request, "web/matching/tracing_detail.html", {"r": found, "matches": matches})


@page_view
@require_POST
def tracing_decide(request: HttpRequest, match_id: str) -> HttpResponse:
    match = protection.tracing_match_get(actor=request.user, match_id=match_id)
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "confirm":
        protection.tracing_match_confirm(actor=request.user, match=match, note=note)
        messages.success(request, _("Confirmed: the family is linked and the request closed."))
    else:
        protection.tracing_match_reject(actor=request.user, match=match, note=note)
        messages.success(request, _("Rejected."))
    return redirect("web:tracing_detail", request_id=match.request_id)


@page_view
def tracing_close(request: HttpRequest, request_id: str) -> HttpResponse:
    """Close a request without a confirmed match: found by other means, or withdrawn."""
    found = protection.tracing_request_get(actor=request.user, request_id=request_id)
    form = SchemaForm(
        TracingCloseInput,
        ("reason", "note"),
        data=request.POST if request.method == "POST" else None,
        labels={"reason": _("Why is it closed"), "note": _("Note")},
    )
    if request.method == "POST":
        closed = form.submit(
            lambda v: protection.tracing_request_close(actor=request.user, request=found, **v)
        )
        if closed is not None:
            messages.success(
                request,
                _("Request closed: %(reason)s.") % {"reason": closed.get_closed_reason_display()},
            )
            return redirect("web:tracing_detail", request_id=found.pk)
    return render(
        request,
        "web/matching/tracing_close.html",
        {"r": found, "form": form},
        status=400 if form.has_errors else 200,
    )


@page_view
def case_list(request: HttpRequest) -> HttpResponse:
    cases = protection.case_list(actor=request.user)
    return render(request, "web/matching/case_list.html", {"cases": cases})


@page_view
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = protection.case_get(actor=request.user, case_id=case_id)
    initial = {name: getattr(case, name) or "" for name in CASE_FIELDS}
    form = SchemaForm(
        CaseUpdateInput,
        CASE_FIELDS,
        data=request.POST if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST":
        updated = form.submit(
            lambda v: protection.case_update(actor=request.user, case=case, changes=v)
        )
        if updated is not None:
            messages.success(request, _("Case updated."))
            return redirect("web:case_detail", case_id=case.pk)
    return render(
        request,
        "web/matching/case_detail.html",
        {"case": case, "form": form},
        status=400 if form.has_errors else 200,
    )


@page_view
def case_close(request: HttpRequest, case_id: str) -> HttpResponse:
    """Close a case: reunified, transferred or aged out, with a note."""
    case = protection.case_get(actor=request.user, case_id=case_id)
    form = SchemaForm(
        CaseCloseInput,
        ("outcome", "note"),
        data=request.POST if request.method == "POST" else None,
        labels={"outcome": "Outcome", "note": "Note"},
    )
    if request.method == "POST":
        closed = form.submit(lambda v: protection.case_close(actor=request.user, case=case, **v))
        if closed is not None:
            messages.success(
                request, _("Case closed: %(outcome)s.") % {"outcome": closed.get_outcome_display()}
            )
            return redirect("web:case_detail", case_id=case.pk)
    return render(
        request,
        "web/matching/case_close.html",
        {"case": case, "form": form},
        status=400 if form.has_errors else 200,
    )
