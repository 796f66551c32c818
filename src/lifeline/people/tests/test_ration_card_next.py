"""The next ration card number a site's card form offers (a pure rule, no database)."""

from __future__ import annotations

import pytest

from lifeline.people.rules import ration_card_next


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "DB-0001"),
        (["DB-0041", "DB-0007"], "DB-0042"),
        (["DB-9", "DB-10"], "DB-11"),
        (["FC-0003", "DB-0010", "DB-0011"], "DB-0012"),  # the series most cards follow
        (["no number", "DB-0099"], "DB-0100"),
        (["DB-0999"], "DB-1000"),
    ],
)
def test_the_next_card_follows_the_sites_series(existing: list[str], expected: str) -> None:
    assert ration_card_next(existing, "DB-") == expected
