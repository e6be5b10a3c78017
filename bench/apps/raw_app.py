"""The benchmark app as a hand-written ASGI callable: the floor the frameworks are measured from.

Minimal but correct, doing the work a framework cannot avoid and no more:

- routing: a dict lookup for static paths; for ``/items/{id}`` and
  ``/resource{i}/{id}``, the path split on ``/``, the first segment looked
  up in a dict and the id parsed with ``int()`` (404 when not an int); 405
  for another method;
- query strings parsed with ``urllib.parse.parse_qs`` (percent-decoding);
- JSON written with ``json.dumps`` (compact separators, as Starlette's
  ``JSONResponse``); models written by Pydantic's own serializer
  (``model_dump_json`` / a ``TypeAdapter``), bodies read in full and
  validated with ``model_validate_json``, 422 with Pydantic's errors;
- dependencies called directly, ``def`` ones on the event loop;
- lifespan answered; WebSocket accepted and echoed until disconnect.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from pydantic import TypeAdapter, ValidationError

from bench.cases import WEBSOCKET_PATH
from bench.models import MESSAGE, MODELS, PLAINTEXT, Found, Item

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Handler = Callable[[Send, dict[str, list[str]], int], Awaitable[None]]

JSON_TYPE = b"application/json"
TEXT_TYPE = b"text/plain; charset=utf-8"
MODELS_JSON = TypeAdapter(list[Item])


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


async def respond(send: Send, body: bytes, content_type: bytes = JSON_TYPE, status: int = 200):
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def query_value(query: dict[str, list[str]], name: str, default: Any) -> Any:
    values = query.get(name)
    return values[-1] if values else default


async def settings() -> dict[str, str]:
    return {"region": "eu"}


def database(config: dict[str, str]) -> str:
    return f"db-{config['region']}"


async def locale() -> str:
    return "en"


async def user(db: str, language: str) -> str:
    return f"ann@{db}"


def permissions(name: str) -> list[str]:
    return ["read", name]


async def tracer() -> str:
    return "trace-1"


async def audit(db: str, trace: str) -> bool:
    return bool(db and trace)


def clock() -> int:
    return 1700000000


async def cache(config: dict[str, str], now: int) -> str:
    return f"cache-{config['region']}-{now}"


async def level1() -> int:
    return 1


async def level2(one: int) -> int:
    return one + 1


async def level3(two: int) -> int:
    return two + 1


Query = dict[str, list[str]]


async def plaintext(send: Send, query: Query, item_id: int) -> None:
    await respond(send, PLAINTEXT.encode(), TEXT_TYPE)


async def small_json(send: Send, query: Query, item_id: int) -> None:
    await respond(send, dumps(MESSAGE))


async def read_item(send: Send, query: Query, item_id: int) -> None:
    try:
        found = Found(item_id=item_id, q=query_value(query, "q", None),
                      limit=query_value(query, "limit", 10))  # fmt: skip
    except ValidationError as exc:
        return await respond(send, exc.json(include_url=False).encode(), status=422)
    await respond(send, found.model_dump_json().encode())


async def create_item(receive: Receive, send: Send) -> None:
    try:
        item = Item.model_validate_json(await read_body(receive))
    except ValidationError as exc:
        return await respond(send, exc.json(include_url=False).encode(), status=422)
    await respond(send, item.model_dump_json().encode())


async def chain(send: Send, query: Query, item_id: int) -> None:
    await respond(send, dumps({"value": await level3(await level2(await level1()))}))


async def tree(send: Send, query: Query, item_id: int) -> None:
    try:
        page, size = int(query_value(query, "page", 1)), int(query_value(query, "size", 20))
    except ValueError:
        return await respond(send, b'{"detail":"page and size must be integers"}', status=422)
    config = await settings()
    db = database(config)
    perms = permissions(await user(db, await locale()))
    audited = await audit(db, await tracer())
    store = await cache(config, clock())
    paging = {"page": page, "size": size}
    await respond(
        send, dumps({"perms": perms, "audited": audited, "cache": store, "paging": paging})
    )


async def models(send: Send, query: Query, item_id: int) -> None:
    await respond(send, MODELS_JSON.dump_json(MODELS))


def resource_endpoint(route: int) -> Handler:
    async def resource(send: Send, query: Query, item_id: int) -> None:
        await respond(send, dumps({"route": route, "item_id": item_id}))

    return resource


STATIC: dict[str, Handler] = {
    "/plaintext": plaintext,
    "/json": small_json,
    "/chain": chain,
    "/tree": tree,
    "/models": models,
}


class RawApp:
    def __init__(self, routes: int) -> None:
        # The first segment of a parametrised path -> its handler.
        self.parametrised = {"items": read_item}
        for index in range(routes):
            self.parametrised[f"resource{index}"] = resource_endpoint(index)

    def match(self, path: str) -> tuple[Handler | None, int]:
        handler = STATIC.get(path)
        if handler is not None:
            return handler, 0
        segments = path.split("/")
        if len(segments) != 3 or segments[0]:
            return None, 0
        handler = self.parametrised.get(segments[1])
        try:
            return handler, int(segments[2])
        except ValueError:
            return None, 0

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "websocket":
            await self.websocket(scope, receive, send)
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def http(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        method, path = scope["method"], scope["path"]
        if path == "/items" and method == "POST":
            return await create_item(receive, send)
        handler, item_id = self.match(path)
        if handler is None:
            return await respond(send, b"Not Found", TEXT_TYPE, 404)
        if method != "GET":
            return await respond(send, b"Method Not Allowed", TEXT_TYPE, 405)
        await handler(send, parse_qs(scope["query_string"].decode("latin-1")), item_id)

    async def websocket(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        if scope["path"] != WEBSOCKET_PATH:
            return await send({"type": "websocket.close", "code": 1008})
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})


def build(routes: int) -> RawApp:
    return RawApp(routes)
