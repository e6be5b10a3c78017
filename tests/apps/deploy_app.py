"""The app served by the deployment tests: uvicorn, gunicorn and ``fastcore run``.

It says which process and core answered, has a slow endpoint that prints
when it starts and ends, so a test can send SIGTERM while it is in flight, and
one endpoint of each other kind a deployment must carry: a WebSocket echo, a
server-sent event stream and a file download.
"""

from __future__ import annotations

import asyncio
import os

import fastcore
from fastcore import FastAPI, WebSocket, WebSocketDisconnect
from fastcore.responses import FileResponse
from fastcore.sse import EventSourceResponse, ServerSentEvent

# Any file of known content will do: this module itself.
DOWNLOAD = os.path.abspath(__file__)

app = FastAPI(title="deploy test app")


@app.get("/")
def where() -> dict[str, object]:
    return {"app": "deploy", "pid": os.getpid(), "compiled": fastcore.COMPILED}


@app.get("/slow")
async def slow(seconds: float = 1.0) -> dict[str, object]:
    print(f"slow request started in {os.getpid()}", flush=True)
    await asyncio.sleep(seconds)
    print(f"slow request done in {os.getpid()}", flush=True)
    return {"slow": "done", "seconds": seconds, "pid": os.getpid()}


@app.get("/download")
def download() -> FileResponse:
    return FileResponse(DOWNLOAD, filename="deploy_app.py")


@app.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(f"{os.getpid()}: {await websocket.receive_text()}")
    except WebSocketDisconnect:
        pass


@app.get("/events", response_class=EventSourceResponse)
async def events(count: int = 3):
    for number in range(count):
        yield ServerSentEvent(data={"n": number}, event="tick", id=str(number))
