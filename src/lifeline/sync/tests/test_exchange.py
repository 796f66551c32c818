"""The HTTP exchange between two sites, each its own database, the answering site's real views
serving the calling site's signed requests (in one process: see http_sites). The network
itself (loss, a partition, a server killed) is in test_exchange_network."""

from __future__ import annotations

import urllib.error
from typing import Any

import msgpack
import pytest
from django.test import Client

from lifeline.core import hlc
from lifeline.core.clock import site_local
from lifeline.core.models import AuditEntry, ChangeLogEntry
from lifeline.people.models import Household, Person, StatusEvent
from lifeline.people.services import person_register
from lifeline.sync import exchange, exchange_client
from lifeline.sync.exchange import ExchangeRefused
from lifeline.sync.exchange_client import exchange_run, exchange_start
from lifeline.sync.models import Exchange, Peer, PeerLink
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.http_sites import dump, served
from lifeline.sync.tests.sites import chief, staff

CAMPS = ("forest", "desert")
HOSTS = {"forest.test": "forest", "desert.test": "desert"}
MODELS = (Person, Household, StatusEvent)


def register(world: Any, code: str, names: list[str]) -> None:
    with world.at(code):
        for name in names:
            person_register(actor=chief(), given_name=name, family_name=code.title(), age_years=30)


def run_exchange(world: Any, code: str, url: str, **kwargs: Any) -> Exchange:
    with world.at(code):
        record = exchange_start(actor=chief(), url=url)
        return exchange_run(actor=chief(), record=record, **kwargs)


def test_an_exchange_in_chunks_gives_each_site_the_others_registrations(
    world: WorldMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    register(w, "forest", [f"Amal {n}" for n in range(7)])
    register(w, "desert", [f"Yusuf {n}" for n in range(5)])
    seen: list[tuple[str, int, int]] = []
    with served(w, monkeypatch, HOSTS) as log:
        done = run_exchange(
            w,
            "desert",
            "http://forest.test/",
            chunk=4,
            progress=lambda r: seen.append((r.phase, r.pulled, r.pushed)),
        )
    assert done.state == Exchange.State.DONE and done.message == ""
    # Each registration is a person and a status event: 14 from the forest, 10 from the desert.
    assert (done.pulled, done.applied, done.pushed) == (14, 14, 10)
    assert done.pull_total == 14 and done.push_total == 10
    assert [p for p, _ in log].count("/api/sync/exchange/pull/") == 4  # 4 + 4 + 4 + 2
    assert [p for p, _ in log].count("/api/sync/exchange/push/") == 3  # 4 + 4 + 2
    assert seen[-1] == ("push", 14, 10)
    assert dump(w, "forest", MODELS) == dump(w, "desert", MODELS)
    assert len(dump(w, "forest", MODELS)) == 24
    with w.at("forest"):  # the answering site audits what left and what it applied
        actions = list(AuditEntry.objects.values_list("action", flat=True))
        assert actions.count("sync.exchange_pull") == 4
        assert actions.count("sync.exchange_push") == 3
    with w.at("desert"):
        assert AuditEntry.objects.filter(action="sync.exchange").count() == 1
    with w.at("desert"):
        peer = Peer.objects.get(site__code="forest")
        assert peer.last_received_at is not None and peer.last_sent_at is not None
        assert PeerLink.objects.get(peer=peer).url == "http://forest.test"
    # Nothing more to carry: a second exchange sends nothing.
    with served(w, monkeypatch, HOSTS):
        again = run_exchange(w, "desert", "http://forest.test")
    assert (again.pulled, again.applied, again.pushed) == (0, 0, 0)


def test_a_chunk_resent_after_a_lost_answer_is_applied_once(
    world: WorldMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    register(w, "desert", [f"Yusuf {n}" for n in range(3)])
    answers_lost = {"push": 1}
    with served(w, monkeypatch, HOSTS):
        serve = exchange_client._Link._send

        def send_then_lose(self: Any, method: str, path: str, body: Any, headers: Any) -> Any:
            answer = serve(self, method, path, body, headers)
            if path.endswith("/push/") and answers_lost["push"]:
                answers_lost["push"] -= 1
                raise urllib.error.URLError("connection reset by peer")  # applied there, lost
            return answer

        monkeypatch.setattr(exchange_client._Link, "_send", send_then_lose)
        done = run_exchange(w, "desert", "http://forest.test", give_up_after=30)
    assert done.retries == 1 and done.pushed == 6
    with w.at("forest"):
        # The chunk came twice; each change is there once and the people once.
        assert Person.objects.count() == 3
        versions = list(ChangeLogEntry.objects.values_list("version", flat=True))
        assert len(versions) == len(set(versions)) == 6
    assert dump(w, "forest", MODELS) == dump(w, "desert", MODELS)


def _signed_pull(world: Any, caller: str, to: str, seq: int, body: bytes | None = None) -> Any:
    """A pull request signed by `caller`'s key for site `to`, sent to `to`."""
    raw = body if body is not None else exchange.small_pack({"since": {}, "limit": 10})
    with world.at(to):
        target = site_local().pk
    with world.at(caller):
        headers = exchange.signed_headers(
            tag=exchange.REQUEST_TAG, op="pull", to=target, seq=seq, body=raw
        )
    with world.at(to):
        return Client().post(
            "/api/sync/exchange/pull/",
            data=raw,
            content_type=exchange.CONTENT_TYPE,
            headers=headers,
        )


def test_a_request_sent_again_as_it_was_is_refused_as_a_replay(world: WorldMaker) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    first = _signed_pull(w, "desert", "forest", seq=5)
    assert first.status_code == 200, first.content
    again = _signed_pull(w, "desert", "forest", seq=5)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "replayed"
    assert "already accepted" in again.json()["error"]["message"]
    older = _signed_pull(w, "desert", "forest", seq=4)
    assert older.status_code == 409


def test_an_unknown_site_is_refused(world: WorldMaker) -> None:
    w = world(["forest", "desert", "stranger"])
    staff(w, CAMPS)
    with w.at("stranger"):
        site_local()
    answer = _signed_pull(w, "stranger", "forest", seq=1)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "unknown_site"
    assert "not a registered peer" in answer.json()["error"]["message"]


def test_a_request_signed_by_another_key_or_changed_on_the_way_is_refused(
    world: WorldMaker,
) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    raw = exchange.small_pack({"since": {}, "limit": 10})
    with w.at("forest"):
        target = site_local().pk
    with w.at("desert"):
        headers = exchange.signed_headers(
            tag=exchange.REQUEST_TAG, op="pull", to=target, seq=1, body=raw
        )
    changed = exchange.small_pack({"since": {}, "limit": 11})
    with w.at("forest"):
        answer = Client().post(
            "/api/sync/exchange/pull/",
            data=changed,
            content_type=exchange.CONTENT_TYPE,
            headers=headers,
        )
        # Signed for a pull, sent as a push: the operation is signed too.
        as_push = Client().post(
            "/api/sync/exchange/push/",
            data=raw,
            content_type=exchange.CONTENT_TYPE,
            headers={**headers, exchange.HEADER_SEQ: "1"},
        )
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "signature"
    assert as_push.status_code == 403 and as_push.json()["error"]["code"] == "signature"


def test_a_request_signed_for_another_site_is_refused(world: WorldMaker) -> None:
    w = world(["forest", "desert", "compound"])
    staff(w, ("forest", "desert", "compound"))
    raw = exchange.small_pack({"since": {}, "limit": 10})
    with w.at("compound"):
        compound = site_local().pk
    with w.at("desert"):
        headers = exchange.signed_headers(
            tag=exchange.REQUEST_TAG, op="pull", to=compound, seq=1, body=raw
        )
    with w.at("forest"):
        answer = Client().post(
            "/api/sync/exchange/pull/",
            data=raw,
            content_type=exchange.CONTENT_TYPE,
            headers=headers,
        )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "recipient"


@pytest.mark.parametrize(
    ("headers", "status", "words"),
    [
        ({}, 401, "not signed by a site"),
        (
            {
                exchange.HEADER_SITE: "not-a-uuid",
                exchange.HEADER_TO: "x",
                exchange.HEADER_SEQ: "1",
                exchange.HEADER_SIGNATURE: "AA",
            },
            400,
            "X-Lifeline-Site",
        ),
    ],
)
def test_an_unsigned_or_malformed_request_gets_a_clear_error(
    world: WorldMaker, headers: dict[str, str], status: int, words: str
) -> None:
    w = world(["forest"])
    with w.at("forest"):
        site_local()
        answer = Client().post(
            "/api/sync/exchange/push/",
            data=b"x",
            content_type=exchange.CONTENT_TYPE,
            headers=headers,
        )
    assert answer.status_code == status
    assert words in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"\xc1 not msgpack", "cannot be read"),
        (msgpack.packb([1, 2]), "not a map"),
        (exchange.small_pack({"since": {"zz": "1"}, "limit": 10}), "since"),
        (exchange.small_pack({"since": {}, "limit": 0}), "limit"),
        (exchange.small_pack({"since": {}, "limit": "ten"}), "limit"),
    ],
)
def test_a_bad_pull_body_is_a_400_naming_what_is_wrong(
    world: WorldMaker, body: bytes, field: str
) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    answer = _signed_pull(w, "desert", "forest", seq=1, body=body)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["error"]["message"] + str(answer.json()["error"].get("fields"))


def test_a_bad_push_chunk_is_refused_whole(world: WorldMaker) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)
    with w.at("forest"):
        target = site_local().pk
    for seq, body in enumerate((b"garbage", exchange.small_pack({"x": 1})), start=1):
        with w.at("desert"):
            headers = exchange.signed_headers(
                tag=exchange.REQUEST_TAG, op="push", to=target, seq=seq, body=body
            )
        with w.at("forest"):
            answer = Client().post(
                "/api/sync/exchange/push/",
                data=body,
                content_type=exchange.CONTENT_TYPE,
                headers=headers,
            )
            assert answer.status_code == 400, answer.content
            assert answer.json()["error"]["code"] == "body"
            assert Person.objects.count() == 0


def test_the_caller_refuses_a_peer_it_has_not_registered(
    world: WorldMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(["forest", "desert"])
    staff(w, ("desert",))
    with w.at("forest"):
        site_local()
    with served(w, monkeypatch, HOSTS), pytest.raises(ExchangeRefused, match="not a registered"):
        run_exchange(w, "desert", "http://forest.test")
    with w.at("desert"):
        record = Exchange.objects.get()
        assert record.state == Exchange.State.FAILED and "not a registered" in record.message


def test_an_unreachable_peer_is_given_up_in_time_with_a_clear_message(
    world: WorldMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(list(CAMPS))
    staff(w, CAMPS)

    def partition(host: str, path: str, body: Any, headers: Any) -> None:
        raise urllib.error.URLError("no route to host")

    from lifeline.sync.exchange_client import ExchangeFailed

    with (
        served(w, monkeypatch, HOSTS, before=partition),
        pytest.raises(ExchangeFailed, match="could not be reached"),
    ):
        run_exchange(w, "desert", "http://forest.test", give_up_after=0.6)


@pytest.mark.parametrize("url", ["forest.test", "ftp://forest.test", "http://", "http://x/?a=1"])
def test_a_bad_address_is_refused_before_anything_is_sent(world: WorldMaker, url: str) -> None:
    from lifeline.core.errors import ValidationFailed

    w = world(["desert"])
    staff(w, ("desert",))
    with w.at("desert"), pytest.raises(ValidationFailed, match="url"):
        exchange_start(actor=chief(), url=url)


def test_a_role_that_may_not_exchange_is_refused(world: WorldMaker) -> None:
    from django.contrib.auth import get_user_model

    from lifeline.core.errors import Forbidden

    w = world(["desert"])
    staff(w, ("desert",))
    with w.at("desert"):
        clerk = get_user_model().objects.create_user(username="clerk", password="x" * 20)
        with pytest.raises(Forbidden):
            exchange_start(actor=clerk, url="http://forest.test")


def test_what_was_received_moves_past_a_chunks_changes_even_without_a_range() -> None:
    """A writer the peer has no cursor for comes without a range: the next pull still starts
    after the last of its changes carried, so the exchange cannot ask for them forever."""
    writer, other = "a" * 32, "b" * 32
    position = {other: hlc.Timestamp(5, 0, other).encode()}
    chunk = {
        "ranges": {other: ["", hlc.Timestamp(9, 0, other).encode()]},
        "changes": [{"v": hlc.Timestamp(n, 0, writer).encode()} for n in (3, 4, 7)],
    }
    assert exchange_client._advance(position, chunk) is True
    assert position == {
        other: hlc.Timestamp(9, 0, other).encode(),
        writer: hlc.Timestamp(7, 0, writer).encode(),
    }
    assert exchange_client._advance(position, chunk) is False  # nothing new: the loop ends


def test_the_cli_exchanges_and_says_what_went_each_way(
    world: WorldMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from lifeline.cli import app_build

    w = world(list(CAMPS))
    staff(w, CAMPS)
    register(w, "forest", ["Amal"])
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    with served(w, monkeypatch, HOSTS), w.at("desert"):
        done = runner.invoke(
            app_build(),
            ["--user", "chief", "sync", "exchange", "http://forest.test", "--chunk", "1"],
        )
        assert done.exit_code == 0, done.output
        assert "exchanged with forest: 2 change(s) received (2 applied), 0 sent" in done.stdout
        assert "pull: received 2/2" in done.stderr  # a plain line per chunk: not a terminal
        bad = runner.invoke(app_build(), ["--user", "chief", "sync", "exchange", "forest.test"])
        assert bad.exit_code == 2 and "url" in bad.stderr
        wrong = runner.invoke(
            app_build(),
            ["--user", "chief", "sync", "exchange", "http://forest.test", "--chunk", "0"],
        )
        assert wrong.exit_code == 2 and "chunk" in wrong.stderr
        failed = Exchange.objects.get(state=Exchange.State.FAILED)  # the record says why
        assert "chunk" in failed.message
