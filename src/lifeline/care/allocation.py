"""The rule that shares a scarce medicine among the patients waiting for it
(docs/care-allocation.md).

Pure: no ORM. The care services read stock on hand and the waiting patients, call `allocate`,
and store what it proposes; a medic or the commander confirms it, or overrides it with a reason.

The rule, in order:
1. Expectant and dead patients, and those not triaged yet, are not in the queue (an override
   can give to an expectant patient; nothing is given to the dead or the untriaged).
2. The queue: triage category (immediate, delayed, minor); within a category, children first
   when the site says so; then expected benefit (high, medium, low); then who has waited longest;
   then the patient's id, so that two runs on the same input always give the same answer.
3. Overrides that give come first, in the queue's order among themselves; overrides that
   withhold take the patient out of the queue.
4. Walk the queue and give each patient a full course while the stock lasts. The first patient
   whose course is more than what is left stops the walk: they and everyone after them go
   without. (A strict queue never gives to a later patient what an earlier one lacks, and more
   stock never takes medicine from anyone; see the docs for why the remainder is not given to a
   smaller course further down.) With `partial=True` the first patient not fully served gets
   what is left; never the default, as a partial course of an antibiotic breeds resistance and
   may not cure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# Triage categories as care's models store them.
IMMEDIATE = "immediate"
DELAYED = "delayed"
MINOR = "minor"
EXPECTANT = "expectant"
DEAD = "dead"
UNTRIAGED = ""  # a patient not triaged yet: triage before allocating
CATEGORY_ORDER = {IMMEDIATE: 0, DELAYED: 1, MINOR: 2}
NOT_QUEUED = (EXPECTANT, DEAD, UNTRIAGED)
CATEGORIES = (IMMEDIATE, DELAYED, MINOR, EXPECTANT, DEAD, UNTRIAGED)

# The expected benefit of the medicine for this patient, as the medic records it.
HIGH = "high"
MEDIUM = "medium"
LOW = "low"
BENEFIT_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}
BENEFITS = (HIGH, MEDIUM, LOW)

# Site settings (core.Setting) read by the care services.
SETTING_CHILDREN_FIRST = "care.allocation_children_first"
SETTING_CHILD_AGE_BELOW = "care.allocation_child_age_below"
CHILD_AGE_BELOW = 18

GIVE = "give"
WITHHOLD = "withhold"


class AllocationRefused(ValueError):
    """An allocation the rule cannot make (an override to the dead, overrides beyond stock)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Candidate:
    """A patient waiting for the medicine."""

    key: str  # the patient's id: the last tie-break
    category: str
    need: Decimal  # a full course, in the item's unit
    benefit: str = MEDIUM
    waiting_since: dt.datetime | None = None  # None: unknown, queued after those who waited
    age_years: int | None = None
    name: str = ""  # for reasons people read; not part of the rule


@dataclass(frozen=True)
class Override:
    key: str
    action: str  # GIVE or WITHHOLD
    reason: str
    quantity: Decimal | None = None  # GIVE: this much instead of the full course


@dataclass(frozen=True)
class Outcome:
    key: str
    category: str
    need: Decimal
    quantity: Decimal  # what this patient gets
    rank: int | None  # place in the rule's queue (1 is first); None when not queued
    reason: str
    override: Override | None = None

    @property
    def full(self) -> bool:
        return self.quantity >= self.need

    @property
    def without(self) -> bool:
        return self.quantity == 0


@dataclass(frozen=True)
class Allocation:
    stock: Decimal
    outcomes: tuple[Outcome, ...]  # served first, in order; then those who go without
    partial: bool = False
    children_first: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def given(self) -> Decimal:
        return sum((o.quantity for o in self.outcomes), Decimal(0))

    @property
    def left(self) -> Decimal:
        return self.stock - self.given

    @property
    def needed(self) -> Decimal:
        return sum((o.need for o in self.outcomes), Decimal(0))

    @property
    def scarce(self) -> bool:
        """Is there less on hand than the queued patients' courses together?"""
        queued = sum((o.need for o in self.outcomes if o.rank is not None), Decimal(0))
        return self.stock < queued

    def outcome(self, key: str) -> Outcome:
        for found in self.outcomes:
            if found.key == key:
                return found
        raise KeyError(key)


def is_child(candidate: Candidate, child_age_below: int = CHILD_AGE_BELOW) -> bool:
    return candidate.age_years is not None and candidate.age_years < child_age_below


def queue_key(
    candidate: Candidate, *, children_first: bool, child_age_below: int = CHILD_AGE_BELOW
) -> tuple[int, int, int, int, dt.datetime, str]:
    """The sort key of the queue: smaller goes first. Total: ends with the patient's id."""
    waited = candidate.waiting_since
    return (
        CATEGORY_ORDER[candidate.category],
        0 if children_first and is_child(candidate, child_age_below) else 1,
        BENEFIT_ORDER[candidate.benefit],
        0 if waited is not None else 1,
        waited or dt.datetime.max.replace(tzinfo=dt.UTC),
        candidate.key,
    )


def _validate(candidates: Sequence[Candidate], overrides: Mapping[str, Override]) -> None:
    seen: set[str] = set()
    for c in candidates:
        if c.key in seen:
            raise AllocationRefused(c.key, f"patient {c.key} is listed twice")
        seen.add(c.key)
        if c.category not in CATEGORIES:
            raise AllocationRefused(c.key, f"unknown triage category {c.category!r}")
        if c.benefit not in BENEFITS:
            raise AllocationRefused(c.key, f"unknown expected benefit {c.benefit!r}")
        if c.need <= 0:
            raise AllocationRefused(c.key, f"{c.name or c.key} needs no medicine")
    for key, o in overrides.items():
        who = next((c for c in candidates if c.key == key), None)
        if who is None:
            raise AllocationRefused(key, f"patient {key} is not waiting for this medicine")
        if not o.reason.strip():
            raise AllocationRefused(key, f"an override for {who.name or key} needs a reason")
        if o.action not in (GIVE, WITHHOLD):
            raise AllocationRefused(key, f"an override is {GIVE!r} or {WITHHOLD!r}")
        if o.action == GIVE and who.category == DEAD:
            raise AllocationRefused(key, f"{who.name or key} is recorded dead")
        if o.action == GIVE and who.category == UNTRIAGED:
            raise AllocationRefused(key, f"triage {who.name or key} first")
        if o.quantity is not None and (o.action != GIVE or o.quantity <= 0):
            raise AllocationRefused(key, "only a 'give' override names a quantity, above zero")


def _q(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", ""} else text


def allocate(
    candidates: Iterable[Candidate],
    stock: Decimal,
    *,
    children_first: bool = False,
    child_age_below: int = CHILD_AGE_BELOW,
    partial: bool = False,
    overrides: Iterable[Override] = (),
) -> Allocation:
    """Share `stock` among `candidates` by the rule (module docstring). Never gives more than
    `stock`; the same input in any order gives the same allocation."""
    everyone = list(candidates)
    by_key = {o.key: o for o in overrides}
    _validate(everyone, by_key)
    stock = max(stock, Decimal(0))

    def key(c: Candidate) -> tuple[int, int, int, int, dt.datetime, str]:
        return queue_key(c, children_first=children_first, child_age_below=child_age_below)

    queued = sorted((c for c in everyone if c.category not in NOT_QUEUED), key=key)
    ranks = {c.key: i for i, c in enumerate(queued, start=1)}
    left_out = sorted(
        (c for c in everyone if c.category in NOT_QUEUED),
        key=lambda c: (CATEGORIES.index(c.category), c.key),
    )

    given_first = [c for c in queued + left_out if by_key.get(c.key, _NONE).action == GIVE]
    withheld = {c.key for c in everyone if by_key.get(c.key, _NONE).action == WITHHOLD}
    rest = [c for c in queued if c.key not in withheld and c.key not in by_key]

    outcomes: list[Outcome] = []
    left = stock
    for c in given_first:
        o = by_key[c.key]
        amount = o.quantity if o.quantity is not None else c.need
        if amount > left:
            raise AllocationRefused(
                c.key,
                f"the overrides need more than is on hand: {c.name or c.key} would get "
                f"{_q(amount)} with {_q(left)} left",
            )
        left -= amount
        outcomes.append(
            Outcome(c.key, c.category, c.need, amount, ranks.get(c.key), _override_text(o), o)
        )

    stopped_at: int | None = None
    for c in rest:
        rank = ranks[c.key]
        if stopped_at is None and c.need <= left:
            left -= c.need
            outcomes.append(Outcome(c.key, c.category, c.need, c.need, rank, f"rank {rank}"))
            continue
        if stopped_at is None:
            stopped_at = rank
            if partial and left > 0:
                amount, left = left, Decimal(0)
                outcomes.append(
                    Outcome(
                        c.key,
                        c.category,
                        c.need,
                        amount,
                        rank,
                        f"rank {rank}: partial course, {_q(amount)} of {_q(c.need)}, "
                        "all that was left",
                    )
                )
                continue
            reason = f"stock ran out at rank {rank}: needs {_q(c.need)}, {_q(left)} left"
        else:
            reason = f"stock ran out at rank {stopped_at}"
        outcomes.append(Outcome(c.key, c.category, c.need, Decimal(0), rank, reason))

    for c in queued:
        if c.key in withheld:
            o = by_key[c.key]
            outcomes.append(
                Outcome(c.key, c.category, c.need, Decimal(0), ranks[c.key], _override_text(o), o)
            )
    for c in left_out:
        if c.key in by_key and by_key[c.key].action == GIVE:
            continue
        o_or_none = by_key.get(c.key)
        reason = _NOT_QUEUED_REASONS[c.category]
        if o_or_none is not None:
            reason = _override_text(o_or_none)
        outcomes.append(Outcome(c.key, c.category, c.need, Decimal(0), None, reason, o_or_none))

    notes: list[str] = []
    if 0 < left < stock and stopped_at is not None and not partial:
        notes.append(
            f"{_q(left)} left over: less than the next full course (rank {stopped_at}); "
            "a clinician may give it by an override"
        )
    return Allocation(
        stock=stock,
        outcomes=tuple(outcomes),
        partial=partial,
        children_first=children_first,
        notes=tuple(notes),
    )


_NONE = Override(key="", action="", reason="")
_NOT_QUEUED_REASONS = {
    EXPECTANT: "expectant: comfort care; scarce medicine only by a clinician's override",
    DEAD: "recorded dead",
    UNTRIAGED: "not triaged yet: triage, then propose again",
}


def _override_text(o: Override) -> str:
    verb = "given by override" if o.action == GIVE else "withheld by override"
    return f"{verb}: {o.reason.strip()}"


@dataclass(frozen=True)
class Jump:
    """An override that serves a patient of a lower category while one of a higher category
    goes without (allowed, with its reason, and recorded as such)."""

    served: str
    passed_over: str


def category_jumps(allocation: Allocation) -> list[Jump]:
    """Pairs (served, passed over) where a lower-category patient gets medicine while a
    higher-category (queued) patient does not get a full course. The rule alone makes none;
    overrides may."""
    jumps: list[Jump] = []
    order = {c: CATEGORIES.index(c) for c in CATEGORIES}
    short = [o for o in allocation.outcomes if o.rank is not None and not o.full]
    for served in allocation.outcomes:
        if served.without:
            continue
        for passed in short:
            if order[passed.category] < order[served.category]:
                jumps.append(Jump(served.key, passed.key))
    return jumps
