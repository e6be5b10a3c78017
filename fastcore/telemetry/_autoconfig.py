"""``auto_configure``: OTLP exporters from the standard environment variables.

When the app starts (lifespan startup), each signal that fastcore records
through a global provider and that has an OTLP endpoint configured
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT``,
and ``OTEL_{TRACES,METRICS,LOGS}_EXPORTER`` not ``none``) gets an OTLP/HTTP
exporter: added to the global SDK provider if one is set, else in a new SDK
provider that becomes the global one. When the app shuts down, providers
created here are shut down and exporters added here are flushed; providers
the application set up itself are never shut down.

Needs ``opentelemetry-sdk`` and ``opentelemetry-exporter-otlp-proto-http``;
without them a warning is logged and the app runs on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from fastcore.logger import logger

ENVIRONMENT_SWITCH = "FASTAPI_OTEL_AUTO_CONFIGURE"


def _exports(signal: str) -> bool:
    """Whether the environment asks for OTLP export of ``signal`` (traces, metrics, logs)."""
    chosen = os.environ.get(f"OTEL_{signal.upper()}_EXPORTER")
    if chosen is not None:
        names = {name.strip().lower() for name in chosen.split(",")}
        if "otlp" not in names:
            return False
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT")
    )


class AutoConfiguration:
    """The exporters one app adds at start-up, and what to close at shut-down."""

    def __init__(self, signals: tuple[str, ...]) -> None:
        self.signals = signals
        self._created: list[Any] = []  # providers made here: shut down at the end
        self._added: list[Any] = []  # processors/readers added to existing providers: flushed

    @classmethod
    def requested(
        cls, settings: Mapping[str, Any], *, traces: bool, metrics: bool, logs: bool
    ) -> AutoConfiguration | None:
        wanted = settings.get("auto_configure")
        if wanted is None:
            wanted = os.environ.get(ENVIRONMENT_SWITCH, "").strip().lower() == "true"
        if not wanted:
            return None
        signals = tuple(
            name for name, on in (("traces", traces), ("metrics", metrics), ("logs", logs)) if on
        )
        return cls(signals) if signals else None

    def start(self) -> None:
        signals = [signal for signal in self.signals if _exports(signal)]
        if not signals:
            return
        try:
            for signal in signals:
                getattr(self, f"_start_{signal}")()
        except ImportError:
            logger.warning(
                "fastcore could not set up telemetry export: OTLP export from environment "
                "variables needs the opentelemetry-sdk and opentelemetry-exporter-otlp-proto-http "
                "packages. Install them, configure the OpenTelemetry providers yourself, or pass "
                "telemetry={'auto_configure': False}."
            )

    def _start_traces(self) -> None:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        processor = BatchSpanProcessor(OTLPSpanExporter())
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):
            current.add_span_processor(processor)
            self._added.append(processor)
        else:
            provider = TracerProvider()
            provider.add_span_processor(processor)
            trace.set_tracer_provider(provider)
            self._created.append(provider)

    def _start_metrics(self) -> None:
        from opentelemetry import metrics
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        reader = PeriodicExportingMetricReader(OTLPMetricExporter())
        current = metrics.get_meter_provider()
        if isinstance(current, MeterProvider):
            current.add_metric_reader(reader)
            self._added.append(reader)
        else:
            provider = MeterProvider(metric_readers=[reader])
            metrics.set_meter_provider(provider)
            self._created.append(provider)

    def _start_logs(self) -> None:
        from opentelemetry._logs import get_logger_provider, set_logger_provider
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.sdk._logs import LoggerProvider
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor

        processor = BatchLogRecordProcessor(OTLPLogExporter())
        current = get_logger_provider()
        if isinstance(current, LoggerProvider):
            current.add_log_record_processor(processor)
            self._added.append(processor)
        else:
            provider = LoggerProvider()
            provider.add_log_record_processor(processor)
            set_logger_provider(provider)
            self._created.append(provider)

    def stop(self) -> None:
        added, self._added = self._added, []
        created, self._created = self._created, []
        for part in added:
            part.force_flush()
        for provider in created:
            provider.shutdown()
