"""WebSocket routes, side by side with FastAPI: the same sessions give the same transcripts.

``tests/apps/websocket_app.py`` is built against FastAPI 0.165 and against
fastcore. Each session below (messages sent and received, how the socket
closed or was refused) runs on both through Starlette's TestClient; the
transcripts and the events the dependencies recorded must be equal. A few
literal expectations make sure the comparison compares something.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

import fastcore
from fastcore.exceptions import FastAPIError
from tests.apps import websocket_app

Action = tuple[Any, ...]


def run_session(
    fw: ModuleType, url: str, actions: list[Action], **connect: Any
) -> tuple[list[Any], list[str]]:
    """Open ``url``, play ``actions``; the transcript and the app's events."""
    app, events = websocket_app.build(fw)
    client = TestClient(app, raise_server_exceptions=False)
    transcript: list[Any] = []
    try:
        with client.websocket_connect(url, **connect) as socket:
            for action, *arguments in actions:
                result = getattr(socket, action)(*arguments)
                if action.startswith("receive"):
                    transcript.append((action, result))
    except WebSocketDenialResponse as denied:  # a subclass of WebSocketDisconnect
        transcript.append(("denied", denied.status_code, denied.json()))
    except WebSocketDisconnect as closed:
        transcript.append(("closed", closed.code, closed.reason))
    except RuntimeError as failed:  # the TestClient re-raises what the endpoint raised
        transcript.append(("raised", type(failed).__name__, str(failed)))
    return transcript, events


SESSIONS: dict[str, tuple[str, list[Action], dict[str, Any]]] = {
    "echo text and bytes": (
        "/echo",
        [("send_text", "hi"), ("receive_text",), ("send_bytes", b"\x00\xff"), ("receive_bytes",)],
        {"headers": {"x-client": "c1"}},
    ),
    "room with every parameter kind": (
        "/rooms/7?token=abcd&nick=zed",
        [("receive_json",), ("send_json", {"n": 1}), ("receive_json",)],
        {"headers": {"lang": "en", "cookie": "theme=dark"}},
    ),
    "room defaults": ("/rooms/7?token=abcd", [("receive_json",)], {}),
    "room closes from the client with a code": (
        "/rooms/1?token=abcd",
        [("receive_json",), ("close", 4001)],
        {},
    ),
    "room invalid path, query and missing token": (
        "/rooms/x?nick=far-too-long-nick",
        [("receive_json",)],
        {},
    ),
    "room token too short": ("/rooms/2?token=ab", [("receive_json",)], {}),
    "guarded passes": ("/guarded", [("receive_text",), ("receive_text",)], {}),
    "guarded by WebSocketException": ("/guarded?kind=ws", [("receive_text",)], {}),
    "guarded by HTTPException": ("/guarded?kind=http", [("receive_text",)], {}),
    "crash after accept": ("/crash", [("receive_text",), ("receive_text",)], {}),
    "security and router dependencies": (
        "/api/v1/keyed/n1",
        [("receive_json",), ("receive_json",)],
        {"headers": {"x-key": "secret"}},
    ),
    "security refuses a missing key": ("/api/v1/keyed/n1", [("receive_json",)], {}),
    "plain Starlette websocket route under a prefix": (
        "/api/v1/plain",
        [("receive_text",), ("receive_text",)],
        {},
    ),
    "no such route": ("/nowhere", [("receive_text",)], {}),
}


@pytest.fixture(scope="module")
def fastapi() -> ModuleType:
    return pytest.importorskip("fastapi")


@pytest.mark.parametrize("name", SESSIONS)
def test_session_same_as_fastapi(name: str, fastapi: ModuleType) -> None:
    url, actions, connect = SESSIONS[name]
    assert run_session(fastcore, url, actions, **connect) == run_session(
        fastapi, url, actions, **connect
    )


def test_room_session_as_a_user_sees_it() -> None:
    url, actions, connect = SESSIONS["room with every parameter kind"]
    transcript, events = run_session(fastcore, url, actions, **connect)
    assert transcript == [
        (
            "receive_json",
            {
                "room": 7,
                "token": "abcd",
                "call": "call",
                "nick": "zed",
                "lang": ["en"],
                "theme": "dark",
            },
        ),
        ("receive_json", {"echo": {"n": 1}, "room": 7}),
    ]
    # Every dependency closes after the socket does, the latest opened first.
    assert events == [
        "audit None",
        "session open abcd",
        "call setup",
        "room got {'n': 1}",
        "room disconnect 1000",
        "call teardown",
        "session closed",
    ]


def test_invalid_handshake_closes_with_1008_and_the_errors() -> None:
    url, actions, connect = SESSIONS["room invalid path, query and missing token"]
    transcript, events = run_session(fastcore, url, actions, **connect)
    [(kind, code, reason)] = transcript
    assert (kind, code) == ("closed", 1008)
    assert [(error["loc"], error["type"]) for error in reason] == [
        (["query", "token"], "missing"),
        (["path", "room_id"], "int_parsing"),
        (["query", "nick"], "string_too_long"),
    ]
    # The dependency that needed nothing ran; its teardown sees the error at its yield.
    assert events == ["audit None", "call setup"]


def test_refusals() -> None:
    assert run_session(fastcore, "/guarded?kind=ws", [("receive_text",)])[0] == [
        ("closed", 1003, "refused")
    ]
    assert run_session(fastcore, "/guarded?kind=http", [("receive_text",)])[0] == [
        ("denied", 403, {"detail": "Forbidden here"})
    ]


def test_url_for_a_websocket_route_in_an_included_router() -> None:
    app, _ = websocket_app.build(fastcore)
    assert TestClient(app).get("/url").json() == {"keyed": "ws://testserver/api/v1/keyed/n1"}
    assert app.url_path_for("echo") == "/echo"


def test_dependency_overrides_apply_to_websockets() -> None:
    app, events = websocket_app.build(fastcore)
    route = next(route for route in app.routes if getattr(route, "name", "") == "keyed")
    [per_call] = [d.dependency for d in route.dependencies if d.dependency.__name__ == "per_call"]

    def replaced():
        events.append("replaced")
        return "replaced"

    app.dependency_overrides[per_call] = replaced
    client = TestClient(app)
    with client.websocket_connect("/api/v1/keyed/n1", headers={"x-key": "k"}) as socket:
        assert socket.receive_json() == {"name": "n1", "key": "k"}
    assert events == ["audit None", "replaced"]


def _refused(build: Callable[[ModuleType], Any]) -> str:
    with pytest.raises(FastAPIError) as refused:
        build(fastcore)
    return str(refused.value)


def test_start_up_refusals_name_the_problem() -> None:
    def sync_endpoint(fw: ModuleType) -> None:
        app = fw.FastAPI()

        @app.websocket("/s")
        def blocking(websocket: fw.WebSocket):
            pass

    def body_parameter(fw: ModuleType) -> None:
        from pydantic import BaseModel

        class Message(BaseModel):
            text: str

        app = fw.FastAPI()

        @app.websocket("/b")
        async def with_body(websocket: fw.WebSocket, message: Message):
            pass

    def request_argument(fw: ModuleType) -> None:
        def wants_request(request: fw.Request) -> None:
            pass

        app = fw.FastAPI()

        @app.websocket("/r")
        async def needs(websocket: fw.WebSocket, _: None = fw.Depends(wants_request)):
            pass

    assert "must be an async function" in _refused(sync_endpoint)
    assert "'message' cannot be read from one" in _refused(body_parameter)
    assert "parameter 'request' asks for a Request" in _refused(request_argument)
