"""JSON request bodies: the app behind docs/request-bodies.md.

uvicorn examples.docs.request_bodies:app
curl -X POST http://127.0.0.1:8000/items -H 'content-type: application/json' \
     -d '{"name": "Lamp", "price": 35.5}'
"""

from typing import Annotated

from pydantic import BaseModel, Field, HttpUrl

from fastcore import APIRouter, Body, FastAPI

app = FastAPI(title="request bodies")


class Item(BaseModel):
    name: str
    price: float = Field(gt=0)
    description: str | None = None
    tags: list[str] = []


class Owner(BaseModel):
    username: str
    email: str | None = None


class Image(BaseModel):
    url: HttpUrl
    caption: str | None = None


class Listing(BaseModel):
    title: str
    item: Item
    images: list[Image] = []
    prices_by_country: dict[str, float] = {}


# One model parameter: the whole body is that model.
@app.post("/items")
def create_item(item: Item):
    return item


# Path, query and body together: each is found by where it is declared.
@app.put("/items/{item_id}")
def replace_item(item_id: int, item: Item, notify: bool = False):
    return {"item_id": item_id, "notify": notify, "item": item}


# Several body parameters: the body is an object with one key per parameter.
@app.post("/orders")
def create_order(
    item: Item,
    owner: Owner,
    quantity: Annotated[int, Body(ge=1)],
    note: Annotated[str | None, Body(max_length=50)] = None,
):
    return {"item": item.name, "owner": owner.username, "quantity": quantity, "note": note}


# embed=True keeps a single model under its own key.
@app.post("/owners")
def create_owner(owner: Annotated[Owner, Body(embed=True)]):
    return owner


# A lone singular value declared with Body() is the whole body.
@app.post("/ratings/{item_id}")
def rate(item_id: int, stars: Annotated[int, Body(ge=1, le=5)]):
    return {"item_id": item_id, "stars": stars}


# Nested models, lists of models and dicts validate all the way down.
@app.post("/listings")
def create_listing(listing: Listing):
    return listing


# A list of models as the top-level body.
@app.post("/items/bulk")
def create_items(items: list[Item]):
    return {"count": len(items), "names": [item.name for item in items]}


# Without a content-type header a body is not read as JSON, unless the app or
# router says strict_content_type=False.
lenient = APIRouter(prefix="/lenient", strict_content_type=False)


@lenient.post("/items")
def create_item_leniently(item: Item):
    return item


app.include_router(lenient)
