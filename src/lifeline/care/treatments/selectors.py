"""Reads of treatments and allocations, for medics and the commander only (`care.view_medical`);
every read of a patient's treatments or of an allocation is audited.

A course's state (doses given, next due, missed doses) is derived from its dose rows by
care/schedule.py at the time of the read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.care import schedule as plan
from lifeline.care.models import (
    OPEN_STATUSES,
    AllocationDecision,
    AllocationOutcome,
    AllocationStatus,
    DoseGiven,
    Patient,
    Treatment,
)
from lifeline.core.errors import NotFound
from lifeline.core.ids import id_parse
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies.models import Item, Location
from lifeline.supplies.rules import quantity_text as q

VIEW = "care.view_medical"


def _can_view(actor: Actor | None) -> None:
    permission_require(actor, VIEW, doing=_("see medical records"))


@dataclass(frozen=True)
class TreatmentState:
    """A course as it stands at `now`: its doses, its schedule, the next due and the missed."""

    treatment: Treatment
    doses: tuple[DoseGiven, ...]
    schedule: plan.Schedule

    @property
    def given(self) -> int:
        return len(self.doses)

    @property
    def remaining(self) -> int:
        return max(0, self.treatment.doses - self.given)

    @property
    def next_due(self) -> dt.datetime | None:
        if self.remaining == 0 or self.treatment.stopped_at is not None:
            return None
        slot = self.schedule.next_due
        return slot.due_at if slot is not None else None

    @property
    def missed(self) -> tuple[plan.Slot, ...]:
        return self.schedule.missed

    @property
    def active(self) -> bool:
        return self.treatment.stopped_at is None and self.remaining > 0

    @property
    def summary(self) -> str:
        t = self.treatment
        text = _("%(item)s %(dose)s %(unit)s every %(hours)s h: %(given)s of %(doses)s given") % {
            "item": t.item.name,
            "dose": q(t.dose_quantity),
            "unit": t.dose_unit,
            "hours": t.every_hours,
            "given": self.given,
            "doses": t.doses,
        }
        if self.missed:
            text += _(", %(n)s missed") % {"n": len(self.missed)}
        if t.stopped_at is not None:
            text += _(", stopped")
        return text


def _state(treatment: Treatment, doses: Sequence[DoseGiven], now: dt.datetime) -> TreatmentState:
    found = plan.schedule(
        start=treatment.starts_at,
        every=dt.timedelta(hours=treatment.every_hours),
        doses=treatment.doses,
        given=[d.given_at for d in doses],
        now=now,
        stopped_at=treatment.stopped_at,
    )
    return TreatmentState(treatment, tuple(doses), found)


def with_doses(qs: QuerySet[Treatment]) -> QuerySet[Treatment]:
    return qs.select_related("item", "store").prefetch_related(
        Prefetch(
            "doses_given",
            queryset=DoseGiven.objects.alive()
            .select_related("given_by")
            .order_by("given_at", "version"),
            to_attr="doses_alive",
        )
    )


def treatment_states(
    treatments: Iterable[Treatment], *, now: dt.datetime | None = None
) -> list[TreatmentState]:
    """States of courses fetched with `with_doses` (no permission check: callers check)."""
    moment = now or timezone.now()
    return [_state(t, getattr(t, "doses_alive", ()), moment) for t in treatments]


def treatments_by_patient(
    patient_ids: Iterable[Any], *, now: dt.datetime | None = None
) -> dict[Any, list[TreatmentState]]:
    """The courses of many patients in two queries, for the board (whose selector has
    checked the permission and audited the read)."""
    ids = list(patient_ids)
    if not ids:
        return {}
    qs = with_doses(
        Treatment.objects.alive().filter(patient_id__in=ids).order_by("prescribed_at", "version")
    )
    found: dict[Any, list[TreatmentState]] = {}
    for state in treatment_states(qs, now=now):
        found.setdefault(state.treatment.patient_id, []).append(state)
    return found


def patient_treatments(
    *, actor: Actor | None, patient: Patient, now: dt.datetime | None = None
) -> list[TreatmentState]:
    """A patient's courses, oldest first, with next due and missed doses. Audited."""
    _can_view(actor)
    qs = with_doses(
        Treatment.objects.alive().filter(patient=patient).order_by("prescribed_at", "version")
    )
    states = treatment_states(qs, now=now)
    audit_record(
        actor=actor,
        action="treatment.view",
        obj=patient,
        summary=f"treatments of patient {patient.pk}",
    )
    return states


def treatment_get(
    *, actor: Actor | None, treatment_id: Any, now: dt.datetime | None = None
) -> TreatmentState:
    """One course with its doses and schedule. Audited."""
    _can_view(actor)
    treatment = (
        with_doses(Treatment.objects.alive().select_related("patient", "patient__person"))
        .filter(pk=id_parse(treatment_id, "treatment"))
        .first()
    )
    if treatment is None:
        raise NotFound(_("no treatment %(treatment_id)s") % {"treatment_id": treatment_id})
    audit_record(
        actor=actor,
        action="treatment.view",
        obj=treatment,
        summary=f"treatment of patient {treatment.patient_id}",
    )
    return treatment_states([treatment], now=now)[0]


def treatment_find(*, actor: Actor | None, treatment_id: Any) -> Treatment:
    """A course by id, for a write (the service audits it)."""
    _can_view(actor)
    found = Treatment.objects.alive().filter(pk=id_parse(treatment_id, "treatment")).first()
    if found is None:
        raise NotFound(_("no treatment %(treatment_id)s") % {"treatment_id": treatment_id})
    return found


def allocation_find(*, actor: Actor | None, decision_id: Any) -> AllocationDecision:
    """An allocation by id, for a write (the service audits it)."""
    _can_view(actor)
    found = (
        AllocationDecision.objects.alive().filter(pk=id_parse(decision_id, "allocation")).first()
    )
    if found is None:
        raise NotFound(_("no allocation %(decision_id)s") % {"decision_id": decision_id})
    return found


def treatment_list(
    *, actor: Actor | None, item: Item | None = None, active: bool = True
) -> QuerySet[Treatment]:
    """Courses (of an item), newest first; active ones only unless asked. The read is audited
    by `treatment_page_states` once the page shown is known."""
    _can_view(actor)
    qs = Treatment.objects.alive().select_related("item", "store", "patient", "patient__person")
    if item is not None:
        qs = qs.filter(item=item)
    if active:
        qs = qs.filter(stopped_at__isnull=True, patient__status__in=OPEN_STATUSES)
    return qs.order_by("-prescribed_at", "-version")


def treatment_page_states(
    *, actor: Actor | None, page: Sequence[Treatment]
) -> list[TreatmentState]:
    """The states of a page of `treatment_list`, with one audit row naming its patients."""
    _can_view(actor)
    states = treatment_states(page)
    audit_record(
        actor=actor,
        action="treatment.list",
        summary=f"{len(states)} course(s) of medicine",
        detail={"patients": sorted({str(t.patient_id) for t in page})},
    )
    return states


# ---- allocations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationRow:
    """One patient's line of an allocation: from the outcome rows once decided, from the
    proposal's snapshot before."""

    key: str
    patient_id: str
    treatment_id: str
    name: str
    category: str
    benefit: str
    age_years: int | None
    waiting_since: dt.datetime | None
    need: Decimal
    quantity: Decimal
    rank: int | None
    reason: str
    override: str

    @property
    def without(self) -> bool:
        return self.quantity == 0


@dataclass(frozen=True)
class AllocationView:
    decision: AllocationDecision
    rows: tuple[AllocationRow, ...]

    @property
    def given(self) -> Decimal:
        return sum((r.quantity for r in self.rows), Decimal(0))

    @property
    def needed(self) -> Decimal:
        return sum((r.need for r in self.rows), Decimal(0))

    @property
    def served(self) -> tuple[AllocationRow, ...]:
        return tuple(r for r in self.rows if not r.without)

    @property
    def without(self) -> tuple[AllocationRow, ...]:
        return tuple(r for r in self.rows if r.without)

    @property
    def decided(self) -> bool:
        return self.decision.status != AllocationStatus.PROPOSED

    @property
    def notes(self) -> list[str]:
        """The rule's notes: the proposal's, or, once decided, what is left over."""
        if not self.decided:
            return list((self.decision.proposal or {}).get("notes", []))
        left = self.decision.stock - self.given
        short = [r for r in self.without if r.rank is not None]
        if left > 0 and short:
            return [
                f"{q(left)} {self.decision.item.unit} left over: less than a full course of "
                "those who go without"
            ]
        return []


def allocation_rows(decision: AllocationDecision) -> tuple[AllocationRow, ...]:
    snapshot = decision.proposal or {}
    candidates = {c["key"]: c for c in snapshot.get("candidates", [])}
    if decision.status == AllocationStatus.PROPOSED:
        lines: list[dict[str, Any]] = list(snapshot.get("outcomes", []))
    else:
        outcomes: list[AllocationOutcome] = getattr(decision, "outcomes_alive", None) or list(
            decision.outcomes.alive().order_by("position")
        )
        lines = [
            {
                "key": f"{o.patient_id}/{o.treatment_id}",
                "category": o.category,
                "need": o.need,
                "quantity": o.quantity,
                "rank": o.rank,
                "reason": o.reason,
                "override": o.override,
            }
            for o in outcomes
        ]
    rows = []
    for line in lines:
        c = candidates.get(line["key"], {})
        patient_id, _sep, treatment_id = line["key"].partition("/")
        since = c.get("waiting_since")
        rows.append(
            AllocationRow(
                key=line["key"],
                patient_id=patient_id,
                treatment_id=treatment_id,
                name=c.get("name", ""),
                category=line["category"],
                benefit=c.get("benefit", ""),
                age_years=c.get("age_years"),
                waiting_since=dt.datetime.fromisoformat(since) if since else None,
                need=Decimal(line["need"]),
                quantity=Decimal(line["quantity"]),
                rank=line["rank"],
                reason=line["reason"],
                override=line["override"],
            )
        )
    return tuple(rows)


def allocation_list(
    *, actor: Actor | None, item: Item | None = None, store: Location | None = None
) -> QuerySet[AllocationDecision]:
    """Allocation decisions, newest first. Audited (they name patients)."""
    _can_view(actor)
    qs = AllocationDecision.objects.alive().select_related(
        "item", "store", "proposed_by", "decided_by"
    )
    if item is not None:
        qs = qs.filter(item=item)
    if store is not None:
        qs = qs.filter(store=store)
    audit_record(actor=actor, action="allocation.list", summary="allocations of medicine")
    return qs.order_by("-proposed_at", "-version")


def allocation_get(*, actor: Actor | None, decision_id: Any) -> AllocationView:
    """One allocation with a line per patient: who gets how much, who goes without and why.
    Audited."""
    _can_view(actor)
    decision = (
        AllocationDecision.objects.alive()
        .select_related("item", "store", "proposed_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=AllocationOutcome.objects.alive().order_by("position"),
                to_attr="outcomes_alive",
            )
        )
        .filter(pk=id_parse(decision_id, "allocation"))
        .first()
    )
    if decision is None:
        raise NotFound(_("no allocation %(decision_id)s") % {"decision_id": decision_id})
    rows = allocation_rows(decision)
    audit_record(
        actor=actor,
        action="allocation.view",
        obj=decision,
        summary=f"allocation of {decision.item.name} at {decision.store.name}",
        detail={"patients": [row.patient_id for row in rows]},
    )
    return AllocationView(decision, rows)
