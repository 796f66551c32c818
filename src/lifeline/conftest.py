"""Fixtures every app's tests share: one user per role, and this site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lifeline.core.clock import site_local
from lifeline.core.models import Site
from lifeline.core.roles import Role
from lifeline.core.services import roles_sync

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_var_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Files a test writes under VAR_DIR (the name index, exports) never touch the checkout's
    # var/ nor another xdist worker's; the in-memory name index is dropped after each test.
    from lifeline.people.matching.index_store import index_forget

    settings.VAR_DIR = tmp_path_factory.mktemp("var")
    yield
    index_forget()


@pytest.fixture(autouse=True)
def _cli_trusts_user(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The apps' CLI tests act as `--user NAME`, as the operator's account may; signing in
    # (lifeline login, LIFELINE_TOKEN) has its own tests in core/tests/test_cli_auth.py.
    settings.LIFELINE_CLI_TRUST_USER = True
    monkeypatch.delenv("LIFELINE_TOKEN", raising=False)


@pytest.fixture(autouse=True)
def _site_language() -> Any:
    # A request in Arabic (Accept-Language, the user's choice) or `--lang fr` activates its
    # language for the whole thread; every test starts and ends in the site's default.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def site(db: None) -> Site:
    return site_local()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    roles_sync()

    def make(role: Role | None, username: str | None = None) -> Any:
        name = username or (role.value if role else "nobody")
        user = get_user_model().objects.create_user(username=name, password=PASSWORD)
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
        return user

    return make


@pytest.fixture
def commander(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.COMMANDER)


@pytest.fixture
def registrar(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.REGISTRAR)


@pytest.fixture
def medic(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.MEDIC)


@pytest.fixture
def logistics(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.LOGISTICS)


@pytest.fixture
def protection_officer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.PROTECTION)


@pytest.fixture
def field_team(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.FIELD_TEAM)


@pytest.fixture
def viewer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.VIEWER)


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A headless Chromium (see lifeline.core.tests.browser), on the screen the test module
    names in BROWSER_VIEWPORT, a phone otherwise."""
    from lifeline.core.tests.browser import PHONE, chromium_context

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous calls, so Django's async-safety check must let them through.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    viewport = getattr(request.module, "BROWSER_VIEWPORT", PHONE)
    with chromium_context(tmp_path / "chromium-profile", viewport) as context:
        yield context
