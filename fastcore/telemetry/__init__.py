"""OpenTelemetry for fastcore apps: server spans, HTTP metrics and logs, as FastAPI records them.

Active whenever ``opentelemetry-api`` is installed (``pip install
fastcore[telemetry]``) and an OpenTelemetry provider is configured; tune it
with ``FastAPI(telemetry=TelemetryConfig(...))``. See ``docs/telemetry.md``.
"""

from fastcore.telemetry._api import TelemetryConfig, TelemetryData, get_telemetry_data

__all__ = ["TelemetryConfig", "TelemetryData", "get_telemetry_data"]
