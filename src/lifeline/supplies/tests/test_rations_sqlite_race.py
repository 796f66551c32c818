"""Double collection under real concurrency on SQLite: processes, not threads, on one file,
through the group commit that ration issues use there (the PostgreSQL race is in
test_rations.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lifeline.supplies.tests import sqlite_race


@pytest.mark.slow
def test_eight_processes_issuing_the_same_cards_on_sqlite_give_each_card_one_ration(
    tmp_path: Path,
) -> None:
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "lifeline.supplies.tests.sqlite_race", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    cards, processes = sqlite_race.CARDS, sqlite_race.PROCESSES
    assert outcome["database"] == "sqlite"
    # Every card tried by every process: each one issued exactly once, the rest refused.
    assert outcome["told_issued"] == outcome["distinct_cards_issued"] == cards
    assert outcome["told_refused"] == cards * (processes - 1)
    assert outcome["distribution_rows"] == cards
    # 3 kg each: 40 kg from the early lot, the rest from the late one.
    assert Decimal(outcome["on_hand"]) == Decimal(1040 - 3 * cards)
    assert outcome["on_hand"] == outcome["on_hand_from_ledger"]
    assert outcome["ration_movements"] == cards + 1  # one card's ration spans both lots
