"""Two sites of a `SiteWorld` talking the HTTP exchange in one process: the caller's requests
are served by the other site's real views (Django's test client, inside `world.at(peer)`),
and the answers (or HTTP errors) come back as urllib would give them."""

from __future__ import annotations

import io
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from typing import Any

import pytest
from django.test import Client

from lifeline.sync import exchange_client
from lifeline.sync.apply import model_plan
from lifeline.sync.tests.sites import SiteWorld

Hook = Callable[[str, str, bytes | None, dict[str, str]], None]


@contextmanager
def served(
    world: SiteWorld,
    monkeypatch: pytest.MonkeyPatch,
    hosts: dict[str, str],
    before: Hook | None = None,
) -> Iterator[list[tuple[str, int]]]:
    """Requests to http://HOST go to the site `hosts[HOST]`; yields the (path, status) of
    every request. `before(host, path, body, headers)` may raise a network error to drop one."""
    log: list[tuple[str, int]] = []

    def send(
        self: Any, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[bytes, dict[str, str]]:
        host = self.base.removeprefix("http://")
        if before is not None:
            before(host, path, body, headers)
        with world.at(hosts[host]):
            client = Client()
            if method == "GET":
                response = client.get(path, headers=headers)
            else:
                response = client.post(
                    path,
                    data=body or b"",
                    content_type=headers.get("Content-Type", "application/octet-stream"),
                    headers={k: v for k, v in headers.items() if k != "Content-Type"},
                )
        log.append((path, response.status_code))
        if response.status_code >= 400:
            message = Message()
            raise urllib.error.HTTPError(
                self.base + path,
                response.status_code,
                "refused",
                message,
                io.BytesIO(response.content),
            )
        return response.content, dict(response.headers.items())

    monkeypatch.setattr(exchange_client._Link, "_send", send)
    yield log


def dump(world: SiteWorld, code: str, models: tuple[Any, ...]) -> dict[str, Any]:
    """Every row of `models` with every field that travels but actors (local user ids)."""
    out: dict[str, Any] = {}
    with world.at(code):
        for model in models:
            plan = model_plan(model._meta.label_lower)
            assert plan is not None
            names = [n for n in plan.fields if n not in plan.actors]
            for row in model._base_manager.order_by("pk"):
                values = {name: str(getattr(row, name)) for name in names}
                out[f"{model._meta.label_lower}:{row.pk}"] = {**values, "version": row.version}
    return out
