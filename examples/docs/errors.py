"""Validation errors, HTTPException and exception handlers: the app behind docs/errors.md.

`app` keeps the default error responses; `custom_app` replaces them.

uvicorn examples.docs.errors:app
curl http://127.0.0.1:8000/items/abc?limit=-1
"""

from typing import Annotated

from pydantic import BaseModel, Field

from fastcore import FastAPI, HTTPException, Query, Request
from fastcore.exception_handlers import http_exception_handler
from fastcore.exceptions import RequestValidationError
from fastcore.responses import JSONResponse

app = FastAPI(title="errors")

STOCK = {1: 3, 2: 0}


class Order(BaseModel):
    item_id: int
    quantity: int = Field(ge=1)


class OutOfStock(Exception):
    def __init__(self, item_id: int):
        self.item_id = item_id


@app.get("/items/{item_id}")
def read_item(item_id: int, limit: Annotated[int, Query(ge=0)] = 10):
    if item_id not in STOCK:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"item_id": item_id, "stock": STOCK[item_id], "limit": limit}


@app.post("/orders")
def place_order(order: Order):
    if STOCK.get(order.item_id, 0) < order.quantity:
        raise OutOfStock(order.item_id)
    return {"ordered": order.quantity}


@app.get("/admin")
def admin(token: str | None = None):
    if token != "letmein":
        raise HTTPException(
            status_code=401,
            detail={"reason": "bad token", "hint": "ask an admin"},
            headers={"WWW-Authenticate": "Bearer"},
        )
    return {"admin": True}


# Your own exceptions can be turned into responses too.
@app.exception_handler(OutOfStock)
async def out_of_stock(request: Request, exc: OutOfStock):
    return JSONResponse(status_code=409, content={"detail": f"Item {exc.item_id} is sold out"})


custom_app = FastAPI(title="errors, custom handlers")


@custom_app.post("/orders")
def place_custom_order(order: Order):
    return {"ordered": order.quantity}


@custom_app.get("/items/{item_id}")
def read_custom_item(item_id: int):
    raise HTTPException(status_code=404, detail="Item not found")


# Replace the 422 body with a shape of your own, here a 400.
@custom_app.exception_handler(RequestValidationError)
async def validation_problem(request: Request, exc: RequestValidationError):
    problems = [
        {"field": ".".join(str(part) for part in error["loc"]), "problem": error["msg"]}
        for error in exc.errors()
    ]
    return JSONResponse(status_code=400, content={"problems": problems, "received": exc.body})


# Keep the default response and add to it.
@custom_app.exception_handler(HTTPException)
async def http_error_with_path(request: Request, exc: HTTPException):
    response = await http_exception_handler(request, exc)
    response.headers["X-Failed-Path"] = request.url.path
    return response
