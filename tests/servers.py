"""Start a real uvicorn server on 127.0.0.1 for a test, and stop it afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with status {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.5),
        ):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@contextlib.contextmanager
def uvicorn_server(app: str, *extra: str) -> Iterator[int]:
    """Run ``uvicorn app`` with uvloop and httptools; yield its port; stop it."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning", *extra]
    process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ))
    try:
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def raw_request(port: int, request: bytes, timeout: float = 5.0) -> bytes:
    """Send bytes as they are (malformed ones too) and return everything the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        chunks = []
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := connection.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


# -- servers started by a command line (the CLI, uvicorn with workers, gunicorn) -----------

STARTUP_COMPLETE = "Application startup complete"


def subprocess_env(**overrides: str) -> dict[str, str]:
    """This environment (FASTCORE_PURE_PYTHON included), with this fastcore importable.

    A server may run from a temporary directory, so the directory this test run
    imported fastcore from goes first on PYTHONPATH.
    """
    import fastcore

    env = dict(os.environ)
    home = str(Path(fastcore.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [home, env.get("PYTHONPATH")]))
    env.update(overrides)
    return env


class ServerProcess:
    """A server process started by a test: its port, and everything it printed so far.

    stdout and stderr are read together, as one ordered transcript, by a thread,
    so that a chatty server never blocks on a full pipe.
    """

    def __init__(self, command: list[str], port: int, cwd: Path, env: dict[str, str]) -> None:
        self.port = port
        # A session of its own, so that stopping it can reach its worker processes too.
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._chunks: list[str] = []
        self._closed = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self._chunks.append(line.decode("utf-8", "replace"))
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self._chunks)

    def wait_for_output(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until ``text`` has been printed ``count`` times; fail with the transcript."""
        with self._changed:
            self._changed.wait_for(
                lambda: "".join(self._chunks).count(text) >= count or self._closed, timeout
            )
            seen = "".join(self._chunks).count(text)
        if seen < count:
            state = "exited" if self._closed else f"still running after {timeout}s"
            raise AssertionError(
                f"{text!r} printed {seen} of {count} times; server {state}:\n{self.output}"
            )

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send ``signum`` (if still running) and return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"server ignored signal {signum}:\n{self.output}") from None
        self._reader.join(timeout=5)
        return status

    def kill(self) -> None:
        """Kill the server and every process in its session (before the server is reaped,
        while its process group id cannot belong to anyone else)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@contextlib.contextmanager
def running_server(
    command: list[str],
    port: int,
    *,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    ready: str = STARTUP_COMPLETE,
    count: int = 1,
) -> Iterator[ServerProcess]:
    """Run ``command`` until ``ready`` was printed ``count`` times (once per worker) and
    ``port`` accepts connections; yield it; stop it with SIGTERM if the test did not."""
    server = ServerProcess(command, port, cwd, subprocess_env() if env is None else env)
    try:
        server.wait_for_output(ready, count)
        wait_for_port(port, server.process)
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()  # kills the whole session if SIGTERM is not enough


def http_get(port: int, target: str, timeout: float = 10.0) -> bytes:
    """A GET with ``Connection: close``: the whole response, as received."""
    request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    return raw_request(port, request.encode("latin-1"), timeout=timeout)


def json_body(response: bytes) -> Any:
    """The JSON body of a complete response (its Content-Length checked)."""
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            assert len(body) == int(value), f"incomplete body: {response!r}"
    return json.loads(body)
