"""Alerts are raised once per (kind, key), resolved by a person with a note, and hidden from
roles that may not see their subject."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.alerts.kinds import ALERT_KINDS, AlertKind
from lifeline.alerts.selectors import alert_list
from lifeline.alerts.services import alert_raise, alert_resolve
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kinds_of_these_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    # Kinds no app raises (yet): declared for these tests alone.
    for kind in (
        AlertKind(kind="supplies.stockout", meaning="an item runs out"),
        AlertKind(kind="people.case_overdue", meaning="a child's case follow-up is overdue"),
    ):
        monkeypatch.setitem(ALERT_KINDS, kind.kind, kind)


def test_raising_the_same_alert_twice_keeps_one_open_alert(site: Site, commander: Any) -> None:
    first = alert_raise(kind="mission.overdue", key="m1", title="Recon unit overdue")
    second = alert_raise(kind="mission.overdue", key="m1", title="Recon unit overdue")
    assert first.pk == second.pk
    assert list(alert_list(actor=commander)) == [first]


def test_a_resolved_alert_can_be_raised_again(site: Site, commander: Any) -> None:
    first = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    alert_resolve(actor=commander, alert=first, resolution="team checked in by radio")
    again = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    assert again.pk != first.pk
    with pytest.raises(Conflict):
        alert_resolve(actor=commander, alert=first, resolution="again")


def test_resolving_needs_a_note_and_the_role(site: Site, commander: Any, viewer: Any) -> None:
    alert = alert_raise(kind="supplies.stockout", key="water", title="Water runs out in 2 days")
    with pytest.raises(ValidationFailed):
        alert_resolve(actor=commander, alert=alert, resolution="  ")
    with pytest.raises(Forbidden):
        alert_resolve(actor=viewer, alert=alert, resolution="seen")


def test_an_alert_about_a_protected_subject_is_hidden_from_other_roles(
    site: Site, viewer: Any, commander: Any
) -> None:
    alert_raise(
        kind="people.case_overdue",
        key="c1",
        title="Follow-up overdue",
        permission="people.view_protection",
    )
    assert alert_list(actor=viewer).count() == 0
    assert alert_list(actor=commander).count() == 1
