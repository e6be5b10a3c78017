"""Apps exercising middleware and exception handlers, for either framework, recording events.

``build_app(fw, events, ...)`` builds the same app with ``fastapi`` or ``fastcore``. Its
middleware, exception handlers, ``yield`` dependency, endpoints and background tasks
append short strings to ``events``, so that a test can compare the order in which they
ran and what each of them saw:

- ``"<mw> in"`` / ``"<mw> out <status>"`` / ``"<mw> saw <Exception>"`` for the two
  ``@app.middleware("http")`` functions (``timing`` added first, ``auth`` second, so
  ``auth`` is the outer one) and ``"asgi in"`` / ``"asgi out"`` for a plain ASGI
  middleware given to ``FastAPI(middleware=[...])``, which is inside both;
- ``"handler <name> <what>"`` for the exception handlers;
- ``"dep setup"`` / ``"dep saw <Exception>"`` / ``"dep teardown"`` for the ``yield``
  dependency of every ``/ep/*`` route, ``"endpoint"``, and ``"bg sync"`` / ``"bg async"``.

``custom_handlers=True`` adds handlers for ``HTTPException``, ``RequestValidationError``,
``Exception`` (the 500 handler, served outside all middleware) and the status 404;
``debug=True`` shows tracebacks. What each path does is listed in ``PATHS``.

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import importlib
from types import ModuleType
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send


class Teapot(Exception):
    """An application error with its own handler (418)."""


class Unhandled(Exception):
    """An error no handler but the 500 one catches."""


def submodule(fw: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{fw.__name__}.{name}")


def describe(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    return type(exc).__name__ if status is None else f"{type(exc).__name__} {status}"


class RecordingASGIMiddleware:
    """Plain ASGI middleware: records the request and the status it saw going out."""

    def __init__(self, app: ASGIApp, events: list[str]) -> None:
        self.app = app
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.events.append("asgi in")

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.events.append(f"asgi out {message['status']}")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            self.events.append(f"asgi saw {describe(exc)}")
            raise


def build_app(
    fw: ModuleType, events: list[str], *, custom_handlers: bool = False, debug: bool = False
) -> Any:
    responses = submodule(fw, "responses")
    middleware = submodule(fw, "middleware")
    app = fw.FastAPI(
        debug=debug,
        middleware=[middleware.Middleware(RecordingASGIMiddleware, events=events)],
    )

    @app.exception_handler(Teapot)
    async def teapot(request: fw.Request, exc: Teapot) -> Any:
        events.append("handler teapot")
        return responses.JSONResponse({"teapot": str(exc)}, status_code=418)

    if custom_handlers:

        @app.exception_handler(fw.HTTPException)
        async def http_error(request: fw.Request, exc: Any) -> Any:
            events.append(f"handler http {exc.status_code}")
            return responses.JSONResponse(
                {"http": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )

        @app.exception_handler(fw.exceptions.RequestValidationError)
        async def invalid(request: fw.Request, exc: Any) -> Any:
            events.append(f"handler validation {len(exc.errors())}")
            return responses.PlainTextResponse(f"invalid: {exc.errors()[0]['loc']}", 400)

        @app.exception_handler(404)
        async def not_found(request: fw.Request, exc: Any) -> Any:
            events.append(f"handler 404 {type(exc).__name__}")
            return responses.PlainTextResponse("nothing here", status_code=404)

        @app.exception_handler(Exception)
        async def crash(request: fw.Request, exc: Exception) -> Any:
            events.append(f"handler crash {describe(exc)}")
            return responses.JSONResponse({"crash": str(exc)}, status_code=500)

    @app.middleware("http")
    async def timing(request: fw.Request, call_next: Any) -> Any:
        events.append("timing in")
        try:
            response = await call_next(request)
        except Exception as exc:
            events.append(f"timing saw {describe(exc)}")
            raise
        events.append(f"timing out {response.status_code}")
        response.headers["x-timing"] = "1"
        return response

    @app.middleware("http")
    async def auth(request: fw.Request, call_next: Any) -> Any:
        events.append("auth in")
        token = request.headers.get("x-token")
        if token == "http":
            raise fw.HTTPException(status_code=401, detail="from middleware")
        if token == "teapot":
            raise Teapot("from middleware")
        if token == "crash":
            raise Unhandled("from middleware")
        if token == "refuse":
            return responses.JSONResponse({"refused": True}, status_code=403)
        response = await call_next(request)
        events.append(f"auth out {response.status_code}")
        if token == "after":
            raise Unhandled("after the endpoint")
        return response

    def dependency():
        events.append("dep setup")
        try:
            yield "dep"
        except Exception as exc:
            events.append(f"dep saw {describe(exc)}")
            raise
        finally:
            events.append("dep teardown")

    def sync_task(name: str) -> None:
        events.append(f"bg sync {name}")

    async def async_task(name: str) -> None:
        events.append(f"bg async {name}")

    router = fw.APIRouter(prefix="/ep", dependencies=[fw.Depends(dependency)])

    @router.get("/ok")
    def ok(background: fw.BackgroundTasks) -> dict[str, str]:
        events.append("endpoint")
        background.add_task(sync_task, "one")
        background.add_task(async_task, "two")
        return {"ok": "yes"}

    @router.get("/http")
    def http() -> None:
        events.append("endpoint")
        raise fw.HTTPException(status_code=409, detail="conflict", headers={"x-why": "busy"})

    @router.get("/teapot")
    async def teapot_endpoint() -> None:
        events.append("endpoint")
        raise Teapot("from endpoint")

    @router.get("/crash")
    def crash_endpoint() -> None:
        events.append("endpoint")
        raise Unhandled("from endpoint")

    @router.get("/validation")
    def validation(number: int) -> int:
        events.append("endpoint")
        return number

    @router.get("/stream")
    def stream() -> Any:
        events.append("endpoint")

        def chunks() -> Any:  # records nothing: it runs concurrently with the middleware
            yield b"a"
            yield b"b"

        return responses.StreamingResponse(chunks(), media_type="text/plain")

    @router.post("/only-post")
    def only_post() -> str:
        return "posted"

    app.include_router(router)
    return app


# Path, extra request headers, and what it shows.
PATHS: list[tuple[str, dict[str, str], str]] = [
    ("/ep/ok", {}, "background tasks after the response, around the teardown"),
    ("/ep/http", {}, "an HTTPException from the endpoint"),
    ("/ep/teapot", {}, "a custom exception with a handler"),
    ("/ep/crash", {}, "an unhandled exception"),
    ("/ep/validation?number=x", {}, "a RequestValidationError"),
    ("/ep/stream", {}, "a streaming response"),
    ("/ep/only-post", {}, "a 405"),
    ("/nowhere", {}, "a 404"),
    ("/ep/ok", {"x-token": "http"}, "an HTTPException from middleware"),
    ("/ep/ok", {"x-token": "teapot"}, "a custom exception from middleware"),
    ("/ep/ok", {"x-token": "crash"}, "an unhandled exception from middleware"),
    ("/ep/ok", {"x-token": "refuse"}, "middleware answering by itself"),
    ("/ep/ok", {"x-token": "after"}, "middleware failing after the endpoint"),
]
