"""Dependencies: fastcore against FastAPI, in-process.

Each framework runs in its own process (fastcore's two cores cannot share an
interpreter) and serves the same endpoints, written once:

* ``GET /chain``: a 3-level chain of async dependencies;
* ``GET /tree``: a 10-dependency tree, async and ``def`` dependencies mixed,
  one of them shared (cached once per request) and one reading a query
  parameter;
* ``GET /yield``: an async ``yield`` dependency around the endpoint.

    python bench/deps.py                    # fastcore (compiled), fastcore (pure), FastAPI
    python bench/deps.py --requests 5000

Prints the median µs per request and FastAPI's time divided by each one's.
"""

# No ``from __future__ import annotations``: the endpoints' annotations name
# the framework under test, which must be resolvable when the route is added.
import sys
from pathlib import Path
from typing import Annotated, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from side_by_side import run  # noqa: E402 - after the path is set


def build(module_name: str) -> Any:
    framework = __import__(module_name)
    Depends = framework.Depends  # noqa: N806 - the framework's public name
    app = framework.FastAPI()

    async def level1() -> int:
        return 1

    async def level2(one: Annotated[int, Depends(level1)]) -> int:
        return one + 1

    async def level3(two: Annotated[int, Depends(level2)]) -> int:
        return two + 1

    @app.get("/chain")
    async def chain(three: Annotated[int, Depends(level3)]) -> dict[str, int]:
        return {"value": three}

    async def settings() -> dict[str, str]:
        return {"region": "eu"}

    def database(config: Annotated[dict[str, str], Depends(settings)]) -> str:
        return f"db-{config['region']}"

    async def page(number: int = 1) -> int:
        return number

    async def user(db: Annotated[str, Depends(database)]) -> str:
        return "ann"

    def permissions(name: Annotated[str, Depends(user)]) -> list[str]:
        return ["read"]

    async def audit(db: Annotated[str, Depends(database)]) -> bool:
        return True

    async def cache(config: Annotated[dict[str, str], Depends(settings)]) -> str:
        return "cache"

    async def items(
        db: Annotated[str, Depends(database)], at: Annotated[int, Depends(page)]
    ) -> list[int]:
        return [at]

    @app.get("/tree")
    async def tree(
        perms: Annotated[list[str], Depends(permissions)],
        audited: Annotated[bool, Depends(audit)],
        store: Annotated[str, Depends(cache)],
        found: Annotated[list[int], Depends(items)],
    ) -> dict[str, Any]:
        return {"perms": perms, "audited": audited, "cache": store, "items": found}

    async def session() -> Any:
        yield "session"

    @app.get("/yield")
    async def with_session(db: Annotated[str, Depends(session)]) -> dict[str, str]:
        return {"db": db}

    return app


def measure(module_name: str, requests: int) -> dict[str, float]:
    from asgi_driver import http_scope, median_microseconds

    app = build(module_name)
    cases = {
        "GET /chain (3 levels)": http_scope("/chain"),
        "GET /tree (10 dependencies)": http_scope("/tree", query=b"number=3"),
        "GET /yield": http_scope("/yield"),
    }
    return {name: median_microseconds(app, scope, requests) for name, scope in cases.items()}


if __name__ == "__main__":
    run(__doc__, __file__, measure)
