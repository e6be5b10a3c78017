"""Drive an ASGI app in-process, with no server and no socket.

The benchmarks measure the framework alone: a prepared scope per request
(copied, since frameworks write into it), a ``receive`` that hands over the
body once and then reports a disconnect, and a ``send`` that keeps only what
is asked of it. Lifespan start-up and shutdown are driven the way a server
drives them, so apps that do work at start-up (BlackSheep builds its OpenAPI
document then) are ready before the first request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

App = Callable[..., Awaitable[None]]
Message = dict[str, Any]

_DISCONNECT = {"type": "http.disconnect"}


def http_scope(
    method: str, path: str, query: str = "", headers: tuple[tuple[bytes, bytes], ...] = ()
) -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


def websocket_scope(path: str) -> Message:
    scope = http_scope("GET", path)
    del scope["method"]
    scope.update(type="websocket", scheme="ws", subprotocols=[])
    return scope


class Lifespan:
    """``async with Lifespan(app):`` runs the app's start-up, then its shutdown on exit.

    Apps that do not support the lifespan protocol (they raise) are served
    without it, as uvicorn's ``--lifespan auto`` does.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def _exchange(self, message_type: str) -> None:
        assert self.task is not None
        await self.inbox.put({"type": message_type})
        reply = asyncio.ensure_future(self.outbox.get())
        await asyncio.wait({reply, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if not reply.done():
            reply.cancel()
            return  # the app returned or raised: no lifespan support
        if reply.result()["type"].endswith(".failed"):
            raise RuntimeError(f"lifespan {message_type} failed: {reply.result()}")

    async def __aenter__(self) -> Lifespan:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.ensure_future(self.app(scope, self.inbox.get, self.outbox.put))
        await self._exchange("lifespan.startup")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self.task is not None
        if not self.task.done():
            await self._exchange("lifespan.shutdown")
        self.task.cancel()


def body_then_disconnect(message: Message) -> Callable[[], Awaitable[Message]]:
    """An ASGI ``receive`` for one request: its body message, then disconnects."""
    pending = [message]

    async def receive() -> Message:
        return pending.pop() if pending else _DISCONNECT

    return receive


async def request(app: App, scope: Message, body: bytes = b"") -> tuple[int, str, bytes]:
    """Send one request; return its status, content type and body."""
    status, content_type, chunks = 0, "", []
    receive = body_then_disconnect({"type": "http.request", "body": body, "more_body": False})

    async def send(message: Message) -> None:
        nonlocal status, content_type
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    content_type = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(dict(scope), receive, send)
    return status, content_type, b"".join(chunks)


async def repeat_requests(app: App, scope: Message, body: bytes, count: int) -> int:
    """Send the same request ``count`` times; return how many did not answer 200."""
    failures = 0
    first = {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal failures
        if message["type"] == "http.response.start" and message["status"] != 200:
            failures += 1

    for _ in range(count):
        await app(dict(scope), body_then_disconnect(first), send)
    return failures


async def websocket_echo(app: App, scope: Message, text: str, count: int) -> int:
    """One session: connect, send ``text`` ``count`` times; return how many echoes were wrong."""
    incoming = [{"type": "websocket.connect"}]
    incoming += [{"type": "websocket.receive", "text": text}] * count
    incoming.append({"type": "websocket.disconnect", "code": 1000})
    incoming.reverse()
    accepted, echoes = False, 0

    async def receive() -> Message:
        return incoming.pop()

    async def send(message: Message) -> None:
        nonlocal accepted, echoes
        if message["type"] == "websocket.accept":
            accepted = True
        elif message["type"] == "websocket.send" and message.get("text") == text:
            echoes += 1

    await app(dict(scope), receive, send)
    return count if not accepted else count - echoes
