"""What docs/websockets.md shows, replayed against examples/docs/websockets.py.

The sessions were recorded from FastAPI 0.165 running the same module with the
import swapped, so a failure here is a difference from FastAPI.
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from fastcore.testclient import TestClient

KEY = {"x-key": "let-me-in"}


@pytest.fixture
def example() -> Iterator[ModuleType]:
    module = importlib.import_module("examples.docs.websockets")
    module.rooms.clear()
    module.log.clear()
    yield module


@pytest.fixture
def client(example: ModuleType) -> Iterator[TestClient]:
    # One client for all sockets of a test, so that they share one event loop
    # and a broadcast can write to every member's socket.
    with TestClient(example.app) as client:
        yield client


def test_echo(client: TestClient) -> None:
    with client.websocket_connect("/echo") as socket:
        socket.send_text("hi")
        assert socket.receive_text() == "echo: hi"


def test_chat_between_two_members(client: TestClient, example: ModuleType) -> None:
    with client.websocket_connect("/rooms/1?nick=ann", headers=KEY) as ann:
        assert ann.receive_json() == {"from": "room", "text": "ann joined"}
        with client.websocket_connect("/rooms/1?nick=bob", headers=KEY) as bob:
            assert ann.receive_json() == {"from": "room", "text": "bob joined"}
            assert bob.receive_json() == {"from": "room", "text": "bob joined"}
            bob.send_json({"text": "hello"})
            assert ann.receive_json() == {"from": "bob", "text": "hello"}
            assert bob.receive_json() == {"from": "bob", "text": "hello"}
    assert example.log == [
        "ann joins 1",
        "bob joins 1",
        "bob disconnected with code 1000",
        "bob leaves 1",
        "ann disconnected with code 1000",
        "ann leaves 1",
    ]


def test_nickname_taken_is_refused_with_the_http_exception(client: TestClient) -> None:
    with client.websocket_connect("/rooms/1?nick=ann", headers=KEY) as ann:
        ann.receive_json()
        with pytest.raises(WebSocketDenialResponse) as refused:
            client.websocket_connect("/rooms/1?nick=ann", headers=KEY).__enter__()
    assert refused.value.status_code == 409
    assert refused.value.json() == {"detail": "Nickname taken"}


def test_invalid_parameters_close_with_1008(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect("/rooms/one", headers=KEY) as socket:
            socket.receive_json()
    assert closed.value.code == 1008
    assert closed.value.reason == [
        {
            "type": "int_parsing",
            "loc": ["path", "room_id"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "one",
        },
        {"type": "missing", "loc": ["query", "nick"], "msg": "Field required", "input": None},
    ]


def test_short_nickname(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect("/rooms/1?nick=x", headers=KEY) as socket:
            socket.receive_json()
    assert closed.value.code == 1008
    assert [error["type"] for error in closed.value.reason] == ["string_too_short"]


def test_wrong_key_closes_with_the_websocket_exception(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect("/rooms/1?nick=cat", headers={"x-key": "guess"}) as s:
            s.receive_json()
    assert (closed.value.code, closed.value.reason) == (1008, "Unknown key")


def test_missing_key_is_refused_with_401(client: TestClient) -> None:
    with pytest.raises(WebSocketDenialResponse) as refused:
        with client.websocket_connect("/rooms/1?nick=cat") as socket:
            socket.receive_json()
    assert refused.value.status_code == 401
    assert refused.value.json() == {"detail": "Not authenticated"}
