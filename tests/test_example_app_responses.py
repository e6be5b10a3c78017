"""Every answer the example app gives is one its ``/openapi.json`` documents.

Each case is a request Schemathesis (``tests/test_schemathesis.py``) once found
answered with a status the operation did not declare: a 401 without a token or
with a wrong password, a 403 on another user's item, a 409 for a taken
username, a 400 for a body that is not UTF-8 or for a disabled account. The
shop now declares them (``examples/shop/responses.py``); here each answer must
have the expected status, be listed among its operation's responses, and have
a body that matches the schema listed there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from fastcore.testclient import TestClient

NOT_UTF8 = b"\xff\x47\xfa\x74"  # what Schemathesis sent as a JSON body
ALICE = ("alice", "wonderland")
BOB = ("bob", "the-builder")
ALL_SCOPES = "me items items:write"


@pytest.fixture
def shop() -> Iterator[TestClient]:
    """A client of the example app; what a test changes in its store is undone."""
    from examples.app import app
    from examples.shop.security import store

    with store.lock:
        saved = dict(store.users), dict(store.items), store.next_item_id
    yield TestClient(app)
    with store.lock:
        store.users.clear()
        store.users.update(saved[0])
        store.items.clear()
        store.items.update(saved[1])
        store.next_item_id = saved[2]


def bearer(shop: TestClient, credentials: tuple[str, str]) -> dict[str, str]:
    username, password = credentials
    form = {"username": username, "password": password, "scope": ALL_SCOPES}
    response = shop.post("/token", data=form)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def assert_documented(shop: TestClient, response: Any, operation: tuple[str, str]) -> None:
    """``response`` has a status ``operation`` lists, and a body of the schema listed."""
    method, path = operation
    document = shop.get("/openapi.json").json()
    responses = document["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {path}: {status} not in {sorted(responses)}"
    content = responses[status].get("content", {})
    assert response.headers["content-type"] in content, content
    schema = content[response.headers["content-type"]]["schema"]
    # A $ref resolves against the root of the schema, so carry the components along.
    jsonschema.validate(response.json(), {**schema, "components": document["components"]})


def test_log_in_with_a_wrong_password(shop: TestClient) -> None:
    response = shop.post("/token", data={"username": "0", "password": "0"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect username or password"}
    assert_documented(shop, response, ("post", "/token"))


def test_sign_up_with_a_taken_username(shop: TestClient) -> None:
    taken = {"username": "alice", "email": "0@example.com", "password": "long enough"}
    response = shop.post("/users", json=taken)
    assert response.status_code == 409
    assert_documented(shop, response, ("post", "/users"))


@pytest.mark.parametrize(
    "operation", [("post", "/users", "/users"), ("post", "/items", "/items")], ids=str
)
def test_a_body_that_is_not_utf8(shop: TestClient, operation: tuple[str, str, str]) -> None:
    method, path, target = operation
    headers = {"Content-Type": "application/json", **bearer(shop, ALICE)}
    response = shop.request(method, target, content=NOT_UTF8, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}
    assert_documented(shop, response, (method, path))


def test_patch_a_body_that_is_not_utf8(shop: TestClient) -> None:
    headers = {"Content-Type": "application/json", **bearer(shop, ALICE)}
    response = shop.patch("/items/1", content=NOT_UTF8, headers=headers)
    assert response.status_code == 400
    assert_documented(shop, response, ("patch", "/items/{item_id}"))


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_change_another_users_item(shop: TestClient, method: str) -> None:
    created = shop.post("/items", json={"name": "Level", "price": 9}, headers=bearer(shop, BOB))
    assert created.status_code == 201
    target = f"/items/{created.json()['id']}"
    response = shop.request(method, target, json={"price": 1}, headers=bearer(shop, ALICE))
    assert response.status_code == 403
    assert response.json() == {"detail": "Not your item"}
    assert_documented(shop, response, (method, "/items/{item_id}"))


PROTECTED = [
    ("get", "/users/me", "/users/me"),
    ("get", "/items", "/items"),
    ("get", "/items/{item_id}", "/items/1"),
    ("post", "/items", "/items"),
    ("patch", "/items/{item_id}", "/items/1"),
    ("delete", "/items/{item_id}", "/items/1"),
]


@pytest.mark.parametrize("operation", PROTECTED, ids=str)
def test_protected_operation_without_a_token(
    shop: TestClient, operation: tuple[str, str, str]
) -> None:
    method, path, target = operation
    response = shop.request(method, target, json={"name": "Level", "price": 9})
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert_documented(shop, response, (method, path))


@pytest.mark.parametrize("operation", PROTECTED, ids=str)
def test_protected_operation_as_a_disabled_user(
    shop: TestClient, operation: tuple[str, str, str]
) -> None:
    from examples.shop.security import store
    from examples.shop.store import StoredUser

    headers = bearer(shop, ALICE)
    alice = store.users["alice"]  # replaced, not changed: the fixture puts it back
    store.users["alice"] = StoredUser(
        alice.user.model_copy(update={"disabled": True}), alice.password_hash
    )
    method, path, target = operation
    response = shop.request(method, target, json={"name": "Level", "price": 9}, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Inactive user"}
    assert_documented(shop, response, (method, path))
