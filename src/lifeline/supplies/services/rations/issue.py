"""The issue of a ration to a household at a distribution point: checked and worked out
before the write, then written by the private hot path, grouped with other issuers' when it
can be."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, LifelineError, ValidationFailed
from lifeline.core.ids import uuid7
from lifeline.core.services import Actor, permission_require
from lifeline.supplies.models import Distribution, DistributionPoint, Item, RationCycle
from lifeline.supplies.services.ledger import _user
from lifeline.supplies.services.rations._hot_path import (
    _group_commit,
    _Issue,
    _issue_write_alone,
    _issues_write_grouped,
    _outcome_of,
    _Want,
)
from lifeline.supplies.services.rations.entitlements import _cycle_plan, _household_and_cycle


def _issue_prepare(
    *, actor: Actor | None, point: DistributionPoint, cycle: RationCycle, ration_card: str
) -> _Issue:
    """Everything an issue needs before its write, checked: the permission, the card, the
    household and its size, the cycle open, the entitlement."""
    permission_require(actor, "supplies.issue_ration", doing=_("issue rations"))
    if cycle.site_id != point.site_id:
        raise ValidationFailed(
            {"cycle": _("%(cycle)s is not a cycle of this point's site") % {"cycle": cycle.name}}
        )
    card = ration_card.strip()
    if not card:
        raise ValidationFailed({"ration_card": _("enter or scan a ration card")})
    household_id, size, version, closed = _household_and_cycle(cycle, card)
    if closed or cycle.closed_at is not None:
        raise Conflict(_("%(cycle)s is closed") % {"cycle": cycle.name})
    plan = _cycle_plan(cycle, version)
    user = _user(actor)
    # The distribution's site is this installation (the point's own, but for a second laptop
    # issuing at a point of another installation): what the unique constraint and the
    # double-collection finder compare.
    site = point.site if point.site.code == settings.LIFELINE_SITE else site_local()
    return _Issue(
        id=uuid7(),
        issued_at=timezone.now(),
        actor_id=user.pk if user is not None else None,
        actor_username=user.get_username() if user is not None else "",
        cycle_id=cycle.pk,
        cycle_name=cycle.name,
        household_id=household_id,
        size=size,
        card=card,
        site_id=site.pk,
        site_name=site.name,
        point_id=point.pk,
        location_id=point.location_id,
        location_name=point.location.name,
        wants=tuple(
            _Want(item.pk, quantity, item.name, item.unit)
            for item, quantity in zip(plan.items, plan.quantities(size), strict=True)
        ),
    )


def ration_issue(
    *,
    actor: Actor | None,
    point: DistributionPoint,
    cycle: RationCycle,
    ration_card: str,
    items: Mapping[str, Item] | None = None,
) -> Distribution:
    """Issue a household its ration for the cycle: one distribution row and the ledger rows.

    The hot path of a queue, so it counts statements and keeps SQLite's one writer busy only
    with writing. Before the write, outside any lock: the permission (from the actor's cache,
    which Django fills on the first check), one read of the household with its size and the
    cycle's state, the entitlement from a per-process plan of the cycle, the distribution
    row's id. Then one transaction: the earlier collections of the households, the lots needed,
    one clock tick for every row, one insert per table, the balances in one update, the audit
    rows.

    Concurrent issuers of one host group their commits (lifeline.core.groupcommit): each
    hands its issue to whichever of them holds the writers' lock, which writes every waiting
    issue in that one transaction and hands each its own outcome, so a queue of clients pays
    the transaction's fixed cost (and, on PostgreSQL, holds the lots' and the clock's row
    locks) once per batch rather than once per card, and on SQLite no writer sleeps in the
    busy handler while the database is free. The unique constraint still decides double
    collection. Inside a caller's transaction the issue is written alone. `items` is accepted
    for older callers and not needed.
    """
    issue = _issue_prepare(actor=actor, point=point, cycle=cycle, ration_card=ration_card)
    group = _group_commit()
    if group is None:
        outcome = _issue_write_alone(issue)
    else:
        outcome = _outcome_of(issue, group.submit(issue.payload(), _issues_write_grouped))
    if isinstance(outcome, LifelineError):
        raise outcome
    return outcome
