"""The app ``python -m bench.soak`` keeps under load: one route per kind of work.

Nothing here keeps state between requests, so its memory has no reason to grow
once every code path has run: growth under a long load is a leak in the
framework (or in what it runs on), not in the app.
"""

# No ``from __future__ import annotations``: fastcore reads the annotations
# when the routes are added, as FastAPI does.
from collections.abc import AsyncIterator
from typing import Annotated

from pydantic import BaseModel, Field

import fastcore
from fastcore import Depends, FastAPI, HTTPException, Query, status
from fastcore.security import HTTPAuthorizationCredentials, HTTPBearer

# The token the load sends to the protected route; anything else is refused.
TOKEN = "soak-test-token"


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    price: float = Field(gt=0)
    tags: list[str] = []


class Item(ItemIn):
    id: int


class Found(BaseModel):
    item_id: int
    q: str | None
    limit: int


app = FastAPI(title="fastcore soak app")


@app.get("/core")
async def core() -> dict[str, bool]:
    """Which core this server runs, so the soak tool can check it got the one it asked for."""
    return {"compiled": fastcore.COMPILED}


@app.get("/items/{item_id}", response_model=Found)
async def read_item(
    item_id: int, q: str | None = None, limit: Annotated[int, Query(ge=1, le=100)] = 10
):
    return Found(item_id=item_id, q=q, limit=limit)


@app.post("/items", response_model=Item, status_code=status.HTTP_201_CREATED)
async def create_item(item: ItemIn):
    return Item(id=1, **item.model_dump())  # echoed, never stored


# A dependency chain: a sync dependency (run in the thread pool), a yield
# dependency with a teardown, and one that needs both.
def settings() -> dict[str, int]:
    return {"page_size": 20}


async def session(config: Annotated[dict[str, int], Depends(settings)]) -> AsyncIterator[list[str]]:
    opened = ["open"]
    yield opened
    opened.clear()


def repository(
    config: Annotated[dict[str, int], Depends(settings)],
    opened: Annotated[list[str], Depends(session)],
) -> dict[str, object]:
    return {"page_size": config["page_size"], "session": opened[0]}


@app.get("/chain")
async def chain(repo: Annotated[dict[str, object], Depends(repository)]) -> dict[str, object]:
    return repo


bearer = HTTPBearer()


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
) -> str:
    if credentials.credentials != TOKEN:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Bad token")
    return "soak"


@app.get("/me")
async def read_me(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
    return {"user": user}
