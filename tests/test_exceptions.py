"""Exceptions and the default exception handlers, as a client (or a developer reading a
traceback) sees them; compared with FastAPI's when it is installed."""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings
from decimal import Decimal
from typing import Any

import pytest
import starlette.exceptions
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fastcore.exception_handlers import (
    http_exception_handler,
    is_body_allowed_for_status_code,
    request_validation_exception_handler,
    websocket_request_validation_exception_handler,
)
from fastcore.exceptions import (
    DependencyScopeError,
    FastAPIDeprecationWarning,
    FastAPIError,
    HTTPException,
    PydanticV1NotSupportedError,
    RequestErrorModel,
    RequestValidationError,
    ResponseValidationError,
    ValidationException,
    WebSocketErrorModel,
    WebSocketException,
    WebSocketRequestValidationError,
)

ERRORS = [
    {"type": "missing", "loc": ("query", "q"), "msg": "Field required", "input": None},
    {"type": "int_parsing", "loc": ("body", "a", 0), "msg": "Not an int", "input": "x"},
]
ERROR_LINES = (
    "  {'type': 'missing', 'loc': ('query', 'q'), 'msg': 'Field required', 'input': None}\n"
    "  {'type': 'int_parsing', 'loc': ('body', 'a', 0), 'msg': 'Not an int', 'input': 'x'}"
)


# --- the exception classes ----------------------------------------------------------------


def test_http_exception() -> None:
    exc = HTTPException(404)
    assert isinstance(exc, starlette.exceptions.HTTPException)
    assert (exc.status_code, exc.detail, exc.headers) == (404, "Not Found", None)
    assert str(exc) == "404: Not Found"
    assert repr(exc) == "HTTPException(status_code=404, detail='Not Found')"
    assert exc.args == (404,)

    exc = HTTPException(400, {"a": [1]}, headers={"X-Error": "1"})
    assert (exc.detail, exc.headers) == ({"a": [1]}, {"X-Error": "1"})
    assert str(exc) == "400: {'a': [1]}"
    assert HTTPException(status_code=418, detail=None).detail == "I'm a Teapot"
    assert HTTPException(599).detail == ""  # no standard phrase for it


def test_websocket_exception() -> None:
    exc = WebSocketException(1008)
    assert isinstance(exc, starlette.exceptions.WebSocketException)
    assert (exc.code, exc.reason, str(exc)) == (1008, "", "1008: ")
    exc = WebSocketException(code=1008, reason="bad")
    assert (exc.reason, repr(exc)) == ("bad", "WebSocketException(code=1008, reason='bad')")


@pytest.mark.parametrize(
    "cls", [ValidationException, RequestValidationError, ResponseValidationError]
)
def test_validation_error_str_and_errors(cls: type[ValidationException]) -> None:
    exc = cls(ERRORS)
    assert exc.errors() is ERRORS
    assert str(exc) == "2 validation errors:\n" + ERROR_LINES
    assert repr(exc) == f"{cls.__name__}({ERRORS!r})"
    assert exc.args == (ERRORS,)
    assert str(cls([{"x": 1}])) == "1 validation error:\n  {'x': 1}"
    assert str(cls([])) == "0 validation errors:"
    # error items are shown with str(), and trailing whitespace is trimmed
    assert str(cls(["plain text  \n"])) == "1 validation error:\n  plain text"


@pytest.mark.parametrize(
    "ctx,tail",
    [
        (
            {"function": "read", "path": "GET /items", "file": "/app/main.py", "line": 12},
            '\n\n  File "/app/main.py", line 12, in read\n    GET /items',
        ),
        (
            {"function": "read", "file": "main.py", "line": 3},
            '\n\n  File "main.py", line 3, in read',
        ),
        ({"path": "GET /items", "file": "main.py", "line": 3}, "\n\n  Endpoint: GET /items"),
        ({"path": "/x", "function": "f", "file": "a.py", "line": 0}, "\n\n  Endpoint: /x"),
        ({"function": "read", "file": "main.py"}, ""),
        ({}, ""),
        (None, ""),
    ],
)
def test_validation_error_names_the_endpoint(ctx: Any, tail: str) -> None:
    exc = RequestValidationError(ERRORS, endpoint_ctx=ctx)
    assert str(exc) == "2 validation errors:\n" + ERROR_LINES + tail
    assert exc.endpoint_ctx == ctx
    assert exc.endpoint_path == (ctx or {}).get("path")
    assert exc.endpoint_line == (ctx or {}).get("line")


def test_body_and_signatures() -> None:
    assert RequestValidationError(ERRORS, body={"a": 1}).body == {"a": 1}
    assert ResponseValidationError(ERRORS).body is None
    assert not hasattr(WebSocketRequestValidationError(ERRORS), "body")
    with pytest.raises(TypeError):
        RequestValidationError()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        RequestValidationError(ERRORS, {"a": 1})  # type: ignore[misc]  # body is keyword-only
    with pytest.raises(TypeError):
        ValidationException(ERRORS, body=1)  # type: ignore[call-arg]


def test_class_tree() -> None:
    for cls in (RequestValidationError, ResponseValidationError, WebSocketRequestValidationError):
        assert issubclass(cls, ValidationException)
    assert issubclass(FastAPIError, RuntimeError)
    assert issubclass(DependencyScopeError, FastAPIError)
    assert issubclass(PydanticV1NotSupportedError, FastAPIError)
    assert issubclass(FastAPIDeprecationWarning, UserWarning)
    for model, title in ((RequestErrorModel, "Request"), (WebSocketErrorModel, "WebSocket")):
        assert issubclass(model, BaseModel)
        assert model.model_json_schema() == {"properties": {}, "title": title, "type": "object"}


# --- the handlers, on a plain Starlette app -----------------------------------------------


def _raising(exc: Exception):
    async def endpoint(request: Request) -> None:
        raise exc

    return endpoint


# path -> exception raised there; the same paths are served by a FastAPI app below.
HTTP_CASES: dict[str, tuple[int, Any, dict[str, str] | None]] = {
    "/str": (404, "Item not found", None),
    "/default": (404, None, None),
    "/dict": (400, {"error": "bad", "fields": ["a", "b"]}, {"X-Error": "yes"}),
    "/list": (409, [1, "two", None], None),
    "/unicode": (400, "né ✓", None),
    "/no-content": (204, None, None),
    "/not-modified": (304, "ignored", {"ETag": '"abc"'}),
    "/reset": (205, None, None),
    "/auth": (401, "Not authenticated", {"WWW-Authenticate": "Bearer"}),
}

VALIDATION_ERRORS = [
    {
        "type": "value_error",
        "loc": ("body", "when"),
        "msg": "Value error, bad",
        "input": {dt.date(2020, 1, 2), dt.date(2020, 1, 1)} - {dt.date(2020, 1, 1)},
        "ctx": {"error": ValueError("bad")},
    },
    {"type": "x", "loc": ("query", 0), "msg": "m", "input": Decimal("1.5")},
]


def _app_with(http_exc_cls: type[Exception], validation_exc_cls: type[Exception], handlers):
    routes = [
        Route(path, _raising(http_exc_cls(status, detail, headers)))
        for path, (status, detail, headers) in HTTP_CASES.items()
    ]
    routes.append(
        Route("/starlette", _raising(starlette.exceptions.HTTPException(403, headers={"A": "b"})))
    )
    routes.append(Route("/invalid", _raising(validation_exc_cls(VALIDATION_ERRORS, body=b"x"))))
    return Starlette(routes=routes, exception_handlers=handlers)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = _app_with(
        HTTPException,
        RequestValidationError,
        {
            starlette.exceptions.HTTPException: http_exception_handler,
            RequestValidationError: request_validation_exception_handler,
        },
    )
    return TestClient(app)


def _seen(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.headers.items()), response.content


def test_http_exception_with_string_detail(client: TestClient) -> None:
    assert _seen(client.get("/str")) == (
        404,
        [("content-length", "27"), ("content-type", "application/json")],
        b'{"detail":"Item not found"}',
    )
    assert client.get("/default").json() == {"detail": "Not Found"}
    assert client.get("/unicode").json() == {"detail": "né ✓"}


def test_http_exception_with_structured_detail_and_headers(client: TestClient) -> None:
    response = client.get("/dict")
    assert response.status_code == 400
    assert response.json() == {"detail": {"error": "bad", "fields": ["a", "b"]}}
    assert response.headers["x-error"] == "yes"
    assert client.get("/list").json() == {"detail": [1, "two", None]}
    response = client.get("/auth")
    assert (response.status_code, response.headers["www-authenticate"]) == (401, "Bearer")


def test_starlette_http_exception_gets_the_same_handler(client: TestClient) -> None:
    response = client.get("/starlette")
    assert (response.status_code, response.json(), response.headers["a"]) == (
        403,
        {"detail": "Forbidden"},
        "b",
    )


@pytest.mark.parametrize(
    "path,status,headers",
    [
        ("/no-content", 204, []),
        ("/not-modified", 304, [("etag", '"abc"')]),
        ("/reset", 205, [("content-length", "0")]),
    ],
)
def test_statuses_without_body(client: TestClient, path: str, status: int, headers) -> None:
    assert _seen(client.get(path)) == (status, headers, b"")


def test_request_validation_handler(client: TestClient) -> None:
    response = client.get("/invalid")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "when"],
                "msg": "Value error, bad",
                "input": ["2020-01-02"],
                "ctx": {"error": {}},
            },
            {"type": "x", "loc": ["query", 0], "msg": "m", "input": 1.5},
        ]
    }


def test_handler_called_directly_detail_is_not_encoded() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    response = asyncio.run(http_exception_handler(request, HTTPException(400, ("a", 1))))
    assert response.body == b'{"detail":["a",1]}'
    # detail goes to json.dumps as is: a date is the app's bug, not silently encoded
    bad = HTTPException(400, {"when": dt.date(2020, 1, 1)})
    with pytest.raises(TypeError, match="not JSON serializable"):
        asyncio.run(http_exception_handler(request, bad))


def test_websocket_validation_handler_closes_with_1008() -> None:
    async def endpoint(websocket) -> None:
        raise WebSocketRequestValidationError(
            [{"loc": ("query", "q"), "when": dt.date(2020, 1, 1)}]
        )

    app = Starlette(
        routes=[WebSocketRoute("/ws", endpoint)],
        exception_handlers={
            WebSocketRequestValidationError: websocket_request_validation_exception_handler
        },
    )
    with pytest.raises(WebSocketDisconnect) as info:
        with TestClient(app).websocket_connect("/ws") as websocket:
            websocket.receive_text()
    assert info.value.code == 1008
    # the reason is the encoded error list itself, not a string
    assert info.value.reason == [{"loc": ["query", "q"], "when": "2020-01-01"}]


@pytest.mark.parametrize(
    "status,allowed",
    [
        (None, True),
        ("default", True),
        ("1XX", True),
        ("5XX", True),
        (100, False),
        (199, False),
        (200, True),
        (204, False),
        ("204", False),
        (205, False),
        (304, False),
        (305, True),
        (404, True),
        (600, True),
    ],
)
def test_is_body_allowed_for_status_code(status: Any, allowed: bool) -> None:
    assert is_body_allowed_for_status_code(status) is allowed


def test_is_body_allowed_rejects_other_strings() -> None:
    with pytest.raises(ValueError):
        is_body_allowed_for_status_code("6XX")


# --- side by side with FastAPI ------------------------------------------------------------


@pytest.fixture(scope="module")
def fastapi_client() -> TestClient:
    fastapi = pytest.importorskip("fastapi")
    from fastapi.exceptions import RequestValidationError as ReferenceValidationError

    # FastAPI's own app, so its default handlers are the ones in place.
    app = fastapi.FastAPI()
    reference = _app_with(fastapi.HTTPException, ReferenceValidationError, {})
    for route in reference.routes:
        app.router.routes.append(route)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return TestClient(app)


@pytest.mark.parametrize("path", [*HTTP_CASES, "/starlette", "/invalid", "/missing"])
def test_same_responses_as_fastapi(client: TestClient, fastapi_client: TestClient, path: str):
    ours, theirs = client.get(path), fastapi_client.get(path)
    assert _seen(ours) == _seen(theirs)


def test_same_str_as_fastapi() -> None:
    exceptions = pytest.importorskip("fastapi.exceptions")
    ctx = {"function": "f", "path": "GET /p", "file": "a.py", "line": 7}
    for ours, theirs in (
        (RequestValidationError, exceptions.RequestValidationError),
        (WebSocketRequestValidationError, exceptions.WebSocketRequestValidationError),
    ):
        for kwargs in ({}, {"endpoint_ctx": ctx}, {"endpoint_ctx": {"path": "/p"}}):
            assert str(ours(ERRORS, **kwargs)) == str(theirs(ERRORS, **kwargs))
    assert str(HTTPException(404, "x")) == str(exceptions.HTTPException(404, "x"))
