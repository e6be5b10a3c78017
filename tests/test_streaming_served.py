"""Streams under a real uvicorn (uvloop + httptools), read incrementally over sockets.

The app of ``tests/apps/streaming_app.py`` is served by ``served_app`` with a keep-alive
interval of 0.3 s: built with fastcore and, when it is installed, with FastAPI too, for the
behaviours both share. ``/served/sse`` and ``/served/jsonl`` send one item, then wait for
``/served/release`` before the last; ``/served/log`` tells what the generators did, and
``/served/tasks`` how many asyncio tasks are alive.

What is checked: items reach the client while the generator is still running; an idle
event stream sends keep-alive comments; a client that goes away gets its generator closed,
with no task left behind, also (fastcore only) when the generator is paused at a ``yield``
and when it is a ``def`` generator stepped in the thread pool.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.apps.streaming_app import FLOOD
from tests.servers import raw_request, uvicorn_server

FRAMEWORKS = ["fastcore", "fastapi"]
PING = b": ping\n\n"


@pytest.fixture(scope="module", params=FRAMEWORKS)
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    pytest.importorskip(request.param)
    app = f"tests.apps.streaming_app:{request.param}_app"
    with uvicorn_server(app, "--factory") as port:
        yield request.param, port


@pytest.fixture
def port(server: tuple[str, int]) -> int:
    return server[1]


@pytest.fixture
def fastcore_port(server: tuple[str, int]) -> int:
    framework, port = server
    if framework != "fastcore":
        pytest.skip("FastAPI leaves this generator to the garbage collector")
    return port


class Stream:
    """One streamed response, read as it comes: the head, then the chunks of the body."""

    def __init__(self, port: int, path: str) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=5)
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        self.socket.sendall(request.encode())
        self.raw = b""
        self.body = b""
        self.ended = False  # the last chunk came
        head = self._until(lambda: b"\r\n\r\n" in self.raw)
        self.head, _, self.raw = head.partition(b"\r\n\r\n")

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1])

    def header(self, name: str) -> str | None:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.decode("latin-1").partition(":")
            if key.strip().lower() == name:
                return value.strip()
        return None

    def read_until(self, wanted: bytes, timeout: float = 5.0) -> bytes:
        """The body so far, once it holds ``wanted``."""
        self._until(lambda: self._decode() or wanted in self.body, timeout)
        return self.body

    def read_to_end(self, timeout: float = 5.0) -> bytes:
        self._until(lambda: self._decode() or self.ended, timeout)
        return self.body

    def close(self) -> None:
        self.socket.close()

    def _until(self, done: Any, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"waited {timeout}s; got {self.body!r}")
            self.socket.settimeout(left)
            chunk = self.socket.recv(65536)
            if not chunk:
                raise ConnectionError(f"connection closed; got {self.body!r}")
            self.raw += chunk
        return self.raw

    def _decode(self) -> bool:
        """Move every complete chunk from ``raw`` to ``body``; False: keep reading."""
        while not self.ended:
            size_line, found, rest = self.raw.partition(b"\r\n")
            if not found:
                break
            size = int(size_line, 16)
            if len(rest) < size + 2:
                break
            self.body += rest[:size]
            self.raw = rest[size + 2 :]
            self.ended = size == 0
        return False


def get_json(port: int, path: str) -> Any:
    answer = raw_request(
        port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    if b"transfer-encoding: chunked" in head.lower():
        raise AssertionError(f"{path} is not a plain JSON answer")
    return json.loads(body)


def log_of(port: int) -> list[str]:
    return get_json(port, "/served/log")


def wait_for(check: Any, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)
    return result


def settled_tasks(port: int) -> int:
    """The number of tasks alive, once the requests of earlier tests are over."""
    counts = [get_json(port, "/served/tasks")]
    while len(counts) < 3 or len(set(counts[-3:])) > 1:
        time.sleep(0.05)
        counts.append(get_json(port, "/served/tasks"))
        assert len(counts) < 100, counts
    return counts[-1]


def without_pings(body: bytes) -> bytes:
    return body.replace(PING, b"")


@pytest.fixture
def stream(port: int) -> Iterator[Any]:
    """Open streams; each is closed after the test."""
    opened: list[Stream] = []

    def open_stream(path: str) -> Stream:
        opened.append(Stream(port, path))
        return opened[-1]

    yield open_stream
    for each in opened:
        each.close()


def test_events_arrive_while_the_generator_runs(port, stream):
    events = stream("/served/sse")
    assert events.status == 200
    assert events.header("content-type") == "text/event-stream; charset=utf-8"
    assert events.header("cache-control") == "no-cache"
    assert events.header("x-accel-buffering") == "no"
    assert events.header("transfer-encoding") == "chunked"
    assert without_pings(events.read_until(b'data: {"n": 1}\n\n')) == b'data: {"n": 1}\n\n'
    assert not events.ended
    assert log_of(port)[-1] == "sse start"  # still waiting for the release
    assert get_json(port, "/served/release") == "released"
    body = events.read_to_end()
    assert without_pings(body) == b'data: {"n": 1}\n\ndata: {"n": 2}\nid: 2\n\n'
    assert wait_for(lambda: log_of(port)[-1] == "sse finally")


def test_json_lines_arrive_while_the_generator_runs(port, stream):
    lines = stream("/served/jsonl")
    assert lines.status == 200
    assert lines.header("content-type") == "application/jsonl"
    assert lines.read_until(b"\n") == b'{"n": 1}\n'
    assert not lines.ended
    time.sleep(0.5)  # no keep-alive in JSON Lines
    assert lines.read_until(b"\n") == b'{"n": 1}\n'
    assert log_of(port)[-1] == "jsonl start"
    assert get_json(port, "/served/release") == "released"
    assert lines.read_to_end() == b'{"n": 1}\n{"n": 2}\n'
    assert wait_for(lambda: log_of(port)[-1] == "jsonl finally")


def test_keep_alive_comments_while_idle(port, stream):
    events = stream("/served/sse")
    started = time.monotonic()
    events.read_until(b'data: {"n": 1}\n\n' + PING + PING)
    assert time.monotonic() - started >= 0.5  # two intervals of 0.3 s, less the first's slack
    assert events.body.startswith(b'data: {"n": 1}\n\n' + PING)
    assert not events.ended
    get_json(port, "/served/release")
    assert without_pings(events.read_to_end()).endswith(b'data: {"n": 2}\nid: 2\n\n')


@pytest.mark.parametrize("kind", ["sse", "jsonl"])
def test_leaving_client_cancels_a_waiting_generator(port, stream, kind):
    tasks_before = settled_tasks(port)
    opened = stream(f"/served/{kind}")
    opened.read_until(b"\n")
    opened.close()
    wait_for(lambda: log_of(port)[-1] == f"{kind} finally")
    assert log_of(port)[-3:] == [f"{kind} start", f"{kind} cancelled", f"{kind} finally"]
    wait_for(lambda: get_json(port, "/served/tasks") <= tasks_before)


@pytest.mark.parametrize("name", ["flood", "sync-flood"])
def test_leaving_client_closes_a_generator_paused_at_a_yield(fastcore_port, stream, name):
    """The generator yields faster than the client reads: when the client goes away it is
    paused at a ``yield`` (or, a ``def`` one, stepping in a worker thread); it is closed
    then, its ``finally`` runs at once."""
    tasks_before = settled_tasks(fastcore_port)
    flood = stream(f"/served/{name}")
    flood.read_until(b"\n")
    time.sleep(0.2)  # the server fills the socket buffers and waits for the client to read
    assert log_of(fastcore_port)[-1] == f"{name} start"
    flood.close()
    last = wait_for(
        lambda: (
            log_of(fastcore_port)[-1].startswith(f"{name} finally") and log_of(fastcore_port)[-1]
        )
    )
    assert int(last.rsplit(" ", 1)[1]) < FLOOD - 1  # closed, not run to its end
    wait_for(lambda: get_json(fastcore_port, "/served/tasks") <= tasks_before)
