"""Deciding the pairs of the duplicates queue: merge them, or say they are not the same person.

Each pair is decided once. The decision is a `DuplicateDecision` row (replicated, so it
travels with sync) and an audit row; "not the same person" keeps the pair out of the queue for
good, and a merge goes through the reversible `people.services.person_merge`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.people.models import DuplicateDecision, DuplicateOutcome, Person, PersonMerge
from lifeline.people.services import person_merge

REASON_MAX = 300


def _ordered(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if str(a.pk) < str(b.pk) else (b, a)


def _check(a: Person, b: Person, reason: str, *, reason_required: bool) -> None:
    problems: dict[str, str] = {}
    if a.pk == b.pk:
        problems["second"] = _("is the same record as the first")
    if reason_required and not reason.strip():
        problems["reason"] = _("say why these records are one person")
    if len(reason) > REASON_MAX:
        problems["reason"] = _("at most %(REASON_MAX)s characters") % {"REASON_MAX": REASON_MAX}
    if problems:
        raise ValidationFailed(problems)
    if a.is_deleted or b.is_deleted:
        raise Conflict(_("one of these records was merged or deleted since"))
    first, second = _ordered(a, b)
    if DuplicateDecision.objects.alive().filter(first=first, second=second).exists():
        raise Conflict(_("this pair was decided already"))


@transaction.atomic
def duplicate_dismiss(
    *,
    actor: Actor | None,
    first: Person,
    second: Person,
    reason: str = "",
    likelihood: float | None = None,
) -> DuplicateDecision:
    """Two records the finder proposed are not the same person: never proposed again."""
    permission_require(actor, "people.merge_person", doing=_("decide on duplicate records"))
    reason = reason.strip()
    _check(first, second, reason, reason_required=False)
    a, b = _ordered(first, second)
    decision = DuplicateDecision(
        first=a,
        second=b,
        outcome=DuplicateOutcome.DISTINCT,
        reason=reason,
        likelihood=likelihood,
        decided_by=actor_user(actor),
    )
    decision.save()
    audit_record(
        actor=actor,
        action="person.duplicate_dismiss",
        obj=a,
        summary=f"{a.full_name} and {b.full_name} are not the same person",
        detail={"second": str(b.pk), "decision": str(decision.pk), "reason": reason},
    )
    return decision


@transaction.atomic
def duplicate_merge(
    *,
    actor: Actor | None,
    survivor: Person,
    duplicate: Person,
    reason: str,
    likelihood: float | None = None,
) -> PersonMerge:
    """Two records are one person: `duplicate` is folded into `survivor` (undoable from the
    person's page), with the reason the registrar gave."""
    permission_require(actor, "people.merge_person", doing=_("merge records"))
    reason = reason.strip()
    _check(survivor, duplicate, reason, reason_required=True)
    a, b = _ordered(survivor, duplicate)
    merge = person_merge(actor=actor, survivor=survivor, duplicate=duplicate, reason=reason)
    DuplicateDecision(
        first=a,
        second=b,
        outcome=DuplicateOutcome.MERGED,
        reason=reason,
        likelihood=likelihood,
        decided_by=actor_user(actor),
    ).save()
    return merge
