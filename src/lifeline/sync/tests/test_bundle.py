"""Bundles for a USB stick: signed by their site, refused whole when anything is wrong, and what
leaves for a peer is what it may hold. Driven through the `lifeline sync` commands."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from typer.testing import CliRunner

from lifeline.core.clock import site_local
from lifeline.core.models import Site
from lifeline.core.roles import Role
from lifeline.core.services import roles_sync
from lifeline.people.models import ConditionObservation, Person
from lifeline.sync import services
from lifeline.sync.bundle import HEADER_SIZE, BundleRefused, bundle_write, private_key_of
from lifeline.sync.feed import FeedScope, feed_build
from lifeline.sync.models import BundleImport, Peer
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.sites import SiteWorld

CAMPS = ("forest", "desert")


def _commander() -> Any:
    roles_sync()
    user = get_user_model().objects.create_user(username="chief", password="x" * 20)
    user.groups.add(Group.objects.get(name=Role.COMMANDER.value))
    return user


def _paired(world: WorldMaker, *, protected: bool = False) -> SiteWorld:
    """Two camps, each with a commander, each registered at the other."""
    w = world(list(CAMPS))
    identities = {}
    for code in CAMPS:
        with w.at(code):
            site_local()
            _commander()
            identities[code] = services.site_identity()
    for code, other in (CAMPS, CAMPS[::-1]):
        with w.at(code):
            services.peer_register(
                actor=_chief(), identity=identities[other], may_hold_protected=protected
            )
    return w


def _chief() -> Any:
    return get_user_model().objects.get(username="chief")


def _register(w: SiteWorld, code: str, given: str = "Amal") -> uuid.UUID:
    with w.at(code):
        person = Person(given_name=given, family_name="Haddad")
        person.save()
        return person.pk


def _export(w: SiteWorld, code: str, path: Path, peer: str | None = None) -> bytes:
    with w.at(code):
        services.bundle_export(actor=_chief(), path=path, peer_code=peer)
    return path.read_bytes()


def _import(w: SiteWorld, code: str, data: bytes) -> services.ImportResult:
    with w.at(code):
        return services.bundle_import(actor=_chief(), data=data)


def _refused(w: SiteWorld, code: str, data: bytes, reason: str) -> str:
    with w.at(code):
        before = Person.objects.count()
        with pytest.raises(BundleRefused) as refused:
            services.bundle_import(actor=_chief(), data=data)
        assert refused.value.reason == reason
        assert Person.objects.count() == before, "a refused bundle changes nothing"
        return refused.value.detail


def test_a_bundle_carries_a_camps_registrations_to_the_other_camp(
    world: WorldMaker, tmp_path: Path
) -> None:
    w = _paired(world)
    pk = _register(w, "forest")
    data = _export(w, "forest", tmp_path / "b", peer="desert")
    done = _import(w, "desert", data)
    assert done.sender == "forest" and done.report.apply.applied == 1
    with w.at("desert"):
        assert Person.objects.get(pk=pk).given_name == "Amal"
        assert BundleImport.objects.get().seq == 1


def test_a_truncated_bundle_is_refused_whole(world: WorldMaker, tmp_path: Path) -> None:
    w = _paired(world)
    _register(w, "forest")
    data = _export(w, "forest", tmp_path / "b", peer="desert")
    message = _refused(w, "desert", data[:-10], "truncated")
    assert "cut short" in message
    assert "cut short" in _refused(w, "desert", data[:100], "truncated")


def test_a_corrupted_bundle_is_refused_whole(world: WorldMaker, tmp_path: Path) -> None:
    w = _paired(world)
    _register(w, "forest")
    data = bytearray(_export(w, "forest", tmp_path / "b", peer="desert"))
    data[HEADER_SIZE + 5] ^= 0xFF
    assert "checksum" in _refused(w, "desert", bytes(data), "corrupt")
    assert "not a Lifeline" in _refused(w, "desert", b"hello", "corrupt")


def test_an_unsigned_bundle_is_refused(world: WorldMaker) -> None:
    w = _paired(world)
    _register(w, "forest")
    with w.at("forest"):
        feed = feed_build(scope=FeedScope(since={}, protected=False), recipient=None)
        data = bundle_write(feed, sender=site_local().pk, seq=1, key=None)
    assert "not signed" in _refused(w, "desert", data, "unsigned")


def test_a_bundle_signed_by_another_key_is_refused(world: WorldMaker) -> None:
    w = _paired(world)
    _register(w, "forest")
    with w.at("forest"):
        feed = feed_build(scope=FeedScope(since={}, protected=False), recipient=None)
        data = bundle_write(feed, sender=site_local().pk, seq=1, key=Ed25519PrivateKey.generate())
    assert "signature" in _refused(w, "desert", data, "signature")


def test_a_bundle_from_an_unknown_site_is_refused(world: WorldMaker, tmp_path: Path) -> None:
    w = _paired(world)
    stranger = world(["compound"])
    with stranger.at("compound"):
        site_local()
        _commander()
    data = _export(stranger, "compound", tmp_path / "b")
    assert "not a registered peer" in _refused(w, "desert", data, "unknown_site")


def test_a_replayed_or_older_bundle_is_refused(world: WorldMaker, tmp_path: Path) -> None:
    w = _paired(world)
    _register(w, "forest")
    first = _export(w, "forest", tmp_path / "1", peer="desert")
    _register(w, "forest", "Yusuf")
    second = _export(w, "forest", tmp_path / "2", peer="desert")
    _import(w, "desert", second)
    assert "already imported" in _refused(w, "desert", second, "replayed")
    assert "older than bundle 2" in _refused(w, "desert", first, "replayed")


def test_a_bundle_made_for_another_peer_is_refused(world: WorldMaker, tmp_path: Path) -> None:
    w = _paired(world)
    with w.at("forest"):
        compound = Site.objects.create(code="compound", name="Compound")
        Peer.objects.create(site=compound, public_key=bytes(32))
    _register(w, "forest")
    data = _export(w, "forest", tmp_path / "b", peer="compound")
    assert "made for Compound" in _refused(w, "desert", data, "recipient")


def test_a_bundle_of_a_newer_format_or_too_old_a_schema_is_refused_naming_the_versions(
    world: WorldMaker, tmp_path: Path
) -> None:
    w = _paired(world)
    _register(w, "forest")
    data = bytearray(_export(w, "forest", tmp_path / "b", peer="desert"))
    data[8:10] = (7).to_bytes(2, "big")
    assert "format 7; this site reads formats 1 to 1" in _refused(
        w, "desert", bytes(data), "format"
    )
    with w.at("forest"):
        feed = feed_build(scope=FeedScope(since={}, protected=False), recipient=None)
        feed["schema"]["intel"] = 3
        key = private_key_of(bytes(services.site_key().private_key))
        old = bundle_write(feed, sender=site_local().pk, seq=9, key=key)
    assert "intel is at migration 0003" in _refused(w, "desert", old, "schema")


@pytest.mark.parametrize("protected", [False, True])
def test_protected_records_leave_only_for_peers_allowed_to_hold_them(
    world: WorldMaker, tmp_path: Path, protected: bool
) -> None:
    w = _paired(world, protected=protected)
    pk = _register(w, "forest")
    with w.at("forest"):
        ConditionObservation(person_id=pk, condition="unaccompanied_child").save()
    _import(w, "desert", _export(w, "forest", tmp_path / "b", peer="desert"))
    with w.at("desert"):
        assert Person.objects.filter(pk=pk).exists()
        assert ConditionObservation.objects.filter(person_id=pk).exists() is protected


def test_the_sync_commands_export_import_and_show_status_and_conflicts(
    world: WorldMaker, tmp_path: Path
) -> None:
    from lifeline.cli import app_build

    w = _paired(world)
    pk = _register(w, "forest")
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    bundle = tmp_path / "convoy.llsync"
    with w.at("forest"):
        done = runner.invoke(
            app_build(), ["--user", "chief", "sync", "export", str(bundle), "--peer", "desert"]
        )
        assert done.exit_code == 0, done.output
        assert "bundle 1 for desert" in done.output
    with w.at("desert"):
        done = runner.invoke(app_build(), ["--user", "chief", "sync", "import", str(bundle)])
        assert done.exit_code == 0, done.output
        assert "1 applied" in done.output
        again = runner.invoke(app_build(), ["--user", "chief", "sync", "import", str(bundle)])
        assert again.exit_code != 0 and "already imported" in again.output
        person = Person.objects.get(pk=pk)
        person.notes = "tent 9"
        person.save(update_fields=["notes"])
        status = runner.invoke(app_build(), ["--user", "chief", "sync", "status"])
        assert status.exit_code == 0, status.output
        assert "forest (Forest)" in status.output and "1 change(s) not sent" in status.output
    with w.at("forest"):
        person = Person.objects.get(pk=pk)
        person.notes = "tent 4"
        person.save(update_fields=["notes"])
        back = tmp_path / "back.llsync"
    with w.at("desert"):
        runner.invoke(
            app_build(), ["--user", "chief", "sync", "export", str(back), "--peer", "forest"]
        )
    with w.at("forest"):
        done = runner.invoke(app_build(), ["--user", "chief", "sync", "import", str(back)])
        assert done.exit_code == 0, done.output
        listed = runner.invoke(app_build(), ["--user", "chief", "sync", "conflicts"])
        # The forest camp wrote last: its value wins, the desert's is kept for review.
        assert "kept 'tent 4' (forest), lost 'tent 9' (desert)" in listed.output
        conflict_id = listed.output.split()[0]
        kept = runner.invoke(
            app_build(), ["--user", "chief", "sync", "resolve", conflict_id, "--keep", "loser"]
        )
        assert kept.exit_code == 0, kept.output
        assert Person.objects.get(pk=pk).notes == "tent 9"
        none = runner.invoke(app_build(), ["--user", "chief", "sync", "conflicts"])
        assert "no conflicts to review" in none.output
