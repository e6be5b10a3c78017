"""Errors that escape a route, side by side with FastAPI, with and without user middleware.

fastcore runs Starlette's error middleware only once an exception escapes
(``fastcore._error_replay``); this checks that what a client gets, and what
reaches the server, is still what FastAPI gives: handled exceptions, status
handlers, the 500 and its custom handler, the debug page, and exceptions
raised after the response started (with and without a handler for them).
"""

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient

fastapi = pytest.importorskip("fastapi")
fastapi_testclient = pytest.importorskip("fastapi.testclient")


class Teapot(Exception):
    """An exception the app has a handler for."""


class Unhandled(Exception):
    """An exception nothing handles."""


def build_app(fw: ModuleType, *, middleware: bool, debug: bool = False, handle_500: bool = False):
    responses = __import__(f"{fw.__name__}.responses", fromlist=["x"])
    app = fw.FastAPI(debug=debug)

    @app.exception_handler(Teapot)
    async def teapot(request: Any, error: Teapot) -> Any:
        return responses.JSONResponse({"teapot": str(error), "path": request.url.path}, 418)

    @app.exception_handler(404)
    async def not_found(request: Any, error: Any) -> Any:
        return responses.PlainTextResponse(f"nothing at {request.url.path}", 404)

    if handle_500:

        @app.exception_handler(500)
        async def server_error(request: Any, error: Exception) -> Any:
            return responses.PlainTextResponse(f"sorry: {type(error).__name__}", 500)

    if middleware:

        @app.middleware("http")
        async def tag(request: Any, call_next: Any) -> Any:
            response = await call_next(request)
            response.headers["x-tag"] = "seen"
            return response

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/teapot")
    async def raise_teapot() -> None:
        raise Teapot("short and stout")

    @app.get("/http-error")
    async def raise_http() -> None:
        raise fw.HTTPException(409, "taken", headers={"x-why": "conflict"})

    @app.get("/unhandled")
    async def raise_unhandled() -> None:
        raise Unhandled("boom")

    @app.get("/validated/{number}")
    async def validated(number: int) -> int:
        return number

    async def stream_then(error: Exception) -> AsyncIterator[bytes]:
        yield b"first part;"
        raise error

    @app.get("/started/teapot")
    async def started_teapot() -> Any:
        return responses.StreamingResponse(stream_then(Teapot("late")))

    @app.get("/started/unhandled")
    async def started_unhandled() -> Any:
        return responses.StreamingResponse(stream_then(Unhandled("late boom")))

    return app


PATHS = [
    "/ok",
    "/teapot",
    "/http-error",
    "/unhandled",
    "/validated/seven",
    "/missing",
    "/started/teapot",
    "/started/unhandled",
]
SHAPES = {
    "plain": {"middleware": False},
    "with-middleware": {"middleware": True},
    "500-handler": {"middleware": False, "handle_500": True},
    "500-handler-with-middleware": {"middleware": True, "handle_500": True},
    "debug": {"middleware": False, "debug": True},
}


def answer(client: Any, path: str) -> dict[str, Any]:
    """What the client saw, or the exception that reached it."""
    try:
        response = client.get(path)
    except Exception as error:  # raised to the server, which TestClient re-raises
        cause = error.__cause__
        return {
            "raised": type(error).__name__,
            "message": str(error),
            "cause": None if cause is None else (type(cause).__name__, str(cause)),
        }
    text = response.text
    if "traceback" in text.lower():
        # A debug page: its frames are each framework's own; keep the error line.
        text = next(line for line in text.splitlines() if "Unhandled" in line).strip()
    return {
        "status": response.status_code,
        "type": response.headers.get("content-type"),
        "headers": {k: v for k, v in response.headers.items() if k.startswith("x-")},
        "text": text,
    }


@pytest.mark.parametrize("raise_server_exceptions", [True, False], ids=["raising", "answering"])
@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
@pytest.mark.parametrize("path", PATHS)
def test_like_fastapi(path: str, shape: str, raise_server_exceptions: bool) -> None:
    seen = []
    for fw, client_class in ((fastapi, fastapi_testclient.TestClient), (fastcore, TestClient)):
        client = client_class(
            build_app(fw, **SHAPES[shape]), raise_server_exceptions=raise_server_exceptions
        )
        seen.append(answer(client, path))
    assert seen[1] == seen[0]


def test_known_answers() -> None:
    """A few answers spelled out, so that a change in both frameworks is noticed too."""
    client = TestClient(build_app(fastcore, middleware=False), raise_server_exceptions=False)
    assert client.get("/teapot").json() == {"teapot": "short and stout", "path": "/teapot"}
    assert client.get("/missing").text == "nothing at /missing"
    unhandled = client.get("/unhandled")
    assert (unhandled.status_code, unhandled.text) == (500, "Internal Server Error")
    raising = TestClient(build_app(fastcore, middleware=False))
    with pytest.raises(RuntimeError, match="response already started") as started:
        raising.get("/started/teapot")
    assert isinstance(started.value.__cause__, Teapot)
    with pytest.raises(Unhandled, match="late boom"):
        raising.get("/started/unhandled")
