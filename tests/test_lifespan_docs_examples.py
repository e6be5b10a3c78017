"""What docs/lifespan-and-middleware.md shows, replayed against its example module.

``examples/docs/lifespan_and_middleware.py`` records what runs in ``events``; each test
starts the app (``with TestClient(app)``, which runs the lifespan), sends the requests
the page shows and checks the answers and the events in the order the page gives them.
All of it was recorded from FastAPI 0.165 running the same module with the import
swapped, so a failure here is a difference from FastAPI.
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest

from fastcore.testclient import TestClient

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
INDEX = (
    '<!doctype html>\n<title>Tea shop</title>\n<div id="app"></div>\n'
    '<script src="/assets/app.js"></script>\n'
)


@pytest.fixture
def example() -> ModuleType:
    module = importlib.import_module("examples.docs.lifespan_and_middleware")
    module.events.clear()
    return module


@pytest.fixture
def client(example: ModuleType) -> Iterator[TestClient]:
    with TestClient(example.app, raise_server_exceptions=False) as client:
        example.events.clear()
        yield client


def test_lifespan_runs_around_serving(example: ModuleType) -> None:
    with TestClient(example.app):
        assert example.events == ["database opened", "report cache warmed"]
        example.events.clear()
    assert example.events == ["report cache dropped", "database closed"]


def test_lifespan_state_reaches_requests(client: TestClient, example: ModuleType) -> None:
    response = client.get("/api/reports/daily")
    assert response.status_code == 200
    assert response.json() == {"daily": "2 cups sold", "db_open": True}
    assert response.headers["x-served-by"] == "tea-shop"
    assert example.events == ["middleware: GET /api/reports/daily", "middleware: 200"]


def test_order_background_task_and_teardown(client: TestClient, example: ModuleType) -> None:
    response = client.post("/api/orders/tea")
    assert response.json() == {"item": "tea", "left": 1}
    assert example.events == [
        "middleware: POST /api/orders/tea",
        "transaction begin",
        "ordered tea",
        "middleware: 200",
        "receipt for tea",
        "transaction commit",
    ]


def test_custom_exception_handler(client: TestClient, example: ModuleType) -> None:
    response = client.post("/api/orders/cake")
    assert response.status_code == 409
    assert response.json() == {"detail": "cake is sold out"}
    assert response.headers["x-served-by"] == "tea-shop"
    assert example.events == [
        "middleware: POST /api/orders/cake",
        "transaction begin",
        "transaction rollback (OutOfStock)",
        "handler: cake is out of stock",
        "middleware: 409",
    ]


def test_http_exception(client: TestClient, example: ModuleType) -> None:
    response = client.post("/api/orders/scones")
    assert (response.status_code, response.json()) == (404, {"detail": "No such item"})
    assert example.events == [
        "middleware: POST /api/orders/scones",
        "transaction begin",
        "transaction rollback (HTTPException)",
        "middleware: 404",
    ]


def test_unhandled_exception(client: TestClient, example: ModuleType) -> None:
    response = client.get("/api/kettle")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert "x-served-by" not in response.headers
    assert example.events == ["middleware: GET /api/kettle", "middleware saw RuntimeError"]


def test_unhandled_exception_reaches_the_test(example: ModuleType) -> None:
    with TestClient(example.app) as client, pytest.raises(RuntimeError, match="kettle"):
        client.get("/api/kettle")


def test_state_is_the_lifespans_own(client: TestClient) -> None:
    client.post("/api/orders/tea")
    client.post("/api/orders/tea")
    assert client.post("/api/orders/tea").status_code == 409
    page = client.get("/menu")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text == (
        "<!doctype html>\n<title>Menu</title>\n"
        '<link rel="stylesheet" href="http://testserver/static/shop.css">\n'
        "<ul>\n  <li>tea: 0 left</li>\n  <li>cake: 0 left</li>\n</ul>"
    )


def test_static_files(client: TestClient) -> None:
    response = client.get("/static/shop.css")
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.text == "body { font-family: sans-serif; }\n"


def test_frontend(client: TestClient) -> None:
    assert client.get("/", headers=BROWSER).text == INDEX
    assert client.get("/orders/history", headers=BROWSER).text == INDEX
    script = client.get("/assets/app.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    missing = client.get("/assets/logo.png")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/nothing", headers=BROWSER).text == INDEX
    posted = client.post("/")
    assert (posted.status_code, posted.json()) == (405, {"detail": "Method Not Allowed"})


def test_without_the_lifespan_there_is_no_state(example: ModuleType) -> None:
    client = TestClient(example.app, raise_server_exceptions=False)  # no ``with``
    assert client.get("/api/reports/daily").status_code == 500
