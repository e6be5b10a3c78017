"""The app of docs/websockets.md: a chat with rooms, a nickname, an API key and a log.

Run it with ``uvicorn examples.docs.websockets:app`` and connect with any WebSocket
client, for example ``python -m websockets ws://127.0.0.1:8000/rooms/1?nick=ann``
after sending the ``x-key: let-me-in`` header (the tests use the TestClient).
"""

from dataclasses import dataclass
from typing import Annotated

from fastcore import (
    Depends,
    FastAPI,
    HTTPException,
    Query,
    Security,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
    status,
)
from fastcore.security import APIKeyHeader

app = FastAPI()
log: list[str] = []  # what the dependencies and endpoints did, in order


class Room:
    """The sockets in one chat room, to send every message to all of them."""

    def __init__(self) -> None:
        self.members: dict[str, WebSocket] = {}

    async def broadcast(self, message: dict) -> None:
        for socket in self.members.values():
            await socket.send_json(message)


rooms: dict[int, Room] = {}


@dataclass
class Seat:
    room: Room
    nick: str


@app.websocket("/echo")
async def echo(websocket: WebSocket):
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(f"echo: {text}")


api_key = APIKeyHeader(name="x-key")


def member(key: Annotated[str, Security(api_key)]) -> str:
    if key != "let-me-in":
        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason="Unknown key")
    return key


async def joined(room_id: int, nick: Annotated[str, Query(min_length=2, max_length=12)]):
    """Record the nickname in the room while the socket is open; remove it afterwards."""
    room = rooms.setdefault(room_id, Room())
    if nick in room.members:
        raise HTTPException(status_code=409, detail="Nickname taken")
    log.append(f"{nick} joins {room_id}")
    try:
        yield Seat(room, nick)
    finally:
        room.members.pop(nick, None)
        log.append(f"{nick} leaves {room_id}")


@app.websocket("/rooms/{room_id}", dependencies=[Depends(member)])
async def chat(websocket: WebSocket, seat: Annotated[Seat, Depends(joined)]):
    await websocket.accept()
    seat.room.members[seat.nick] = websocket
    await seat.room.broadcast({"from": "room", "text": f"{seat.nick} joined"})
    try:
        while True:
            message = await websocket.receive_json()
            await seat.room.broadcast({"from": seat.nick, "text": message["text"]})
    except WebSocketDisconnect as disconnect:
        log.append(f"{seat.nick} disconnected with code {disconnect.code}")
