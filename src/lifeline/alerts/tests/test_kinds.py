"""Each app declares the alert kinds it raises and whom they concern; a kind is declared once."""

from __future__ import annotations

import pytest

from lifeline.alerts.kinds import ALERT_KINDS, AlertKind, alert_kind_declare, alert_kind_of


@pytest.mark.parametrize(
    ("kind", "permission"),
    [
        ("mission.overdue", "missions.view_mission"),
        ("mission.need_help", "missions.view_mission"),
        ("risk.camp", "intel.watch_threats"),
        ("risk.route", "intel.watch_threats"),
        ("supplies.cache_found", "supplies.manage_stock"),
        ("supplies.below_reorder", ""),
        ("supplies.stockout_soon", ""),
        ("supplies.lot_expiring", ""),
        ("supplies.cold_chain_excursion", ""),
        ("supplies.vvm_discard", ""),
        ("supplies.double_collection", ""),
    ],
)
def test_each_kind_an_app_raises_is_declared_with_the_roles_it_concerns(
    kind: str, permission: str
) -> None:
    declared = alert_kind_of(kind)
    assert declared.permission == permission and declared.meaning


def test_declaring_a_kind_again_the_same_way_is_harmless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lifeline.alerts.kinds.ALERT_KINDS", dict(ALERT_KINDS))
    kind = AlertKind(kind="test.ping", meaning="a test", permission="core.view_auditentry")
    alert_kind_declare(kind)
    alert_kind_declare(kind)
    assert alert_kind_of("test.ping") == kind


def test_declaring_a_kind_again_differently_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lifeline.alerts.kinds.ALERT_KINDS", dict(ALERT_KINDS))
    alert_kind_declare(AlertKind(kind="test.ping", meaning="a test"))
    with pytest.raises(ValueError, match=r"test\.ping"):
        alert_kind_declare(AlertKind(kind="test.ping", meaning="a test", permission="x.y"))


def test_an_undeclared_kind_is_named_in_the_refusal() -> None:
    with pytest.raises(LookupError, match=r"no\.such"):
        alert_kind_of("no.such")
