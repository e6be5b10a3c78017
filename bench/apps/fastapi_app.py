"""The benchmark app for fastcore and FastAPI: the same code, only the import differs.

``build(routes, "fastcore")`` and ``build(routes, "fastapi")`` declare the
same endpoints with the same public API (``FastAPI``, ``Depends``,
``WebSocket``, response models), which is the migration fastcore promises.
"""

# No ``from __future__ import annotations``: the endpoints' annotations name
# the framework under test, which must be resolvable when the route is added.
from importlib import import_module
from typing import Annotated, Any

from bench.cases import WEBSOCKET_PATH
from bench.models import MESSAGE, MODELS, PLAINTEXT, Found, Item, Resource


def build(routes: int, package: str = "fastapi") -> Any:
    framework = import_module(package)
    responses = import_module(f"{package}.responses")
    Depends = framework.Depends  # noqa: N806 - the framework's public names
    WebSocket = framework.WebSocket  # noqa: N806
    WebSocketDisconnect = framework.WebSocketDisconnect  # noqa: N806
    app = framework.FastAPI()

    @app.get("/plaintext", response_class=responses.PlainTextResponse)
    async def plaintext() -> str:
        return PLAINTEXT

    @app.get("/json")
    async def small_json() -> dict[str, str]:
        return MESSAGE

    @app.get("/items/{item_id}", response_model=Found)
    async def read_item(item_id: int, q: str | None = None, limit: int = 10) -> Any:
        return Found(item_id=item_id, q=q, limit=limit)

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    async def level1() -> int:
        return 1

    async def level2(one: Annotated[int, Depends(level1)]) -> int:
        return one + 1

    async def level3(two: Annotated[int, Depends(level2)]) -> int:
        return two + 1

    @app.get("/chain")
    async def chain(three: Annotated[int, Depends(level3)]) -> dict[str, int]:
        return {"value": three}

    # The tree: 10 dependencies, 7 async and 3 `def` (run in the thread pool),
    # `settings` and `database` shared (solved once per request), one reading
    # query parameters.
    async def settings() -> dict[str, str]:
        return {"region": "eu"}

    def database(config: Annotated[dict[str, str], Depends(settings)]) -> str:
        return f"db-{config['region']}"

    async def locale() -> str:
        return "en"

    async def user(
        db: Annotated[str, Depends(database)], language: Annotated[str, Depends(locale)]
    ) -> str:
        return f"ann@{db}"

    def permissions(name: Annotated[str, Depends(user)]) -> list[str]:
        return ["read", name]

    async def tracer() -> str:
        return "trace-1"

    async def audit(
        db: Annotated[str, Depends(database)], trace: Annotated[str, Depends(tracer)]
    ) -> bool:
        return bool(db and trace)

    def clock() -> int:
        return 1700000000

    async def cache(
        config: Annotated[dict[str, str], Depends(settings)], now: Annotated[int, Depends(clock)]
    ) -> str:
        return f"cache-{config['region']}-{now}"

    async def pagination(page: int = 1, size: int = 20) -> dict[str, int]:
        return {"page": page, "size": size}

    @app.get("/tree")
    async def tree(
        perms: Annotated[list[str], Depends(permissions)],
        audited: Annotated[bool, Depends(audit)],
        store: Annotated[str, Depends(cache)],
        paging: Annotated[dict[str, int], Depends(pagination)],
    ) -> dict[str, Any]:
        return {"perms": perms, "audited": audited, "cache": store, "paging": paging}

    @app.get("/models")
    async def models() -> list[Item]:
        return MODELS

    @app.websocket(WEBSOCKET_PATH)
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    for index in range(routes):
        app.add_api_route(f"/resource{index}/{{item_id}}", resource_endpoint(index))
    return app


def resource_endpoint(route: int) -> Any:
    async def resource(item_id: int) -> Resource:
        return Resource(route=route, item_id=item_id)

    resource.__name__ = f"resource{route}"
    return resource
