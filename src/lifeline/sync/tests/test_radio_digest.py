"""The radio digest between two camps: a person's status and an alert sent as text lines of
200-byte packets, applied at the other camp through the one apply path; packets heard twice,
out of order, lost, corrupted or from an unknown site."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone
from typer.testing import CliRunner

from lifeline.alerts.models import Alert
from lifeline.alerts.services import alert_raise
from lifeline.intel import codec
from lifeline.people.models import Person, StatusEvent
from lifeline.people.services import person_status_record
from lifeline.sync import digest, radio, services
from lifeline.sync.models import RadioPart
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.sites import CAMPS, SiteWorld, camps_paired, chief


def _paired(world: WorldMaker) -> SiteWorld:
    """Two camps that know each other (a person is then carried by bundle where a test needs)."""
    return camps_paired(world(list(CAMPS)))


def _person_at_both(w: SiteWorld, tmp: Any) -> uuid.UUID:
    with w.at("forest"):
        person = Person(given_name="Amal", family_name="Haddad")
        person.save()
        services.bundle_export(actor=chief(), path=tmp / "b", peer_code="desert")
    with w.at("desert"):
        services.bundle_import(actor=chief(), data=(tmp / "b").read_bytes())
    return person.pk


def _digest(w: SiteWorld) -> list[str]:
    with w.at("forest"):
        since = timezone.now() - timedelta(hours=1)
        return digest.radio_export(actor=chief(), since=since).lines


def _missing(w: SiteWorld, pk: uuid.UUID) -> None:
    with w.at("forest"):
        person_status_record(
            actor=chief(), person=Person.objects.get(pk=pk), status="missing", area="north gate"
        )


def test_a_status_sent_by_radio_moves_the_person_at_the_other_camp(
    world: WorldMaker, tmp_path: Any
) -> None:
    w = _paired(world)
    pk = _person_at_both(w, tmp_path)
    _missing(w, pk)
    with w.at("forest"):
        alert_raise(kind="sync.clock_ahead", key="radio-test", title="Radio check")
    lines = _digest(w)
    packets = [radio.line_packet(line) for line in lines]
    assert packets and all(len(p) <= codec.MAX_PACKET_BYTES for p in packets)
    heard = lines + lines[:2]
    random.Random(4).shuffle(heard)

    with w.at("desert"):
        done = digest.radio_import(actor=chief(), lines=heard)
        assert done.refused == [] and done.incomplete == []
        person = Person.objects.get(pk=pk)
        assert person.status == "missing" and person.current_area == "north gate"
        assert Alert.objects.filter(key="radio-test").count() == 1
        again = digest.radio_import(actor=chief(), lines=lines)
        assert again.report is not None and again.report.apply.applied == 0
        assert StatusEvent.objects.filter(person_id=pk).count() == 1


def test_a_lost_packet_holds_its_message_back_until_it_is_heard(
    world: WorldMaker, tmp_path: Any
) -> None:
    w = _paired(world)
    pk = _person_at_both(w, tmp_path)
    with w.at("forest"):
        person_status_record(
            actor=chief(), person=Person.objects.get(pk=pk), status="missing", note="n" * 280
        )
    lines = _digest(w)
    assert len(lines) > 1  # the long note needs more than one packet

    with w.at("desert"):
        done = digest.radio_import(actor=chief(), lines=lines[1:])
        assert done.messages == 0 and len(done.incomplete) == 1
        assert not StatusEvent.objects.filter(person_id=pk).exists()
        done = digest.radio_import(actor=chief(), lines=lines)
        assert done.messages == 1
        assert StatusEvent.objects.get(person_id=pk).note == "n" * 280


def test_a_corrupted_line_is_refused_with_its_reason_and_the_rest_applied(
    world: WorldMaker, tmp_path: Any
) -> None:
    w = _paired(world)
    pk = _person_at_both(w, tmp_path)
    _missing(w, pk)
    lines = _digest(w)
    packet = bytearray(radio.line_packet(lines[0]))
    packet[20] ^= 0x01
    damaged = radio.packet_line(bytes(packet))

    with w.at("desert"):
        done = digest.radio_import(actor=chief(), lines=[damaged, "garbage!", *lines[1:]])
        assert len(done.refused) == 2
        assert "checksum" in done.refused[0] and "base64" in done.refused[1]
        assert not StatusEvent.objects.filter(person_id=pk).exists()


def test_a_digest_from_a_site_that_is_not_a_peer_is_refused(
    world: WorldMaker, tmp_path: Any
) -> None:
    w = _paired(world)
    pk = _person_at_both(w, tmp_path)
    _missing(w, pk)
    lines = _digest(w)
    with w.at("desert"):
        from lifeline.sync.models import Peer

        Peer.objects.all().delete()
        done = digest.radio_import(actor=chief(), lines=lines)
        assert done.messages == 0 and "not a registered peer" in done.refused[0]


def test_the_radio_commands_export_and_import_lines(world: WorldMaker, tmp_path: Any) -> None:
    from lifeline.cli import app_build

    w = _paired(world)
    pk = _person_at_both(w, tmp_path)
    _missing(w, pk)
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    out = tmp_path / "radio.txt"
    with w.at("forest"):
        done = runner.invoke(
            app_build(),
            ["--user", "chief", "sync", "radio", "export", "--since", "2h", "--out", str(out)],
        )
        assert done.exit_code == 0, done.output
        assert "1 changes in" in done.output
    with w.at("desert"):
        done = runner.invoke(app_build(), ["--user", "chief", "sync", "radio", "import", str(out)])
        assert done.exit_code == 0, done.output
        assert "1 changes applied" in done.output
        assert Person.objects.get(pk=pk).status == "missing"
        bad = runner.invoke(
            app_build(), ["--user", "chief", "sync", "radio", "export", "--since", "soon"]
        )
        assert bad.exit_code != 0 and "duration" in bad.output


def _long_status(w: SiteWorld, tmp: Any) -> tuple[uuid.UUID, list[str]]:
    """A status change whose note needs two packets or more, as the forest camp sends it."""
    pk = _person_at_both(w, tmp)
    with w.at("forest"):
        person_status_record(
            actor=chief(), person=Person.objects.get(pk=pk), status="missing", note="n" * 280
        )
    lines = _digest(w)
    assert len(lines) > 1
    return pk, lines


def test_part_one_heard_today_and_the_rest_tomorrow_applies_the_message_once(
    world: WorldMaker, tmp_path: Any
) -> None:
    w = _paired(world)
    pk, lines = _long_status(w, tmp_path)
    today = timezone.now()
    with w.at("desert"):
        done = digest.radio_import(actor=chief(), lines=lines[:1], now=today)
        assert done.messages == 0 and len(done.incomplete) == 1
        assert f"1 of {len(lines)} packets" in done.incomplete[0]
        assert "Forest" in done.incomplete[0]  # the sender by its name
        assert not StatusEvent.objects.filter(person_id=pk).exists()
        assert RadioPart.objects.count() == 1
        # The same part heard again changes nothing.
        again = digest.radio_import(actor=chief(), lines=lines[:1], now=today)
        assert again.messages == 0 and RadioPart.objects.count() == 1

        tomorrow = today + timedelta(days=1)
        done = digest.radio_import(actor=chief(), lines=lines[1:], now=tomorrow)
        assert done.messages == 1 and done.incomplete == [] and done.refused == []
        assert StatusEvent.objects.get(person_id=pk).note == "n" * 280
        assert not RadioPart.objects.exists()
        # The whole message heard once more is applied no second time.
        done = digest.radio_import(actor=chief(), lines=lines, now=tomorrow)
        assert done.report is not None and done.report.apply.applied == 0
        assert StatusEvent.objects.filter(person_id=pk).count() == 1


def test_kept_parts_older_than_a_week_are_dropped(world: WorldMaker, tmp_path: Any) -> None:
    w = _paired(world)
    pk, lines = _long_status(w, tmp_path)
    heard = timezone.now()
    with w.at("desert"):
        digest.radio_import(actor=chief(), lines=lines[:1], now=heard)
        late = heard + digest.RADIO_PARTS_KEPT + timedelta(minutes=1)
        done = digest.radio_import(actor=chief(), lines=lines[1:], now=late)
        assert done.messages == 0 and len(done.incomplete) == 1
        assert not StatusEvent.objects.filter(person_id=pk).exists()


def test_a_part_that_disagrees_with_a_kept_one_refuses_that_message_alone(
    world: WorldMaker, tmp_path: Any
) -> None:
    """Which of the two was heard wrong cannot be told: the message is dropped and asked for
    again (a part kept wrongly would otherwise block it for days); the others still apply."""
    w = _paired(world)
    pk, lines = _long_status(w, tmp_path)
    first = radio.packet_part(radio.line_packet(lines[0]))
    changed = bytes([first.data[0] ^ 0xFF]) + first.data[1:]
    forged = radio.packet_line(
        codec.frame(
            codec.SYNC_DIGEST,
            first.sender_tag
            + first.message_tag
            + bytes([first.number << 4 | (first.count - 1)])
            + changed,
        )
    )
    with w.at("desert"):
        digest.radio_import(actor=chief(), lines=lines[:1])
        done = digest.radio_import(actor=chief(), lines=[forged, *lines[1:]])
        assert done.messages == 0 and done.incomplete == []
        assert any(
            "differ in one part" in why and "ask for it again" in why for why in done.refused
        )
        assert not StatusEvent.objects.filter(person_id=pk).exists()
        assert RadioPart.objects.count() == 0
        again = digest.radio_import(actor=chief(), lines=lines)
        assert again.messages == 1 and again.refused == []
        assert StatusEvent.objects.filter(person_id=pk).exists()
