"""Parameters, bodies and response models: fastcore against FastAPI, in-process.

Each framework runs in its own process (fastcore's two cores cannot share an
interpreter) and serves the same endpoints, written once:

* ``GET /items/{item_id}?q=&limit=``: a path int and two query parameters,
  returning a response model;
* ``POST /items``: a JSON body of a 6-field model, returned as it came;
* ``GET /search?tags=&tags=&page=``: a header, a cookie, a list query value
  and a constrained int.

    python bench/params.py                  # fastcore (compiled), fastcore (pure), FastAPI
    python bench/params.py --requests 5000

Prints the median µs per request and FastAPI's time divided by each one's.
"""

# No ``from __future__ import annotations``: the endpoints' annotations name
# the framework under test, which must be resolvable when the route is added.
import json
import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

from side_by_side import run  # noqa: E402 - after the path is set

ITEM = {"name": "hammer", "price": 9.5, "tags": ["tools"], "stock": 3, "active": True}
ITEM_BODY = json.dumps({**ITEM, "description": "a heavy one"}).encode()


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float
    tags: list[str] = []
    stock: int
    active: bool


class Found(BaseModel):
    item_id: int
    q: str | None
    limit: int


def build(module_name: str) -> Any:
    framework = __import__(module_name)
    app = framework.FastAPI()

    @app.get("/items/{item_id}", response_model=Found)
    async def read_item(item_id: int, q: str | None = None, limit: int = 10) -> Any:
        return Found(item_id=item_id, q=q, limit=limit)

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/search")
    async def search(
        tags: Annotated[list[str], framework.Query()],
        page: Annotated[int, framework.Query(ge=1)] = 1,
        user_agent: Annotated[str | None, framework.Header()] = None,
        session: Annotated[str | None, framework.Cookie()] = None,
    ) -> dict[str, Any]:
        return {"tags": tags, "page": page, "agent": user_agent, "session": session}

    return app


def measure(module_name: str, requests: int) -> dict[str, float]:
    from asgi_driver import http_scope, median_microseconds

    app = build(module_name)
    json_type = [(b"content-type", b"application/json")]
    search_headers = [(b"user-agent", b"bench"), (b"cookie", b"session=abc; theme=dark")]
    cases = {
        "GET item": (http_scope("/items/42", query=b"q=red&limit=5"), b""),
        "POST body": (http_scope("/items", "POST", headers=json_type), ITEM_BODY),
        "GET search": (
            http_scope("/search", query=b"tags=a&tags=b&page=2", headers=search_headers),
            b"",
        ),
    }
    return {
        name: median_microseconds(app, scope, requests, body=body)
        for name, (scope, body) in cases.items()
    }


if __name__ == "__main__":
    run(__doc__, __file__, measure)
