"""Writes of treatments and of the allocation of scarce medicine: prescribing a course, giving
a dose (which issues the stock from the supplies ledger, first expiry first, in the same
transaction: both are written or neither), stopping a course, proposing an allocation by the
rule of docs/care-allocation.md and confirming it (with overrides, each with its reason).

Every write checks the actor's permission (`care.prescribe_treatment`,
`care.allocate_medicine`: medics and the commander) and writes its audit row in its
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.care import allocation as rule
from lifeline.care import schedule
from lifeline.care.models import (
    OPEN_STATUSES,
    AllocationDecision,
    AllocationOutcome,
    AllocationStatus,
    Benefit,
    DoseGiven,
    Patient,
    Treatment,
)
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.models import replicated_create_many
from lifeline.core.services import Actor, actor_user, audit_record, permission_require, setting_get
from lifeline.people.rules import age_on
from lifeline.supplies.models import Item, Location, LocationKind, MovementKind
from lifeline.supplies.rules import quantity_text as q
from lifeline.supplies.selectors import on_hand_total
from lifeline.supplies.services import stock_take

# The per-site setting naming (by code) the store a clinic's doses come from, when a
# prescription names none and the site has more than one store.
SETTING_STORE = "care.store"
MAX_EVERY_HOURS = 24 * 7
# A dose's time may run a little ahead of the server's clock (a tablet's clock), not more.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_DOSES = 200

PRESCRIBE = "care.prescribe_treatment"
ALLOCATE = "care.allocate_medicine"


def _store_for(patient: Patient, store: Location | None) -> Location:
    """The store a course's doses come from: the one named, the site's `care.store` setting,
    or the site's only store."""
    if store is not None:
        if store.site_id != patient.site_id:
            raise ValidationFailed(
                {"store": _("%(name)s is not at the patient's site") % {"name": store.name}}
            )
        return store
    code = setting_get(site=patient.site, key=SETTING_STORE)
    stores = Location.objects.alive().filter(site_id=patient.site_id, kind=LocationKind.STORE)
    if code:
        named = stores.filter(code=code).first()
        if named is not None:
            return named
    found = list(stores[:2])
    if len(found) == 1:
        return found[0]
    raise ValidationFailed({"store": _("name the store the doses come from")})


@transaction.atomic
def treatment_prescribe(
    *,
    actor: Actor | None,
    patient: Patient,
    item: Item,
    dose_quantity: Decimal,
    every_hours: int,
    doses: int,
    starts_at: dt.datetime | None = None,
    store: Location | None = None,
    benefit: str = Benefit.MEDIUM,
    indication: str = "",
    dose_unit: str | None = None,
) -> Treatment:
    """A course for a patient in care: `dose_quantity` of the item (in its unit) every
    `every_hours` hours, `doses` times, from a store of the patient's site."""
    permission_require(actor, PRESCRIBE, doing=_("prescribe treatments"))
    problems: dict[str, str] = {}
    if patient.status not in OPEN_STATUSES:
        problems["patient"] = _("is no longer in care (%(lower)s)") % {
            "lower": patient.get_status_display().lower()
        }
    if dose_quantity is None or dose_quantity <= 0:
        problems["dose_quantity"] = _("must be more than zero")
    if not 1 <= every_hours <= MAX_EVERY_HOURS:
        problems["every_hours"] = _("must be from 1 to %(MAX_EVERY_HOURS)s") % {
            "MAX_EVERY_HOURS": MAX_EVERY_HOURS
        }
    if not 1 <= doses <= MAX_DOSES:
        problems["doses"] = _("must be from 1 to %(MAX_DOSES)s") % {"MAX_DOSES": MAX_DOSES}
    if benefit not in Benefit.values:
        problems["benefit"] = _("must be one of %(join)s") % {"join": ", ".join(Benefit.values)}
    if dose_unit and dose_unit != item.unit:
        problems["dose_unit"] = _(
            "doses are issued in the item's unit (%(unit)s): give the dose in %(unit)s"
        ) % {"unit": item.unit}
    if problems:
        raise ValidationFailed(problems)
    source = _store_for(patient, store)
    treatment = Treatment(
        patient=patient,
        item=item,
        store=source,
        dose_quantity=dose_quantity,
        dose_unit=item.unit,
        every_hours=every_hours,
        doses=doses,
        starts_at=starts_at or timezone.now(),
        benefit=benefit,
        indication=indication.strip(),
        prescribed_by=actor_user(actor),
    )
    treatment.save()
    audit_record(
        actor=actor,
        action="treatment.prescribe",
        obj=treatment,
        summary=(
            f"{q(dose_quantity)} {item.unit} of {item.name} every {every_hours} h x {doses} "
            f"for patient {patient.pk}"
        ),
    )
    return treatment


@transaction.atomic
def treatment_stop(*, actor: Actor | None, treatment: Treatment, reason: str) -> Treatment:
    """End a course before its last dose (finished early, changed, or not available)."""
    permission_require(actor, PRESCRIBE, doing=_("stop treatments"))
    if not reason.strip():
        raise ValidationFailed({"reason": _("say why the course stops")})
    treatment = Treatment.objects.select_for_update().get(pk=treatment.pk)
    if treatment.stopped_at is not None:
        raise Conflict(
            _("this course was stopped on %(stopped_at)s")
            % {"stopped_at": format(treatment.stopped_at, "%Y-%m-%d %H:%M")}
        )
    treatment.stopped_at = timezone.now()
    treatment.stop_reason = reason.strip()[:300]
    treatment.save(update_fields=["stopped_at", "stop_reason"])
    audit_record(actor=actor, action="treatment.stop", obj=treatment, summary=reason[:300])
    return treatment


def _withheld_by_decision(treatment: Treatment) -> AllocationOutcome | None:
    """The outcome of the latest confirmed allocation of this course, when it gave nothing."""
    latest = (
        AllocationOutcome.objects.alive()
        .filter(treatment=treatment, decision__status__in=_DECIDED)
        .select_related("decision")
        .order_by("-decision__decided_at", "-decision__version")
        .first()
    )
    return latest if latest is not None and latest.quantity == 0 else None


_DECIDED = (AllocationStatus.CONFIRMED, AllocationStatus.OVERRIDDEN)


@transaction.atomic
def dose_give(
    *,
    actor: Actor | None,
    treatment: Treatment,
    given_at: dt.datetime | None = None,
    quantity: Decimal | None = None,
    note: str = "",
    reason: str = "",
) -> DoseGiven:
    """Record a dose given and issue it from the course's store, earliest expiry first, in one
    transaction. When the store has not enough, nothing is written and the message says what
    is on hand.

    A dose for a slot of the schedule already given (a second tap, a second medic), one
    outside the course's schedule, or more than the prescribed dose is refused unless the
    medic gives the `reason`, which is kept in the dose's note and the audit row."""
    permission_require(actor, PRESCRIBE, doing=_("give doses"))
    # One dose at a time per course: the row lock orders two medics giving the same dose.
    treatment = (
        Treatment.objects.select_for_update()
        .select_related("item", "store", "patient")
        .get(pk=treatment.pk)
    )
    amount = treatment.dose_quantity if quantity is None else quantity
    if amount is None or amount <= 0:
        raise ValidationFailed({"quantity": _("must be more than zero")})
    if given_at is not None and given_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationFailed({"given_at": _("is in the future: record a dose once it is given")})
    if treatment.patient.status not in OPEN_STATUSES:
        raise Conflict(
            _("the patient is no longer in care (%(lower)s)")
            % {"lower": treatment.patient.get_status_display().lower()}
        )
    if treatment.stopped_at is not None:
        raise Conflict(
            _("this course was stopped: %(stop_reason)s") % {"stop_reason": treatment.stop_reason}
        )
    given_times = list(
        DoseGiven.objects.alive().filter(treatment=treatment).values_list("given_at", flat=True)
    )
    given = len(given_times)
    if given >= treatment.doses:
        raise Conflict(
            _("the course is complete: %(given)s of %(doses)s doses given")
            % {"given": given, "doses": treatment.doses}
        )
    at = given_at or timezone.now()
    reason = reason.strip()
    if not reason:
        _dose_on_schedule_require(treatment, at, given_times, amount)
    withheld = _withheld_by_decision(treatment)
    if withheld is not None:
        raise Conflict(
            _(
                "the allocation confirmed on %(decided_at)s gave this patient no %(name)s "
                "(%(reason)s); propose a new allocation or confirm one with an override first"
            )
            % {
                "decided_at": format(withheld.decision.decided_at, "%Y-%m-%d %H:%M"),
                "name": treatment.item.name,
                "reason": withheld.reason,
            }
        )
    item, store = treatment.item, treatment.store
    today = timezone.localdate()
    if not reason:
        _others_share_keep(treatment, amount, today)
    try:
        # The dose moves stock as an issue from the store does, in this transaction; an
        # expired lot is not given.
        movements = stock_take(
            actor=actor,
            kind=MovementKind.ISSUE,
            item=item,
            location=store,
            quantity=amount,
            # Logistics reads the ledger: the note names the course, not the patient (the
            # dose row links the movement to the patient for those who may see it).
            note=f"care dose {given + 1} of {treatment.doses}, course {treatment.pk}",
            usable_on=today,
        )
    except ValidationFailed as exc:
        usable = on_hand_total(item=item, location=store, usable_on=today)
        expired = on_hand_total(item=item, location=store) - usable
        past_date = f" (and {q(expired)} past its expiry date)" if expired else ""
        raise ValidationFailed(
            {
                "quantity": (
                    _(
                        "not enough %(name)s at %(name2)s for this dose: %(q)s %(unit)s on "
                        "hand%(past_date)s, the dose is %(q2)s; nothing was given or recorded"
                    )
                    % {
                        "name": item.name,
                        "name2": store.name,
                        "q": q(usable),
                        "unit": item.unit,
                        "past_date": past_date,
                        "q2": q(amount),
                    }
                )
            }
        ) from exc
    if reason:
        note = f"{note.strip()} (given with reason: {reason})".strip()
    dose = DoseGiven(
        treatment=treatment,
        given_at=at,
        quantity=amount,
        given_by=actor_user(actor),
        movement=movements[0],
        movement_ids=[str(m.pk) for m in movements],
        note=note.strip()[:300],
    )
    dose.save()
    audit_record(
        actor=actor,
        action="dose.give",
        obj=dose,
        summary=(
            f"dose {given + 1} of {treatment.doses}: {q(amount)} {item.unit} of {item.name} "
            f"from {store.name} to patient {treatment.patient_id}"
            + (f"; given with reason: {reason}" if reason else "")
        ),
    )
    return dose


def _others_share_keep(treatment: Treatment, amount: Decimal, today: dt.date) -> None:
    """Refuse a dose that would take what the latest confirmed allocation of this medicine at
    this store still owes to the other patients it served (those still in care, their course
    not stopped): the decision stands until a new one is confirmed."""
    decision = (
        AllocationDecision.objects.alive()
        .filter(item_id=treatment.item_id, store_id=treatment.store_id, status__in=_DECIDED)
        .order_by("-decided_at")
        .first()
    )
    if decision is None or decision.decided_at is None:
        return
    shares = list(
        AllocationOutcome.objects.alive()
        .filter(
            decision=decision,
            quantity__gt=0,
            treatment__stopped_at__isnull=True,
            patient__status__in=OPEN_STATUSES,
        )
        .exclude(treatment_id=treatment.pk)
    )
    if not shares:
        return
    given = dict(
        DoseGiven.objects.alive()
        .filter(
            treatment_id__in=[o.treatment_id for o in shares],
            created_at__gte=decision.decided_at,
        )
        .values("treatment_id")
        .annotate(total=Sum("quantity"))
        .values_list("treatment_id", "total")
    )
    owed = sum(
        (max(Decimal(0), o.quantity - given.get(o.treatment_id, Decimal(0))) for o in shares),
        Decimal(0),
    )
    usable = on_hand_total(item=treatment.item, location=treatment.store, usable_on=today)
    if owed > 0 and usable - amount < owed:
        raise Conflict(
            _(
                "%(q)s %(unit)s of %(name)s at %(name2)s, of which %(q2)s is owed to the other "
                "patients of the allocation confirmed on %(localtime)s: this dose would take "
                "from their share; propose a new allocation, or give a reason to record it"
            )
            % {
                "q": q(usable),
                "unit": treatment.item.unit,
                "name": treatment.item.name,
                "name2": treatment.store.name,
                "q2": q(owed),
                "localtime": format(timezone.localtime(decision.decided_at), "%Y-%m-%d %H:%M"),
            }
        )


def _dose_on_schedule_require(
    treatment: Treatment, at: dt.datetime, given_times: Sequence[dt.datetime], amount: Decimal
) -> None:
    """Refuse, unless a reason is given, a dose larger than prescribed or one that fills no
    open slot of the course's schedule (the same slot rule the schedule shows)."""
    if amount > treatment.dose_quantity:
        raise ValidationFailed(
            {
                "quantity": (
                    _(
                        "%(q)s is more than the prescribed dose of %(q2)s %(dose_unit)s: give a "
                        "reason to record it"
                    )
                    % {
                        "q": q(amount),
                        "q2": q(treatment.dose_quantity),
                        "dose_unit": treatment.dose_unit,
                    }
                )
            }
        )
    every = dt.timedelta(hours=treatment.every_hours)
    start = treatment.starts_at
    slot = schedule.slot_of(start, every, at)

    def when(moment: dt.datetime) -> str:
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    if not 0 <= slot < treatment.doses:
        raise Conflict(
            _(
                "this time is outside the course (dose 1 at %(when)s, every %(every_hours)s h, "
                "%(doses)s doses): give a reason to record it"
            )
            % {"when": when(start), "every_hours": treatment.every_hours, "doses": treatment.doses}
        )
    for earlier in given_times:
        if schedule.slot_of(start, every, earlier) == slot:
            raise Conflict(
                _(
                    "dose %(value)s (due %(when)s) was already given at %(when2)s; the next dose "
                    "is due %(when3)s: give a reason to record another"
                )
                % {
                    "value": slot + 1,
                    "when": when(start + slot * every),
                    "when2": when(earlier),
                    "when3": when(start + (slot + 1) * every),
                }
            )


# ---- allocation of a scarce medicine -------------------------------------------------------


def _waiting(item: Item, store: Location) -> list[tuple[Treatment, int]]:
    """Courses of the item from the store with doses still to give, of patients in care,
    with the number of doses given."""
    rows = (
        Treatment.objects.alive()
        .filter(
            item=item,
            store=store,
            stopped_at__isnull=True,
            patient__status__in=OPEN_STATUSES,
            patient__deleted_at__isnull=True,
        )
        .select_related("patient", "patient__person")
        .annotate(given=Count("doses_given", filter=Q(doses_given__deleted_at__isnull=True)))
        .order_by("prescribed_at", "id")
    )
    return [(t, t.given) for t in rows if t.given < t.doses]


def _key(treatment: Treatment) -> str:
    # The patient's id first: the rule's last tie-break is this key.
    return f"{treatment.patient_id}/{treatment.pk}"


def _candidate(treatment: Treatment, given: int, today: dt.date) -> rule.Candidate:
    patient = treatment.patient
    person = patient.person
    age = age_on(person.date_of_birth, today) if person.date_of_birth else None
    return rule.Candidate(
        key=_key(treatment),
        category=patient.category or rule.UNTRIAGED,
        need=treatment.dose_quantity * (treatment.doses - given),
        benefit=treatment.benefit,
        waiting_since=patient.arrived_at,
        age_years=age,
        name=person.full_name,
    )


def _candidate_json(c: rule.Candidate) -> dict[str, Any]:
    return {
        "key": c.key,
        "category": c.category,
        "need": str(c.need),
        "benefit": c.benefit,
        "waiting_since": c.waiting_since.isoformat() if c.waiting_since else None,
        "age_years": c.age_years,
        "name": c.name,
    }


def _candidate_from_json(row: Mapping[str, Any]) -> rule.Candidate:
    since = row.get("waiting_since")
    return rule.Candidate(
        key=row["key"],
        category=row["category"],
        need=Decimal(row["need"]),
        benefit=row["benefit"],
        waiting_since=dt.datetime.fromisoformat(since) if since else None,
        age_years=row.get("age_years"),
        name=row.get("name", ""),
    )


def _outcome_json(o: rule.Outcome) -> dict[str, Any]:
    return {
        "key": o.key,
        "category": o.category,
        "need": str(o.need),
        "quantity": str(o.quantity),
        "rank": o.rank,
        "reason": o.reason,
        "override": o.override.action if o.override else "",
    }


def _refused(exc: rule.AllocationRefused) -> ValidationFailed:
    return ValidationFailed({"overrides": exc.message})


@transaction.atomic
def allocation_propose(
    *, actor: Actor | None, item: Item, store: Location, partial: bool = False
) -> AllocationDecision:
    """Propose who gets the item's stock at the store among the patients whose courses wait
    for it, by the rule (docs/care-allocation.md). A proposal decides nothing until a medic
    or the commander confirms it."""
    permission_require(actor, ALLOCATE, doing=_("propose allocations of medicine"))
    waiting = _waiting(item, store)
    if not waiting:
        raise ValidationFailed(
            {
                "item": _("no course of %(name)s from %(name2)s is waiting for doses")
                % {"name": item.name, "name2": store.name}
            }
        )
    today = timezone.localdate()
    candidates = [_candidate(t, given, today) for t, given in waiting]
    children_first = bool(setting_get(site=store.site, key=rule.SETTING_CHILDREN_FIRST))
    child_age_below = int(
        setting_get(site=store.site, key=rule.SETTING_CHILD_AGE_BELOW) or rule.CHILD_AGE_BELOW
    )
    # Only what may be given counts: lots past their expiry date wait for their write-off.
    stock = on_hand_total(item=item, location=store, usable_on=today)
    result = rule.allocate(
        candidates,
        stock,
        children_first=children_first,
        child_age_below=child_age_below,
        partial=partial,
    )
    decision = AllocationDecision(
        item=item,
        store=store,
        site=store.site,
        stock=stock,
        children_first=children_first,
        child_age_below=child_age_below,
        partial=partial,
        proposal={
            "candidates": [_candidate_json(c) for c in candidates],
            "outcomes": [_outcome_json(o) for o in result.outcomes],
            "notes": list(result.notes),
            "scarce": result.scarce,
        },
        proposed_by=actor_user(actor),
    )
    decision.save()
    without = sum(1 for o in result.outcomes if o.without)
    audit_record(
        actor=actor,
        action="allocation.propose",
        obj=decision,
        summary=(
            f"{item.name} at {store.name}: {q(stock)} {item.unit} on hand for "
            f"{len(candidates)} waiting courses; {without} would go without"
        ),
    )
    return decision


@dataclass(frozen=True)
class OverrideInput:
    """An override of one patient's share: `patient` is a patient's or a course's id."""

    patient: str
    action: str  # rule.GIVE or rule.WITHHOLD
    reason: str
    quantity: Decimal | None = None


def _override_keys(overrides: Sequence[OverrideInput], keys: Sequence[str]) -> list[rule.Override]:
    found: list[rule.Override] = []
    problems: dict[str, str] = {}
    for n, o in enumerate(overrides):
        ref = str(o.patient).strip()
        matches = [k for k in keys if ref in k.split("/")]
        if len(matches) != 1:
            problems[f"overrides[{n}].patient"] = (
                _("“%(ref)s” is not a patient waiting in this proposal")
                if not matches
                else _("“%(ref)s” has several courses here: name the course")
            ) % {"ref": ref}
            continue
        if not o.reason.strip():
            problems[f"overrides[{n}].reason"] = _("an override needs a reason")
            continue
        found.append(rule.Override(matches[0], o.action, o.reason.strip()[:300], o.quantity))
    if problems:
        raise ValidationFailed(problems)
    return found


def _patients_unchanged_require(
    decision: AllocationDecision, snapshot: Sequence[rule.Candidate]
) -> None:
    """Refuse to confirm a proposal whose patients have changed since (re-triaged, a course
    prescribed, stopped or dosed, a patient discharged or dead): the decision would be made on
    a picture that is no longer true, and could pass over a higher category unrecorded."""
    today = timezone.localdate()
    now = {
        c.key: c
        for c in (
            _candidate(t, given, today) for t, given in _waiting(decision.item, decision.store)
        )
    }
    then = {c.key: c for c in snapshot}
    changes = []
    for key, old in then.items():
        new = now.get(key)
        if new is None:
            changes.append(f"{old.name} no longer waits for it")
        elif new.category != old.category:
            changes.append(f"{old.name} is now {new.category} (was {old.category})")
        elif new.need != old.need or new.benefit != old.benefit:
            changes.append(f"{old.name}'s course changed")
    changes += [f"{c.name} now waits for it too" for key, c in now.items() if key not in then]
    if changes:
        raise Conflict(
            _(
                "the patients waiting for %(name)s changed since this proposal (%(join)s): "
                "propose again"
            )
            % {"name": decision.item.name, "join": "; ".join(changes)}
        )


@transaction.atomic
def allocation_confirm(
    *,
    actor: Actor | None,
    decision: AllocationDecision,
    overrides: Sequence[OverrideInput] = (),
    note: str = "",
) -> AllocationDecision:
    """Confirm a proposal as it is, or with overrides (each with its reason). The rule runs
    again on the proposal's own snapshot with the overrides; an override that serves a lower
    triage category while a higher one goes without is allowed and recorded as such.
    Refused when the stock on hand or the waiting patients have changed since the proposal
    (propose again)."""
    permission_require(actor, ALLOCATE, doing=_("confirm allocations of medicine"))
    decision = (
        AllocationDecision.objects.select_for_update()
        .select_related("item", "store")
        .get(pk=decision.pk)
    )
    if decision.status != AllocationStatus.PROPOSED:
        raise Conflict(
            _("this allocation was already decided (%(get_status_display)s)")
            % {"get_status_display": decision.get_status_display()}
        )
    on_hand = on_hand_total(
        item=decision.item, location=decision.store, usable_on=timezone.localdate()
    )
    if on_hand != decision.stock:
        raise Conflict(
            _(
                "the stock of %(name)s at %(name2)s changed since this proposal (%(q)s then, "
                "%(q2)s now): propose again"
            )
            % {
                "name": decision.item.name,
                "name2": decision.store.name,
                "q": q(decision.stock),
                "q2": q(on_hand),
            }
        )
    candidates = [_candidate_from_json(row) for row in decision.proposal.get("candidates", [])]
    _patients_unchanged_require(decision, candidates)
    wanted = _override_keys(overrides, [c.key for c in candidates])
    try:
        result = rule.allocate(
            candidates,
            decision.stock,
            children_first=decision.children_first,
            child_age_below=decision.child_age_below,
            partial=decision.partial,
            overrides=wanted,
        )
    except rule.AllocationRefused as exc:
        raise _refused(exc) from exc
    by_key = {c.key: c for c in candidates}
    jumps = [
        {
            "served": by_key[j.served].name,
            "served_category": by_key[j.served].category,
            "passed_over": by_key[j.passed_over].name,
            "passed_over_category": by_key[j.passed_over].category,
        }
        for j in rule.category_jumps(result)
    ]
    rows = [
        AllocationOutcome(
            decision=decision,
            treatment_id=o.key.split("/")[1],
            patient_id=o.key.split("/")[0],
            category=o.category,
            benefit=by_key[o.key].benefit,
            need=o.need,
            quantity=o.quantity,
            rank=o.rank,
            reason=o.reason[:300],
            override=o.override.action if o.override else "",
            override_reason=o.override.reason[:300] if o.override else "",
            position=n,
        )
        for n, o in enumerate(result.outcomes)
    ]
    replicated_create_many(rows)
    decision.status = AllocationStatus.OVERRIDDEN if wanted else AllocationStatus.CONFIRMED
    decision.decided_at = timezone.now()
    decision.decided_by = actor_user(actor)
    decision.note = note.strip()[:300]
    decision.jumps = jumps
    decision.save(update_fields=["status", "decided_at", "decided_by", "note", "jumps"])
    audit_record(
        actor=actor,
        action="allocation.confirm",
        obj=decision,
        summary=(
            f"{decision.item.name} at {decision.store.name}: "
            f"{decision.get_status_display().lower()}"
            + (f", {len(jumps)} served ahead of a higher triage category" if jumps else "")
        ),
        detail={
            "overrides": [
                {"patient": o.key, "action": o.action, "reason": o.reason} for o in wanted
            ],
            "jumps": jumps,
        },
    )
    return decision
