"""A small TCP proxy for the network test: it delays every piece it forwards (the link's
latency, since this kernel has no netem), and prints `push-forwarded` on stdout when it has
passed a whole `POST /api/sync/exchange/push/` request on, before the answer comes back, so
the test can kill the server in the middle of applying it.

    python -m lifeline.sync.tests.netproxy LISTEN_HOST:PORT TARGET_HOST:PORT DELAY_MS

It prints `listening` once it accepts connections; it stops when its stdin closes.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time

PUSH = b"POST /api/sync/exchange/push/"


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def _pipe(source: socket.socket, target: socket.socket, delay: float, watch: bool) -> None:
    head = b""
    body_left = -1
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            time.sleep(delay)
            target.sendall(data)
            if not watch:
                continue
            if body_left < 0:
                head += data
                end = head.find(b"\r\n\r\n")
                if end < 0:
                    continue
                if not head.startswith(PUSH):
                    watch = False
                    continue
                length = 0
                for line in head[:end].split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                body_left = length - (len(head) - end - 4)
            else:
                body_left -= len(data)
            if body_left <= 0:
                _say("push-forwarded")
                watch = False
    except OSError:
        pass
    finally:
        for end_ in (source, target):
            with contextlib.suppress(OSError):
                end_.shutdown(socket.SHUT_RDWR)


def _serve(client: socket.socket, target: tuple[str, int], delay: float) -> None:
    try:
        upstream = socket.create_connection(target, timeout=10)
    except OSError:
        client.close()
        return
    upstream.settimeout(None)
    threads = [
        threading.Thread(target=_pipe, args=(client, upstream, delay, True), daemon=True),
        threading.Thread(target=_pipe, args=(upstream, client, delay, False), daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    upstream.close()


def main() -> None:
    listen, target, delay_ms = sys.argv[1], _address(sys.argv[2]), float(sys.argv[3])
    server = socket.create_server(_address(listen), reuse_port=False)
    server.listen(64)

    def accept() -> None:
        while True:
            client, _ = server.accept()
            threading.Thread(
                target=_serve, args=(client, target, delay_ms / 1000), daemon=True
            ).start()

    threading.Thread(target=accept, daemon=True).start()
    _say("listening")
    sys.stdin.read()  # until the test closes it


if __name__ == "__main__":
    main()
