"""Run the example app (``examples/app.py``) on FastAPI or on fastcore, and print what it says.

``python -m tests.apps.example_conversation fastapi`` imports the example with
``fastcore`` standing for ``fastapi`` (the example is written against fastcore's
names, which are FastAPI's), then prints one JSON object: the OpenAPI document
(also as text, and as the bytes served directly and behind a proxy, so that
key order is compared too) and the answers to a fixed conversation of
requests. ``test_example_app`` runs it once per framework and compares the two.
"""

import importlib
import json
import sys
from typing import Any

# The example's own imports of the framework, mapped to the framework under test.
FRAMEWORK_MODULES = ["", ".security", ".testclient"]


def use_framework(name: str) -> None:
    if name == "fastcore":
        return
    for suffix in FRAMEWORK_MODULES:
        sys.modules["fastcore" + suffix] = importlib.import_module(name + suffix)


def conversation(client: Any) -> list[dict[str, Any]]:
    def log_in(username: str, password: str, scope: str) -> dict[str, str]:
        form = {"username": username, "password": password, "scope": scope}
        token = client.post("/token", data=form).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    alice = log_in("alice", "wonderland", "me items items:write")
    bob_reads = log_in("bob", "the-builder", "items")
    requests = [
        ("GET", "/", {}, None),
        ("POST", "/token", {"data": {"username": "alice", "password": "nope"}}, None),
        ("POST", "/token", {"data": {"username": "nobody", "password": "nope"}}, None),
        ("POST", "/token", {"data": {"username": "alice"}}, None),
        ("GET", "/users/me", {}, None),
        ("GET", "/users/me", {}, alice),
        ("GET", "/users/me", {}, bob_reads),
        ("GET", "/users/me", {}, {"Authorization": "Bearer not.a.token"}),
        ("GET", "/users/me", {}, {"Authorization": "Basic YWxpY2U6d29uZGVybGFuZA=="}),
        ("GET", "/items", {}, bob_reads),
        ("GET", "/items?q=SA&tag=tools", {}, alice),
        ("GET", "/items?limit=0&offset=-1", {}, alice),
        ("GET", "/items/2", {}, bob_reads),
        ("GET", "/items/99", {}, bob_reads),
        ("GET", "/items/0", {}, bob_reads),
        ("POST", "/items", {"json": {"name": "Drill", "price": 50}}, bob_reads),
        ("POST", "/items", {"json": {"name": "Drill", "price": 50}}, alice),
        ("POST", "/items", {"json": {"name": "", "price": -1}}, alice),
        ("PATCH", "/items/4", {"json": {"price": 45.5}}, alice),
        ("PATCH", "/items/3", {"json": {"price": 1}}, alice),
        ("DELETE", "/items/4", {}, alice),
        ("DELETE", "/items/4", {}, alice),
        ("POST", "/users", {"json": {"username": "carol", "email": "carol@example.com"}}, None),
        (
            "POST",
            "/users",
            {"json": {"username": "carol", "email": "not-mail", "password": "x"}},
            None,
        ),
        (
            "POST",
            "/users",
            {"json": {"username": "carol", "email": "carol@example.com", "password": "12345678"}},
            None,
        ),
        (
            "POST",
            "/users",
            {"json": {"username": "carol", "email": "carol@example.com", "password": "12345678"}},
            None,
        ),
    ]
    answers = []
    for method, url, extra, headers in requests:
        response = client.request(method, url, headers=headers, **extra)
        body = response.json() if response.content else None
        answers.append(
            {
                "request": f"{method} {url}",
                "status": response.status_code,
                "body": body,
                "www-authenticate": response.headers.get("www-authenticate"),
            }
        )
    return answers


def main(framework: str) -> None:
    use_framework(framework)
    from examples.app import app
    from fastcore.testclient import TestClient

    client = TestClient(app)
    served = client.get("/openapi.json")
    report = {
        "openapi": app.openapi(),
        # Key order counts: users diff the bytes served, so these are compared as text.
        "openapi_text": json.dumps(app.openapi()),
        "openapi_served": served.text,
        "openapi_served_behind_a_proxy": TestClient(app, root_path="/shop")
        .get("/shop/openapi.json")
        .text,
        "conversation": conversation(client),
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
