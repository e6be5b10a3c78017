"""The benchmark app for BlackSheep, in BlackSheep's own idioms.

- Parameters are bound from the handler's signature (route, query) and the
  body with ``FromJSON[Item]``; handlers return models, which BlackSheep
  serializes with its JSON encoder (``model_dump()`` per model).
- Dependencies are services of its container (rodi), resolved by type:
  classes whose ``__init__`` takes their own dependencies, registered as
  *scoped* (built once per resolution scope). rodi builds services
  synchronously, so the async dependencies of the other apps are plain
  constructors here. BlackSheep resolves each handler parameter in a scope of
  its own, so the tree's endpoint takes one ``Tree`` service that gathers the
  four branches: then the shared ``Settings`` and ``Database`` are built once
  per request, as FastAPI's per-request cache does. The dependency that reads
  query parameters is a custom binder, BlackSheep's way to read the request.
- OpenAPI documentation is bound (``/docs``, ``/openapi.json``), as FastAPI
  has it by default.
"""

from __future__ import annotations

from typing import Any

from blacksheep import Application, FromJSON, Request, WebSocket, WebSocketDisconnectError
from blacksheep.server.bindings import Binder, BoundValue
from blacksheep.server.openapi.v3 import OpenAPIHandler
from blacksheep.server.responses import json, text
from openapidocs.v3 import Info

from bench.cases import WEBSOCKET_PATH
from bench.models import MESSAGE, MODELS, PLAINTEXT, Found, Item, Resource


class Level1:
    def __init__(self) -> None:
        self.value = 1


class Level2:
    def __init__(self, one: Level1) -> None:
        self.value = one.value + 1


class Level3:
    def __init__(self, two: Level2) -> None:
        self.value = two.value + 1


class Settings:
    def __init__(self) -> None:
        self.region = "eu"


class Database:
    def __init__(self, config: Settings) -> None:
        self.name = f"db-{config.region}"


class Locale:
    def __init__(self) -> None:
        self.language = "en"


class User:
    def __init__(self, db: Database, locale: Locale) -> None:
        self.name = f"ann@{db.name}"


class Permissions:
    def __init__(self, user: User) -> None:
        self.granted = ["read", user.name]


class Tracer:
    def __init__(self) -> None:
        self.trace_id = "trace-1"


class Audit:
    def __init__(self, db: Database, tracer: Tracer) -> None:
        self.passed = bool(db.name and tracer.trace_id)


class Clock:
    def __init__(self) -> None:
        self.now = 1700000000


class Cache:
    def __init__(self, config: Settings, clock: Clock) -> None:
        self.key = f"cache-{config.region}-{clock.now}"


class Tree:
    def __init__(self, perms: Permissions, audit: Audit, cache: Cache) -> None:
        self.perms, self.audit, self.cache = perms, audit, cache


SERVICES = (Level1, Level2, Level3, Settings, Database, Locale, User, Permissions, Tracer)
SERVICES += (Audit, Clock, Cache, Tree)


class FromPagination(BoundValue[dict[str, int]]):
    pass


class PaginationBinder(Binder):
    handle = FromPagination

    async def get_value(self, request: Request) -> dict[str, int]:
        query = request.query
        return {
            "page": int(query.get("page", ("1",))[0]),
            "size": int(query.get("size", ("20",))[0]),
        }


async def plaintext() -> Any:
    return text(PLAINTEXT)


async def small_json() -> Any:
    return json(MESSAGE)


async def read_item(item_id: int, q: str | None = None, limit: int = 10) -> Found:
    return Found(item_id=item_id, q=q, limit=limit)


async def create_item(item: FromJSON[Item]) -> Item:
    return item.value


async def chain(three: Level3) -> Any:
    return json({"value": three.value})


async def tree(branches: Tree, paging: FromPagination) -> Any:
    return json(
        {
            "perms": branches.perms.granted,
            "audited": branches.audit.passed,
            "cache": branches.cache.key,
            "paging": paging.value,
        }
    )


async def models() -> list[Item]:
    return MODELS


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnectError:
        pass


def resource_endpoint(route: int) -> Any:
    async def resource(item_id: int) -> Resource:
        return Resource(route=route, item_id=item_id)

    return resource


def build(routes: int) -> Application:
    app = Application()
    for service in SERVICES:
        app.services.add_scoped(service)
    router = app.router
    router.add_get("/plaintext", plaintext)
    router.add_get("/json", small_json)
    router.add_get("/items/{item_id}", read_item)
    router.add_post("/items", create_item)
    router.add_get("/chain", chain)
    router.add_get("/tree", tree)
    router.add_get("/models", models)
    router.add_ws(WEBSOCKET_PATH, echo)
    for index in range(routes):
        router.add_get(f"/resource{index}/{{item_id}}", resource_endpoint(index))
    OpenAPIHandler(info=Info(title="bench", version="0.1.0")).bind_app(app)
    return app
