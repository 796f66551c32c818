"""A small TCP proxy for the network test: it delays every piece it forwards (the link's
latency, since this kernel has no netem).

    python -m lifeline.sync.tests.netproxy LISTEN_HOST:PORT TARGET_HOST:PORT DELAY_MS

It prints `listening` once it accepts connections; it stops when its stdin closes.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def _pipe(source: socket.socket, target: socket.socket, delay: float) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            time.sleep(delay)
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def _serve(client: socket.socket, target: tuple[str, int], delay: float) -> None:
    try:
        upstream = socket.create_connection(target, timeout=10)
    except OSError:
        client.close()
        return
    upstream.settimeout(None)
    threads = [
        threading.Thread(target=_pipe, args=(client, upstream, delay), daemon=True),
        threading.Thread(target=_pipe, args=(upstream, client, delay), daemon=True),
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
