"""The Content-Security-Policy: 'self' only, on every response; in Chromium, pages load
without a single violation (no inline script or style left)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import needs_chromium


@pytest.mark.django_db
def test_every_page_carries_a_self_only_policy(commander: Any) -> None:
    client = Client()
    client.force_login(commander)
    policy = client.get("/audit/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_sessions_last_a_shift_and_the_schema_needs_a_sign_in(settings: Any) -> None:
    from rest_framework.test import APIClient

    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code == 401
    assert anonymous.get("/api/docs/").status_code == 401


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/audit/",
        "/site/",
        "/households/",
        "/alerts/",
        "/api/docs/",
        "/intel/groups/",
        "/intel/watch/",
    ],
)
def test_a_page_load_reports_no_policy_violation(
    live_server: Any, commander: Any, browser: Any, path: str
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert violations == [] and complaints == []
