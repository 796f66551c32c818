"""Two sites' workers raising the same alert while apart converge to one open alert once
their rows meet (the apply hook on alerts.alert), the same one on every site."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.services import alert_acknowledge, alert_raise
from lifeline.core.models import Site
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote

pytestmark = pytest.mark.django_db


def _remote_alert(site: Site, key: str = "m1", **values: Any) -> Alert:
    values.setdefault("title", "Recon unit overdue")
    return row_arrive(Alert(kind="mission.overdue", key=key, **values), site=site)


def test_another_sites_open_alert_of_the_same_kind_and_key_is_applied_then_closed(
    site: Site,
) -> None:
    desert = site_remote()
    mine = alert_raise(kind="mission.overdue", key="m1", title="Recon unit overdue")
    theirs = _remote_alert(desert)  # the constraint, per origin site, lets it in
    rows_applied(theirs)
    still_open = Alert.objects.alive().filter(kind="mission.overdue", resolved_at__isnull=True)
    assert list(still_open) == [min((mine, theirs), key=lambda a: a.pk)]
    closed = max((mine, theirs), key=lambda a: a.pk)
    closed.refresh_from_db()
    assert "the same alert" in closed.resolution


def test_every_site_keeps_the_same_one_whatever_the_order_of_arrival(site: Site) -> None:
    sites = [site_remote(), site_remote("qasr", "Qasr al-Hanif"), site_remote("mavrah", "Mavrah")]
    ids = sorted([uuid.uuid4(), uuid.uuid4(), uuid.uuid4()])
    rows = [_remote_alert(where, id=pk) for where, pk in zip(sites, reversed(ids), strict=True)]
    for row in rows:  # one batch each, the lowest id arriving last
        rows_applied(row)
    open_ids = list(Alert.objects.filter(resolved_at__isnull=True).values_list("id", flat=True))
    assert open_ids == [ids[0]]


def test_a_second_raise_here_returns_the_alert_another_site_raised(site: Site) -> None:
    theirs = _remote_alert(site_remote())
    rows_applied(theirs)
    assert alert_raise(kind="mission.overdue", key="m1", title="overdue").pk == theirs.pk
    assert Alert.objects.count() == 1


def test_an_acknowledgement_of_the_closed_duplicate_moves_to_the_alert_kept(
    site: Site, commander: Any
) -> None:
    desert = site_remote()
    mine = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    alert_acknowledge(actor=commander, alert=mine)
    theirs = _remote_alert(desert, id=uuid.UUID(int=1))  # lower id: theirs is kept
    rows_applied(theirs)
    theirs.refresh_from_db()
    assert theirs.resolved_at is None
    assert theirs.acknowledged_by == commander


def test_a_resolution_at_another_site_closes_the_same_alert_raised_here_before_it(
    site: Site,
) -> None:
    mine = alert_raise(kind="mission.overdue", key="m1", title="overdue")
    later = timezone.now() + dt.timedelta(minutes=5)
    theirs = _remote_alert(
        site_remote(), id=uuid.UUID(int=1), resolved_at=later, resolution="team on the radio"
    )
    rows_applied(theirs)
    mine.refresh_from_db()
    assert mine.resolved_at is not None
    assert mine.resolution == "resolved at Forest camp: team on the radio"


def test_an_alert_raised_here_after_the_other_sites_resolution_stays_open(site: Site) -> None:
    earlier = timezone.now() - dt.timedelta(hours=1)
    theirs = _remote_alert(site_remote(), resolved_at=earlier, resolution="found them")
    mine = alert_raise(kind="mission.overdue", key="m1", title="overdue again")
    rows_applied(theirs)
    mine.refresh_from_db()
    assert mine.resolved_at is None
