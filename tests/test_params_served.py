"""Parameters, bodies and limits through a real uvicorn (uvloop + httptools), over sockets.

The app of ``tests/apps/params_app.py`` is served built with fastcore and, when it is
installed, with FastAPI too; both must give these answers.
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
    with uvicorn_server(f"tests.apps.params_app:{request.param}_app", "--factory") as port:
        yield port


def send(
    port: int,
    method: str,
    target: str,
    headers: list[tuple[str, str]] = [],  # noqa: B006 - never mutated
    body: bytes = b"",
    chunked: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection; the status, headers and body of the answer."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in [body[:4], body[4:]])
        body += b"0\r\n\r\n"
    elif body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    answer = raw_request(port, "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
    head, _, content = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return int(status_line.split(" ", 2)[1]), found, content


def json_answer(answer: tuple[int, dict[str, str], bytes]) -> tuple[int, Any]:
    status, headers, content = answer
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(content)
    return status, json.loads(content)


JSON = [("Content-Type", "application/json")]
ITEM = {"name": "Foo", "price": 35.4, "description": None, "tax": None}


def test_query_values_are_coerced(port):
    assert json_answer(send(port, "GET", "/q/int?n=+1&n=1_000")) == (200, {"n": 1000})
    assert json_answer(send(port, "GET", "/q/str?q=%ff%fe%41")) == (200, {"q": "\ufffd\ufffdA"})
    assert json_answer(send(port, "GET", "/q/list-int?n=1&n=2")) == (200, {"n": [1, 2]})


def test_invalid_query_value_is_a_422(port):
    assert json_answer(send(port, "GET", "/q/int?n=abc")) == (
        422,
        {
            "detail": [
                {
                    "type": "int_parsing",
                    "loc": ["query", "n"],
                    "msg": "Input should be a valid integer, unable to parse string as an integer",
                    "input": "abc",
                }
            ]
        },
    )


def test_repeated_headers_and_cookies(port):
    headers = [("X-Token", "a"), ("x-token", "b")]
    assert json_answer(send(port, "GET", "/h/list", headers)) == (200, {"x_token": ["a", "b"]})
    cookie = [("Cookie", 'session="a b"; count=3')]
    assert json_answer(send(port, "GET", "/c/basic", cookie)) == (
        200,
        {"session": "a b", "count": 3},
    )


def test_json_body(port):
    body = json.dumps({"name": "Foo", "price": 35.4}).encode()
    assert json_answer(send(port, "POST", "/b/item", JSON, body)) == (
        200,
        {"item": ITEM, "total": 35.4},
    )
    chunked = send(port, "POST", "/b/item", JSON, body, chunked=True)
    assert json_answer(chunked) == (200, {"item": ITEM, "total": 35.4})


def test_body_errors(port):
    order = {"id": 1, "items": [{"name": "a", "price": "p"}]}
    status, content = json_answer(send(port, "POST", "/b/order", JSON, json.dumps(order).encode()))
    assert (status, [error["loc"] for error in content["detail"]]) == (
        422,
        [["body", "items", 0, "price"]],
    )
    status, content = json_answer(send(port, "POST", "/b/item", JSON, b'{"name": "Foo", '))
    assert (status, content["detail"][0]["type"], content["detail"][0]["loc"]) == (
        422,
        "json_invalid",
        ["body", 16],
    )
    # No Content-Type: not parsed as JSON (strict_content_type is on by default) ...
    status, content = json_answer(send(port, "POST", "/b/item", [], b'{"name": "Foo"}'))
    assert (status, content["detail"][0]["type"]) == (422, "model_attributes_type")
    # ... unless the router turned it off.
    body = b'{"name": "Foo", "price": 35.4}'
    assert json_answer(send(port, "POST", "/l/lenient-router/item", [], body)) == (200, ITEM)


def test_multipart_upload(port):
    boundary = "b0undary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "hello\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    headers = [("Content-Type", f"multipart/form-data; boundary={boundary}")]
    assert json_answer(send(port, "POST", "/f/upload", headers, body)) == (
        200,
        {"filename": "a.txt", "content_type": "text/plain", "size": 5, "content": "hello"},
    )
    missing_boundary = [("Content-Type", "multipart/form-data")]
    assert json_answer(send(port, "POST", "/f/upload", missing_boundary, body)) == (
        400,
        {"detail": "Missing boundary in multipart."},
    )


def test_max_body_size_is_a_413(port):
    status, headers, content = send(port, "POST", "/l/route", JSON, b'"123456789"')
    assert (status, headers["content-type"], content) == (
        413,
        "text/plain; charset=utf-8",
        b"Content Too Large",
    )
    # Without a Content-Length the limit is only noticed while reading: an HTTPException.
    chunked = send(port, "POST", "/l/route", JSON, b'"123456789"', chunked=True)
    assert json_answer(chunked) == (413, {"detail": "Content Too Large"})
    assert json_answer(send(port, "POST", "/l/route", JSON, b'"12345678"')) == (
        200,
        {"data": "12345678"},
    )


def test_declared_length_over_the_limit_is_refused_without_waiting_for_the_body(port):
    request = (
        b"POST /limited/app HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000\r\nConnection: close\r\n\r\n"
    )
    answer = raw_request(port, request, timeout=3.0)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(b"\r\n\r\nContent Too Large")


def test_form_limits_are_a_400(port):
    body = b"tags=a&tags=b&tags=c"
    headers = [("Content-Type", "application/x-www-form-urlencoded")]
    assert json_answer(send(port, "POST", "/l/fields", headers, body)) == (
        400,
        {"detail": "Too many fields. Maximum number of fields is 2."},
    )


def test_response_model_filters_and_validates(port):
    assert json_answer(send(port, "GET", "/r/dict-filtered")) == (
        200,
        {"username": "ann", "email": "a@x", "full_name": None},
    )
    assert send(port, "GET", "/r/invalid")[::2] == (500, b"Internal Server Error")
    status, headers, content = send(port, "GET", "/r/set-headers")
    assert (status, headers["x-custom"], json.loads(content)) == (202, "yes", {"ok": True})
    assert send(port, "DELETE", "/r/no-content")[::2] == (204, b"")
