"""A refused write says what was refused in the caller's language, whether the API view wrote
what it does with gettext_lazy (people) or gettext_noop (supplies)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.roles import Role


@pytest.mark.parametrize(
    ("path", "language", "words"),
    [
        ("/api/persons/", "fr", "votre rôle ne permet pas de enregistrer des personnes"),
        ("/api/persons/", "ar", "تسجيل الأشخاص"),
        ("/api/persons/", "en", "your role may not register people"),
    ],
)
def test_a_refused_write_names_what_was_refused_in_the_callers_language(
    make_user: Any, path: str, language: str, words: str
) -> None:
    api = APIClient()
    api.force_authenticate(make_user(Role.VIEWER))
    response = api.post(path, {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.json()["error"]
    assert body["code"] == "forbidden" and words in body["message"], body


def test_a_noop_marked_refusal_is_translated_when_worded(make_user: Any) -> None:
    api = APIClient()
    api.force_authenticate(make_user(Role.VIEWER))
    response = api.post("/api/supplies/items/", {}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    message = response.json()["error"]["message"]
    assert "votre rôle ne permet pas" in message and "change the catalogue" not in message
