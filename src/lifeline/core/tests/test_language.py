from __future__ import annotations

import pytest

from lifeline.core.errors import ValidationFailed
from lifeline.core.language import environment_language


@pytest.mark.parametrize(
    ("explicit", "environ", "language"),
    [
        ("ar", {"LANG": "fr_FR.UTF-8"}, "ar"),
        (None, {"LANG": "fr_FR.UTF-8"}, "fr"),
        (None, {"LC_ALL": "ar_SY.UTF-8", "LANG": "fr_FR.UTF-8"}, "ar"),
        (None, {"LC_MESSAGES": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_cli_language_follows_lang_then_the_environment(
    explicit: str | None, environ: dict[str, str], language: str
) -> None:
    assert environment_language(explicit, environ) == language


def test_an_unknown_lang_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationFailed, match="one of ar, en, fr"):
        environment_language("xx", {})
