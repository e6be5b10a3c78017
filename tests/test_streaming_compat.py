"""Streaming endpoints side by side with FastAPI: Server-Sent Events and JSON Lines.

``tests/apps/streaming_app.py`` is built once with ``fastapi`` and once with ``fastcore``;
every request in ``CASES`` goes to both and must get the same status code, headers (but
``date`` and ``server``) and body bytes, and leave the same events behind (generator steps,
``yield`` dependencies, background tasks). The TestClient returns once the whole ASGI call
is over, so request-scoped teardown and background tasks are in the list by then; a
generator that fails midway leaves the bytes sent before the failure as the body.

``fastcore.sse`` is compared with ``fastapi.sse`` directly: the wire format of
``format_sse_event`` and the validation of ``ServerSentEvent``. The ``test_known_*`` tests
pin FastAPI's answers literally, so that they hold where FastAPI is not installed.

Where FastAPI leaves things to chance, fastcore is checked on its own: a client that goes
away closes the endpoint's generator at once (FastAPI leaves a JSON Lines generator paused at
a ``yield`` to the garbage collector).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
from collections.abc import AsyncIterable, Iterator
from types import ModuleType
from typing import Any

import anyio
import pytest
from pydantic import BaseModel, ValidationError

import fastcore
from fastcore import sse
from fastcore.testclient import TestClient
from tests.apps.streaming_app import build_app
from tests.side_by_side import Served, case, get, observed, serve, serve_fastapi

# FastAPI calls an ``async def`` endpoint under EventSourceResponse and never awaits it.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")

EVENT_STREAM_HEADERS = [
    ("content-type", "text/event-stream; charset=utf-8"),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
]
JSON_LINES_HEADERS = [("content-type", "application/jsonl")]


# Entered once per module: one event loop for all requests is much faster than one each.
@pytest.fixture(scope="module")
def ours() -> Iterator[Served]:
    yield from serve(build_app, fastcore, TestClient)


@pytest.fixture(scope="module")
def reference() -> Iterator[Served]:
    yield from serve_fastapi(build_app)


EVENT_CASES = [
    get("/sse/values"),
    get("/sse/events"),
    get("/sse/sync"),
    get("/sse/typed"),
    get("/sse/typed-sync"),
    get("/sse/any"),
    get("/sse/strings"),
    get("/sse/event-annotation"),
    get("/sse/status"),
    case("POST", "/sse/post?q=3", json={"name": "posted", "price": 2}),
    case("POST", "/sse/post", "invalid body", json={"price": "x"}),
    case("POST", "/sse/post", "no body"),
    get("/sse/empty"),
    get("/sse/plain-function"),
    get("/sse/plain-function-string"),
    get("/sse/subclass"),
    get("/sse/subclass-media-type"),
    get("/sse/subclass-media-type-function"),
    get("/sse/router-default"),
    get("/sse/async-function"),
]

JSON_LINES_CASES = [
    get("/jsonl/values"),
    get("/jsonl/sync"),
    get("/jsonl/typed"),
    get("/jsonl/typed-generator"),
    get("/jsonl/typed-iterator"),
    get("/jsonl/typed-sync-generator"),
    get("/jsonl/typed-sync-iterable"),
    get("/jsonl/typed-list-items"),
    get("/jsonl/typed-int"),
    get("/jsonl/typed-string-annotation"),
    get("/jsonl/options"),
    get("/jsonl/include"),
    get("/jsonl/response-model"),
    get("/jsonl/response-model-none"),
    get("/jsonl/list-annotation"),
    get("/jsonl/status"),
    get("/jsonl/status-204"),
    get("/jsonl/empty"),
    get("/jsonl/partial"),
    get("/jsonl/instance?n=3"),
    get("/jsonl/instance?n=x"),
    get("/jsonl/wrapped?q=unwrapped"),
]

OWN_CLASS_CASES = [
    get("/raw/streaming"),
    get("/raw/streaming-sync"),
    get("/raw/csv"),
    get("/raw/plain"),
    get("/raw/explicit-json"),
    get("/raw/explicit-json-sync"),
    get("/raw/explicit-json-model"),
    get("/raw/router-json"),
    get("/raw/included-json"),
    get("/raw/returned"),
    get("/raw/returned-event-source"),
]

KINDS = ("sse", "jsonl")
DEPENDENCY_CASES = [
    *(get(f"/{kind}/deps") for kind in KINDS),
    *(get(f"/{kind}/deps-sync") for kind in KINDS),
    *(get(f"/{kind}/dep-response") for kind in KINDS),
    *(get(f"/{kind}/validated?n=4") for kind in KINDS),
    *(get(f"/{kind}/validated?n=x") for kind in KINDS),
]

ERROR_CASES = [
    get(f"/{kind}/{name}")
    for kind in KINDS
    for name in ("error-before-first", "error-midway", "error-midway-sync", "invalid-item")
]

CASES = EVENT_CASES + JSON_LINES_CASES + OWN_CLASS_CASES + DEPENDENCY_CASES + ERROR_CASES


def test_case_ids_are_unique():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(("method", "url", "kwargs"), CASES)
def test_same_answer_and_events_as_fastapi(reference, ours, method, url, kwargs):
    expected = observed(reference, method, url, kwargs)
    assert observed(ours, method, url, kwargs) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/sse/error-midway", ("ExceptionGroup", ["ValueError"])),
        ("/sse/invalid-item", ("ExceptionGroup", ["ResponseValidationError"])),
        ("/jsonl/error-midway", ("ValueError", [])),
        ("/jsonl/invalid-item", ("ResponseValidationError", [])),
        ("/raw/explicit-json", ("TypeError", [])),
        ("/raw/explicit-json-sync", ("TypeError", [])),
    ],
)
def test_same_exception_out_of_the_app_as_fastapi(url, expected):
    """An event stream's error comes out in an ``ExceptionGroup`` (it is raised in a task of
    its own), a JSON Lines stream's as it is."""
    frameworks = [(fastcore, TestClient)]
    if importlib.util.find_spec("fastapi") is not None:
        fastapi = importlib.import_module("fastapi")
        frameworks.append((fastapi, importlib.import_module("fastapi.testclient").TestClient))
    for fw, client_class in frameworks:
        with client_class(build_app(fw, [])) as client, pytest.raises(BaseException) as caught:
            client.get(url)
        inner = getattr(caught.value, "exceptions", ())
        raised = (type(caught.value).__name__, [type(error).__name__ for error in inner])
        assert raised == expected, fw.__name__


# --- literal answers -------------------------------------------------------------------------


def answer(served: Served, url: str, method: str = "GET", **kwargs: Any) -> Any:
    status, headers, body, events = observed(served, method, url, kwargs)
    return status, headers, body


def test_known_event_values(ours):
    assert answer(ours, "/sse/values") == (
        200,
        EVENT_STREAM_HEADERS,
        b'data: {"a": 1, "b": [1.5, null, true]}\n\n'
        b'data: "hello"\n\n'
        b'data: "two\\nlines \\u00e9"\n\n'
        b"data: 5\n\n"
        b"data: null\n\n"
        b'data: {"name": "x", "price": 1.0, "tag": null}\n\n'
        b"data: [1, 2]\n\n"
        b'data: "bytes"\n\n'
        b'data: {"nan": null, "Infinity": null}\n\n',
    )


def test_known_server_sent_events(ours):
    assert answer(ours, "/sse/events")[2] == (
        b': c\nevent: update\ndata: {"b": 2}\nid: 7\nretry: 1500\n\n'
        b"data: line 1\ndata: line 2\ndata: line 3\ndata: line 4\n\n"
        b": first\n: second\n\n"
        b"\n"
        b'data: ""\n\n'
        b"data: \n\n"
        b'data: {"name":"\xc3\xa9","price":1.0,"tag":null}\n\n'
        b'data: [{"name": "in a list", "price": 1.0, "tag": null}]\n\n'
        b"event: only-a-name\n\n"
        b"id: \nretry: 0\n\n"
    )


def test_known_typed_events(ours):
    """Declared items go through the item type, with the route's ``response_model_*``."""
    assert answer(ours, "/sse/typed")[2] == (
        b'data: {"name":"model","price":1.0}\n\n'
        b'data: {"name":"dict","price":2.5}\n\n'
        b'data: {"name":"subclass","price":1.0}\n\n'
        b'event: raw\ndata: {"name":"inside an event","price":1.0,"tag":null}\n\n'
    )


def test_known_json_lines(ours):
    assert answer(ours, "/jsonl/values") == (
        200,
        JSON_LINES_HEADERS,
        b'{"a": 1}\n'
        b'"hello \\u00e9\\u2028"\n'
        b"5\n"
        b"null\n"
        b'{"name": "x", "price": 1.0, "tag": null}\n'
        b'{"myField": 3, "note": null}\n'
        b"[1, [2, 3], [4]]\n"
        b'"bytes"\n'
        b'{"nan": null, "null": 1}\n'
        b'{"data": 1, "raw_data": null, "event": null, "id": null, "retry": null, '
        b'"comment": null}\n',
    )
    assert answer(ours, "/jsonl/typed")[2] == (
        b'{"name":"model","price":1.0,"tag":null}\n'
        b'{"name":"dict","price":3.0,"tag":null}\n'
        b'{"name":"subclass","price":1.0,"tag":null}\n'
    )
    assert answer(ours, "/jsonl/options")[2] == b'{"my_field":1}\n{"my_field":2}\n'
    assert answer(ours, "/jsonl/response-model")[2] == (
        b'{"name": "not validated", "price": "x", "extra": 1}\n'
    )


def test_known_status_codes_and_headers(ours):
    assert answer(ours, "/sse/status")[0] == 201
    assert answer(ours, "/jsonl/status-204") == (204, JSON_LINES_HEADERS, b"1\n")
    assert answer(ours, "/jsonl/dep-response") == (
        202,
        [
            *JSON_LINES_HEADERS,
            ("x-dep", "1"),
            ("cache-control", "max-age=5"),
            ("set-cookie", "flavour=oat; Path=/; SameSite=lax"),
        ],
        b'"body"\n',
    )
    assert answer(ours, "/sse/dep-response")[:2] == (
        202,
        [
            *EVENT_STREAM_HEADERS,
            ("x-dep", "1"),
            ("cache-control", "max-age=5"),
            ("set-cookie", "flavour=oat; Path=/; SameSite=lax"),
        ],
    )
    assert answer(ours, "/raw/streaming") == (201, [], b"\xc3\xa9bytes")
    assert answer(ours, "/raw/plain")[0] == 500
    # Only a class nobody chose streams JSON Lines: a chosen JSONResponse gets the generator.
    for url in ("/raw/explicit-json", "/raw/router-json", "/raw/included-json"):
        assert answer(ours, url)[0] == 500, url
    assert answer(ours, "/sse/subclass-media-type") == (
        200,
        EVENT_STREAM_HEADERS,
        b'data: "as text/event-stream"\n\n',
    )


def test_known_order_of_teardown(ours):
    """Function-scoped dependencies close before the stream starts, request-scoped ones
    after it ends and after the background tasks."""
    for kind in KINDS:
        assert observed(ours, "GET", f"/{kind}/deps", {})[3] == [
            "req setup",
            "fn setup",
            "fn teardown",
            "gen start (req, fn)",
            "gen after 1",
            "gen finally",
            "bg",
            "req teardown",
        ]


def test_known_errors_midway(ours):
    """The response has started: what came before the error is all the client gets."""
    assert answer(ours, "/sse/error-before-first") == (200, EVENT_STREAM_HEADERS, b"")
    assert answer(ours, "/jsonl/error-before-first") == (200, JSON_LINES_HEADERS, b"")
    assert answer(ours, "/sse/error-midway")[2] == b'data: {"before": "the error"}\n\n'
    assert observed(ours, "GET", "/sse/error-midway", {})[3] == [
        "req setup",
        "gen finally",
        "req caught ExceptionGroup",
        "req teardown",
    ]
    assert observed(ours, "GET", "/jsonl/error-midway", {})[3] == [
        "req setup",
        "gen finally",
        "req caught ValueError",
        "req teardown",
    ]


def test_known_route_attributes():
    app = build_app(fastcore, [])
    models = {route.path: route.response_model for route in app.routes if hasattr(route, "plan")}
    assert models["/jsonl/typed"] is None  # the items are declared, there is no model
    item = models["/jsonl/response-model"]  # given, and kept though the items are not checked
    assert item.__name__ == "Item"
    assert models["/jsonl/list-annotation"] == list[item]


# --- keep-alive --------------------------------------------------------------------------------


def idle_stream_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.get(
        "/idle", response_class=importlib.import_module(f"{fw.__name__}.sse").EventSourceResponse
    )
    async def idle():
        await asyncio.sleep(0.5)
        yield "after a pause"
        await asyncio.sleep(0.5)
        yield "after another"

    return app


def events_of(body: bytes) -> list[bytes]:
    return [event + b"\n\n" for event in body.split(b"\n\n")[:-1]]


def test_keep_alive_comments_while_idle(monkeypatch):
    monkeypatch.setattr(sse, "_PING_INTERVAL", 0.2)
    with TestClient(idle_stream_app(fastcore)) as client:
        body = client.get("/idle").content
    found = events_of(body)
    assert [event for event in found if event != sse.KEEPALIVE_COMMENT] == [
        b'data: "after a pause"\n\n',
        b'data: "after another"\n\n',
    ]
    # Two pings in each pause of 0.5 s (at 0.2 s and 0.4 s), give or take a slow machine.
    assert found[0] == sse.KEEPALIVE_COMMENT
    assert 2 <= found.count(sse.KEEPALIVE_COMMENT) <= 4
    assert found.index(b'data: "after a pause"\n\n') in (1, 2)


def test_keep_alive_like_fastapi(monkeypatch):
    pytest.importorskip("fastapi")
    fastapi = importlib.import_module("fastapi")
    testclient = importlib.import_module("fastapi.testclient")
    monkeypatch.setattr(importlib.import_module("fastapi.routing"), "_PING_INTERVAL", 0.2)
    monkeypatch.setattr(sse, "_PING_INTERVAL", 0.2)
    bodies = []
    for fw, client_class in ((fastapi, testclient.TestClient), (fastcore, TestClient)):
        with client_class(idle_stream_app(fw)) as client:
            bodies.append(client.get("/idle").content)
    theirs, mine = (events_of(body) for body in bodies)
    assert [e for e in mine if e != sse.KEEPALIVE_COMMENT] == [
        e for e in theirs if e != sse.KEEPALIVE_COMMENT
    ]
    assert mine[0] == theirs[0] == sse.KEEPALIVE_COMMENT == b": ping\n\n"


def test_ping_interval_is_fastapis():
    assert sse._PING_INTERVAL == 15.0
    fastapi_sse = pytest.importorskip("fastapi.sse")
    assert sse._PING_INTERVAL == fastapi_sse._PING_INTERVAL


# --- fastcore.sse against fastapi.sse ------------------------------------------------------------


FORMAT_CASES = [
    {},
    {"data_str": "x"},
    {"data_str": ""},
    {"data_str": "a\nb"},
    {"data_str": "a\r\nb\rc"},
    {"data_str": "a\n"},
    {"data_str": "\r\n"},
    {"data_str": "a\r\r\n\nb"},
    {"data_str": "tab\tvertical\x0bform\x0cfs\x1cnel\x85ls\u2028é"},
    {"event": "e"},
    {"event": ""},
    {"id": "1"},
    {"id": ""},
    {"retry": 0},
    {"retry": 3000},
    {"comment": "c"},
    {"comment": ""},
    {"comment": "a\nb\r\nc\r"},
    {"data_str": "d", "event": "e", "id": "i", "retry": 3, "comment": "c"},
    {"data_str": "d\nd", "comment": "c\nc", "event": "e"},
]


@pytest.mark.parametrize("kwargs", FORMAT_CASES, ids=repr)
def test_format_like_fastapi(kwargs):
    fastapi_sse = pytest.importorskip("fastapi.sse")
    assert sse.format_sse_event(**kwargs) == fastapi_sse.format_sse_event(**kwargs)


def test_known_format():
    assert sse.format_sse_event() == b"\n"
    assert sse.format_sse_event(data_str="a\r\nb\rc\n") == b"data: a\ndata: b\ndata: c\ndata: \n\n"
    assert sse.format_sse_event(data_str="d", event="e", id="i", retry=3, comment="c\nc") == (
        b": c\n: c\nevent: e\ndata: d\nid: i\nretry: 3\n\n"
    )
    assert sse.KEEPALIVE_COMMENT == b": ping\n\n"


EVENT_CASES_KWARGS = [
    {},
    {"data": {"a": [1]}},
    {"data": None, "raw_data": None},
    {"data": 1, "raw_data": "x"},
    {"data": "", "raw_data": "x"},
    {"raw_data": "x", "event": "e", "id": "1", "retry": 5, "comment": "c\nd"},
    {"raw_data": 5},
    {"event": "a\nb"},
    {"event": "a\rb"},
    {"event": "nul \x00 is fine"},
    {"id": "a\nb"},
    {"id": "a\x00b"},
    {"id": "a\n\x00"},
    {"id": 5},
    {"retry": -1},
    {"retry": "5"},
    {"retry": 1.5},
    {"data": 1, "raw_data": "x", "id": "a\nb"},
    {"unknown": "ignored"},
]


def validated(module: ModuleType, kwargs: dict[str, Any]) -> Any:
    try:
        return module.ServerSentEvent(**kwargs).model_dump()
    except ValidationError as error:
        return error.errors(include_url=False)


@pytest.mark.parametrize("kwargs", EVENT_CASES_KWARGS, ids=repr)
def test_server_sent_event_validates_like_fastapi(kwargs):
    fastapi_sse = pytest.importorskip("fastapi.sse")
    assert repr(validated(sse, kwargs)) == repr(validated(fastapi_sse, kwargs))


def test_known_server_sent_event_validation():
    with pytest.raises(ValidationError) as caught:
        sse.ServerSentEvent(data=1, raw_data="x")
    (error,) = caught.value.errors(include_url=False)
    assert (error["type"], error["loc"]) == ("value_error", ())
    assert "Cannot set both 'data' and 'raw_data'" in error["msg"]
    for kwargs, message in [
        ({"event": "a\nb"}, "Value error, SSE 'event' must be a single line"),
        ({"id": "a\rb"}, "Value error, SSE 'id' must be a single line"),
        ({"id": "a\x00"}, "Value error, SSE 'id' must not contain null characters"),
    ]:
        with pytest.raises(ValidationError) as caught:
            sse.ServerSentEvent(**kwargs)
        assert caught.value.errors()[0]["msg"] == message
    assert sse.ServerSentEvent(retry="5").retry == 5


def test_server_sent_event_schema_like_fastapis():
    """The same fields and constraints; the class docstring (the description) is our own."""
    fastapi_sse = pytest.importorskip("fastapi.sse")
    ours = sse.ServerSentEvent.model_json_schema()
    theirs = fastapi_sse.ServerSentEvent.model_json_schema()
    ours.pop("description")
    theirs.pop("description")
    assert ours == theirs


def test_has_every_public_name_of_fastapi_sse():
    fastapi_sse = pytest.importorskip("fastapi.sse")
    public = {name for name in dir(fastapi_sse) if not name.startswith("_")}
    incidental = {"Annotated", "Any", "Doc"}  # typing helpers of its own code
    assert public - incidental - set(dir(sse)) == set()


def test_event_source_response_is_the_responses_one():
    from fastcore import responses

    assert sse.EventSourceResponse is responses.EventSourceResponse
    assert issubclass(sse.EventSourceResponse, responses.StreamingResponse)
    response = sse.EventSourceResponse(iter([b"data: x\n\n"]))
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert "cache-control" not in response.headers  # added for endpoints that yield only


# --- a client that goes away ----------------------------------------------------------------------


class Item(BaseModel):
    n: int


def disconnect_app(log: list[str]) -> Any:
    app = fastcore.FastAPI()

    @app.get("/sse", response_class=sse.EventSourceResponse)
    async def events() -> AsyncIterable[Item]:
        log.append("sse start")
        try:
            n = 0
            while True:
                yield {"n": n}
                n += 1
                if n % 2 == 0:
                    await asyncio.sleep(0)  # paused at an await, or at a yield
        finally:
            log.append("sse finally")

    @app.get("/jsonl")
    async def lines():
        log.append("jsonl start")
        try:
            n = 0
            while True:
                yield {"n": n}
                n += 1
                if n % 2 == 0:
                    await asyncio.sleep(0)
        finally:
            log.append("jsonl finally")

    @app.get("/jsonl-sync")
    def sync_lines():
        log.append("sync start")
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            log.append("sync finally")

    @app.get("/sse-waiting", response_class=sse.EventSourceResponse)
    async def waiting():
        log.append("waiting start")
        try:
            yield 1
            await asyncio.sleep(3600)
        finally:
            log.append("waiting finally")

    return app


async def stream_then_leave(app: Any, path: str, bodies: int, spec_version: str) -> list[bytes]:
    """Drive one request until ``bodies`` body messages were sent, then leave.

    With ASGI spec 2.4 the server reports a closed connection by raising ``OSError`` from
    ``send``; with older versions by answering ``receive`` with ``http.disconnect``.
    """
    sent: list[bytes] = []
    gone = anyio.Event()
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if gone.is_set():
            if spec_version == "2.4":
                raise OSError("connection closed")
            return
        if message["type"] == "http.response.body":
            sent.append(message["body"])
            if len(sent) >= bodies:
                gone.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec_version},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }
    with anyio.fail_after(5):
        try:
            await app(scope, receive, send)
        except BaseException as error:
            if not _only_disconnects(error):
                raise
    return sent


def _only_disconnects(error: BaseException) -> bool:
    from starlette.requests import ClientDisconnect

    if isinstance(error, BaseExceptionGroup):
        return all(_only_disconnects(inner) for inner in error.exceptions)
    return isinstance(error, ClientDisconnect)


@pytest.mark.parametrize("spec_version", ["2.3", "2.4"])
@pytest.mark.parametrize("path", ["/sse", "/jsonl", "/jsonl-sync", "/sse-waiting"])
def test_leaving_client_closes_the_generator(path, spec_version, monkeypatch):
    # Under ASGI 2.4 an idle event stream learns that the client left from the next
    # keep-alive comment it fails to send.
    monkeypatch.setattr(sse, "_PING_INTERVAL", 0.1)
    log: list[str] = []
    app = disconnect_app(log)

    async def scenario() -> None:
        before = len(asyncio.all_tasks())
        sent = await stream_then_leave(app, path, 3 if path != "/sse-waiting" else 1, spec_version)
        assert sent
        name = log[0].removesuffix(" start")
        assert log == [f"{name} start", f"{name} finally"]
        await asyncio.sleep(0)
        assert len(asyncio.all_tasks()) == before  # no producer task left behind

    anyio.run(scenario)


def test_stream_items_are_not_inspected_per_request():
    """The plan says once whether and how a route streams."""
    app = build_app(fastcore, [])
    plans = {route.path: route.plan for route in app.routes if hasattr(route, "plan")}
    assert plans["/jsonl/values"].stream.kind == "json lines"
    assert plans["/sse/values"].stream.kind == "events"
    assert plans["/raw/streaming"].stream.kind == "own class"
    assert plans["/raw/returned"].stream is None
    assert plans["/jsonl/typed"].stream.item_type.__name__ == "Item"
    assert plans["/sse/event-annotation"].stream.item_type is None
    assert plans["/raw/explicit-json"].stream.kind == "own class"
    assert plans["/raw/explicit-json-sync"].stream.item_type is None  # not a stream of items


def test_json_of_undeclared_items_matches_json_dumps():
    """Undeclared items are written as ``json.dumps`` writes ``jsonable_encoder``'s output."""
    app = fastcore.FastAPI()
    values = [{"a": [1, 2.5, "é"]}, "x", 0, 1e100, -0.0, {"k": {"n": None}}]

    @app.get("/values")
    async def each():
        for value in values:
            yield value

    with TestClient(app) as client:
        lines = client.get("/values").content.split(b"\n")[:-1]
    assert lines == [json.dumps(value).encode() for value in values]
