"""The worker survives a busy database and any failing sweep: it logs and carries on."""

from __future__ import annotations

from collections.abc import Iterator, Sized

import pytest
from django.core.management import call_command
from django.db import OperationalError

from lifeline.core import sweeps
from lifeline.core.sweeps import Sweep


@pytest.fixture
def only_these_sweeps() -> Iterator[dict[str, Sweep]]:
    saved = dict(sweeps.SWEEPS)
    sweeps.SWEEPS.clear()
    yield sweeps.SWEEPS
    sweeps.SWEEPS.clear()
    sweeps.SWEEPS.update(saved)


@pytest.mark.django_db
def test_a_sweep_that_finds_the_database_locked_is_logged_and_the_others_still_run(
    only_these_sweeps: dict[str, Sweep], caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def locked() -> Sized:
        ran.append("locked")
        raise OperationalError("database is locked")

    def broken() -> Sized:
        ran.append("broken")
        raise RuntimeError("a bug")

    def fine() -> Sized:
        ran.append("fine")
        return []

    sweeps.sweep_register(Sweep("test.locked", locked), Sweep("test.broken", broken))
    sweeps.sweep_register(Sweep("test.fine", fine))

    call_command("lifeline_worker", "--once")

    assert ran == ["locked", "broken", "fine"]
    assert "test.locked: the database is busy" in caplog.text
    assert "test.broken failed" in caplog.text
