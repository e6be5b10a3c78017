"""The app the real-server tests run: a few routes of each kind, and which core runs."""

from __future__ import annotations

import fastcore
from fastcore import APIRouter, FastAPI, HTTPException, Request

app = FastAPI(title="served")

ITEMS = {1: {"name": "Hammer", "price": 12.5}, 2: {"name": "Saw", "price": 20.0}}


@app.get("/")
def read_root():
    return {"Hello": "World"}


@app.get("/_core")
def active_core():
    return {"compiled": fastcore.COMPILED}


@app.get("/items/{item_id}")
def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}


@app.get("/stock/{item_id:int}")
async def read_stock(item_id: int):
    if item_id not in ITEMS:
        raise HTTPException(
            status_code=404, detail="Item not found", headers={"X-Error": "missing"}
        )
    return ITEMS[item_id]


users = APIRouter(prefix="/users", tags=["users"])


@users.get("/{username}")
async def read_user(username: str, request: Request):
    return {"username": username, "url": str(request.url_for("read_user", username=username))}


app.include_router(users)
