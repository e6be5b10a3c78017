"""The public side of telemetry: the settings, the per-request data and how to read it.

Importing this module never imports OpenTelemetry (``import fastcore`` does
not pay for it): until an app records telemetry, ``get_telemetry_data``
simply has nothing to return.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from typing_extensions import TypedDict

if TYPE_CHECKING:
    from opentelemetry._logs import LoggerProvider
    from opentelemetry.context import Context
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

# Where a request's telemetry record sits in its scope (for the exception handlers
# and mounted apps); while it runs, it is in the OpenTelemetry context too, under
# ``fastcore.telemetry._asgi.CONTEXT_KEY``.
SCOPE_KEY = "fastcore.telemetry"
RECORDER = "fastcore.telemetry._asgi"  # imported once an app records: OpenTelemetry is there


class TelemetryConfig(TypedDict, total=False):
    """Settings for ``FastAPI(telemetry={...})``; every key is optional.

    Telemetry is on by default whenever ``opentelemetry-api`` is installed,
    and records through the global OpenTelemetry providers unless providers
    are given here. Nothing is recorded until a provider is configured, and
    providers passed in here are never shut down by fastcore.

    - ``tracer_provider`` / ``meter_provider`` / ``logger_provider``: use
      these instead of the global providers.
    - ``tracing``: a server span per HTTP request and WebSocket connection
      (default ``True``).
    - ``metrics``: the ``http.server.request.duration`` histogram and the
      ``http.server.active_requests`` counter (default ``True``).
    - ``logs``: log records for request validation failures and unhandled
      exceptions, with messages and stack traces (default ``True``).
    - ``operation_spans``: accepted for compatibility; fastcore does not
      emit spans for dependency resolution, endpoints, serialization or
      background tasks yet.
    - ``auto_configure``: when the app starts, add OTLP exporters configured
      by the standard ``OTEL_EXPORTER_OTLP_*`` environment variables
      (default: ``False``, or ``True`` when ``FASTAPI_OTEL_AUTO_CONFIGURE``
      is ``true``; the key, when given, wins over the variable).
    - ``exclude``: called with each ASGI scope; return ``True`` to record
      nothing for that request or connection.
    """

    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider | None
    logger_provider: LoggerProvider | None
    tracing: bool
    metrics: bool
    logs: bool
    operation_spans: bool
    auto_configure: bool
    exclude: Callable[[MutableMapping[str, Any]], bool] | None


@dataclass
class TelemetryData:
    """What fastcore knows about the request or connection being handled.

    Meant for synchronous OpenTelemetry processors (span and log processors)
    running while the request is handled; treat it as read-only, and redact
    before exporting any of it.

    - ``request`` / ``websocket``: the connection, once it has been routed.
    - ``body``: the body that failed validation, on a validation failure.
    - ``values``: not filled by fastcore yet (always ``None``).
    - ``errors``: the validation errors, with the input values, on a
      validation failure.
    """

    request: Request | None = None
    websocket: WebSocket | None = None
    body: Any = None
    values: dict[str, Any] | None = None
    errors: Sequence[Any] | None = None


class RequestTelemetry:
    """The record of one request or connection while it is being handled."""

    __slots__ = ("data", "active", "scope", "receive", "send", "root_path", "route", "owner")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.data = TelemetryData()
        self.active = True
        self.scope = scope
        self.receive = receive
        self.send = send
        # The prefix the app was reached under, before mounts extend it.
        self.root_path: str = scope.get("root_path", "")
        self.route: str | None = None  # the route template, once looked up
        self.owner: Any = None  # the app telemetry recording it

    def current_data(self) -> TelemetryData:
        """The data, with the connection object filled in once a route was chosen."""
        data = self.data
        if data.request is None and data.websocket is None and "route" in self.scope:
            if self.scope["type"] == "http":
                data.request = Request(self.scope, self.receive, self.send)
            else:
                data.websocket = WebSocket(self.scope, self.receive, self.send)
        return data


def get_telemetry_data(context: Context | None = None) -> TelemetryData | None:
    """The ``TelemetryData`` of the request or connection running in ``context``.

    ``context`` defaults to the current OpenTelemetry context; a log
    processor can pass the record's context. Read it synchronously while the
    request or connection is handled: afterwards (or without OpenTelemetry
    installed) this returns ``None``, even for a context kept from then.
    Nothing in it is added to exported spans or logs automatically.
    """
    recorder = sys.modules.get(RECORDER)
    if recorder is None:  # no app records telemetry in this process (or no OpenTelemetry)
        return None
    record = recorder.otel_context.get_value(recorder.CONTEXT_KEY, context)
    if not isinstance(record, RequestTelemetry) or not record.active:
        return None
    return record.current_data()
