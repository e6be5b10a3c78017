"""OpenTelemetry (``FastAPI(telemetry=...)``), side by side with FastAPI.

The same app is built with ``fastapi`` and with ``fastcore``, each recording
into its own in-memory OpenTelemetry SDK providers (``InMemorySpanExporter``,
``InMemoryMetricReader``, ``InMemoryLogRecordExporter``). Every request goes
to both and must leave the same server spans (name, kind, status,
attributes, parent), the same metric points (name, unit, description, kind,
attributes, count: never timings) and the same log records (severity, body,
event name, attributes, trace). What fastcore does not record on purpose is
left out of the comparison and said where: FastAPI's operation spans
(``fastapi.dependencies``, ``fastapi.endpoint``, ...), and the
instrumentation scope, which names the library that recorded (``fastcore``).

Then the settings, ``get_telemetry_data``, invalid settings, and in
subprocesses (global providers are set once per process): the global
providers by default, ``auto_configure``, an app whose providers are never
configured (the wrapper leaves the stack) and fastcore without OpenTelemetry
installed (nothing wrapped, nothing fails).
"""

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-api and opentelemetry-sdk")

from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor  # noqa: E402
from opentelemetry.sdk._logs.export import (  # noqa: E402
    InMemoryLogRecordExporter,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)
from pydantic import BaseModel  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

import fastcore  # noqa: E402
import fastcore.responses  # noqa: E402
import fastcore.telemetry  # noqa: E402
import fastcore.testclient  # noqa: E402
from fastcore.telemetry._asgi import TelemetryMiddleware  # noqa: E402

fastapi = pytest.importorskip("fastapi")
for _submodule in ("responses", "telemetry", "testclient"):  # reached as fw.<submodule>
    pytest.importorskip(f"fastapi.{_submodule}")

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = (fastapi, fastcore)
# FastAPI's spans around dependency resolution, the endpoint, serialization and
# background tasks: fastcore does not record them (see docs/telemetry.md).
OPERATION_SPANS = ("fastapi.dependencies", "fastapi.endpoint", "fastapi.serialization")
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class Boom(Exception):
    """An exception from outside ``builtins``: its ``error.type`` names the module."""


class Item(BaseModel):
    name: str
    size: int = 0


class Recorder:
    """In-memory OpenTelemetry providers for one app."""

    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.logs = InMemoryLogRecordExporter()
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))
        self._seen: dict[Any, Any] = {}

    def config(self, **settings: Any) -> dict[str, Any]:
        return {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
            **settings,
        }

    def take(self) -> dict[str, Any]:
        """What was recorded since the last call, in a comparable form."""
        spans = [s for s in self.spans.get_finished_spans() if s.name not in OPERATION_SPANS]
        self.spans.clear()
        ids = {span.context.span_id: f"span {n}" for n, span in enumerate(spans)}
        taken_spans = []
        for span in spans:
            parent = None
            if span.parent is not None:
                parent = ids.get(span.parent.span_id, f"{span.parent.span_id:x}")
                parent += " (remote)" if span.parent.is_remote else ""
            taken_spans.append(
                {
                    "name": span.name,
                    "kind": span.kind.name,
                    "status": span.status.status_code.name,
                    "description": span.status.description,
                    "attributes": dict(span.attributes or {}),
                    "events": [event.name for event in span.events],
                    "parent": parent,
                    "trace": f"{span.context.trace_id:x}" if parent else "own",
                }
            )
        points = []
        data = self.reader.get_metrics_data()
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    for point in metric.data.data_points:
                        key = (metric.name, tuple(sorted(point.attributes.items())))
                        value = getattr(point, "count", None), getattr(point, "value", None)
                        bounds = getattr(point, "explicit_bounds", None)
                        if self._seen.get(key) == value:
                            continue
                        self._seen[key] = value
                        points.append(
                            {
                                "name": metric.name,
                                "unit": metric.unit,
                                "description": metric.description,
                                "kind": type(metric.data).__name__,
                                "attributes": dict(point.attributes),
                                "value": value,
                                "bounds": list(bounds) if bounds is not None else None,
                            }
                        )
        records = []
        for finished in self.logs.get_finished_logs():
            record = finished.log_record
            attributes = dict(record.attributes or {})
            stacktrace = attributes.pop("exception.stacktrace", None)
            records.append(
                {
                    "severity": (record.severity_text, record.severity_number),
                    "body": record.body,
                    "event": record.event_name,
                    "attributes": attributes,
                    "stacktrace": None
                    if stacktrace is None
                    else stacktrace.startswith("Traceback (most recent call last):"),
                    "in span": ids.get(record.span_id, record.span_id or None),
                }
            )
        self.logs.clear()
        return {
            "spans": taken_spans,
            "metrics": sorted(points, key=lambda point: json.dumps(point, sort_keys=True)),
            "logs": records,
        }


def build_app(fw: ModuleType, telemetry: Any, recorded: list[Any] | None = None) -> Any:
    """The app both frameworks serve: most of what decides a span's name and attributes."""
    app = fw.FastAPI(telemetry=telemetry)

    def dep(q: int = 0) -> int:
        return q

    @app.get("/items/{item_id}")
    def read_item(item_id: int, q: int = fw.Depends(dep)) -> dict[str, int]:
        if recorded is not None:
            recorded.append(fw.telemetry.get_telemetry_data())
        return {"item_id": item_id, "q": q}

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/teapot")
    def teapot() -> None:
        raise fw.HTTPException(status_code=418, detail="teapot")

    @app.get("/unavailable")
    def unavailable() -> None:
        raise fw.HTTPException(status_code=503)

    @app.get("/returned-500")
    def returned_500() -> Any:
        return fw.responses.JSONResponse({"ok": False}, status_code=500)

    @app.get("/value-error")
    def value_error() -> None:
        raise ValueError("bad value")

    @app.get("/boom")
    async def boom() -> None:
        raise Boom("boom!")

    @app.get("/handled")
    def handled() -> None:
        raise KeyError("handled")

    @app.exception_handler(KeyError)
    async def key_error(request: Any, exc: KeyError) -> PlainTextResponse:
        return PlainTextResponse("handled", status_code=400)

    @app.api_route("/any", methods=["GET", "PROPFIND"])
    def any_method() -> str:
        return "any"

    @app.get("/hidden", include_in_schema=False)
    def hidden() -> str:
        return "hidden"

    @app.get("/slash/")
    def slash() -> str:
        return "slash"

    @app.get("/convert/{number:int}")
    def convert(number: int) -> int:
        return number

    inner = fw.APIRouter(prefix="/inner")

    @inner.get("/{thing_id}/detail")
    def detail(thing_id: int) -> int:
        return thing_id

    middle = fw.APIRouter()
    middle.include_router(inner, prefix="/middle")
    app.include_router(middle, prefix="/v1")
    app.include_router(middle, prefix="/v2")

    sub = fw.FastAPI()

    @sub.get("/things/{name}")
    def sub_thing(name: str) -> str:
        return name

    app.mount("/tenants/{tenant}", sub)

    async def plain(request: Any) -> PlainTextResponse:
        return PlainTextResponse("plain")

    app.router.routes.append(Route("/starlette/{part}", plain))

    @app.websocket("/ws/{room}")
    async def ws(websocket: fw.WebSocket, room: str) -> None:
        if recorded is not None:
            recorded.append(fw.telemetry.get_telemetry_data())
        await websocket.accept()
        message = await websocket.receive_text()
        if message == "boom":
            raise Boom("ws boom")
        if message == "wait":
            await websocket.receive_text()
        await websocket.send_text(message)
        await websocket.close()

    @app.websocket("/ws-number/{number}")
    async def ws_number(websocket: fw.WebSocket, number: int) -> None:
        await websocket.accept()
        await websocket.close()

    @app.middleware("http")
    async def short_circuit(request: Any, call_next: Any) -> Any:
        if request.url.path == "/blocked":
            return PlainTextResponse("blocked", status_code=403)
        if request.url.path == "/middleware-error":
            raise RuntimeError("from middleware")
        return await call_next(request)

    return app


@dataclass
class Pair:
    """One app per framework, each with its recorder and client."""

    recorders: dict[str, Recorder]
    clients: dict[str, Any]

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        seen = {}
        for name, client in self.clients.items():
            response = client.request(method, path, follow_redirects=False, **kwargs)
            seen[name] = (response.status_code, self.recorders[name].take())
        return seen


def serve(**settings: Any) -> Iterator[Pair]:
    recorders, clients = {}, {}
    for fw in FRAMEWORKS:
        recorder = Recorder()
        app = build_app(fw, recorder.config(**settings))
        recorders[fw.__name__] = recorder
        clients[fw.__name__] = fw.testclient.TestClient(app, raise_server_exceptions=False)
    for client in clients.values():
        client.__enter__()
    try:
        yield Pair(recorders, clients)
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    yield from serve()


HTTP_REQUESTS = [
    ("GET", "/items/3", {}),
    ("GET", "/items/3?q=4", {}),
    ("GET", "/items/three", {}),
    ("DELETE", "/items/3", {}),
    ("POST", "/items", {"json": {"name": "x"}}),
    ("POST", "/items", {"json": {"size": "big"}}),
    ("GET", "/nowhere", {}),
    ("PUT", "/nowhere", {}),
    ("GET", "/teapot", {}),
    ("GET", "/unavailable", {}),
    ("GET", "/returned-500", {}),
    ("GET", "/value-error", {}),
    ("GET", "/boom", {}),
    ("GET", "/handled", {}),
    ("GET", "/any", {}),
    ("HEAD", "/any", {}),
    ("PROPFIND", "/any", {}),
    ("QUERY", "/nowhere", {}),
    ("GET", "/hidden", {}),
    ("GET", "/slash", {}),
    ("GET", "/convert/12", {}),
    ("GET", "/v1/middle/inner/5/detail", {}),
    ("GET", "/v2/middle/inner/5/detail", {}),
    ("GET", "/v2/middle/inner/five/detail", {}),
    ("GET", "/tenants/acme/things/bolt", {}),
    ("GET", "/tenants/acme/nothing", {}),
    ("GET", "/starlette/abc", {}),
    ("GET", "/blocked", {}),
    ("GET", "/middleware-error", {}),
    ("GET", "/docs", {}),
    ("GET", "/items/3?sig=s&X-Amz-Signature=a&X-Amz-Credential=c&Signature=kept&b=", {}),
    ("GET", "/items/3?X-Goog-Signature=g&X-Amz-Security-Token=t&a=%ff&a=2&flag", {}),
    ("GET", "/items/3?&&", {}),
    ("GET", "/items/3", {"headers": {"traceparent": TRACEPARENT}}),
    ("GET", "/items/3", {"headers": {"host": "api.example.com:8443"}}),
    ("GET", "/items/3", {"headers": {"host": "[::1]"}}),
    ("GET", "/items/3", {"headers": {"host": "Example.COM:"}}),
    ("GET", "/items/3", {"headers": {"host": "example.com:port"}}),
]


@pytest.mark.parametrize(("method", "path", "options"), HTTP_REQUESTS)
def test_http_requests_are_recorded_like_fastapi(
    pair: Pair, method: str, path: str, options: dict[str, Any]
) -> None:
    seen = pair.request(method, path, **options)
    assert seen["fastcore"] == seen["fastapi"]
    status, recorded = seen["fastcore"]
    assert [span["kind"] for span in recorded["spans"]] == ["SERVER"]


def test_what_is_recorded_for_a_request() -> None:
    """Pinned, so that a FastAPI upgrade changing it shows here and not only as a difference."""
    recorder = Recorder()
    client = fastcore.testclient.TestClient(
        build_app(fastcore, recorder.config()), raise_server_exceptions=False
    )
    assert client.get("/value-error?x=1").status_code == 500
    recorded = recorder.take()
    (span,) = recorded["spans"]
    assert span["name"] == "GET /value-error"
    assert span["status"] == "ERROR"
    assert span["attributes"] == {
        "server.address": "testserver",
        "server.port": 80,
        "url.path": "/value-error",
        "url.query": "x=1",
        "url.scheme": "http",
        "http.request.method": "GET",
        "network.protocol.version": "1.1",
        "http.route": "/value-error",
        "http.response.status_code": 500,
        "error.type": "ValueError",
    }
    duration = next(p for p in recorded["metrics"] if p["name"] == "http.server.request.duration")
    assert (duration["unit"], duration["kind"], duration["value"][0]) == ("s", "Histogram", 1)
    (log,) = recorded["logs"]
    assert log["event"] == "http.server.request.exception"
    assert log["in span"] == "span 0"


def test_root_path_prefixes_the_route_like_fastapi() -> None:
    seen = {}
    for fw in FRAMEWORKS:
        recorder = Recorder()
        client = fw.testclient.TestClient(build_app(fw, recorder.config()), root_path="/api")
        seen[fw.__name__] = client.get("/api/items/3").status_code, recorder.take()
    assert seen["fastcore"] == seen["fastapi"]
    assert seen["fastcore"][1]["spans"][0]["attributes"]["http.route"] == "/api/items/{item_id}"


def websocket_session(client: Any, path: str, messages: list[str], close: int | None) -> str:
    try:
        with client.websocket_connect(path) as websocket:
            for message in messages:
                websocket.send_text(message)
            if close is not None:
                websocket.close(code=close)
                return "closed"
            return str(websocket.receive())
    except Exception as exc:  # the outcome is compared, not raised
        return type(exc).__name__


@pytest.mark.parametrize(
    ("path", "messages", "close"),
    [
        ("/ws/lobby", ["hello"], None),
        ("/ws/lobby", ["boom"], None),
        ("/ws/lobby", ["wait"], 1000),
        ("/ws/lobby", ["wait"], 1001),
        ("/ws/lobby", ["wait"], 4000),
        ("/ws/lobby?sig=1", ["hello"], None),
        ("/ws-number/seven", [], None),
        ("/no-such-socket", [], None),
    ],
)
def test_websockets_are_recorded_like_fastapi(
    pair: Pair, path: str, messages: list[str], close: int | None
) -> None:
    seen = {}
    for name, client in pair.clients.items():
        outcome = websocket_session(client, path, messages, close)
        seen[name] = outcome, pair.recorders[name].take()
    assert seen["fastcore"] == seen["fastapi"]
    assert seen["fastcore"][1]["metrics"] == []  # no HTTP metrics for WebSocket connections


@pytest.mark.parametrize(
    "settings",
    [
        {"tracing": False},
        {"metrics": False},
        {"logs": False},
        {"operation_spans": False},
        {"exclude": lambda scope: scope["path"] in ("/value-error", "/ws/lobby")},
    ],
    ids=["no tracing", "no metrics", "no logs", "no operation spans", "exclude"],
)
def test_settings_switch_off_what_they_name_like_fastapi(settings: dict[str, Any]) -> None:
    served = serve(**settings)
    pair = next(served)
    try:
        for method, path in [("GET", "/items/3"), ("GET", "/items/x"), ("GET", "/value-error")]:
            seen = pair.request(method, path)
            assert seen["fastcore"] == seen["fastapi"], path
        seen = {}
        for name, client in pair.clients.items():
            outcome = websocket_session(client, "/ws/lobby", ["boom"], None)
            seen[name] = outcome, pair.recorders[name].take()
        assert seen["fastcore"] == seen["fastapi"]
    finally:
        served.close()


def test_a_custom_validation_handler_still_logs_the_failure_like_fastapi() -> None:
    seen = {}
    for fw in FRAMEWORKS:
        recorder = Recorder()
        app = build_app(fw, recorder.config())

        @app.exception_handler(fw.exceptions.RequestValidationError)
        def invalid(request: Any, exc: Any) -> PlainTextResponse:  # sync: run in a thread
            return PlainTextResponse("invalid", status_code=400)

        client = fw.testclient.TestClient(app)
        response = client.get("/items/x")
        seen[fw.__name__] = response.status_code, response.text, recorder.take()
    assert seen["fastcore"] == seen["fastapi"]
    assert seen["fastcore"][2]["logs"][0]["event"] == "fastapi.validation.failed"


class DataProcessor(LogRecordProcessor):
    """A log processor reading ``get_telemetry_data`` for the record's context."""

    def __init__(self, module: ModuleType, seen: list[Any]) -> None:
        self.module = module
        self.seen = seen

    def on_emit(self, log_data: Any) -> None:
        record = getattr(log_data, "log_record", log_data)
        self.seen.append(self.module.get_telemetry_data(record.context))

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def test_get_telemetry_data_like_fastapi() -> None:
    seen: dict[str, list[Any]] = {}
    for fw in FRAMEWORKS:
        recorder = Recorder()
        found: list[Any] = []
        recorder.logger_provider.add_log_record_processor(DataProcessor(fw.telemetry, found))
        app = build_app(fw, recorder.config(), recorded=found)
        client = fw.testclient.TestClient(app)
        client.get("/items/3")  # in the endpoint: the request is there
        client.post("/items", json={"size": "big"})  # in the validation log: errors and body
        with client.websocket_connect("/ws/lobby") as websocket:
            websocket.send_text("hi")
            websocket.receive_text()
        found.append(fw.telemetry.get_telemetry_data())  # outside any request
        seen[fw.__name__] = found
    fields = [
        (
            data is not None,
            type(getattr(data, "request", None)).__name__,
            type(getattr(data, "websocket", None)).__name__,
        )
        for data in seen["fastcore"]
    ]
    assert fields == [
        (True, "Request", "NoneType"),
        (True, "Request", "NoneType"),
        (True, "NoneType", "WebSocket"),
        (False, "NoneType", "NoneType"),
    ]
    ours, theirs = seen["fastcore"][1], seen["fastapi"][1]
    assert (ours.body, ours.errors) == (theirs.body, theirs.errors)
    assert ours.errors[0]["type"] == "missing"
    assert type(ours).__name__ == "TelemetryData"
    assert set(ours.__dataclass_fields__) == set(theirs.__dataclass_fields__)


def test_the_public_names_are_fastapis() -> None:
    assert set(fastcore.telemetry.__all__) == {
        name for name in dir(fastapi.telemetry) if not name.startswith("_")
    }
    assert set(fastcore.telemetry.TelemetryConfig.__optional_keys__) == set(
        fastapi.telemetry.TelemetryConfig.__optional_keys__
    )


@pytest.mark.parametrize(
    "telemetry",
    [[lambda: None], "tracing", True, {"tracer_provider": object()}, {"meter_provider": 1}],
    ids=["list", "str", "bool", "not a tracer provider", "not a meter provider"],
)
def test_invalid_settings_fail_like_fastapi(telemetry: Any) -> None:
    """Not a mapping: when the app is made; a provider that is none: on the first request."""
    raised = {}
    for fw in FRAMEWORKS:
        steps = []
        with pytest.raises(Exception) as info:
            app = fw.FastAPI(telemetry=telemetry)
            steps.append("made")
            with fw.testclient.TestClient(app) as client:
                steps.append("started")
                client.get("/")
        raised[fw.__name__] = steps, type(info.value), str(info.value)
    assert raised["fastcore"] == raised["fastapi"]


def middleware_chain(app: Any) -> list[type]:
    chain, layer = [], app.middleware_stack
    while layer is not None and not isinstance(layer, fastcore.APIRouter):
        chain.append(type(layer))
        layer = getattr(layer, "app", None)
    return chain


def test_switched_off_the_middleware_stack_is_the_one_without_telemetry() -> None:
    recorder = Recorder()
    off = {"tracing": False, "metrics": False, "logs": False}
    app = build_app(fastcore, recorder.config(**off))
    assert app._telemetry is None
    with fastcore.testclient.TestClient(app) as client:
        assert client.get("/items/3").status_code == 200
        assert client.get("/items/x").status_code == 422
    reference = build_app(fastcore, recorder.config())
    reference._telemetry = None  # as when OpenTelemetry is not installed
    fastcore.testclient.TestClient(reference).get("/items/3")
    assert middleware_chain(app) == middleware_chain(reference)
    assert TelemetryMiddleware not in middleware_chain(app)
    assert recorder.take() == {"spans": [], "metrics": [], "logs": []}


def run_python(code: str, **environment: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (global providers are set once per process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **environment}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


GLOBAL_PROVIDERS = """
    import json, sys
    from opentelemetry import trace, metrics
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    import {fw} as fw
    from {fw}.testclient import TestClient

    apps = {{
        "no argument": fw.FastAPI(),
        "None": fw.FastAPI(telemetry=None),
        "empty": fw.FastAPI(telemetry={{}}),
        "switched off": fw.FastAPI(telemetry={{"tracing": False, "metrics": False}}),
    }}
    exporter, reader = InMemorySpanExporter(), InMemoryMetricReader()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)  # after the apps are made, before they serve
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    seen = {{}}
    for name, app in apps.items():
        @app.get("/items/{{item_id}}")
        def item(item_id: int):
            return item_id

        with TestClient(app) as client:
            client.get("/items/1")
        data = reader.get_metrics_data()
        points = [
            point.count
            for resource in (data.resource_metrics if data else ())
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == "http.server.request.duration"
            for point in metric.data.data_points
        ]
        spans = [span.name for span in exporter.get_finished_spans()]
        exporter.clear()
        # FastAPI's operation spans: not recorded by fastcore (see the module docstring).
        seen[name] = [[span for span in spans if not span.startswith("fastapi.")], points]
    print(json.dumps(seen))
"""


def test_global_providers_are_used_by_default_like_fastapi() -> None:
    seen = {fw.__name__: run_python(GLOBAL_PROVIDERS.format(fw=fw.__name__)) for fw in FRAMEWORKS}
    assert seen["fastcore"] == seen["fastapi"]
    assert seen["fastcore"]["no argument"] == [["GET /items/{item_id}"], [1]]
    # Switched off: no span, and nothing added to the three requests recorded before.
    assert seen["fastcore"]["switched off"] == [[], [3]]


def test_with_no_provider_configured_the_wrapper_leaves_the_stack() -> None:
    code = """
        import json
        import fastcore
        from fastcore.testclient import TestClient
        from fastcore.telemetry._asgi import TelemetryMiddleware

        app = fastcore.FastAPI()

        @app.get("/")
        def root():
            return 1

        client = TestClient(app)
        first = client.get("/").status_code
        outermost = type(app.middleware_stack).__name__
        print(json.dumps([app._telemetry is not None, first, outermost]))
    """
    # The stack without the wrapper: its outer layer is the server-error layer.
    assert run_python(code) == [True, 200, "ReplayOnError"]


def test_without_opentelemetry_installed_nothing_is_wrapped() -> None:
    code = """
        import json, sys
        sys.modules["opentelemetry"] = None  # as if opentelemetry-api were not installed
        import fastcore
        from fastcore.telemetry import TelemetryConfig, TelemetryData, get_telemetry_data
        from fastcore.testclient import TestClient

        app = fastcore.FastAPI(telemetry=TelemetryConfig(tracing=True, exclude=None))
        seen = []

        @app.get("/items/{item_id}")
        def item(item_id: int):
            seen.append(get_telemetry_data())
            return item_id

        with TestClient(app) as client:
            statuses = [client.get("/items/1").status_code, client.get("/items/x").status_code]
        print(json.dumps([
            app._telemetry is None,
            type(app.middleware_stack).__name__,
            statuses,
            seen,
            TelemetryData().errors,
            "opentelemetry" in str(sys.modules.get("fastcore.telemetry._asgi")),
        ]))
    """
    assert run_python(code) == [True, "ReplayOnError", [200, 422], [None], None, False]


AUTO_CONFIGURE = """
    import json
    from opentelemetry import trace, metrics
    from opentelemetry._logs import get_logger_provider
    import {fw} as fw
    from {fw}.testclient import TestClient

    app = fw.FastAPI({arguments})

    @app.get("/")
    def root():
        return 1

    def described():
        tracer_provider = trace.get_tracer_provider()
        processors = getattr(tracer_provider, "_active_span_processor", None)
        processors = getattr(processors, "_span_processors", ())
        return [
            type(tracer_provider).__name__,
            [(type(p).__name__, type(p.span_exporter).__name__) for p in processors],
            type(metrics.get_meter_provider()).__name__,
            type(get_logger_provider()).__name__,
        ]

    before = described()
    with TestClient(app) as client:
        started = described()
    print(json.dumps([before, started]))
"""


@pytest.mark.parametrize(
    ("arguments", "environment"),
    [
        ("telemetry={'auto_configure': True}", {"OTEL_EXPORTER_OTLP_ENDPOINT": "x"}),
        ("", {"FASTAPI_OTEL_AUTO_CONFIGURE": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "x"}),
        ("", {"FASTAPI_OTEL_AUTO_CONFIGURE": "TRUE", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "x"}),
        ("", {"FASTAPI_OTEL_AUTO_CONFIGURE": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": "x"}),
        (
            "telemetry={'auto_configure': False}",
            {"FASTAPI_OTEL_AUTO_CONFIGURE": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "x"},
        ),
        ("telemetry={'auto_configure': True}", {}),
        (
            "telemetry={'auto_configure': True}",
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": "x",
                "OTEL_METRICS_EXPORTER": "none",
                "OTEL_LOGS_EXPORTER": "none",
            },
        ),
    ],
)
def test_auto_configure_like_fastapi(arguments: str, environment: dict[str, str]) -> None:
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http")
    # An endpoint nobody listens on: nothing is exported before shut-down gives up.
    environment = {
        **{k: "http://127.0.0.1:9" if v == "x" else v for k, v in environment.items()},
        "OTEL_BSP_EXPORT_TIMEOUT": "100",
        "OTEL_EXPORTER_OTLP_TIMEOUT": "0.1",
        "OTEL_METRIC_EXPORT_TIMEOUT": "100",
        "OTEL_BLRP_EXPORT_TIMEOUT": "100",
    }
    for name in ("FASTAPI_OTEL_AUTO_CONFIGURE", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        environment.setdefault(name, "")
    seen = {
        fw.__name__: run_python(
            AUTO_CONFIGURE.format(fw=fw.__name__, arguments=arguments), **environment
        )
        for fw in FRAMEWORKS
    }
    assert seen["fastcore"] == seen["fastapi"]
