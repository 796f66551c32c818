"""What the API does with hostile request bodies: refused with the one JSON error shape."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.api import JSON_MAX_DEPTH, json_depth

pytestmark = pytest.mark.django_db

NESTED = "[" * 1000 + "]" * 1000  # 2 KB, 1,000 levels


@pytest.mark.parametrize("url", ["/api/auth/token/", "/api/households/", "/api/persons/"])
def test_a_deeply_nested_body_is_a_400_not_a_500(url: str, viewer: Any) -> None:
    anonymous = APIClient(raise_request_exception=False)
    signed_in = APIClient(raise_request_exception=False)
    signed_in.force_authenticate(viewer)

    for client in (anonymous, signed_in):
        response = client.post(url, NESTED, content_type="application/json")
        assert response.status_code in {400, 401, 403}, response.content[:200]
        assert response["Content-Type"] == "application/json"
    refused = APIClient().post("/api/auth/token/", NESTED, content_type="application/json")
    assert refused.json()["error"]["code"] == "parse_error"
    assert f"deeper than {JSON_MAX_DEPTH}" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"a": "[[[[[[ {{{ "}', 1),
        (b'["\\"[[[", [ ]]', 2),
        (b"17", 0),
    ],
)
def test_json_depth_counts_brackets_outside_strings(text: bytes, depth: int) -> None:
    assert json_depth(text) == depth


def test_a_number_sent_for_a_text_field_is_refused_naming_it(registrar: Any, site: Any) -> None:
    client = APIClient()
    client.force_authenticate(registrar)
    response = client.post("/api/persons/", {"given_name": "Amal", "notes": 5}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"notes": ["must be text (a JSON string)"]}


@pytest.mark.parametrize("value", ["null", "-3", "0", "ten"])
def test_a_wrong_page_size_is_a_400_not_the_default(viewer: Any, value: str) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.get(f"/api/persons/?page_size={value}")
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]
    assert client.get("/api/persons/?page_size=5").status_code == 200


def test_options_on_a_url_served_by_several_views_allows_every_method(registrar: Any) -> None:
    client = APIClient()
    client.force_authenticate(registrar)
    allowed = {m.strip() for m in client.options("/api/persons/")["Allow"].split(",")}
    assert {"GET", "POST", "OPTIONS"} <= allowed
