"""Recording requests: the ASGI wrapper around an app's whole middleware stack.

Imported only when OpenTelemetry is installed and telemetry is not switched
off (see ``fastcore.telemetry._setup``); otherwise none of this is on the
request path.

One ``TelemetryMiddleware`` wraps the app's middleware stack (outside
``ServerErrorMiddleware``, so the span covers user middleware, exception
handlers and the 500 response). Per HTTP request it opens a ``SERVER`` span
named ``"{method} {route}"``, counts the request as active, and when the
response is done records ``http.server.request.duration``; per WebSocket
connection it opens a ``"WS {route}"`` span. The route template is looked up
once the request has been routed (``fastcore.telemetry._routes``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from time import perf_counter, time_ns
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry._logs import SeverityNumber, get_logger, get_logger_provider
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect

from fastcore._dispatch import route_path
from fastcore.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastcore.telemetry._api import SCOPE_KEY, RequestTelemetry
from fastcore.telemetry._autoconfig import AutoConfiguration
from fastcore.telemetry._routes import RouteTemplates

# The request's record in the OpenTelemetry context, for get_telemetry_data.
CONTEXT_KEY = otel_context.create_key("fastcore-telemetry-data")
SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0"
# Any other method is reported as "_OTHER" (its own spelling goes to method_original).
KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY")
)
# Query parameters whose values never leave the process.
REDACTED_QUERY_KEYS = frozenset(
    ("sig", "X-Goog-Signature", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token")
)
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
NORMAL_CLOSE_CODES = (1000, 1001)  # a WebSocket client leaving normally is not an error
# The log record of an unhandled exception: (body, event name), for HTTP (False) and WebSocket.
UNHANDLED = {
    False: ("Unhandled exception in FastAPI request", "http.server.request.exception"),
    True: ("Unhandled exception in FastAPI WebSocket connection", "fastapi.websocket.exception"),
}


class _HeaderGetter(Getter[Any]):
    """Reads propagation headers (``traceparent``, ...) from ASGI's header list."""

    def get(self, carrier: Any, key: str) -> list[str] | None:
        name = key.lower().encode("latin-1")
        values = [value.decode("latin-1") for header, value in carrier if header == name]
        return values or None

    def keys(self, carrier: Any) -> list[str]:
        return [header.decode("latin-1") for header, _ in carrier]


HEADERS = _HeaderGetter()


def exception_type(exc: BaseException) -> str:
    """``error.type``: a builtin's bare name, anything else with its module."""
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_placeholder(provider: Any) -> bool:
    """Whether a global provider is still OpenTelemetry's stand-in (nothing configured)."""
    return type(provider).__name__.lstrip("_").startswith("Proxy")


def server_attributes(scope: Scope, attributes: dict[str, Any]) -> None:
    """``server.address`` and ``server.port``, from the Host header or else the scope."""
    host = None
    for name, value in scope.get("headers") or ():
        if name == b"host":
            host = value.decode("latin-1")
            break
    if host is None:
        server = scope.get("server")
        if server:
            attributes["server.address"] = server[0]
            if server[1] is not None:
                attributes["server.port"] = server[1]
        return
    try:
        parts = urlsplit("//" + host)
        address, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, or out of range
        return
    if not address:
        return
    attributes["server.address"] = address
    if port is None:
        port = DEFAULT_PORTS.get(scope.get("scheme", ""))
    if port is not None:
        attributes["server.port"] = port


def redacted_query(query_string: bytes) -> str:
    """The query string as recorded: re-encoded, with signature-like values hidden."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="replace")
    return urlencode(
        [(key, "REDACTED" if key in REDACTED_QUERY_KEYS else value) for key, value in pairs]
    )


class Telemetry:
    """An application's telemetry: its settings, instruments and route lookup."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.exclude: Callable[[Scope], bool] | None = settings.get("exclude")
        tracing = bool(settings.get("tracing", True))
        measuring = bool(settings.get("metrics", True))
        logging = bool(settings.get("logs", True))
        tracer_provider = settings.get("tracer_provider")
        meter_provider = settings.get("meter_provider")
        logger_provider = settings.get("logger_provider")
        # Providers given in the settings are used as they are; the global
        # ones may still be OpenTelemetry's stand-ins, which start recording
        # once an application configures them.
        self._globals: list[Callable[[], Any]] = []
        self._given = False
        for enabled, given, getter in (
            (tracing, tracer_provider, trace.get_tracer_provider),
            (measuring, meter_provider, metrics.get_meter_provider),
            (logging, logger_provider, get_logger_provider),
        ):
            if enabled:
                if given is None:
                    self._globals.append(getter)
                else:
                    self._given = True
        # Providers are asked for their tracer, meter and logger on the first request.
        self._providers = (
            (tracer_provider, tracing),
            (meter_provider, measuring),
            (logger_provider, logging),
        )
        self.tracer: Any = None
        self.duration: Any = None
        self.active_requests: Any = None
        self.logger: Any = None
        self._started = False
        self.auto_configuration = AutoConfiguration.requested(
            settings,
            traces=tracing and tracer_provider is None,
            metrics=measuring and meter_provider is None,
            logs=logging and logger_provider is None,
        )
        self.routes: RouteTemplates | None = None
        self.router: Any = None

    def configured(self) -> bool:
        """Whether anything would be recorded: a provider was given or set globally."""
        return self._given or any(not _is_placeholder(get()) for get in self._globals)

    def start(self) -> None:
        """Get the tracer, instruments and logger (a global stand-in binds itself later)."""
        from fastcore import __version__

        if self._started:
            return
        (tracer_provider, tracing), (meter_provider, measuring), (logger_provider, logging) = (
            self._providers
        )
        if tracing:
            self.tracer = trace.get_tracer(
                "fastcore", __version__, tracer_provider=tracer_provider, schema_url=SCHEMA_URL
            )
        if measuring:
            meter = metrics.get_meter(
                "fastcore", __version__, meter_provider=meter_provider, schema_url=SCHEMA_URL
            )
            self.duration = meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Duration of HTTP server requests.",
                explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
            )
            self.active_requests = meter.create_up_down_counter(
                "http.server.active_requests",
                unit="{request}",
                description="Number of active HTTP server requests.",
            )
        if logging:
            self.logger = get_logger(
                "fastcore", __version__, logger_provider=logger_provider, schema_url=SCHEMA_URL
            )
        self._started = True

    # -- building the app ---------------------------------------------------

    def build_stack(self, app: Any, build: Callable[[], ASGIApp]) -> ASGIApp:
        """``build()`` the app's middleware stack, observed, and wrap it."""
        self.router = app.router
        self.routes = RouteTemplates(app.router)
        handlers = app.exception_handlers
        observed = dict(handlers)
        for error in (RequestValidationError, WebSocketRequestValidationError):
            if error in handlers:
                observed[error] = _observe_validation(handlers[error])
        app.exception_handlers = observed  # read by Starlette while it builds the stack
        try:
            stack = build()
        finally:
            app.exception_handlers = handlers
        return TelemetryMiddleware(stack, self, app)

    # -- per request ----------------------------------------------------------

    def route_of(self, record: RequestTelemetry, status: int | None = None) -> str | None:
        """The template the request was routed to, prefixed with the app's root path."""
        if record.route is not None:
            return record.route
        scope = record.scope
        route = scope.get("route")
        root = record.root_path
        path: str = scope["path"]
        relative = route_path({"path": path, "root_path": root}) if root else path
        if route is None:
            if status != 307 or scope["type"] != "http":
                return None
            route, relative = self._redirected_to(scope, relative)
            if route is None:
                return None
        assert self.routes is not None
        template = self.routes.template(route, relative)
        if template is not None:
            record.route = root + template
        return record.route

    def _redirected_to(self, scope: Scope, path: str) -> tuple[Any, str]:
        """For a ``redirect_slashes`` redirect: the route the client is sent to."""
        method = scope["method"]
        try:
            from fastcore._core import routing as core

            tables = self.router._current_tables()
            if tables is None:  # a router with Host routes matches as Starlette does
                probe = dict(scope)
                full = scope["path"]
                probe["path"] = full[:-1] if full.endswith("/") else full + "/"
                target = path[:-1] if path.endswith("/") else path + "/"
                for route in self.router.routes:
                    if route.matches(probe)[0] == Match.FULL:
                        return getattr(route, "included_from", route), target
                return None, path
            outcome, _, _, target = tables.http.match(method, path)
            if outcome != core.REDIRECT:
                return None, path
            outcome, route, _, _ = tables.http.match(method, target)
            if outcome != core.FOUND:
                return None, path
            return getattr(route, "included_from", route), target
        except Exception:  # the router's internals changed: no template, nothing worse
            return None, path

    def validation_failed(self, record: RequestTelemetry, connection: Any, exc: Any) -> None:
        errors = exc.errors()
        data = record.data
        if record.scope["type"] == "http":
            data.request = connection
        else:
            data.websocket = connection
        data.body = getattr(exc, "body", None)
        data.errors = errors
        if self.logger is None:
            return
        attributes: dict[str, Any] = {"fastapi.validation.error_count": len(errors)}
        route = self.route_of(record)
        if route is not None:
            attributes["http.route"] = route
        self.logger.emit(
            timestamp=time_ns(),
            context=otel_context.get_current(),
            severity_number=SeverityNumber.WARN,
            severity_text="WARN",
            body="Request validation failed",
            attributes=attributes,
            event_name="fastapi.validation.failed",
        )

    def unhandled(self, record: RequestTelemetry, exc: BaseException, websocket: bool) -> None:
        if self.logger is None:
            return
        attributes: dict[str, Any] = {
            "exception.type": exception_type(exc),
            "exception.message": str(exc),
            "exception.stacktrace": "".join(traceback.format_exception(exc)),
        }
        route = self.route_of(record)
        if route is not None:
            attributes["http.route"] = route
        body, event = UNHANDLED[websocket]
        self.logger.emit(
            timestamp=time_ns(),
            context=otel_context.get_current(),
            severity_number=SeverityNumber.ERROR,
            severity_text="ERROR",
            body=body,
            attributes=attributes,
            event_name=event,
        )


def _observe_validation(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler``, first telling the request's telemetry that validation failed."""
    from starlette._utils import is_async_callable

    is_async = is_async_callable(handler)

    async def observed(connection: Any, exc: Any) -> Any:
        record = connection.scope.get(SCOPE_KEY)
        if isinstance(record, RequestTelemetry) and record.active:
            record.owner.validation_failed(record, connection, exc)
        if is_async:
            return await handler(connection, exc)
        return await run_in_threadpool(handler, connection, exc)

    return observed


class TelemetryMiddleware:
    """Wraps an app's middleware stack; records each request and WebSocket connection."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry, owner: Any) -> None:
        self.app = app
        self.telemetry = telemetry
        self.owner = owner
        self.recording = False  # until the first request finds a provider configured

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(scope, receive, send)
        elif not self.recording and not self._start():
            await self.app(scope, receive, send)
        elif SCOPE_KEY in scope:  # an app mounted in a recorded app: recorded there
            await self.app(scope, receive, send)
        elif self.telemetry.exclude is not None and self.telemetry.exclude(scope):
            await self.app(scope, receive, send)
        elif kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _start(self) -> bool:
        """On the first request: start recording, or leave if there is nothing to record."""
        if not self._settle():
            return False
        self.telemetry.start()
        self.recording = True
        return True

    def _settle(self) -> bool:
        """Decide, when the app starts serving, whether there is anything to record.

        With no provider configured by then (after lifespan startup, or at the
        first request), this wrapper takes itself out of the app: from there
        on requests cost exactly what they cost without telemetry.
        """
        if self.telemetry.configured():
            return True
        if self.owner.middleware_stack is self:
            self.owner.middleware_stack = self.app
        return False

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        auto = self.telemetry.auto_configuration

        async def receive_startup() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup" and auto is not None:
                auto.start()
            return message

        async def send_started(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete" and not self.recording:
                self._settle()
            elif message["type"].startswith("lifespan.shutdown.") and auto is not None:
                auto.stop()
            await send(message)

        await self.app(scope, receive_startup, send_started)

    def _begin(self, scope: Scope, receive: Receive, send: Send) -> RequestTelemetry:
        record = RequestTelemetry(scope, receive, send)
        record.owner = self.telemetry
        scope[SCOPE_KEY] = record
        return record

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        telemetry = self.telemetry
        record = self._begin(scope, receive, send)
        original_method: str = scope["method"]
        method = original_method if original_method in KNOWN_METHODS else "_OTHER"
        scheme: str = scope.get("scheme", "http")
        version: str = scope.get("http_version", "1.1")
        status: int | None = None

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        name = "HTTP" if method == "_OTHER" else method
        span = None
        if telemetry.tracer is not None:
            attributes: dict[str, Any] = {}
            server_attributes(scope, attributes)
            attributes["url.path"] = scope["path"]
            query_string = scope.get("query_string")
            if query_string:
                attributes["url.query"] = redacted_query(query_string)
            if method == "_OTHER":
                attributes["http.request.method_original"] = original_method
            attributes["url.scheme"] = scheme
            attributes["http.request.method"] = method
            attributes["network.protocol.version"] = version
            parent = propagate.extract(scope.get("headers") or [], getter=HEADERS)
            span = telemetry.tracer.start_span(
                name, parent, kind=SpanKind.SERVER, attributes=attributes
            )
            context = trace.set_span_in_context(span, parent)
        else:
            context = otel_context.get_current()
        token = otel_context.attach(otel_context.set_value(CONTEXT_KEY, record, context))
        active = telemetry.active_requests
        if active is not None:
            active.add(1, {"url.scheme": scheme, "http.request.method": method})
        started = perf_counter()
        error: str | None = None
        try:
            await self.app(scope, receive, send_observed)
        except Exception as exc:
            error = exception_type(exc)
            telemetry.unhandled(record, exc, websocket=False)
            raise
        finally:
            elapsed = perf_counter() - started
            if error is None and status is not None and status >= 500:
                error = str(status)
            route = telemetry.route_of(record, status)
            if span is not None:
                finished: dict[str, Any] = {}
                if route is not None:
                    span.update_name(f"{name} {route}")
                    finished["http.route"] = route
                if status is not None:
                    finished["http.response.status_code"] = status
                if error is not None:
                    finished["error.type"] = error
                    span.set_status(Status(StatusCode.ERROR))
                span.set_attributes(finished)
                span.end()
            if telemetry.duration is not None:
                measured: dict[str, Any] = {
                    "url.scheme": scheme,
                    "http.request.method": method,
                    "network.protocol.version": version,
                }
                if route is not None:
                    measured["http.route"] = route
                if status is not None:
                    measured["http.response.status_code"] = status
                if error is not None:
                    measured["error.type"] = error
                telemetry.duration.record(elapsed, measured)
            if active is not None:
                active.add(-1, {"url.scheme": scheme, "http.request.method": method})
            record.active = False
            otel_context.detach(token)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        telemetry = self.telemetry
        record = self._begin(scope, receive, send)
        span = None
        if telemetry.tracer is not None:
            attributes: dict[str, Any] = {}
            server_attributes(scope, attributes)
            attributes["url.scheme"] = scope.get("scheme", "ws")
            attributes["network.protocol.name"] = "websocket"
            parent = propagate.extract(scope.get("headers") or [], getter=HEADERS)
            span = telemetry.tracer.start_span(
                "WS", parent, kind=SpanKind.SERVER, attributes=attributes
            )
            context = trace.set_span_in_context(span, parent)
        else:
            context = otel_context.get_current()
        token = otel_context.attach(otel_context.set_value(CONTEXT_KEY, record, context))
        error: str | None = None
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if not (isinstance(exc, WebSocketDisconnect) and exc.code in NORMAL_CLOSE_CODES):
                error = exception_type(exc)
                telemetry.unhandled(record, exc, websocket=True)
            raise
        finally:
            route = telemetry.route_of(record)
            if span is not None:
                if route is not None:
                    span.update_name(f"WS {route}")
                    span.set_attribute("http.route", route)
                if error is not None:
                    span.set_attribute("error.type", error)
                    span.set_status(Status(StatusCode.ERROR))
                span.end()
            record.active = False
            otel_context.detach(token)
