"""Routes the core hands back to Starlette, and route kinds beyond path operations."""

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

import fastcore
from fastcore.staticfiles import StaticFiles
from fastcore.testclient import TestClient

fastapi = pytest.importorskip("fastapi")


def test_host_routes_fall_back_to_starlette_matching():
    def make(framework):
        app = framework.FastAPI()
        api = Starlette(routes=[Route("/h", lambda request: PlainTextResponse("api host"))])
        app.host("api.example.com", api)

        @app.get("/h")
        def plain():
            return "any host"

        return TestClient(app)

    for client in (make(fastapi), make(fastcore)):
        assert client.get("/h", headers={"host": "api.example.com"}).text == "api host"
        assert client.get("/h").json() == "any host"


def test_static_files_mount(tmp_path: Path):
    (tmp_path / "hello.txt").write_text("static hello")
    app = fastcore.FastAPI()
    app.mount("/static", StaticFiles(directory=tmp_path), name="static")

    @app.get("/link")
    def link(request: fastcore.Request):
        return str(request.url_for("static", path="hello.txt"))

    client = TestClient(app)
    response = client.get("/static/hello.txt")
    assert (response.status_code, response.text) == (200, "static hello")
    assert response.headers["content-type"].startswith("text/plain")
    assert client.get("/static/missing.txt").status_code == 404
    assert client.get("/static/../test_routing_edges.py").status_code == 404
    assert client.get("/link").json() == "http://testserver/static/hello.txt"


def test_websocket_route_goes_through_the_websocket_table():
    app = fastcore.FastAPI()

    async def echo(websocket):
        await websocket.accept()
        await websocket.send_text("echo " + await websocket.receive_text())
        await websocket.close()

    app.router.add_websocket_route("/ws/{room}", echo)

    @app.get("/ws/{room}")
    def http_room(room: str):
        return room

    client = TestClient(app)
    with client.websocket_connect("/ws/blue") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "echo hi"
    assert client.get("/ws/blue").json() == "blue"


def test_routes_added_after_the_first_request_are_served():
    app = fastcore.FastAPI()

    @app.get("/first")
    def first():
        return 1

    client = TestClient(app)
    assert client.get("/second").status_code == 404

    @app.get("/second")
    def second():
        return 2

    assert client.get("/second").json() == 2


def test_nested_fastcore_app_sees_its_root_path():
    inner = fastcore.FastAPI()

    @inner.get("/where")
    def where(request: fastcore.Request):
        return {"root_path": request.scope["root_path"], "for": str(request.url_for("where"))}

    outer = fastcore.FastAPI()
    outer.mount("/a", inner)
    body = TestClient(outer).get("/a/where").json()
    assert body == {"root_path": "/a", "for": "http://testserver/a/where"}


def test_unknown_convertor_fails_when_added_like_fastapi():
    # Starlette's path compiler refuses it, for FastAPI and fastcore alike.
    for framework in (fastapi, fastcore):
        with pytest.raises(AssertionError):
            framework.FastAPI().add_api_route("/items/{id:unknown}", lambda id: id)


def test_path_without_leading_slash_is_accepted_and_never_matches_like_fastapi():
    for framework in (fastapi, fastcore):
        app = framework.FastAPI()
        app.add_api_route("no-slash", lambda: "dead")
        app.add_api_route("/alive", lambda: "alive")
        client = TestClient(app)
        assert client.get("/alive").json() == "alive"
        assert client.get("/no-slash").status_code == 404


def test_including_a_router_into_itself_or_in_a_cycle_fails_like_fastapi():
    for framework in (fastapi, fastcore):
        a, b = framework.APIRouter(), framework.APIRouter()
        with pytest.raises(AssertionError):
            a.include_router(a)
        a.include_router(b)
        with pytest.raises(AssertionError):
            b.include_router(a)


def test_telemetry_settings_that_are_not_a_mapping_fail_like_fastapi():
    # The rest of telemetry is compared with FastAPI in test_telemetry_compat.py.
    with pytest.raises(TypeError, match="'list' object is not a mapping"):
        fastcore.FastAPI(telemetry=[lambda: None])
