"""fastcore under the servers it is deployed with, as real processes on 127.0.0.1.

uvicorn with one and with two worker processes, gunicorn with two
``fastcore.workers.UvicornWorker`` workers, and ``python -m fastcore run``: each
serves HTTP requests, a WebSocket session, a server-sent event stream and a
file download (whole and a range) over a socket, and each, sent SIGTERM while a request is in
flight, finishes that request before it exits.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from websockets.sync.client import connect

from fastcore._core import PURE_PYTHON_REQUESTED
from tests.apps import deploy_app
from tests.servers import (
    ROOT,
    free_port,
    http_get,
    json_body,
    raw_request,
    running_server,
    status_of,
    subprocess_env,
)

APP = "tests.apps.deploy_app:app"


@dataclass(frozen=True)
class Deployment:
    name: str
    workers: int
    # What the process that receives SIGTERM prints when it starts shutting down.
    stopping: str
    # Exit statuses that mean "stopped as asked".
    stopped: tuple[int, ...] = (0,)

    def command(self, port: int) -> list[str]:
        address = ["--host", "127.0.0.1", "--port", str(port)]
        if self.name.startswith("uvicorn"):
            command = [sys.executable, "-m", "uvicorn", APP, *address]
            command += ["--loop", "uvloop", "--http", "httptools"]
            return command + (["--workers", str(self.workers)] if self.workers > 1 else [])
        if self.name.startswith("gunicorn"):
            command = [sys.executable, "-m", "gunicorn", APP, "-b", f"127.0.0.1:{port}"]
            command += ["-k", "fastcore.workers.UvicornWorker", "-w", str(self.workers)]
            return command + gunicorn_quiet_options()
        command = [sys.executable, "-m", "fastcore", "run", "--entrypoint", APP, *address]
        return command + (["--workers", str(self.workers)] if self.workers > 1 else [])


def gunicorn_quiet_options() -> list[str]:
    from gunicorn.config import Config

    # gunicorn 24+ opens a control socket at one fixed path in $HOME, which two
    # test servers (or two test runs) would fight over.
    return ["--no-control-socket"] if "control_socket_disable" in Config().settings else []


def needs_gunicorn(name: str):
    marks = []
    if name.startswith("gunicorn"):
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            marks = [pytest.mark.skip(reason="gunicorn is not installed")]
    return marks


DEPLOYMENTS = [
    # Plain uvicorn re-raises the signal it shut down on once it is done, so the
    # shell sees "terminated by SIGTERM" after a complete, orderly shutdown.
    Deployment("uvicorn", 1, "Shutting down", stopped=(0, -signal.SIGTERM)),
    Deployment("uvicorn --workers 2", 2, "Received SIGTERM"),
    Deployment("gunicorn -w 2", 2, "Handling signal: term"),
    Deployment("fastcore run", 1, "Shutting down"),
]
SERVED = [pytest.param(d, id=d.name, marks=needs_gunicorn(d.name)) for d in DEPLOYMENTS]


@pytest.mark.parametrize("deployment", SERVED)
def test_serves_requests(deployment: Deployment) -> None:
    port = free_port()
    with running_server(deployment.command(port), port, count=deployment.workers) as server:
        for _ in range(3):
            response = http_get(port, "/")
            assert status_of(response) == 200, response
            answer = json_body(response)
            assert answer["app"] == "deploy"
            assert answer["compiled"] is not PURE_PYTHON_REQUESTED
            if deployment.workers > 1:
                assert answer["pid"] != server.process.pid  # a worker answered, not the master
        check_websocket_session(port)
        check_events(port)
        check_download(port)
        assert server.stop() in deployment.stopped, server.output
    assert server.output.count("Application shutdown complete") == deployment.workers


def check_websocket_session(port: int) -> None:
    with connect(f"ws://127.0.0.1:{port}/echo", open_timeout=10) as socket:
        for text in ["one", "two"]:
            socket.send(text)
            pid, _, echoed = socket.recv(timeout=10).partition(": ")
            assert echoed == text and int(pid) > 0


def check_events(port: int) -> None:
    response = http_get(port, "/events?count=2")
    head, _, body = response.partition(b"\r\n\r\n")
    assert status_of(response) == 200
    assert b"content-type: text/event-stream; charset=utf-8" in head.lower()
    # Chunked transfer: each event arrives whole, between chunk-size lines.
    assert b'event: tick\ndata: {"n": 0}\nid: 0\n\n' in body
    assert b'event: tick\ndata: {"n": 1}\nid: 1\n\n' in body


def check_download(port: int) -> None:
    content = Path(deploy_app.DOWNLOAD).read_bytes()
    whole = http_get(port, "/download")
    assert status_of(whole) == 200
    assert whole.partition(b"\r\n\r\n")[2] == content
    assert b'filename="deploy_app.py"' in whole
    part = raw_request(
        port,
        b"GET /download HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n",
    )
    assert status_of(part) == 206
    assert part.partition(b"\r\n\r\n")[2] == content[:10]


@pytest.mark.parametrize("deployment", SERVED)
def test_sigterm_lets_the_request_in_flight_finish(deployment: Deployment) -> None:
    port = free_port()
    with running_server(deployment.command(port), port, count=deployment.workers) as server:
        responses: list[bytes] = []
        client = threading.Thread(target=lambda: responses.append(http_get(port, "/slow")))
        client.start()
        server.wait_for_output("slow request started")
        status = server.stop(signal.SIGTERM)
        client.join(timeout=10)

    assert responses, f"no response:\n{server.output}"
    assert status_of(responses[0]) == 200
    assert json_body(responses[0])["slow"] == "done"
    assert status in deployment.stopped, server.output
    # The server had begun to stop before the request finished: it really was in flight.
    output = server.output
    assert output.index(deployment.stopping) < output.index("slow request done"), output
    assert "Application shutdown complete" in output


def test_worker_class_uses_uvloop_and_httptools() -> None:
    code = (
        "from fastcore.workers import UvicornWorker\n"
        "print(UvicornWorker.CONFIG_KWARGS['loop'], UvicornWorker.CONFIG_KWARGS['http'])"
    )
    pytest.importorskip("gunicorn")
    # -W error: importing the worker must not surface uvicorn's deprecation warning.
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["uvloop", "httptools"]
