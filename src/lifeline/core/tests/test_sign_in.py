"""Signing in is throttled and every failure is audited; API tokens expire and can be
revoked; the CLI acts only as the user who signed in (lifeline login, LIFELINE_TOKEN)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from typer.testing import CliRunner, Result

from lifeline.conftest import PASSWORD
from lifeline.core.cli import audit_app
from lifeline.core.commandline import command_root_build
from lifeline.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def token_for(username: str, password: str = PASSWORD) -> Any:
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_after_five_wrong_passwords_even_the_right_one_is_refused_and_each_failure_is_audited(
    registrar: Any,
) -> None:
    wrong = [token_for("registrar", "wrong-password-123").status_code for _ in range(5)]
    locked = token_for("registrar")

    assert wrong[:4] == [400] * 4 and wrong[4] == 429  # the fifth failure locks
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "throttled"
    failures = AuditEntry.objects.filter(action="auth.failed")
    assert failures.count() >= 5
    assert failures.first().detail["username"] == "registrar"


def test_the_sign_in_page_is_throttled_too(registrar: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "registrar", "password": "nope-nope-nope"})
    response = client.post("/login/", {"username": "registrar", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_token_expires_after_its_lifetime_and_a_new_one_is_issued(
    registrar: Any, settings: Any
) -> None:
    key = token_for("registrar").json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=170))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    expired = client.get("/api/me/")
    fresh = token_for("registrar").json()["token"]

    assert settings.LIFELINE_TOKEN_HOURS == 168
    assert expired.status_code == 401
    assert "expired" in expired.json()["error"]["message"]
    assert fresh != key


def test_a_revoked_token_no_longer_works(registrar: Any, commander: Any) -> None:
    key = token_for("registrar").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/me/").status_code == 200

    assert client.post("/api/auth/token/revoke/", {}, format="json").json() == {"revoked": True}
    assert client.get("/api/me/").status_code == 401
    assert AuditEntry.objects.filter(action="auth.token_revoke").exists()


def test_only_the_commander_revokes_another_users_token(
    registrar: Any, commander: Any, viewer: Any
) -> None:
    token_for("registrar")
    as_viewer = APIClient()
    as_viewer.force_authenticate(viewer)
    as_commander = APIClient()
    as_commander.force_authenticate(commander)
    body = {"username": "registrar"}

    assert as_viewer.post("/api/auth/token/revoke/", body, format="json").status_code == 403
    assert as_commander.post("/api/auth/token/revoke/", body, format="json").json() == {
        "revoked": True
    }
    assert not Token.objects.filter(user=registrar).exists()


# ---- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def token_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Path:
    settings.LIFELINE_CLI_TRUST_USER = False  # a shell account that is not the operator's
    path = tmp_path / "home" / "token"
    monkeypatch.setenv("LIFELINE_TOKEN_FILE", str(path))
    return path


def cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1", **(env or {})})
    app = command_root_build({"audit": audit_app})
    return runner.invoke(app, list(args), input=stdin or None)


def test_without_signing_in_the_cli_refuses_even_with_a_username(
    commander: Any, token_path: Path
) -> None:
    result = cli("--user", "commander", "audit")
    assert result.exit_code == 4
    assert "sign in first: lifeline login" in result.output


def test_lifeline_login_keeps_a_token_only_its_owner_reads_and_acts_as_that_user(
    commander: Any, token_path: Path
) -> None:
    wrong = cli("login", "commander", "--password-stdin", stdin="bad-password-9\n")
    signed_in = cli("login", "commander", "--password-stdin", stdin=f"{PASSWORD}\n")
    kept_mode = token_path.stat().st_mode & 0o777
    listed = cli("audit", "--action", "auth.")
    claimed = cli("--user", "registrar", "audit")
    out = cli("logout")
    after = cli("audit")

    assert wrong.exit_code == 4 and "wrong username or password" in wrong.output
    assert signed_in.exit_code == 0, signed_in.output
    assert kept_mode == 0o600
    assert listed.exit_code == 0 and "auth.failed" in listed.output
    assert claimed.exit_code == 4 and "signed in as 'commander'" in claimed.output
    assert out.exit_code == 0 and not token_path.exists()
    assert after.exit_code == 4
    assert AuditEntry.objects.filter(action="audit.read", actor=commander).exists()


def test_a_script_acts_with_lifeline_token(commander: Any, token_path: Path) -> None:
    key = token_for("commander").json()["token"]
    assert cli("audit", env={"LIFELINE_TOKEN": key}).exit_code == 0
    refused = cli("audit", env={"LIFELINE_TOKEN": "not-a-token"})
    assert refused.exit_code == 4 and "not a current token" in refused.output
