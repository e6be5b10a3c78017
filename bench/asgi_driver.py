"""Call an ASGI app in-process, with no server or socket, and time it.

Used by the benchmarks to measure the framework alone: one prepared scope
per request, a receive that hands over an empty body, a send that drops
the response after checking its status.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any


def http_scope(
    path: str,
    method: str = "GET",
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"bench"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def call(app: Callable[..., Any], scope: dict[str, Any], body: bytes = b"") -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    return status


def median_microseconds(
    app: Callable[..., Any],
    scope: dict[str, Any],
    requests: int = 2000,
    repeats: int = 5,
    body: bytes = b"",
) -> float:
    """Median over ``repeats`` runs of the mean time per request, in µs."""

    async def run() -> list[float]:
        status = await call(app, scope, body)
        if status != 200:
            raise AssertionError(f"{scope['path']} answered {status}")
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(requests):
                await call(app, scope, body)
            timings.append((time.perf_counter() - start) / requests * 1e6)
        return timings

    return statistics.median(asyncio.run(run()))
