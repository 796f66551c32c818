"""Alerts are raised once per (kind, key), which the database holds; acknowledged by anyone who
may see them, resolved by a person with a note, and hidden from roles their kind or their
subject does not concern."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from lifeline.alerts.kinds import ALERT_KINDS, AlertKind
from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alert_list, alert_open_count
from lifeline.alerts.services import alert_acknowledge, alert_raise, alert_resolve
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.core.roles import Role

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postgres_only: real concurrency"
)


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


def test_the_database_refuses_a_second_open_alert_of_one_kind_and_key(site: Site) -> None:
    alert_raise(kind="mission.overdue", key="m1", title="overdue")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert(kind="mission.overdue", key="m1", title="overdue").save()


def test_raising_an_open_alert_again_leaves_the_callers_transaction_usable(site: Site) -> None:
    with transaction.atomic():
        first = alert_raise(kind="mission.overdue", key="m1", title="overdue")
        again = alert_raise(kind="mission.overdue", key="m1", title="overdue")
        other = alert_raise(kind="mission.overdue", key="m2", title="overdue too")
    assert again.pk == first.pk
    assert set(Alert.objects.values_list("key", flat=True)) == {"m1", "m2"}
    assert other.pk != first.pk
    assert AuditEntry.objects.filter(action="alert.raise").count() == 2


def test_a_tombstoned_open_alert_does_not_stop_it_being_raised_again(site: Site) -> None:
    first = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    first.delete()
    again = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    assert again.pk != first.pk


def test_raising_a_kind_no_app_declared_is_refused(site: Site) -> None:
    with pytest.raises(LookupError, match=r"mission\.overdew"):
        alert_raise(kind="mission.overdew", key="m1", title="overdue")
    assert not Alert.objects.exists()


def test_acknowledging_says_who_is_on_it_and_keeps_it_open(site: Site, commander: Any) -> None:
    alert = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    seen = alert_acknowledge(actor=commander, alert=alert)
    assert seen.acknowledged_by == commander and seen.acknowledged_at is not None
    assert seen.is_open and seen.is_acknowledged
    assert list(alert_list(actor=commander)) == [alert]
    with pytest.raises(Conflict):
        alert_acknowledge(actor=commander, alert=alert)
    entry = AuditEntry.objects.get(action="alert.acknowledge")
    assert entry.actor == commander and entry.object_id == str(alert.pk)


def test_a_resolved_alert_cannot_be_acknowledged(site: Site, commander: Any) -> None:
    alert = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    alert_resolve(actor=commander, alert=alert, resolution="back in camp")
    with pytest.raises(Conflict):
        alert_acknowledge(actor=commander, alert=alert)


def test_resolving_an_alert_nobody_acknowledged_acknowledges_it(site: Site, logistics: Any) -> None:
    alert = alert_raise(kind="supplies.stockout", key="water", title="Water runs out")
    done = alert_resolve(actor=logistics, alert=alert, resolution="truck came")
    assert (done.resolved_by, done.acknowledged_by) == (logistics, logistics)
    assert done.acknowledged_at == done.resolved_at and not done.is_open
    entry = AuditEntry.objects.get(action="alert.resolve")
    assert entry.actor == logistics and entry.object_id == str(alert.pk)


def test_resolving_keeps_who_acknowledged_it(site: Site, viewer: Any, commander: Any) -> None:
    alert = alert_raise(kind="supplies.stockout", key="water", title="Water runs out")
    alert_acknowledge(actor=viewer, alert=alert)
    done = alert_resolve(actor=commander, alert=alert, resolution="truck came")
    assert (done.acknowledged_by, done.resolved_by) == (viewer, commander)


@pytest.mark.parametrize(
    ("role", "may_see"),
    [
        (Role.COMMANDER, True),
        (Role.FIELD_TEAM, True),
        (Role.LOGISTICS, False),
        (Role.MEDIC, False),
        (Role.VIEWER, False),
    ],
)
def test_a_kind_is_seen_and_acknowledged_only_by_the_roles_it_concerns(
    site: Site, make_user: Callable[..., Any], role: Role, may_see: bool
) -> None:
    # risk.camp concerns those who watch threats (routing declares it); the alert itself
    # names no permission.
    alert = alert_raise(kind="risk.camp", key="camp:x", title="Risk rising near the camp")
    user = make_user(role)
    assert list(alert_list(actor=user)) == ([alert] if may_see else [])
    assert alert_open_count(actor=user) == (1 if may_see else 0)
    if may_see:
        assert alert_acknowledge(actor=user, alert=alert).acknowledged_by == user
    else:
        with pytest.raises(Forbidden):
            alert_acknowledge(actor=user, alert=alert)


def test_every_role_may_acknowledge_but_only_commanders_and_logistics_resolve(
    site: Site, make_user: Callable[..., Any]
) -> None:
    for role in Role:
        user = make_user(role)
        assert user.has_perm("alerts.acknowledge_alert"), role
        assert user.has_perm("alerts.resolve_alert") == (
            role in (Role.COMMANDER, Role.LOGISTICS)
        ), role


def test_the_open_count_leaves_out_resolved_and_optionally_acknowledged_alerts(
    site: Site, commander: Any
) -> None:
    first = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    second = alert_raise(kind="mission.overdue", key="m2", title="overdue")
    alert_raise(kind="mission.overdue", key="m3", title="overdue")
    alert_acknowledge(actor=commander, alert=first)
    alert_resolve(actor=commander, alert=second, resolution="back")
    assert alert_open_count(actor=commander) == 2
    assert alert_open_count(actor=commander, unacknowledged_only=True) == 1
    assert alert_open_count(actor=None) == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_of_one_alert_open_one_on_postgresql(site: Site) -> None:
    barrier = threading.Barrier(6)
    raised: list[object] = []

    def writer() -> None:
        try:
            barrier.wait()
            raised.append(alert_raise(kind="mission.overdue", key="m1", title="overdue").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(raised) == 6 and len(set(raised)) == 1
    assert Alert.objects.count() == 1
