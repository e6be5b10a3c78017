"""Lifespans under a real server: uvicorn runs them once per worker process.

``tests/apps/lifespan_served_app.py`` writes a file named after its process id whenever
one of its lifespans starts or stops. With ``--workers 2`` there must be two processes
(neither of them the supervisor) that each started every lifespan before answering and
stopped every one on SIGTERM, and each request must see the state its own worker's
lifespan yielded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.servers import free_port, http_get, json_body, running_server, status_of, subprocess_env

APP = "tests.apps.lifespan_served_app:app"
KINDS = ("app", "router", "handler")


def files(directory: Path, suffix: str) -> dict[str, set[int]]:
    """The process ids that left a ``<kind>-<suffix>-<pid>`` file, per kind."""
    return {
        kind: {int(path.name.rsplit("-", 1)[1]) for path in directory.glob(f"{kind}-{suffix}-*")}
        for kind in KINDS
    }


@pytest.mark.parametrize("workers", [1, 2])
def test_each_worker_runs_the_lifespan(tmp_path: Path, workers: int) -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", APP, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--loop", "uvloop", "--http", "httptools", "--workers", str(workers)]
    env = subprocess_env(LIFESPAN_RECORD_DIR=str(tmp_path))
    with running_server(command, port, env=env, count=workers) as server:
        started = files(tmp_path, "start")
        assert len(started["app"]) == workers, server.output
        assert started["router"] == started["app"] == started["handler"]
        if workers > 1:
            assert server.process.pid not in started["app"]  # the workers, not the supervisor
        assert files(tmp_path, "stop") == {kind: set() for kind in KINDS}
        for _ in range(4):
            response = http_get(port, "/")
            assert status_of(response) == 200, response
            answer = json_body(response)
            assert answer["pid"] in started["app"]
            assert answer["started_in"] == answer["pid"]  # the state of its own worker
            assert answer["router"] == "ready"
        server.stop()
    assert server.output.count("Application shutdown complete") == workers, server.output
    assert files(tmp_path, "stop") == started
