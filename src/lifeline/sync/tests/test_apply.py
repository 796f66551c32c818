"""The one apply path: another site's change is written with its own version, merged field by
field, its loser kept, applied once however often it comes, and held when it cannot be yet."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from lifeline.alerts.models import Alert
from lifeline.core import hlc
from lifeline.core.clock import site_local, wall_ms
from lifeline.core.models import ChangeLogEntry, ClockState, Site
from lifeline.core.replication import _hooks, after_apply_register
from lifeline.people.models import Person, StatusEvent
from lifeline.sync.models import ActorKey, Conflict, Cursor, PendingChange
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.exchange import carry, feed_from, feed_into


def _person(world: Any, code: str, **values: Any) -> uuid.UUID:
    with world.at(code):
        person = Person(**{"given_name": "Amal", "family_name": "Haddad", **values})
        person.save()
        return person.pk


def _update(world: Any, code: str, pk: uuid.UUID, **values: Any) -> str:
    with world.at(code):
        person = Person.objects.get(pk=pk)
        for name, value in values.items():
            setattr(person, name, value)
        person.save(update_fields=list(values))
        return person.version


def _get(world: Any, code: str, pk: uuid.UUID) -> Person:
    with world.at(code):
        return Person.objects.get(pk=pk)


def test_a_change_from_another_site_keeps_its_version_and_the_clock_receives_it(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    sent = _get(w, "forest", pk)
    carry(w, "forest", "desert")
    with w.at("desert"):
        here = Person.objects.get(pk=pk)
        assert here.version == sent.version
        assert here.origin_site_id == sent.origin_site_id
        state = ClockState.objects.get(site=site_local())
        assert hlc.Timestamp(state.ms, state.counter, "") > hlc.Timestamp(
            hlc.decode(sent.version).ms, hlc.decode(sent.version).counter, ""
        )
        # A write made here after the apply is later than the change received.
        here.notes = "seen at the desert base"
        here.save(update_fields=["notes"])
        assert here.version > sent.version


def test_a_change_applied_twice_or_replayed_is_applied_once(world: WorldMaker) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    feed = feed_from(w, "forest")
    first = feed_into(w, "desert", feed)
    again = feed_into(w, "desert", feed)
    assert first.apply.applied == 1
    assert again.apply.applied == 0 and again.apply.duplicates == 1
    with w.at("desert"):
        assert ChangeLogEntry.objects.filter(object_id=pk).count() == 1


def test_concurrent_writes_of_one_field_end_alike_and_the_loser_is_kept(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    carry(w, "forest", "desert")
    first = _update(w, "forest", pk, notes="tent 4")
    second = _update(w, "desert", pk, notes="tent 9")
    assert second > first
    carry(w, "forest", "desert")
    carry(w, "desert", "forest")
    for code in ("forest", "desert"):
        assert _get(w, code, pk).notes == "tent 9"
        with w.at(code):
            kept = Conflict.objects.get(object_id=pk, field="notes")
            assert kept.loser_value == "tent 4" and kept.loser_version == first
            assert kept.winner_value == "tent 9" and kept.winner_version == second
            assert kept.loser_site == Site.objects.get(code="forest").pk


def test_writes_of_different_fields_both_stay_and_make_no_conflict(world: WorldMaker) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    carry(w, "forest", "desert")
    _update(w, "forest", pk, notes="tent 4")
    _update(w, "desert", pk, phone="+964 770 000")
    carry(w, "forest", "desert")
    carry(w, "desert", "forest")
    for code in ("forest", "desert"):
        person = _get(w, code, pk)
        assert (person.notes, person.phone) == ("tent 4", "+964 770 000")
        with w.at(code):
            assert not Conflict.objects.exists()


def test_a_later_write_that_saw_the_earlier_one_is_no_conflict(world: WorldMaker) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    carry(w, "forest", "desert")
    _update(w, "desert", pk, notes="tent 9")
    carry(w, "desert", "forest")
    _update(w, "forest", pk, notes="moved to tent 2")
    carry(w, "forest", "desert")
    with w.at("desert"):
        assert Person.objects.get(pk=pk).notes == "moved to tent 2"
        assert not Conflict.objects.exists()


def test_a_delete_and_a_concurrent_update_keep_the_tombstone_and_the_update(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    carry(w, "forest", "desert")
    with w.at("forest"):
        Person.objects.get(pk=pk).delete()
    _update(w, "desert", pk, notes="still here?")
    carry(w, "forest", "desert")
    carry(w, "desert", "forest")
    for code in ("forest", "desert"):
        person = _get(w, code, pk)
        assert person.deleted_at is not None and person.notes == "still here?"


def test_a_child_that_arrives_before_its_parent_waits_and_is_applied_with_it(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    with w.at("forest"):
        StatusEvent(person_id=pk, status="present").save()
    feed = feed_from(w, "forest")
    parents = [c for c in feed["changes"] if c["model"] == "people.person"]
    children = {**feed, "changes": [c for c in feed["changes"] if c not in parents]}
    report = feed_into(w, "desert", children)
    assert report.apply.waiting == 1 and report.apply.applied == 0
    with w.at("desert"):
        waiting = PendingChange.objects.get()
        assert waiting.waiting_for_id == str(pk)
    report = feed_into(w, "desert", feed)
    assert report.apply.applied == 2
    with w.at("desert"):
        assert StatusEvent.objects.filter(person_id=pk).exists()
        assert not PendingChange.objects.exists()


def test_an_update_that_arrives_before_its_row_waits_for_it(world: WorldMaker) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    _update(w, "forest", pk, notes="tent 4")
    feed = feed_from(w, "forest")
    updates = {**feed, "changes": [c for c in feed["changes"] if c["op"] == "update"]}
    assert feed_into(w, "desert", updates).apply.waiting == 1
    feed_into(w, "desert", feed)
    assert _get(w, "desert", pk).notes == "tent 4"


def test_a_change_stamped_far_ahead_is_held_and_raises_an_alert_until_the_clock_catches_up(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    feed = feed_from(w, "forest")
    year = 365 * 24 * 3_600_000
    report = feed_into(w, "desert", feed, now_ms=wall_ms() - year)
    assert report.apply.held == 1 and report.apply.applied == 0
    with w.at("desert"):
        assert not Person.objects.filter(pk=pk).exists()
        alert = Alert.objects.get(kind="sync.clock_ahead")
        assert "Forest" in alert.title
        forest = Site.objects.get(code="forest").pk
        had = Cursor.objects.filter(source_site=forest).values_list("version", flat=True)
        assert all(v < feed["changes"][0]["v"] for v in had), "a held change is not had"
    report = feed_into(w, "desert", feed)
    assert report.apply.applied == 1
    assert _get(w, "desert", pk).given_name == "Amal"


def test_actors_travel_by_key_and_an_unknown_one_becomes_an_inactive_placeholder(
    world: WorldMaker,
) -> None:
    w = world(["forest", "desert"])
    pk = _person(w, "forest")
    with w.at("forest"):
        nadia = get_user_model().objects.create_user(username="nadia", password="x" * 20)
        StatusEvent(person_id=pk, status="present", recorded_by=nadia).save()
    with w.at("desert"):
        get_user_model().objects.create_user(username="omar", password="x" * 20)
    feed = feed_from(w, "forest")
    event = next(c for c in feed["changes"] if c["model"] == "people.statusevent")
    assert not isinstance(event["fields"]["recorded_by_id"], int)
    feed_into(w, "desert", feed)
    with w.at("desert"):
        recorded = StatusEvent.objects.get(person_id=pk).recorded_by
        assert recorded is not None and recorded.username == "nadia@forest"
        assert not recorded.is_active and not recorded.has_usable_password()
        assert ActorKey.objects.get(user=recorded).username == "nadia"
    # Back at the forest camp, the same key finds nadia herself, not a placeholder.
    carry(w, "desert", "forest")
    with w.at("forest"):
        assert get_user_model().objects.filter(username__startswith="nadia").count() == 1


def test_sites_and_their_settings_appear_at_peers(world: WorldMaker) -> None:
    from lifeline.core.services import setting_put

    w = world(["forest", "desert"])
    with w.at("forest"):
        setting_put(actor=None, site=site_local(), key="supplies.kcal_per_person", value=2100)
    carry(w, "forest", "desert")
    with w.at("desert"):
        forest = Site.objects.get(code="forest")
        assert forest.settings.get(key="supplies.kcal_per_person").value == 2100


def test_a_newer_peers_unknown_fields_are_kept_and_passed_on(world: WorldMaker) -> None:
    w = world(["forest", "desert", "hq"])
    pk = _person(w, "forest")
    feed = feed_from(w, "forest")
    feed["changes"][0]["fields"]["eye_colour"] = "brown"
    feed["changes"][0]["schema"] = 99
    feed_into(w, "desert", feed)
    assert _get(w, "desert", pk).given_name == "Amal"
    relayed = feed_from(w, "desert")
    person = next(c for c in relayed["changes"] if str(c["id"]) == str(pk))
    assert person["fields"]["eye_colour"] == "brown" and person["schema"] == 99
    feed_into(w, "hq", relayed)
    assert _get(w, "hq", pk).given_name == "Amal"


def test_a_feed_of_a_newer_format_is_refused_naming_both_versions(world: WorldMaker) -> None:
    from lifeline.sync.feed import FeedRefused

    w = world(["forest", "desert"])
    _person(w, "forest")
    feed = feed_from(w, "forest")
    feed["format"] = 2
    with pytest.raises(FeedRefused, match=r"format 2.*1 to 1"):
        feed_into(w, "desert", feed)


def test_the_apply_hooks_run_once_per_batch_with_every_row_applied(world: WorldMaker) -> None:
    w = world(["forest", "desert"])
    first = _person(w, "forest")
    second = _person(w, "forest", given_name="Yusuf")
    calls: list[set[uuid.UUID]] = []

    def hook(ids: Any) -> None:
        calls.append(set(ids))

    after_apply_register("people.person", hook)
    try:
        carry(w, "forest", "desert")
    finally:
        _hooks["people.person"].remove(hook)
    assert calls == [{first, second}]


def test_cursors_count_what_this_site_has_of_each_writer(world: WorldMaker) -> None:
    w = world(["forest", "desert", "hq"])
    _person(w, "forest")
    carry(w, "forest", "desert")
    carry(w, "desert", "hq")  # forest's change, relayed
    with w.at("forest"):
        forest = site_local().pk.hex
        newest = ChangeLogEntry.objects.order_by("-version").first()
        assert newest is not None
    with w.at("hq"):
        assert Cursor.objects.get(source_site=uuid.UUID(hex=forest)).version == newest.version
