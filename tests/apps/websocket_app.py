"""One WebSocket app, written once and built against FastAPI or fastcore.

``build(fw)`` takes the framework's top-level module (``fastapi`` or
``fastcore``) and returns the app and the list its dependencies and
endpoints append events to, so a test can compare what happened, in order.
"""

import importlib
from types import ModuleType
from typing import Annotated, Any


def build(fw: ModuleType) -> tuple[Any, list[str]]:
    security = importlib.import_module(f"{fw.__name__}.security")
    Depends, Query, Header, Cookie, WebSocket = (
        fw.Depends,
        fw.Query,
        fw.Header,
        fw.Cookie,
        fw.WebSocket,
    )
    events: list[str] = []

    async def session(token: Annotated[str, Query(min_length=3)]):
        events.append(f"session open {token}")
        try:
            yield token
        finally:
            events.append("session closed")

    def per_call():
        events.append("call setup")
        yield "call"
        events.append("call teardown")

    def audit(x_client: Annotated[str | None, Header()] = None):
        events.append(f"audit {x_client}")

    def refuse(kind: str | None = None):
        if kind == "ws":
            raise fw.WebSocketException(code=1003, reason="refused")
        if kind == "http":
            raise fw.HTTPException(status_code=403, detail="Forbidden here")

    app = fw.FastAPI(dependencies=[Depends(audit)])

    @app.websocket("/echo")
    async def echo(websocket: WebSocket):
        await websocket.accept()
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    events.append(f"echo disconnect {message.get('code')}")
                    return
                if message.get("text") is not None:
                    await websocket.send_text(message["text"])
                else:
                    await websocket.send_bytes(message["bytes"])
        finally:
            events.append("echo done")

    @app.websocket("/rooms/{room_id}")
    async def room(
        websocket: WebSocket,
        room_id: int,
        token: Annotated[str, Depends(session)],
        call: Annotated[str, Depends(per_call, scope="function")],
        nick: Annotated[str, Query(max_length=8)] = "anon",
        lang: Annotated[list[str], Header()] = [],  # noqa: B006 - FastAPI's idiom
        theme: Annotated[str | None, Cookie()] = None,
    ):
        await websocket.accept(subprotocol=None)
        await websocket.send_json(
            {
                "room": room_id,
                "token": token,
                "call": call,
                "nick": nick,
                "lang": lang,
                "theme": theme,
            }
        )
        try:
            while True:
                data = await websocket.receive_json()
                events.append(f"room got {data}")
                await websocket.send_json({"echo": data, "room": room_id})
        except fw.WebSocketDisconnect as disconnect:
            events.append(f"room disconnect {disconnect.code}")

    @app.websocket("/guarded", dependencies=[Depends(refuse)])
    async def guarded(websocket: WebSocket):
        await websocket.accept()
        await websocket.send_text("in")
        await websocket.close(code=4000, reason="bye")

    @app.websocket("/crash")
    async def crash(websocket: WebSocket):
        await websocket.accept()
        await websocket.send_text("about to fail")
        raise RuntimeError("endpoint failed")

    api_key = security.APIKeyHeader(name="x-key")

    router = fw.APIRouter(prefix="/v1", dependencies=[Depends(per_call)])

    @router.websocket("/keyed/{name}", name="keyed")
    async def keyed(websocket: WebSocket, name: str, key: Annotated[str, fw.Security(api_key)]):
        await websocket.accept()
        await websocket.send_json({"name": name, "key": key})
        await websocket.close()

    @router.websocket_route("/plain")
    async def plain(websocket: WebSocket):
        await websocket.accept()
        await websocket.send_text(f"plain {websocket.url.path}")
        await websocket.close()

    app.include_router(router, prefix="/api")

    @app.get("/url")
    def url(request: fw.Request):
        return {"keyed": str(request.url_for("keyed", name="n1"))}

    return app, events
