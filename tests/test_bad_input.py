"""Malformed requests get a clear 4xx, never a 500, even where FastAPI 0.165 fails.

The cases FastAPI answers correctly are compared side by side in
test_params_compat.py; these are the ones where fastcore deliberately differs.
"""

import json

from pydantic import BaseModel

import fastcore
from fastcore.testclient import TestClient


class Item(BaseModel):
    name: str
    price: float


def make_client() -> TestClient:
    app = fastcore.FastAPI()

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    @app.get("/search")
    def search(n: int) -> dict[str, int]:
        return {"n": n}

    return TestClient(app, raise_server_exceptions=False)


def test_lone_surrogate_echoed_in_a_422_is_escaped():
    # JSON may spell a lone surrogate, which UTF-8 cannot encode; FastAPI answers 500.
    response = make_client().post(
        "/items",
        content=b'{"name": "a", "price": "\\ud800"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert b"\\ud800" in response.content
    (error,) = json.loads(response.content)["detail"]
    assert error["loc"] == ["body", "price"]
    assert error["input"] == "\ud800"


def test_undecodable_body_not_read_as_json_is_a_422():
    # Without a JSON Content-Type the model gets the raw bytes, echoed in the error;
    # FastAPI fails with a 500 turning bytes that are not UTF-8 into text.
    response = make_client().post("/items", content=b"\xff\xfe{")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["type"] == "model_attributes_type"
    assert error["input"] == "\ufffd\ufffd{"


def test_invalid_percent_encoding_is_a_422_not_a_crash():
    response = make_client().get("/search?n=%ED%A0%80%zz")
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == "\ufffd\ufffd\ufffd%zz"
