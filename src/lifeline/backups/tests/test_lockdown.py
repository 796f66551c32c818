"""Lockdown destroys the site's key so nothing here decrypts the backups; the recovery key
brings it back; both audited, from the command line and from the Site page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner, Result

from lifeline.backups import services
from lifeline.backups.archive import BackupInvalid
from lifeline.cli import app_build
from lifeline.core.keys import KeysLocked, key_paths, keys_state
from lifeline.core.models import AuditEntry


def run(*args: str, stdin: str | None = None) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    return runner.invoke(app_build(), list(args), input=stdin, catch_exceptions=False)


@pytest.mark.django_db(transaction=True)
def test_lockdown_then_unlock_with_the_recovery_key(
    site_keys: Any, camp: dict[str, Any], tmp_path: Path
) -> None:
    record = services.backup_create(actor=None)
    path = Path(record.folder) / record.file_name

    refused = run("lockdown")  # asks first; no answer is no
    assert refused.exit_code == 1 and keys_state() == "unlocked"
    locked = run("lockdown", "--yes")
    assert locked.exit_code == 0, locked.output
    assert keys_state() == "locked" and not key_paths().key_file.exists()
    with pytest.raises(KeysLocked):
        services.backup_verify(path=path)
    assert run("backup", "verify", str(path)).exit_code == KeysLocked.exit_code

    wrong = tmp_path / "wrong.key"
    import pyrage

    wrong.write_text(str(pyrage.x25519.Identity.generate()))
    assert run("unlock", str(wrong)).exit_code != 0
    assert keys_state() == "locked"

    unlocked = run("unlock", "-", stdin=site_keys.recovery_identity + "\n")
    assert unlocked.exit_code == 0, unlocked.output
    assert keys_state() == "unlocked"
    assert services.backup_verify(path=path).ok
    actions = list(AuditEntry.objects.filter(action__startswith="site.").values_list("action"))
    assert actions.count(("site.lockdown",)) == 1 and actions.count(("site.unlock",)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_truncated_backup_is_refused_from_the_command_line_with_a_clear_message(
    site_keys: Any, camp: dict[str, Any]
) -> None:
    record = services.backup_create(actor=None)
    path = Path(record.folder) / record.file_name
    path.write_bytes(path.read_bytes()[:-100])
    result = run("backup", "verify", str(path))
    assert result.exit_code == BackupInvalid.exit_code
    assert "cannot be decrypted: it is damaged or truncated" in result.output
    assert "Traceback" not in result.output
    restore = run("backup", "restore", "--yes", str(path))
    assert restore.exit_code == BackupInvalid.exit_code


@pytest.mark.django_db(transaction=True)
def test_the_commander_locks_down_from_the_site_page_after_confirming(
    site_keys: Any, commander: Any, registrar: Any
) -> None:
    page = Client()
    page.force_login(registrar)
    assert page.post(reverse("web:site_lockdown"), {"confirm": "yes"}).status_code == 403
    assert keys_state() == "unlocked"

    page.force_login(commander)
    site = page.get(reverse("web:site")).content.decode()
    assert "No good backup yet" in site and reverse("web:site_lockdown") in site
    assert page.get(reverse("web:site_lockdown")).status_code == 200
    page.post(reverse("web:site_lockdown"), {})  # not confirmed
    assert keys_state() == "unlocked"
    done = page.post(reverse("web:site_lockdown"), {"confirm": "yes"})
    assert done.status_code == 200 and "Locked down" in done.content.decode()
    assert keys_state() == "locked"
    entry = AuditEntry.objects.get(action="site.lockdown")
    assert entry.actor == commander


@pytest.mark.django_db(transaction=True)
def test_the_site_page_shows_the_last_good_backup(
    site_keys: Any, camp: dict[str, Any], commander: Any
) -> None:
    page = Client()
    page.force_login(commander)
    made = page.post(reverse("web:site_backup"))
    assert made.status_code == 302
    site = page.get(reverse("web:site")).content.decode()
    assert "Last good backup" in site and "lifeline-desert-base-" in site
