"""Every write of the API checks the caller's permission before it reads the body: a role that
may not write gets a 403 whatever it sends, never a 400 that teaches it the body's rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from lifeline.core.api import ApiView

WRITES = ("post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, type[ApiView]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if isinstance(view, type) and issubclass(view, ApiView):
                yield prefix + str(pattern.pattern), view


def write_operations() -> list[tuple[str, str, type[ApiView]]]:
    found = {}
    for route, view in _walk(get_resolver().url_patterns):
        for method in WRITES:
            if hasattr(view, method):
                found[(route, method)] = view
    return [(route, method, view) for (route, method), view in sorted(found.items())]


def test_every_write_declares_the_permission_it_needs() -> None:
    undeclared = [
        f"{m.upper()} /{r} ({v.__name__})" for r, m, v in write_operations() if v.permission is None
    ]
    assert undeclared == []


def _url(route: str) -> str:
    path = route
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
    return "/" + path


@pytest.mark.django_db
def test_a_viewer_sending_a_bad_body_to_a_write_it_may_not_make_gets_a_403(viewer: Any) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    learned = []
    checked = 0
    for route, method, view in write_operations():
        assert view.permission is not None
        needed = view.permission.any_of
        if not needed or any(viewer.has_perm(p) for p in needed):
            continue
        checked += 1
        response = getattr(client, method)(
            _url(route), {"not_a_field": [1, {"x": None}]}, format="json"
        )
        if response.status_code != 403:
            learned.append(f"{method.upper()} {_url(route)}: {response.status_code}")
    assert learned == []
    assert checked > 40
