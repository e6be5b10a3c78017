"""The example app under a real uvicorn (uvloop + httptools), talked to over sockets."""

from __future__ import annotations

import json

import pytest

from fastcore._core import PURE_PYTHON_REQUESTED
from tests.servers import raw_request, status_of, uvicorn_server


@pytest.fixture(scope="module")
def port():
    with uvicorn_server("tests.apps.served:app") as port:
        yield port


def get(port: int, target: str, method: str = "GET", headers: str = "") -> bytes:
    request = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    return raw_request(port, request.encode("latin-1"))


def body_of(response: bytes):
    return json.loads(response.split(b"\r\n\r\n", 1)[1])


def test_server_runs_the_requested_core(port):
    assert body_of(get(port, "/_core")) == {"compiled": not PURE_PYTHON_REQUESTED}


def test_hello_world_over_the_wire(port):
    response = get(port, "/")
    assert status_of(response) == 200
    assert b"content-type: application/json" in response.lower()
    assert body_of(response) == {"Hello": "World"}


def test_path_and_query_parameters(port):
    assert body_of(get(port, "/items/3?q=red")) == {"item_id": 3, "q": "red"}
    assert body_of(get(port, "/users/alice"))["url"] == "http://127.0.0.1/users/alice"


def test_errors_over_the_wire(port):
    missing = get(port, "/stock/9")
    assert status_of(missing) == 404
    assert b"x-error: missing" in missing.lower()
    assert body_of(missing) == {"detail": "Item not found"}
    not_allowed = get(port, "/", method="POST")
    assert status_of(not_allowed) == 405
    assert b"allow: GET" in not_allowed
    redirect = get(port, "/users/alice/?x=1")
    assert status_of(redirect) == 307
    assert b"location: http://127.0.0.1/users/alice?x=1" in redirect.lower()


@pytest.mark.parametrize(
    "target",
    [
        "/items/%zz",  # invalid percent-encoding
        "/items/%ff%fe",  # percent-encoded bytes that are not UTF-8
        "/items/%00",
        "/stock/" + "9" * 5000,  # longer than Python's int digit limit
        "/" + "a/" * 4000,  # a very long path
        "/items/" + "x" * 60000,
    ],
)
def test_bad_paths_get_a_4xx(port, target):
    status = status_of(get(port, target))
    assert 400 <= status < 500
    assert status_of(get(port, "/")) == 200  # and the worker is still there


def test_raw_non_ascii_bytes_in_the_path_get_a_4xx(port):
    response = raw_request(
        port, b"GET /items/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert 400 <= status_of(response) < 500
    assert status_of(get(port, "/")) == 200


def test_methods_the_parser_does_not_know_get_a_400(port):
    # httptools refuses a method outside its table before the app is called.
    assert status_of(get(port, "/", method="FOO")) == 400
    assert status_of(get(port, "/", method="GET")) == 200


@pytest.mark.parametrize("method", ["PROPFIND", "PURGE", "CONNECT"])
def test_methods_no_route_accepts_get_405_or_404(port, method):
    assert status_of(get(port, "/", method=method)) == 405
    assert status_of(get(port, "/nowhere", method=method)) == 404
