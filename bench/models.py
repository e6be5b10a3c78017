"""The Pydantic models and the data every benchmark app serves, defined once."""

from __future__ import annotations

import json

from pydantic import BaseModel


class Item(BaseModel):
    """The 6-field model of ``POST /items`` and of the 100-model list."""

    name: str
    description: str | None = None
    price: float
    tags: list[str] = []
    stock: int
    active: bool


class Found(BaseModel):
    """What ``GET /items/{item_id}?q=&limit=`` returns."""

    item_id: int
    q: str | None
    limit: int


class Resource(BaseModel):
    """What each of the parametrised routes ``GET /resource{i}/{item_id}`` returns."""

    route: int
    item_id: int


PLAINTEXT = "Hello, World!"
MESSAGE = {"message": "Hello, World!"}

ITEM = {
    "name": "hammer",
    "description": "a heavy one",
    "price": 9.5,
    "tags": ["tools", "steel"],
    "stock": 3,
    "active": True,
}
ITEM_BODY = json.dumps(ITEM).encode()

MODELS = [
    Item(
        name=f"item {index}",
        description=None if index % 3 else f"item number {index}",
        price=index * 1.25,
        tags=["bench", f"tag{index % 7}"],
        stock=index,
        active=index % 2 == 0,
    )
    for index in range(100)
]
