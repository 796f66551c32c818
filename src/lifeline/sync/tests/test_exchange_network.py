"""Two real Lifeline servers (gunicorn, each on its own SQLite database with its own site
identity) in two Linux network namespaces joined by a veth link, exchanging over HTTP with
`lifeline sync exchange URL`:

1. registrations at the forest camp and the desert base while apart;
2. an exchange over a link that drops 20% of packets (iptables' statistic match: this kernel
   has no netem), slow (tc tbf) and delayed (a small proxy), cut by a partition (every packet
   dropped) in the middle, then healed: both sites converge and nothing is lost;
3. more registrations at the desert base, and the forest's server killed with SIGKILL while
   it applies a pushed chunk (an apply hook, installed by a gunicorn configuration of the
   test's, says so and waits inside the transaction), then restarted: nothing of the chunk
   was kept, the exchange resumes, and both converge.

Needs root for `ip netns` (CI runs as root); skipped, saying so, only where network
namespaces are not permitted.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

import lifeline
from lifeline.core.models import ChangeLogEntry
from lifeline.people.models import Household, Person, StatusEvent
from lifeline.people.services import person_register
from lifeline.sync.models import Conflict, Exchange, PendingChange
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.http_sites import dump
from lifeline.sync.tests.sites import SiteWorld, chief, staff

pytestmark = [pytest.mark.slow, pytest.mark.single_pass]

CAMPS = ("forest", "desert")
ADDRESS = {"forest": "169.254.15.1", "desert": "169.254.15.2"}  # link-local: this link only
PORT = 8000
PROXY_PORT = 9000
MODELS = (Person, Household, StatusEvent)
SRC = Path(lifeline.__file__).resolve().parents[1]
IP = shutil.which("ip") or "/usr/sbin/ip"


def _spawn(command: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
    return subprocess.Popen(command, **kwargs)  # noqa: S603 - our own tools and interpreter


def _call(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - as above


def _netns_refusal() -> str | None:
    """Why network namespaces cannot be used here, or None."""
    if shutil.which("ip") is None:
        return "iproute2's `ip` is not installed (apt-get install iproute2)"
    if os.geteuid() != 0:
        return "network namespaces need root (CI runs as root)"
    probe = f"llprobe{os.getpid()}"
    made = _call([IP, "netns", "add", probe])
    if made.returncode != 0:
        return f"`ip netns add` is not permitted here: {made.stderr.strip()}"
    _call([IP, "netns", "del", probe])
    return None


def _run(*command: str) -> None:
    done = _call([IP if command[0] == "ip" else command[0], *command[1:]])
    assert done.returncode == 0, f"{' '.join(command)}: {done.stderr}"


@dataclass
class Link:
    """Two namespaces joined by a veth pair; loss, slowness and a partition on demand."""

    tag: str
    ns: dict[str, str] = field(default_factory=dict)
    dev: dict[str, str] = field(default_factory=dict)

    def up(self) -> None:
        for code in CAMPS:
            self.ns[code] = f"ll{code[:3]}{self.tag}"
            self.dev[code] = f"v{code[:3]}{self.tag}"[:15]
            _run("ip", "netns", "add", self.ns[code])
        _run("ip", "link", "add", self.dev["forest"], "type", "veth", "peer", self.dev["desert"])
        for code in CAMPS:
            ns, dev = self.ns[code], self.dev[code]
            _run("ip", "link", "set", dev, "netns", ns)
            _run("ip", "-n", ns, "addr", "add", f"{ADDRESS[code]}/24", "dev", dev)
            _run("ip", "-n", ns, "link", "set", dev, "up")
            _run("ip", "-n", ns, "link", "set", "lo", "up")

    def down(self) -> None:
        for ns in self.ns.values():  # the veth pair and the rules go with them
            _call([IP, "netns", "del", ns])

    def iptables(self, code: str, *rule: str) -> None:
        _run("ip", "netns", "exec", self.ns[code], "iptables", *rule)

    def lossy_and_slow(self, probability: float) -> None:
        for code in CAMPS:
            self.iptables(
                code,
                "-A", "INPUT", "-i", self.dev[code], "-m", "statistic",
                "--mode", "random", "--probability", str(probability), "-j", "DROP",
            )  # fmt: skip
            _run(
                "ip", "netns", "exec", self.ns[code], "tc", "qdisc", "add", "dev",
                self.dev[code], "root", "tbf", "rate", "8mbit", "burst", "32kbit",
                "latency", "200ms",
            )  # fmt: skip

    def partition(self, cut: bool) -> None:
        for code in CAMPS:
            action = ("-I", "INPUT", "1") if cut else ("-D", "INPUT")
            self.iptables(code, *action, "-i", self.dev[code], "-j", "DROP")


def _env(var: Path, code: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "lifeline.settings",
            "LIFELINE_VAR_DIR": str(var),
            "LIFELINE_SITE": code,
            "LIFELINE_ENCRYPTED": "0",
            "LIFELINE_DEBUG": "0",
            "LIFELINE_CLI_TRUST_USER": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost," + ",".join(ADDRESS.values()),
        }
    )
    return env


class Server:
    def __init__(self, link: Link, code: str, var: Path) -> None:
        self.link, self.code, self.var = link, code, var
        self.process: subprocess.Popen[Any] | None = None

    def start(self, applying: Path | None = None) -> None:
        """Serve; with `applying`, the worker writes that file in the middle of its next apply
        of persons and waits there (gunicorn_slow_apply)."""
        log = (self.var.parent / f"server-{self.code}.log").open("ab")
        env = _env(self.var, self.code)
        config: list[str] = []
        if applying is not None:
            env["LIFELINE_TEST_APPLYING"] = str(applying)
            config = ["-c", "python:lifeline.sync.tests.gunicorn_slow_apply"]
        self.process = _spawn(
            [
                IP,
                "netns",
                "exec",
                self.link.ns[self.code],
                sys.executable,
                "-m",
                "gunicorn",
                *config,
                "lifeline.wsgi",
                "--bind",
                f"{ADDRESS[self.code]}:{PORT}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def ready(self, within: float = 90) -> None:
        url = f"http://{ADDRESS[self.code]}:{PORT}/api/sync/exchange/hello/"
        probe = f"import urllib.request; urllib.request.urlopen({url!r}, timeout=2).read()"
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log_tail()
            ns = self.link.ns[self.code]
            done = _call([IP, "netns", "exec", ns, sys.executable, "-c", probe])
            if done.returncode == 0:
                return
            time.sleep(0.3)
        raise AssertionError(f"the {self.code} server did not answer: {self.log_tail()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self) -> str:
        path = self.var.parent / f"server-{self.code}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


class Background:
    """A command in a namespace whose output lines arrive on a queue as they are written."""

    def __init__(self, ns: str, command: list[str], env: dict[str, str]) -> None:
        self.process = _spawn(
            [IP, "netns", "exec", ns, *command],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.out.append(line)
            self.lines.put(line)

    def wait_for(self, predicate: Any, within: float) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if predicate(line):
                return line
        raise AssertionError("not seen in time; output:\n" + "".join(self.out[-40:]))

    def finish(self, within: float) -> int:
        try:
            return self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise AssertionError("still running:\n" + "".join(self.out[-40:])) from None

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _proxy(link: Link, code: str, to: str, var: Path) -> Background:
    proxy = Background(
        link.ns[code],
        [
            sys.executable,
            "-m",
            "lifeline.sync.tests.netproxy",
            f"127.0.0.1:{PROXY_PORT}",
            f"{ADDRESS[to]}:{PORT}",
            "15",
        ],
        _env(var, code),
    )
    proxy.wait_for(lambda line: "listening" in line, within=30)
    return proxy


def _exchange(link: Link, code: str, var: Path, chunk: int) -> Background:
    """`lifeline sync exchange` at site `code`, through its proxy to the other site."""
    return Background(
        link.ns[code],
        [
            sys.executable,
            "-c",
            "from lifeline.cli import main; main()",
            "--user",
            "chief",
            "sync",
            "exchange",
            f"http://127.0.0.1:{PROXY_PORT}",
            "--chunk",
            str(chunk),
            "--timeout",
            "3",
            "--give-up-after",
            "90",
        ],
        _env(var, code),
    )


def _register(world: SiteWorld, code: str, count: int, start: int = 0) -> set[Any]:
    ids = set()
    with world.at(code):
        for n in range(start, start + count):
            person = person_register(
                actor=chief(), given_name=f"Name{n}", family_name=code.title(), age_years=20
            )
            ids.add(person.pk)
    return ids


@pytest.fixture
def link() -> Iterator[Link]:
    refusal = _netns_refusal()
    if refusal is not None:
        pytest.skip(refusal)
    if shutil.which("iptables") is None or shutil.which("tc") is None:
        pytest.fail("iptables and tc are needed (apt-get install iptables iproute2; .ci/run does)")
    made = Link(tag=str(os.getpid() % 100000))
    try:
        made.up()
        yield made
    finally:
        made.down()


def test_two_servers_converge_over_a_lossy_partitioned_link_and_after_a_kill(
    world: WorldMaker, link: Link, tmp_path: Path
) -> None:
    w = world(list(CAMPS))
    var: dict[str, Path] = {}
    for code in CAMPS:  # each server's var/ holds its database, as in a real installation
        var[code] = w.directory / f"var-{code}"
        var[code].mkdir(mode=0o700)
        shutil.move(w.paths[code], var[code] / "lifeline.sqlite3")
        w.paths[code] = var[code] / "lifeline.sqlite3"
    staff(w, CAMPS)
    # While apart.
    forest_ids = _register(w, "forest", 90)
    desert_ids = _register(w, "desert", 60)

    servers = {code: Server(link, code, var[code]) for code in CAMPS}
    running: list[Background] = []
    try:
        applying = tmp_path / "forest-applying"
        servers["forest"].start(applying=applying)  # it waits in its first apply of persons
        servers["desert"].start()
        for server in servers.values():
            server.ready()
        link.lossy_and_slow(0.2)

        # 1. The forest exchanges with the desert: 20% loss, a partition in the middle.
        proxy = _proxy(link, "forest", "desert", var["forest"])
        running.append(proxy)
        cli = _exchange(link, "forest", var["forest"], chunk=10)
        running.append(cli)
        cli.wait_for(lambda line: line.startswith("pull: received 6"), within=60)
        assert cli.process.poll() is None, "the exchange ended before the partition"
        link.partition(cut=True)
        time.sleep(4)  # longer than a request's timeout: requests fail and are sent again
        link.partition(cut=False)
        assert cli.finish(within=120) == 0, "".join(cli.out[-40:])
        assert any("exchanged with desert" in line for line in cli.out), cli.out[-5:]
        with w.at("forest"):
            record = Exchange.objects.get()
            assert record.state == Exchange.State.DONE
            assert record.retries >= 1  # the partition cut requests; they were sent again
            assert (record.pulled, record.pushed) == (120, 180)
        assert dump(w, "forest", MODELS) == dump(w, "desert", MODELS)
        proxy.close()

        # 2. More registrations at the desert; the forest's server is killed while it applies
        # the first chunk the desert pushes, then restarted.
        desert_ids |= _register(w, "desert", 60, start=1000)
        with w.at("forest"):
            before = ChangeLogEntry.objects.count()
        proxy = _proxy(link, "desert", "forest", var["desert"])
        running.append(proxy)
        cli = _exchange(link, "desert", var["desert"], chunk=100)
        running.append(cli)
        deadline = time.monotonic() + 60
        while not applying.exists():  # the forest's server is inside the apply's transaction
            assert time.monotonic() < deadline, "".join(cli.out[-20:])
            time.sleep(0.05)
        servers["forest"].kill()
        assert "persons being applied" in applying.read_text()
        with w.at("forest"):
            # Killed in the middle of the apply: nothing of that chunk is there.
            assert ChangeLogEntry.objects.count() == before
        time.sleep(1)
        servers["forest"].start()
        assert cli.finish(within=120) == 0, "".join(cli.out[-40:])
        with w.at("desert"):
            record = Exchange.objects.get(pushed__gt=0)
            assert record.state == Exchange.State.DONE and record.retries >= 1
    finally:
        for background in running:
            background.close()
        for server in servers.values():
            server.stop()

    assert dump(w, "forest", MODELS) == dump(w, "desert", MODELS)
    for code in CAMPS:
        with w.at(code):
            here = set(Person.objects.values_list("pk", flat=True))
            assert forest_ids | desert_ids <= here, f"lost at {code}"
            assert PendingChange.objects.count() == 0
            assert Conflict.objects.count() == 0
