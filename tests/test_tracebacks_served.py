"""Unexpected exceptions under a real server: what the client sees, and what the log keeps.

With ``debug=False`` (production) an unhandled exception is a plain-text 500 "Internal
Server Error" that gives nothing of the traceback away; only ``debug=True`` answers
with the traceback, as text, or as an HTML page for a browser. In both modes the
server's log holds the whole traceback, once per failure. The apps of
``tests/apps/bad_input_app.py`` (``build_failing_app``) are served by uvicorn with
uvloop and httptools, built with fastcore in the active core and with FastAPI 0.165,
which must answer and log the same.
"""

import itertools
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.servers import ServerProcess, free_port, raw_request, running_server

SERVERS = [
    (framework, mode) for framework in ("fastcore", "fastapi") for mode in ("production", "debug")
]
TIMEOUT = 5.0
ERROR_LOGGED = "Exception in ASGI application"  # uvicorn's line before each traceback

# Each failing route: the function that raises, and the traceback's last line.
FAILURES = {
    "/boom": ("boom", "RuntimeError: kaboom-sync-marker"),
    "/boom/async": ("boom_async", "LookupError: kaboom-async-marker"),
    "/boom/dependency": ("failing_dependency", "ZeroDivisionError: kaboom-dependency-marker"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass
class Served:
    framework: str
    debug: bool
    server: ServerProcess
    marks: Iterator[int]


@pytest.fixture(scope="module", params=SERVERS, ids=[f"{fw}-{mode}" for fw, mode in SERVERS])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    framework, mode = request.param
    pytest.importorskip(framework)
    port = free_port()
    app = f"tests.apps.bad_input_app:{framework}_{mode}_app"
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--loop", "uvloop", "--http", "httptools"]
    with running_server(command + ["--no-access-log"], port) as server:
        yield Served(framework, mode == "debug", server, itertools.count())


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def get(served: Served, target: str, accept: str = "*/*") -> Answer:
    request = (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    raw = raw_request(served.server.port, request.encode(), timeout=TIMEOUT)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    fields = (line.partition(":") for line in lines)
    headers = {name.lower(): value.strip() for name, _, value in fields}
    assert int(headers["content-length"]) == len(body), raw[:600]
    return Answer(int(status_line.split(" ", 2)[1]), headers, body)


def served_with_log(served: Served, target: str, accept: str = "*/*") -> tuple[Answer, str]:
    """The answer to ``target``, and what the server logged for it.

    A good request with a mark follows; once its mark is in the log, so is
    everything logged before it, and the worker is shown to still serve.
    """
    since = len(served.server.output)
    answer = get(served, target, accept)
    mark = f"request-{next(served.marks)}"
    follow_up = get(served, f"/ok?mark={mark}")
    assert (follow_up.status, json.loads(follow_up.body)) == (200, {"ok": True})
    served.server.wait_for_output(f"served ok after {mark}", timeout=TIMEOUT)
    return answer, served.server.output[since:]


def assert_traceback_logged_once(log: str, function: str, last_line: str) -> None:
    assert log.count(ERROR_LOGGED) == 1, log
    assert log.count("Traceback (most recent call last):") == 1, log
    traceback = log[log.index("Traceback (most recent call last):") :]
    assert "bad_input_app.py" in traceback and f", in {function}\n" in traceback, log
    assert last_line in traceback.splitlines(), log


@pytest.mark.parametrize("path", list(FAILURES))
@pytest.mark.parametrize("accept", ["*/*", BROWSER], ids=["any", "browser"])
def test_unexpected_exception(served: Served, path: str, accept: str) -> None:
    function, last_line = FAILURES[path]
    answer, log = served_with_log(served, path, accept)
    assert answer.status == 500
    assert_traceback_logged_once(log, function, last_line)
    marker = last_line.rpartition(": ")[2].encode()
    if not served.debug:
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        assert answer.body == b"Internal Server Error"
    elif accept == BROWSER:
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.body.lstrip().startswith(b"<html>")
        assert marker in answer.body and function.encode() in answer.body
    else:
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        assert answer.body.startswith(b"Traceback (most recent call last):\n")
        assert f", in {function}\n".encode() in answer.body
        assert answer.body.rstrip().endswith(last_line.encode())


def test_background_task_failure_is_logged_after_the_answer(served: Served) -> None:
    # The answer is sent before the task runs: the client sees a success, debug or not.
    since = len(served.server.output)
    answer, _ = served_with_log(served, "/boom/background", BROWSER)
    assert (answer.status, json.loads(answer.body)) == (200, {"queued": True})
    # The task may still be running when the next request is served: wait for its end.
    last_line = "KeyError: 'kaboom-background-marker'"
    served.server.wait_for_output(last_line, timeout=TIMEOUT)
    assert_traceback_logged_once(served.server.output[since:], "fail_later", last_line)


def test_http_exception_is_no_server_error(served: Served) -> None:
    answer, log = served_with_log(served, "/teapot", BROWSER)
    assert (answer.status, answer.headers["content-type"]) == (418, "application/json")
    assert json.loads(answer.body) == {"detail": "I'm a teapot"}
    assert "Traceback" not in log and ERROR_LOGGED not in log, log
