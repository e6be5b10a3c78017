"""The benchmark app for Starlette, written as a Starlette user would write it.

Starlette has no parameter declarations, no dependency injection and no
response models: each endpoint reads its path and query parameters from the
request, calls its dependencies itself (``def`` ones directly, on the event
loop), validates a body with Pydantic, and answers with ``JSONResponse`` of
``model_dump()``. Validation failures answer 422 with Pydantic's errors.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from bench.cases import WEBSOCKET_PATH
from bench.models import MESSAGE, MODELS, PLAINTEXT, Found, Item


def invalid(exc: ValidationError) -> JSONResponse:
    return JSONResponse({"detail": exc.errors(include_url=False)}, status_code=422)


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(PLAINTEXT)


async def small_json(request: Request) -> Response:
    return JSONResponse(MESSAGE)


async def read_item(request: Request) -> Response:
    query = request.query_params
    try:
        found = Found(
            item_id=request.path_params["item_id"],
            q=query.get("q"),
            limit=query.get("limit", 10),
        )
    except ValidationError as exc:
        return invalid(exc)
    return JSONResponse(found.model_dump())


async def create_item(request: Request) -> Response:
    try:
        item = Item.model_validate_json(await request.body())
    except ValidationError as exc:
        return invalid(exc)
    return JSONResponse(item.model_dump())


async def level1() -> int:
    return 1


async def level2(one: int) -> int:
    return one + 1


async def level3(two: int) -> int:
    return two + 1


async def chain(request: Request) -> Response:
    return JSONResponse({"value": await level3(await level2(await level1()))})


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


async def pagination(page: int = 1, size: int = 20) -> dict[str, int]:
    return {"page": page, "size": size}


async def tree(request: Request) -> Response:
    query = request.query_params
    try:
        page, size = int(query.get("page", 1)), int(query.get("size", 20))
    except ValueError:
        return JSONResponse({"detail": "page and size must be integers"}, status_code=422)
    config = await settings()
    db = database(config)
    perms = permissions(await user(db, await locale()))
    audited = await audit(db, await tracer())
    store = await cache(config, clock())
    paging = await pagination(page, size)
    return JSONResponse({"perms": perms, "audited": audited, "cache": store, "paging": paging})


async def models(request: Request) -> Response:
    return JSONResponse([item.model_dump() for item in MODELS])


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


def resource_endpoint(route: int) -> Any:
    async def resource(request: Request) -> Response:
        return JSONResponse({"route": route, "item_id": request.path_params["item_id"]})

    return resource


def build(routes: int) -> Starlette:
    return Starlette(
        routes=[
            Route("/plaintext", plaintext),
            Route("/json", small_json),
            Route("/items/{item_id:int}", read_item),
            Route("/items", create_item, methods=["POST"]),
            Route("/chain", chain),
            Route("/tree", tree),
            Route("/models", models),
            WebSocketRoute(WEBSOCKET_PATH, echo),
            *(
                Route(f"/resource{index}/{{item_id:int}}", resource_endpoint(index))
                for index in range(routes)
            ),
        ]
    )
