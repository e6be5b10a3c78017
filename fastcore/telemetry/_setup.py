"""Deciding, once per app, whether telemetry is on the request path at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastcore.telemetry._asgi import Telemetry


def start_telemetry(config: Mapping[str, Any] | None) -> Telemetry | None:
    """The app's ``Telemetry``, or ``None`` when nothing is to be recorded.

    ``None`` (and so no wrapper, no observed exception handlers: the
    middleware stack is the one built without telemetry) when
    OpenTelemetry is not installed, or when tracing, metrics and logs are
    all switched off. Otherwise the ``Telemetry`` wraps the stack once it is
    built, and takes itself out again if, when the app starts serving, no
    provider has been configured.
    """
    settings = {} if config is None else {**config}  # a non-mapping fails as in FastAPI
    if not any(bool(settings.get(signal, True)) for signal in ("tracing", "metrics", "logs")):
        return None
    try:
        from fastcore.telemetry._asgi import Telemetry
    except ImportError:  # opentelemetry-api is not installed: telemetry is off
        return None
    return Telemetry(settings)
