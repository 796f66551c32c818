"""Family tracing and children's protection cases: services (writes) and selectors (reads).

A tracing request is matched against the registry when it is filed and each time a person is
registered (`person_registered`, called once at the end of `services.person_register`);
proposed matches wait for a protection officer, whose confirmation links the family (one
household) and closes the request.

A child under 18 with no adult of their household present is unaccompanied (no adult of the
household at all) or separated (the household's adults are missing, elsewhere or dead); a
protection case is opened for them at registration or by `cases_open_for_unaccompanied`.
Only roles with `people.view_protection` see cases, and every read is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, NotFound, ValidationFailed
from lifeline.core.ids import id_parse, uuid_named
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.people import rules
from lifeline.people.matching.names import Probe, candidate_score, names_parse, spelling_words
from lifeline.people.matching.selectors import person_candidate, probe_search
from lifeline.people.models import (
    CareArrangement,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    Household,
    Person,
    ProtectionCase,
    RiskLevel,
    Sex,
    Status,
    TracingCloseReason,
    TracingMatch,
    TracingMatchStatus,
    TracingRequest,
    TracingStatus,
)

# A registered person scoring this much against a request is proposed to an officer.
TRACING_THRESHOLD = 0.8
TRACING_PROPOSALS = 5
ADULT_YEARS = 18


# ---- tracing -----------------------------------------------------------------------------------


def tracing_probe(request: TracingRequest) -> Probe:
    """What the seeker told us, aged to today (a child sought last year is a year older)."""
    age = request.age_years
    if age is not None and request.created_at:
        age += max(0, timezone.localdate().year - request.created_at.year)
    return Probe(
        name=names_parse([request.given_name, request.family_name, *request.other_names]),
        spelling=spelling_words([request.given_name, request.family_name, *request.other_names]),
        age=age,
        sex=request.sex if request.sex in (Sex.FEMALE, Sex.MALE) else None,
    )


def tracing_match_propose(
    request: TracingRequest, person: Person, score: float, reasons: Iterable[str]
) -> TracingMatch | None:
    if request.seeker_id == person.pk:
        return None
    if TracingMatch.objects.filter(request=request, person=person).exists():
        return None
    match = TracingMatch(
        id=tracing_match_id_of(request.pk, person.pk),
        request=request,
        person=person,
        score=score,
        reasons=list(reasons),
    )
    match.save()
    if request.status == TracingStatus.OPEN:
        request.status = TracingStatus.MATCHED
        request.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="tracing.match_proposed",
        obj=request,
        summary=f"{person.full_name} may be {request.sought_name}",
        detail={"match": str(match.pk), "person": str(person.pk), "score": score},
    )
    return match


def tracing_match_id_of(request_id: Any, person_id: Any) -> Any:
    """One id per (request, person), the same at every site that proposes the match."""
    return uuid_named("people.tracingmatch", request_id, person_id)


def tracing_match_run(*, request: TracingRequest) -> list[TracingMatch]:
    """Propose the registry's best matches for a request (those above the threshold)."""
    exclude = {request.seeker_id} if request.seeker_id else set()
    proposed = []
    for found in probe_search(tracing_probe(request), limit=TRACING_PROPOSALS, exclude=exclude):
        if found.score >= TRACING_THRESHOLD:
            match = tracing_match_propose(request, found.person, found.score, found.reasons)
            if match is not None:
                proposed.append(match)
    return proposed


@transaction.atomic
def tracing_request_file(
    *,
    actor: Actor | None,
    seeker: Person | None = None,
    seeker_name: str = "",
    seeker_contact: str = "",
    given_name: str = "",
    family_name: str = "",
    other_names: Iterable[str] = (),
    sex: str = Sex.UNKNOWN,
    age_years: int | None = None,
    relation: str = "",
    last_seen_place: str = "",
    last_seen_on: dt.date | None = None,
    notes: str = "",
) -> TracingRequest:
    """File a request and match it against the registry at once."""
    permission_require(actor, "people.trace_family", doing=_("file tracing requests"))
    problems: dict[str, str] = {}
    if not (given_name.strip() or family_name.strip()):
        problems["given_name"] = _("a given or a family name of the person sought is required")
    if seeker is None and not seeker_name.strip():
        problems["seeker_name"] = _("say who is looking (a registered person or a name)")
    if seeker is not None and seeker.is_deleted:
        problems["seeker"] = _("was deleted")
    if sex not in Sex.values:
        problems["sex"] = _("must be one of %(join)s") % {"join": ", ".join(Sex.values)}
    if age_years is not None and not 0 <= age_years <= rules.MAX_AGE_YEARS:
        problems["age_years"] = _("must be between 0 and %(MAX_AGE_YEARS)s") % {
            "MAX_AGE_YEARS": rules.MAX_AGE_YEARS
        }
    if last_seen_on is not None and last_seen_on > timezone.localdate():
        problems["last_seen_on"] = _("is in the future")
    if problems:
        raise ValidationFailed(problems)
    request = TracingRequest(
        seeker=seeker,
        seeker_name=seeker_name.strip() or (seeker.full_name if seeker else ""),
        seeker_contact=seeker_contact.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        other_names=[n.strip() for n in other_names if n.strip()],
        sex=sex,
        age_years=age_years,
        relation=relation.strip(),
        last_seen_place=last_seen_place.strip(),
        last_seen_on=last_seen_on,
        notes=notes,
        filed_by=actor_user(actor),
    )
    request.save()
    audit_record(
        actor=actor,
        action="tracing.file",
        obj=request,
        summary=f"{request.seeker_name} looks for {request.sought_name}",
    )
    tracing_match_run(request=request)
    return request


def tracing_on_register(*, person: Person) -> list[TracingMatch]:
    """Score a newly registered person against every open request."""
    proposed = []
    for request, found, score, reasons in tracing_scores(persons=[person]):
        match = tracing_match_propose(request, found, score, reasons)
        if match is not None:
            proposed.append(match)
    return proposed


def tracing_scores(
    *, persons: Sequence[Person]
) -> list[tuple[TracingRequest, Person, float, list[str]]]:
    """Newcomers scored against every open request, the requests read once: the (request,
    person, score, reasons) at or above the threshold, to propose. Writes nothing."""
    requests = list(
        TracingRequest.objects.alive().filter(
            status__in=[TracingStatus.OPEN, TracingStatus.MATCHED]
        )
    )
    if not requests or not persons:
        return []
    probes = [(request, tracing_probe(request)) for request in requests]
    today = timezone.localdate()
    found = []
    for person in persons:
        candidate = person_candidate(person, today)
        for request, probe in probes:
            scored = candidate_score(probe, candidate)
            if scored.score >= TRACING_THRESHOLD:
                found.append((request, person, scored.score, list(scored.reasons)))
    return found


def _family_link(seeker: Person | None, found: Person, request: TracingRequest) -> str:
    """Put the seeker and the person found in one household; say what was done."""
    if seeker is None:
        return "found; the seeker is not registered, so no household was linked"
    if seeker.household_id and seeker.household_id != found.household_id:
        found.household_id = seeker.household_id
        found.save(update_fields=["household"])
        return f"{found.full_name} joined the household of {seeker.full_name}"
    if found.household_id and not seeker.household_id:
        seeker.household_id = found.household_id
        seeker.save(update_fields=["household"])
        return f"{seeker.full_name} joined the household of {found.full_name}"
    if seeker.household_id and seeker.household_id == found.household_id:
        return "already in one household"
    household = Household(
        site=found.current_site or seeker.current_site or site_local(),
        notes=f"Family reunited by tracing request {request.pk}",
    )
    household.save()
    for member in (seeker, found):
        member.household = household
        member.save(update_fields=["household"])
    return f"{seeker.full_name} and {found.full_name} now share a household"


def _match_lock(match: TracingMatch) -> TracingMatch:
    locked = (
        TracingMatch.objects.select_for_update()
        .select_related("request", "person")
        .get(pk=match.pk)
    )
    if locked.status != TracingMatchStatus.PROPOSED:
        raise Conflict(_("this match was already %(status)s") % {"status": locked.status})
    if locked.request.status == TracingStatus.CLOSED:
        raise Conflict(_("the tracing request is closed"))
    return locked


@transaction.atomic
def tracing_match_confirm(
    *, actor: Actor | None, match: TracingMatch, note: str = ""
) -> TracingMatch:
    """The person found is the one sought: link the family and close the request."""
    permission_require(actor, "people.confirm_tracing", doing=_("confirm tracing matches"))
    match = _match_lock(match)
    request = match.request
    found = Person.objects.select_for_update().get(pk=match.person_id)
    if found.is_deleted:
        raise Conflict(
            _("%(found)s was deleted or merged; propose the surviving record") % {"found": found}
        )
    seeker = (
        Person.objects.select_for_update().get(pk=request.seeker_id) if request.seeker_id else None
    )
    linked = _family_link(seeker, found, request)
    now = timezone.now()
    match.status, match.decided_by, match.decided_at = (
        TracingMatchStatus.CONFIRMED,
        actor_user(actor),
        now,
    )
    match.note = note[:300]
    match.save(update_fields=["status", "decided_by", "decided_at", "note"])
    request.status, request.found_person, request.closed_at = TracingStatus.CLOSED, found, now
    request.closed_reason, request.closed_note = TracingCloseReason.MATCHED, note[:300]
    request.save(
        update_fields=["status", "found_person", "closed_at", "closed_reason", "closed_note"]
    )
    audit_record(
        actor=actor,
        action="tracing.confirm",
        obj=request,
        summary=f"{found.full_name} is {request.sought_name}: {linked}",
        detail={"match": str(match.pk), "person": str(found.pk), "note": note},
    )
    return match


@transaction.atomic
def tracing_match_reject(
    *, actor: Actor | None, match: TracingMatch, note: str = ""
) -> TracingMatch:
    permission_require(actor, "people.confirm_tracing", doing=_("reject tracing matches"))
    match = _match_lock(match)
    match.status, match.decided_by = TracingMatchStatus.REJECTED, actor_user(actor)
    match.decided_at, match.note = timezone.now(), note[:300]
    match.save(update_fields=["status", "decided_by", "decided_at", "note"])
    request = match.request
    waiting = request.matches.filter(status=TracingMatchStatus.PROPOSED).exists()
    if not waiting and request.status == TracingStatus.MATCHED:
        request.status = TracingStatus.OPEN
        request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="tracing.reject",
        obj=request,
        summary=f"{match.person.full_name} is not {request.sought_name}",
        detail={"match": str(match.pk), "note": note},
    )
    return match


# Reasons an officer gives by hand; MATCHED is set by a confirmed match.
CLOSE_REASONS_BY_HAND = (TracingCloseReason.FOUND_ELSEWHERE, TracingCloseReason.WITHDRAWN)


@transaction.atomic
def tracing_request_close(
    *, actor: Actor | None, request: TracingRequest, reason: str, note: str
) -> TracingRequest:
    """Close a request without a confirmed match: the person was found by other means, or
    the seeker withdrew it. Proposed matches still waiting are rejected with it."""
    permission_require(actor, "people.confirm_tracing", doing=_("close tracing requests"))
    problems: dict[str, str] = {}
    if reason not in CLOSE_REASONS_BY_HAND:
        problems["reason"] = _("must be one of %(join)s") % {
            "join": ", ".join(CLOSE_REASONS_BY_HAND)
        }
    if not note.strip():
        problems["note"] = _("say why the request is closed")
    if problems:
        raise ValidationFailed(problems)
    request = TracingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == TracingStatus.CLOSED:
        raise Conflict(_("the tracing request is already closed"))
    now = timezone.now()
    waiting = list(request.matches.filter(status=TracingMatchStatus.PROPOSED))
    for match in waiting:
        match.status, match.decided_by, match.decided_at = (
            TracingMatchStatus.REJECTED,
            actor_user(actor),
            now,
        )
        match.note = "request closed"
        match.save(update_fields=["status", "decided_by", "decided_at", "note"])
    request.status, request.closed_at = TracingStatus.CLOSED, now
    request.closed_reason, request.closed_note = reason, note.strip()[:300]
    request.save(update_fields=["status", "closed_at", "closed_reason", "closed_note"])
    audit_record(
        actor=actor,
        action="tracing.close",
        obj=request,
        summary=f"{TracingCloseReason(reason).label}: {note.strip()[:250]}",
        detail={"reason": reason, "note": note.strip(), "matches_closed": len(waiting)},
    )
    return request


def tracing_request_list(
    *, actor: Actor | None, status: str | None = None
) -> QuerySet[TracingRequest]:
    permission_require(actor, "people.trace_family", doing=_("see tracing requests"))
    qs = TracingRequest.objects.alive().select_related("seeker", "found_person")
    if status:
        if status not in TracingStatus.values:
            raise ValidationFailed(
                {"status": _("must be one of %(join)s") % {"join": ", ".join(TracingStatus.values)}}
            )
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "id")


def tracing_request_get(*, actor: Actor | None, request_id: Any) -> TracingRequest:
    """One request with its proposed matches; the read is audited (it names the missing)."""
    permission_require(actor, "people.trace_family", doing=_("see tracing requests"))
    pk = id_parse(request_id, "request")
    request = (
        TracingRequest.objects.alive()
        .select_related("seeker", "found_person", "filed_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFound(_("no tracing request with id %(pk)s") % {"pk": pk})
    audit_record(actor=actor, action="read.protected", obj=request, summary=str(request))
    return request


def tracing_matches(*, request: TracingRequest) -> list[TracingMatch]:
    return list(request.matches.select_related("person", "decided_by").order_by("-score"))


def tracing_match_get(*, actor: Actor | None, match_id: Any) -> TracingMatch:
    permission_require(actor, "people.trace_family", doing=_("see tracing requests"))
    pk = id_parse(match_id, "match")
    match = TracingMatch.objects.select_related("request", "person").filter(pk=pk).first()
    if match is None:
        raise NotFound(_("no tracing match with id %(pk)s") % {"pk": pk})
    return match


# ---- children's protection cases ---------------------------------------------------------------


def _age(person: Person, today: dt.date) -> int | None:
    return rules.age_on(person.date_of_birth, today) if person.date_of_birth else None


def child_protection_kind(
    person: Person, members: Iterable[Person] | None = None, today: dt.date | None = None
) -> str | None:
    """unaccompanied, separated, or None (an adult, or a child with an adult present)."""
    today = today or timezone.localdate()
    age = _age(person, today)
    if age is None or age >= ADULT_YEARS or person.is_deleted:
        return None
    if person.status not in (Status.PRESENT, Status.IN_CARE):
        return None
    if members is None:
        members = (
            Person.objects.alive().filter(household_id=person.household_id)
            if person.household_id
            else []
        )
    adults = [
        m
        for m in members
        if m.pk != person.pk and (a := _age(m, today)) is not None and a >= ADULT_YEARS
    ]
    if any(m.status in (Status.PRESENT, Status.IN_CARE) for m in adults):
        return None
    return CaseKind.SEPARATED if adults else CaseKind.UNACCOMPANIED


def _case_open(
    *, actor: Actor | None, child: Person, kind: str, why: str, **values: Any
) -> ProtectionCase:
    case = ProtectionCase(child=child, kind=kind, **values)
    case.save()
    # The audit summary names no child: the audit log is read more widely than cases.
    audit_record(
        actor=actor,
        action="protection.open",
        obj=case,
        summary=f"{case.get_kind_display()} case opened ({why})",
        detail={"child": str(child.pk)},
    )
    return case


def case_open_if_needed(*, actor: Actor | None, person: Person) -> ProtectionCase | None:
    """At registration: open a case for a child with no adult of the household present."""
    kind = child_protection_kind(person)
    if kind is None:
        return None
    if ProtectionCase.objects.alive().filter(child=person, status=CaseStatus.OPEN).exists():
        return None
    return _case_open(actor=actor, child=person, kind=kind, why="at registration")


def person_registered(*, actor: Actor | None, person: Person) -> None:
    """What follows a registration: tracing requests matched, a child's case opened."""
    tracing_on_register(person=person)
    case_open_if_needed(actor=actor, person=person)


@transaction.atomic
def cases_open_for_unaccompanied(*, actor: Actor | None = None) -> list[ProtectionCase]:
    """Open a case for every child present with no adult of their household present."""
    if actor is not None:
        permission_require(actor, "people.manage_protection", doing=_("open protection cases"))
    today = timezone.localdate()
    children = list(
        Person.objects.alive()
        .filter(
            # A coarse bound; child_protection_kind decides on the exact age.
            date_of_birth__gt=dt.date(today.year - ADULT_YEARS - 1, 1, 1),
            status__in=[Status.PRESENT, Status.IN_CARE],
        )
        .exclude(protection_cases__status=CaseStatus.OPEN, protection_cases__deleted_at=None)
    )
    households = {c.household_id for c in children if c.household_id}
    members: dict[Any, list[Person]] = {}
    for member in Person.objects.alive().filter(household_id__in=households):
        members.setdefault(member.household_id, []).append(member)
    opened = []
    for child in children:
        kind = child_protection_kind(child, members.get(child.household_id, []), today)
        if kind is not None:
            opened.append(_case_open(actor=actor, child=child, kind=kind, why="registry review"))
    return opened


CASE_FIELDS = (
    "kind",
    "care_arrangement",
    "carer",
    "risk_level",
    "caseworker",
    "last_follow_up",
    "next_follow_up",
    "notes",
)


def _case_values_check(values: Mapping[str, Any]) -> None:
    problems: dict[str, str] = {}
    for name, choices in (
        ("kind", CaseKind),
        ("care_arrangement", CareArrangement),
        ("risk_level", RiskLevel),
    ):
        if name in values and values[name] not in choices.values:
            problems[name] = _("must be one of %(join)s") % {"join": ", ".join(choices.values)}
    caseworker = values.get("caseworker")
    if caseworker is not None and not caseworker.has_perm("people.manage_protection"):
        problems["caseworker"] = _("must be a protection officer")
    unknown = sorted(set(values) - set(CASE_FIELDS))
    for name in unknown:
        problems[name] = _("cannot be changed here")
    if problems:
        raise ValidationFailed(problems)


@transaction.atomic
def case_open(*, actor: Actor | None, child: Person, kind: str, **values: Any) -> ProtectionCase:
    """Open a case by hand (a child whose situation the registry does not show)."""
    permission_require(actor, "people.manage_protection", doing=_("open protection cases"))
    _case_values_check({"kind": kind, **values})
    if ProtectionCase.objects.alive().filter(child=child, status=CaseStatus.OPEN).exists():
        raise Conflict(_("this child already has an open case"))
    return _case_open(actor=actor, child=child, kind=kind, why="opened by hand", **values)


@transaction.atomic
def case_update(
    *, actor: Actor | None, case: ProtectionCase, changes: Mapping[str, Any]
) -> ProtectionCase:
    permission_require(actor, "people.manage_protection", doing=_("change protection cases"))
    _case_values_check(changes)
    case = ProtectionCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("the case is closed"))
    changed = [k for k, v in changes.items() if getattr(case, k) != v]
    for name in changed:
        setattr(case, name, changes[name])
    if changed:
        case.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="protection.update",
            obj=case,
            summary="protection case updated",
            detail={"fields": changed},
        )
    return case


@transaction.atomic
def case_close(
    *, actor: Actor | None, case: ProtectionCase, outcome: str, note: str
) -> ProtectionCase:
    """Close a case: the child was reunified, transferred or has aged out; the note says how."""
    permission_require(actor, "people.manage_protection", doing=_("close protection cases"))
    problems: dict[str, str] = {}
    if outcome not in CaseOutcome.values:
        problems["outcome"] = _("must be one of %(join)s") % {"join": ", ".join(CaseOutcome.values)}
    if not note.strip():
        problems["note"] = _("say why the case is closed")
    if problems:
        raise ValidationFailed(problems)
    case = ProtectionCase.objects.select_for_update().select_related("child").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("the case is already closed"))
    if outcome == CaseOutcome.AGED_OUT:
        age = _age(case.child, timezone.localdate())
        if age is not None and age < ADULT_YEARS:
            raise ValidationFailed(
                {
                    "outcome": _("the child is %(age)s, not yet %(ADULT_YEARS)s")
                    % {"age": age, "ADULT_YEARS": ADULT_YEARS}
                }
            )
    label = CaseOutcome(outcome).label
    case.status, case.closed_at, case.outcome = CaseStatus.CLOSED, timezone.now(), outcome
    case.notes = (case.notes + "\n" if case.notes else "") + f"Closed ({label}): {note.strip()}"
    fields = ["status", "closed_at", "outcome", "notes"]
    if outcome == CaseOutcome.REUNIFIED:
        case.care_arrangement = CareArrangement.REUNIFIED
        fields.append("care_arrangement")
    case.save(update_fields=fields)
    # The audit summary names no child and repeats no note (the audit log is read more
    # widely than cases); the note stays on the case.
    audit_record(
        actor=actor,
        action="protection.close",
        obj=case,
        summary=f"case closed: {label}",
        detail={"outcome": outcome},
    )
    return case


def case_list(*, actor: Actor | None, status: str | None = CaseStatus.OPEN) -> list[ProtectionCase]:
    """Cases (open by default), highest risk first. Seeing the list is an audited read."""
    permission_require(actor, "people.view_protection", doing=_("see protection cases"))
    qs = ProtectionCase.objects.alive().select_related("child", "caseworker")
    if status:
        if status not in CaseStatus.values:
            raise ValidationFailed(
                {"status": _("must be one of %(join)s") % {"join": ", ".join(CaseStatus.values)}}
            )
        qs = qs.filter(status=status)
    risk_order: dict[str, int] = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}
    cases = sorted(qs, key=lambda c: (risk_order.get(c.risk_level, 3), c.created_at))
    audit_record(
        actor=actor,
        action="read.protected",
        summary=f"protection cases ({status or 'all'}): {len(cases)}",
        detail={"parts": ["protection_cases"], "cases": [str(c.pk) for c in cases][:200]},
    )
    return cases


def case_get(*, actor: Actor | None, case_id: Any) -> ProtectionCase:
    permission_require(actor, "people.view_protection", doing=_("see protection cases"))
    pk = id_parse(case_id, "case")
    case = (
        ProtectionCase.objects.alive()
        .select_related("child", "caseworker", "child__household")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(_("no protection case with id %(pk)s") % {"pk": pk})
    audit_record(
        actor=actor,
        action="read.protected",
        obj=case,
        summary="protection case",
        detail={"parts": ["protection_case"], "child": str(case.child_id)},
    )
    return case


def cases_of_child(*, actor: Actor | None, child: Person) -> list[ProtectionCase]:
    permission_require(actor, "people.view_protection", doing=_("see protection cases"))
    cases = list(ProtectionCase.objects.alive().filter(Q(child=child)).order_by("-created_at"))
    if cases:
        audit_record(
            actor=actor,
            action="read.protected",
            obj=child,
            summary="protection cases of a child",
            detail={"parts": ["protection_cases"]},
        )
    return cases
