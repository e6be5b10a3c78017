"""Dependencies under a real uvicorn (uvloop + httptools), over sockets: when teardown runs.

The app of ``tests/apps/deps_app.py`` is served by ``served_app``: built with fastcore and,
when it is installed, with FastAPI too, wrapped in ASGI middleware that records
``"response sent"`` once the last body message is handed to the server. ``GET /_events``
answers with the events of the requests since the previous call, once they are over.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.servers import raw_request, uvicorn_server

FRAMEWORKS = ["fastcore", "fastapi"]


@pytest.fixture(scope="module", params=FRAMEWORKS)
def port(request: pytest.FixtureRequest):
    pytest.importorskip(request.param)
    with uvicorn_server(f"tests.apps.deps_app:{request.param}_app", "--factory") as port:
        yield port


def get(port: int, target: str, headers: list[tuple[str, str]] = []) -> tuple[int, Any]:  # noqa: B006
    """One GET on its own connection: the status and the JSON body (or the raw body)."""
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    answer = raw_request(port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    head, _, content = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"content-type: application/json" in head.lower():
        return status, json.loads(content)
    return status, content


def events(port: int) -> list[str]:
    status, found = get(port, "/_events")
    assert status == 200
    return found


@pytest.fixture
def fresh(port: int) -> int:
    """The port, with the events of earlier tests forgotten."""
    events(port)
    return port


SETUP = ["inner setup", "check", "mid setup (inner, check)", "outer setup (mid)"]
TEARDOWN = ["outer teardown", "mid teardown", "inner teardown"]


def test_chain(fresh):
    assert get(fresh, "/chain?q=2", [("X-Level", "h")]) == (200, {"value": 5})
    assert events(fresh) == [
        "level4 q=2",
        "level3",
        "level2 x-level=h",
        "level1",
        "endpoint chain",
        "response sent",
    ]
    status, body = get(fresh, "/chain?q=x")
    assert (status, body["detail"][0]["loc"]) == (422, ["query", "q"])
    assert events(fresh) == ["response sent"]


def test_request_scoped_teardown_runs_after_the_response_and_background_tasks(fresh):
    assert get(fresh, "/yield/request") == (200, {"top": "outer"})
    assert events(fresh) == SETUP + ["endpoint outer", "response sent", "bg endpoint", *TEARDOWN]


def test_function_scoped_teardown_runs_before_the_response(fresh):
    assert get(fresh, "/yield/function") == (200, {"top": "outer"})
    assert events(fresh) == SETUP + ["endpoint outer", *TEARDOWN, "response sent", "bg endpoint"]
    assert get(fresh, "/yield/mixed") == (200, {"top": "outer"})
    assert events(fresh) == SETUP + [
        "endpoint outer",
        "outer teardown",
        "response sent",
        "bg endpoint",
        "mid teardown",
        "inner teardown",
    ]


def test_client_has_the_response_while_request_scoped_teardown_still_waits(fresh):
    """The teardown of ``/slow-teardown`` waits for ``/release``: were it run before the
    response, the first request would not be answered until it timed out."""
    assert get(fresh, "/slow-teardown") == (200, "held")
    assert get(fresh, "/release") == (200, "released")
    assert events(fresh) == [
        "held setup",
        "endpoint slow_teardown",
        "response sent",
        "held teardown",
    ]


def test_errors_reach_the_dependencies_before_the_error_response(fresh):
    assert get(fresh, "/yield/request?fail=endpoint:http") == (400, {"detail": "endpoint failed"})
    caught = [
        "outer caught HTTPException 400",
        "outer teardown",
        "mid caught HTTPException 400",
        "mid teardown",
        "inner caught HTTPException 400",
        "inner teardown",
    ]
    assert events(fresh) == SETUP + ["endpoint outer", *caught, "response sent"]
    assert get(fresh, "/yield/request?fail=endpoint:value") == (500, b"Internal Server Error")
    found = events(fresh)
    assert found[4:6] == ["endpoint outer", "outer caught ValueError endpoint failed"]
    assert found[-1] == "response sent"


def test_teardown_failing_after_the_response_does_not_change_it(fresh):
    assert get(fresh, "/yield/request?fail=outer:after:http") == (200, {"top": "outer"})
    assert events(fresh) == SETUP + [
        "endpoint outer",
        "response sent",
        "bg endpoint",
        "outer teardown",
        "mid caught HTTPException 400",
        "mid teardown",
        "inner caught HTTPException 400",
        "inner teardown",
    ]
    # The same failure in function scope is the response.
    assert get(fresh, "/yield/function?fail=outer:after:http") == (
        400,
        {"detail": "outer:after failed"},
    )
    assert events(fresh)[-1] == "response sent"


def test_dependency_sets_headers_and_adds_background_tasks(fresh):
    lines = ["GET /special?q=s&code=202 HTTP/1.1", "Host: x", "Connection: close", "X-Conn: c"]
    answer = raw_request(fresh, ("\r\n".join(lines) + "\r\n\r\n").encode())
    head, _, content = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 202 ")
    assert b"\r\nx-from-dep: dep" in head and b"\r\nx-from-endpoint: endpoint" in head
    assert b"\r\nset-cookie: dep-cookie=yes; Max-Age=5; Path=/; SameSite=lax" in head
    assert json.loads(content)["same"] == [True, True, True, True]
    assert events(fresh)[6:] == [
        "endpoint special",
        "response sent",
        "bg dep",
        "bg async",
        "bg yield",
        "bg endpoint",
        "yield_tasks teardown",
    ]
