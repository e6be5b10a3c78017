"""WebSocket sessions through a real uvicorn (uvloop, httptools, websockets) on 127.0.0.1.

The app is ``tests/apps/websocket_app.py`` on fastcore, served on this pass's
core; the client is the ``websockets`` library that ``uvicorn[standard]``
brings, speaking over a real socket.
"""

import json
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.servers import uvicorn_server


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with uvicorn_server("tests.apps.websocket_served:app") as port:
        yield f"ws://127.0.0.1:{port}"


def test_echo_text_and_bytes(base: str) -> None:
    with connect(f"{base}/echo", open_timeout=5) as socket:
        socket.send("héllo")
        assert socket.recv(timeout=5) == "héllo"
        socket.send(b"\x00\xff")
        assert socket.recv(timeout=5) == b"\x00\xff"


def test_room_with_parameters_and_json(base: str) -> None:
    headers = {"lang": "fr", "cookie": "theme=light"}
    with connect(f"{base}/rooms/3?token=abcd", additional_headers=headers) as socket:
        assert json.loads(socket.recv(timeout=5)) == {
            "room": 3,
            "token": "abcd",
            "call": "call",
            "nick": "anon",
            "lang": ["fr"],
            "theme": "light",
        }
        socket.send(json.dumps({"n": 2}))
        assert json.loads(socket.recv(timeout=5)) == {"echo": {"n": 2}, "room": 3}


# A socket closed before it is accepted is a refused handshake: uvicorn answers
# it with an HTTP 403 (FastAPI's apps behave the same under it), whatever the
# close code; an HTTPException's own response goes out as it is.
@pytest.mark.parametrize("path", ["/rooms/x?token=abcd", "/guarded?kind=ws"])
def test_closing_before_accepting_refuses_the_handshake(base: str, path: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{base}{path}", open_timeout=5)
    assert refused.value.response.status_code == 403


def test_http_exception_in_a_dependency_refuses_with_its_response(base: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{base}/guarded?kind=http", open_timeout=5)
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body) == {"detail": "Forbidden here"}


def test_endpoint_failure_drops_the_socket_and_the_server_stays_up(base: str) -> None:
    with connect(f"{base}/crash", open_timeout=5) as socket:
        assert socket.recv(timeout=5) == "about to fail"
        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=5)
    with connect(f"{base}/echo", open_timeout=5) as socket:
        socket.send("still here")
        assert socket.recv(timeout=5) == "still here"


def test_security_scheme_on_a_router_websocket(base: str) -> None:
    with connect(f"{base}/api/v1/keyed/n9", additional_headers={"x-key": "k"}) as socket:
        assert json.loads(socket.recv(timeout=5)) == {"name": "n9", "key": "k"}
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{base}/api/v1/keyed/n9", open_timeout=5)
    assert refused.value.response.status_code == 401
