"""Call an ASGI app with a request exactly as given, as a server would pass it on.

HTTP clients (httpx, so the TestClient too) tidy paths before sending them: ``..``
segments are resolved away. Tests of paths that try to leave a served directory need
the raw path to reach the app, so they build the scope themselves.
"""

from __future__ import annotations

import asyncio
from typing import Any


async def raw_get(app: Any, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """``GET path`` with ``headers``; the status and the whole body."""
    messages: list[dict[str, Any]] = []
    sent_headers = [(b"host", b"testserver")]
    sent_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": sent_headers,
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "state": {},
    }
    requested = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if requested.is_set():  # the client stays until the response is over
            await asyncio.Event().wait()
        requested.set()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    body = b"".join(message.get("body", b"") for message in messages[1:])
    return messages[0]["status"], body


def get(app: Any, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    return asyncio.run(raw_get(app, path, headers))
