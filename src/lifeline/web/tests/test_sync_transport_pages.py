"""The Sync page without a network: a commander makes a bundle for the convoy (a download the
other camp's service imports), imports one (refused whole when it is bad, never a 500), and
reads out the radio lines and applies the lines heard; roles that may not are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lifeline.core.clock import site_local
from lifeline.core.models import AuditEntry
from lifeline.core.roles import Role
from lifeline.core.services import roles_sync
from lifeline.people.models import Person, StatusEvent
from lifeline.people.services import person_status_record
from lifeline.sync import digest, services
from lifeline.sync.tests.conftest import WorldMaker, site_template, world
from lifeline.sync.tests.sites import CAMPS, SiteWorld, camps_paired, chief

__all__ = ["site_template", "world"]  # sync's world of sites, for its pages here


def _client() -> Client:
    client = Client()
    client.force_login(chief())
    return client


@pytest.fixture
def camps(world: WorldMaker) -> Iterator[SiteWorld]:
    """Two camps, each with a commander, each registered as the other's peer."""
    yield camps_paired(world(list(CAMPS)))


def _upload(data: bytes, name: str = "convoy.llsync") -> dict[str, Any]:
    return {"bundle": SimpleUploadedFile(name, data, content_type="application/octet-stream")}


def _amal_at_forest(w: SiteWorld) -> Person:
    with w.at("forest"):
        person = Person(given_name="Amal", family_name="Haddad")
        person.save()
    return person


def test_the_bundle_made_on_the_page_is_imported_by_the_other_camp(camps: SiteWorld) -> None:
    amal = _amal_at_forest(camps)
    with camps.at("forest"):
        page = _client().get("/sync/").content.decode()
        assert "Make a bundle for the convoy" in page and "Import a bundle" in page
        done = _client().post("/sync/bundle/", {"peer": "desert"})
        assert done.status_code == 200
        day = timezone.localdate().isoformat()
        assert done["Content-Disposition"] == (
            f'attachment; filename="forest-for-desert-{day}-1.llsync"'
        )
        assert AuditEntry.objects.filter(action="sync.export", summary__contains="desert").exists()
    with camps.at("desert"):
        imported = services.bundle_import(actor=chief(), data=done.content)
        assert imported.report.apply.applied > 0
        assert Person.objects.filter(pk=amal.pk, given_name="Amal").exists()


def test_a_bundle_uploaded_is_applied_and_the_page_says_what_came(
    camps: SiteWorld, tmp_path: Any
) -> None:
    amal = _amal_at_forest(camps)
    with camps.at("forest"):
        services.bundle_export(actor=chief(), path=tmp_path / "b", peer_code="desert")
    data = (tmp_path / "b").read_bytes()
    with camps.at("desert"):
        client = _client()
        page = client.post("/sync/bundle/import/", _upload(data))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Bundle 1 from forest is imported." in text
        assert "0 already here" in text and "0 held back" in text
        assert Person.objects.filter(pk=amal.pk).exists()
        assert AuditEntry.objects.filter(action="sync.import").count() == 1
        # The same bundle again: refused with the service's words, nothing applied.
        again = client.post("/sync/bundle/import/", _upload(data))
        assert again.status_code == 400
        assert "was already imported" in again.content.decode()
        assert AuditEntry.objects.filter(action="sync.import").count() == 1


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (lambda data: data[:-40], "cut short"),
        (lambda data: b"PK\x03\x04" + data[4:], "not a Lifeline sync bundle"),
        (lambda data: data[:-10] + bytes([data[-10] ^ 1]) + data[-9:], "checksum does not match"),
        (lambda data: b"", "Choose the bundle file"),
    ],
    ids=["truncated", "not-a-bundle", "changed", "empty"],
)
def test_a_bad_bundle_is_refused_on_the_page_and_nothing_is_applied(
    camps: SiteWorld, tmp_path: Any, spoil: Any, said: str
) -> None:
    amal = _amal_at_forest(camps)
    with camps.at("forest"):
        services.bundle_export(actor=chief(), path=tmp_path / "b", peer_code="desert")
    bad = spoil((tmp_path / "b").read_bytes())
    with camps.at("desert"):
        page = _client().post("/sync/bundle/import/", _upload(bad) if bad else {})
        assert page.status_code == 400
        text = page.content.decode()
        assert said in text
        assert not Person.objects.filter(pk=amal.pk).exists()
        assert not AuditEntry.objects.filter(action="sync.import").exists()


def test_a_bundle_from_a_site_that_is_not_a_peer_is_refused(world: WorldMaker) -> None:
    w = world(["north", "desert"])
    with w.at("north"):
        site_local()
        roles_sync()
        user = get_user_model().objects.create_user(username="chief", password="x" * 20)
        user.groups.add(Group.objects.get(name=Role.COMMANDER.value))
        Person(given_name="Yusuf").save()
        data = services.bundle_make(actor=chief()).data
    with w.at("desert"):
        site_local()
        roles_sync()
        user = get_user_model().objects.create_user(username="chief", password="x" * 20)
        user.groups.add(Group.objects.get(name=Role.COMMANDER.value))
        page = _client().post("/sync/bundle/import/", _upload(data))
        assert page.status_code == 400
        assert "not a registered peer" in page.content.decode()
        assert not Person.objects.filter(given_name="Yusuf").exists()


def _lines_of(page: Any) -> list[str]:
    return re.findall(r"<li><code>([A-Za-z0-9_-]+)</code></li>", page.content.decode())


def test_radio_lines_read_out_at_one_camp_are_applied_at_the_other(camps: SiteWorld) -> None:
    amal = _amal_at_forest(camps)
    with camps.at("forest"):
        services.bundle_export(actor=chief(), path=camps.directory / "b", peer_code="desert")
        person_status_record(actor=chief(), person=amal, status="missing", note="n" * 280)
        client = _client()
        assert 'value="24h"' in client.get("/sync/radio/").content.decode()
        sent = client.post("/sync/radio/", {"action": "export", "since": "2h"})
        assert sent.status_code == 200
        lines = _lines_of(sent)
        assert len(lines) > 1  # the long note takes more than one packet
        assert f"{len(lines)} packets to send" in sent.content.decode()
        # Next time the page starts from this digest.
        since = client.get("/sync/radio/").context["since"]
        assert since != "24h" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", since)
    with camps.at("desert"):
        services.bundle_import(actor=chief(), data=(camps.directory / "b").read_bytes())
        client = _client()
        # Part one today: kept, reported, nothing applied.
        part = client.post("/sync/radio/", {"action": "import", "heard": lines[0]})
        text = part.content.decode()
        assert part.status_code == 200 and "0 messages whole and applied" in text
        assert f"1 of {len(lines)} packets" in text
        assert not StatusEvent.objects.filter(person_id=amal.pk).exists()
        # The rest later, with a line copied wrongly.
        rest = "\n".join([*lines[1:], "not-a-packet!"])
        done = client.post("/sync/radio/", {"action": "import", "heard": rest})
        text = done.content.decode()
        assert "1 message whole and applied" in text
        assert "Refused:" in text and "line " in text
        assert StatusEvent.objects.get(person_id=amal.pk).note == "n" * 280


def test_radio_refusals_are_form_errors(camps: SiteWorld) -> None:
    with camps.at("desert"):
        client = _client()
        empty = client.post("/sync/radio/", {"action": "import", "heard": "  "})
        assert empty.status_code == 400 and "Paste or type the lines heard" in (
            empty.content.decode()
        )
        bad = client.post("/sync/radio/", {"action": "export", "since": "yesterday-ish"})
        assert bad.status_code == 400 and "a duration (90m, 6h, 2d)" in bad.content.decode()


def test_a_digest_since_a_moment_takes_only_the_changes_after_it(camps: SiteWorld) -> None:
    amal = _amal_at_forest(camps)
    with camps.at("forest"):
        person_status_record(actor=chief(), person=amal, status="missing")
        later = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        page = _client().post("/sync/radio/", {"action": "export", "since": later})
        assert "0 packets to send" in page.content.decode()
        assert "Nothing urgent to send" in page.content.decode()
        assert digest.radio_export(actor=chief(), since=timezone.now() - timedelta(hours=1)).lines


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/sync/radio/"),
        ("post", "/sync/radio/"),
        ("get", "/sync/bundle/import/"),
        ("post", "/sync/bundle/import/"),
        ("post", "/sync/bundle/"),
    ],
)
def test_roles_that_may_not_sync_are_refused(
    registrar: Any, logistics: Any, method: str, url: str
) -> None:
    for user in (registrar, logistics):
        client = Client()
        client.force_login(user)
        answer = getattr(client, method)(url, {"peer": "desert", "action": "export"})
        assert answer.status_code == 403, (user.username, url)


@pytest.mark.django_db
def test_the_sync_page_offers_the_bundle_upload_and_the_radio(commander: Any) -> None:
    client = Client()
    client.force_login(commander)
    text = client.get("/sync/").content.decode()
    assert "/sync/radio/" in text and "/sync/bundle/import/" in text
