"""Endpoints that stream, for either framework: Server-Sent Events, JSON Lines, raw streams.

``build_app(fastapi, events)`` and ``build_app(fastcore, events)`` build the same app;
everything framework-specific comes from the module passed in and its submodules
(``fw.sse``, ``fw.responses``). Generators, ``yield`` dependencies and background tasks
append short strings to ``events`` (``"gen start"``, ``"req teardown"``, ``"bg"``, ...), so
that the order of what ran can be compared too.

``served_app`` adds what ``tests/test_streaming_served.py`` needs under a real server:
streams that wait for ``/served/release``, a short keep-alive interval, and ``/served/log``
and ``/served/tasks`` to see from outside what the generators did.

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import asyncio
import functools
import importlib
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Generator,
    Iterable,
    Iterator,
)
from types import ModuleType
from typing import Annotated, Any

from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str
    price: float = 1.0
    tag: str | None = None


class SecretItem(Item):
    secret: str = "hidden"


class Aliased(BaseModel):
    my_field: int = Field(alias="myField")
    note: str | None = None


def on_event_loop() -> bool:
    """Whether the caller runs on the event loop's thread (not in the thread pool)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def submodule(fw: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{fw.__name__}.{name}")


def build_app(fw: ModuleType, events: list[str]) -> Any:
    """The app, built with ``fw`` (``fastapi`` or ``fastcore``); only that module differs."""
    app = fw.FastAPI()
    add_event_routes(app, fw, events)
    add_json_lines_routes(app, fw, events)
    add_own_class_routes(app, fw, events)
    add_dependency_routes(app, fw, events)
    add_error_routes(app, fw, events)
    return app


# --- Server-Sent Events -----------------------------------------------------------------------


def add_event_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    sse = submodule(fw, "sse")
    EventSourceResponse, ServerSentEvent = sse.EventSourceResponse, sse.ServerSentEvent

    @app.get("/sse/values", response_class=EventSourceResponse)
    async def sse_values():
        yield {"a": 1, "b": [1.5, None, True]}
        yield "hello"
        yield "two\nlines é"
        yield 5
        yield None
        yield Item(name="x")
        yield [1, 2]
        yield b"bytes"
        yield {"nan": float("nan"), float("inf"): -float("inf")}

    @app.get("/sse/events", response_class=EventSourceResponse)
    async def sse_events():
        yield ServerSentEvent(data={"b": 2}, event="update", id="7", retry=1500, comment="c")
        yield ServerSentEvent(raw_data="line 1\nline 2\r\nline 3\rline 4")
        yield ServerSentEvent(comment="first\nsecond")
        yield ServerSentEvent()
        yield ServerSentEvent(data="")
        yield ServerSentEvent(raw_data="")
        yield ServerSentEvent(data=Item(name="é", tag=None))
        yield ServerSentEvent(data=[Item(name="in a list")])
        yield ServerSentEvent(event="only-a-name")
        yield ServerSentEvent(id="", retry=0)

    @app.get("/sse/sync", response_class=EventSourceResponse)
    def sse_sync():
        events.append(f"sync gen on the event loop: {on_event_loop()}")
        yield {"sync": True}
        yield ServerSentEvent(data=2, event="two")

    @app.get("/sse/typed", response_class=EventSourceResponse, response_model_exclude_none=True)
    async def sse_typed() -> AsyncIterable[Item]:
        yield Item(name="model")
        yield {"name": "dict", "price": "2.5", "extra": 1}
        yield SecretItem(name="subclass")
        yield ServerSentEvent(data=Item(name="inside an event"), event="raw")

    @app.get("/sse/typed-sync", response_class=EventSourceResponse)
    def sse_typed_sync() -> Iterator[Item]:
        yield {"name": "from a thread"}

    @app.get("/sse/any", response_class=EventSourceResponse)
    async def sse_any() -> AsyncIterable[Any]:
        yield {"é": 1}
        yield Item(name="q")

    @app.get("/sse/strings", response_class=EventSourceResponse)
    async def sse_strings() -> AsyncIterable[str]:
        yield "é"
        yield "a\nb"

    @app.get("/sse/event-annotation", response_class=EventSourceResponse)
    async def sse_event_annotation() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(data=1)
        yield {"data": 2}

    @app.get("/sse/status", response_class=EventSourceResponse, status_code=201)
    async def sse_status():
        yield 1

    @app.post("/sse/post", response_class=EventSourceResponse)
    async def sse_post(item: Item, q: int = 0):
        yield item
        yield {"q": q}

    @app.get("/sse/empty", response_class=EventSourceResponse)
    async def sse_empty():
        return
        yield

    @app.get("/sse/plain-function", response_class=EventSourceResponse)
    def sse_plain_function():
        events.append(f"plain function on the event loop: {on_event_loop()}")
        return [1, {"two": 2}]

    @app.get("/sse/plain-function-string", response_class=EventSourceResponse)
    def sse_plain_function_string():
        return "ab"

    class CustomEventSource(EventSourceResponse):
        pass

    @app.get("/sse/subclass", response_class=CustomEventSource)
    async def sse_subclass():
        yield "custom"

    class OtherMediaType(EventSourceResponse):
        media_type = "text/x-events"

        # FastAPI's document needs ``status_code`` in the signature, for its default.
        def __init__(self, content: Any, status_code: int = 200, **kwargs: Any) -> None:
            super().__init__(content, status_code, **kwargs)
            self.headers["x-subclass"] = "1"

    # The subclass only selects events: they are sent by EventSourceResponse itself.
    @app.get("/sse/subclass-media-type", response_class=OtherMediaType)
    async def sse_subclass_media_type():
        yield "as text/event-stream"

    @app.get("/sse/subclass-media-type-function", response_class=OtherMediaType)
    def sse_subclass_media_type_function():
        return ["as text/event-stream"]

    router = fw.APIRouter(default_response_class=EventSourceResponse)

    @router.get("/sse/router-default")
    async def sse_router_default():
        yield "from the router"

    app.include_router(router)


# --- JSON Lines --------------------------------------------------------------------------------


def add_json_lines_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    sse = submodule(fw, "sse")

    @app.get("/jsonl/values")
    async def jsonl_values():
        yield {"a": 1}
        yield "hello é\u2028"
        yield 5
        yield None
        yield Item(name="x")
        yield Aliased(myField=3)
        yield [1, (2, 3), {4}]
        yield b"bytes"
        yield {"nan": float("nan"), None: 1}
        yield sse.ServerSentEvent(data=1)

    @app.get("/jsonl/sync")
    def jsonl_sync():
        events.append(f"sync gen on the event loop: {on_event_loop()}")
        yield {"n": 1}
        yield {"n": 2}

    @app.get("/jsonl/typed")
    async def jsonl_typed() -> AsyncIterable[Item]:
        yield Item(name="model")
        yield {"name": "dict", "price": "3", "extra": 1}
        yield SecretItem(name="subclass")

    @app.get("/jsonl/typed-generator")
    async def jsonl_typed_generator() -> AsyncGenerator[Item, None]:
        yield {"name": "a"}

    @app.get("/jsonl/typed-iterator")
    async def jsonl_typed_iterator() -> AsyncIterator[Item]:
        yield {"name": "a"}

    @app.get("/jsonl/typed-sync-generator")
    def jsonl_typed_sync_generator() -> Generator[Item, None, None]:
        yield {"name": "a"}

    @app.get("/jsonl/typed-sync-iterable")
    def jsonl_typed_sync_iterable() -> Iterable[Item]:
        yield {"name": "a"}

    @app.get("/jsonl/typed-list-items")
    async def jsonl_typed_list_items() -> AsyncIterable[list[Item]]:
        yield [{"name": "a"}]

    @app.get("/jsonl/typed-int")
    async def jsonl_typed_int() -> AsyncIterable[int]:
        yield "5"

    @app.get("/jsonl/typed-string-annotation")
    async def jsonl_typed_string_annotation() -> "AsyncIterable[Item]":
        yield {"name": "a", "extra": 1}

    @app.get(
        "/jsonl/options",
        response_model_exclude_unset=True,
        response_model_by_alias=False,
        response_model_exclude={"note"},
    )
    async def jsonl_options() -> AsyncIterable[Aliased]:
        yield Aliased(myField=1, note="n")
        yield {"myField": 2}

    @app.get("/jsonl/include", response_model_include={"name"})
    async def jsonl_include() -> AsyncIterable[Item]:
        yield Item(name="only the name")

    @app.get("/jsonl/response-model", response_model=Item)
    async def jsonl_response_model():
        yield {"name": "not validated", "price": "x", "extra": 1}

    @app.get("/jsonl/response-model-none", response_model=None)
    async def jsonl_response_model_none() -> AsyncIterable[Item]:
        yield {"name": "not validated", "extra": 1}

    @app.get("/jsonl/list-annotation")
    async def jsonl_list_annotation() -> list[Item]:
        yield {"name": "not validated", "extra": 1}

    @app.get("/jsonl/status", status_code=201)
    async def jsonl_status():
        yield 1

    @app.get("/jsonl/status-204", status_code=204)
    async def jsonl_status_204():
        yield 1

    @app.get("/jsonl/empty")
    async def jsonl_empty():
        return
        yield

    async def numbers(start: int):
        yield start
        yield start + 1

    app.add_api_route("/jsonl/partial", functools.partial(numbers, 5))

    class Counter:
        def __call__(self, n: int = 2):
            yield from range(n)

    app.add_api_route("/jsonl/instance", Counter())

    def keeps_signature(call):
        @functools.wraps(call)
        def wrapper(*args, **kwargs):
            return call(*args, **kwargs)

        return wrapper

    @app.get("/jsonl/wrapped")
    @keeps_signature
    async def jsonl_wrapped(q: str = "w"):
        yield q


# --- a generator as the content of another response class -------------------------------------


def add_own_class_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    responses = submodule(fw, "responses")

    @app.get("/raw/streaming", response_class=responses.StreamingResponse, status_code=201)
    async def raw_streaming():
        yield "é"
        yield b"bytes"

    @app.get("/raw/streaming-sync", response_class=responses.StreamingResponse)
    def raw_streaming_sync():
        yield b"from a thread"

    class Csv(responses.StreamingResponse):
        media_type = "text/csv"

    @app.get("/raw/csv", response_class=Csv)
    async def raw_csv():
        yield "a,b\n"
        yield "1,2\n"

    @app.get("/raw/plain", response_class=responses.PlainTextResponse)
    async def raw_plain():
        yield "cannot be a plain text body"

    # A class someone chose, even JSONResponse, gets the generator as its content: a 500.
    @app.get("/raw/explicit-json", response_class=responses.JSONResponse)
    async def raw_explicit_json():
        yield {"a": 1}

    @app.get("/raw/explicit-json-sync", response_class=responses.JSONResponse)
    def raw_explicit_json_sync() -> Iterator[Item]:
        yield {"name": "x"}

    @app.get("/raw/explicit-json-model", response_class=responses.JSONResponse)
    def raw_explicit_json_model() -> list[Item]:
        yield {"name": "x"}

    router = fw.APIRouter(default_response_class=responses.JSONResponse)

    @router.get("/raw/router-json")
    async def raw_router_json():
        yield 1

    app.include_router(router)
    included = fw.APIRouter()

    @included.get("/raw/included-json")
    def raw_included_json():
        yield 1

    app.include_router(included, default_response_class=responses.JSONResponse)

    @app.get("/raw/returned")
    async def raw_returned():
        async def chunks():
            yield b"returned "
            yield b"stream"

        return responses.StreamingResponse(chunks(), media_type="text/x-own")

    @app.get("/raw/returned-event-source")
    def raw_returned_event_source():
        def chunks():
            yield b"data: preformatted\n\n"

        return submodule(fw, "sse").EventSourceResponse(chunks())


# --- dependencies, Response, BackgroundTasks ---------------------------------------------------


def add_dependency_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse

    async def request_scoped():
        events.append("req setup")
        try:
            yield "req"
        except Exception as exc:
            events.append(f"req caught {type(exc).__name__}")
            raise
        finally:
            events.append("req teardown")

    async def function_scoped():
        events.append("fn setup")
        try:
            yield "fn"
        except Exception as exc:
            events.append(f"fn caught {type(exc).__name__}")
            raise
        finally:
            events.append("fn teardown")

    def sync_request_scoped():
        events.append("sync req setup")
        yield "sync"
        events.append("sync req teardown")

    Req = Annotated[str, fw.Depends(request_scoped, scope="request")]
    Fn = Annotated[str, fw.Depends(function_scoped, scope="function")]

    def sets_response(response: fw.Response, background_tasks: fw.BackgroundTasks):
        response.headers["x-dep"] = "1"
        response.headers["cache-control"] = "max-age=5"
        response.status_code = 202
        response.set_cookie("flavour", "oat")
        background_tasks.add_task(events.append, "bg from dependency")

    for kind in ("sse", "jsonl"):
        response_class = {"response_class": EventSourceResponse} if kind == "sse" else {}

        @app.get(f"/{kind}/deps", **response_class)
        async def with_deps(
            req: Req, fn: Fn, background_tasks: fw.BackgroundTasks, response: fw.Response
        ):
            background_tasks.add_task(events.append, "bg")
            events.append(f"gen start ({req}, {fn})")
            response.headers["x-too-late"] = "1"  # the response has started by now
            try:
                yield 1
                events.append("gen after 1")
                yield 2
            finally:
                events.append("gen finally")

        @app.get(f"/{kind}/deps-sync", **response_class)
        def with_sync_deps(req: Req, sync: Annotated[str, fw.Depends(sync_request_scoped)]):
            events.append(f"sync gen start ({req}, {sync})")
            yield 1

        @app.get(
            f"/{kind}/dep-response", dependencies=[fw.Depends(sets_response)], **response_class
        )
        async def with_dependency_response():
            yield "body"

        @app.get(f"/{kind}/validated", **response_class)
        async def validated(n: int, req: Req):
            yield n


# --- errors ------------------------------------------------------------------------------------


def add_error_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse

    async def request_scoped():
        events.append("req setup")
        try:
            yield "req"
        except Exception as exc:
            events.append(f"req caught {type(exc).__name__}")
            raise
        finally:
            events.append("req teardown")

    Req = Annotated[str, fw.Depends(request_scoped)]

    for kind in ("sse", "jsonl"):
        response_class = {"response_class": EventSourceResponse} if kind == "sse" else {}

        @app.get(f"/{kind}/error-before-first", **response_class)
        async def error_before_first(req: Req):
            raise fw.HTTPException(status_code=418, detail="too late for a 418")
            yield

        # The pause lets both frameworks send what came before the error first.
        @app.get(f"/{kind}/error-midway", **response_class)
        async def error_midway(req: Req):
            try:
                yield {"before": "the error"}
                await asyncio.sleep(0.05)
                raise ValueError("midway")
            finally:
                events.append("gen finally")

        @app.get(f"/{kind}/error-midway-sync", **response_class)
        def error_midway_sync():
            yield 1
            time.sleep(0.05)
            raise ValueError("midway")

        @app.get(f"/{kind}/invalid-item", **response_class)
        async def invalid_item() -> AsyncIterable[Item]:
            yield {"name": "fine"}
            await asyncio.sleep(0.05)
            yield {"price": "not a price"}

    @app.get("/sse/async-function", response_class=EventSourceResponse)
    async def sse_async_function():
        return [1, 2]  # FastAPI iterates the coroutine itself, and fails


# --- under a real server -----------------------------------------------------------------------


FLOOD = 100000  # items in a flood: more than any client of the tests reads


def served_app(fw: ModuleType, ping_interval: float) -> Any:
    """``build_app`` plus streams for ``tests/test_streaming_served.py``.

    ``/served/sse`` and ``/served/jsonl`` yield one item, then wait for ``/served/release``
    before the last one. ``/served/flood`` (JSON Lines) and ``/served/sync-flood`` yield
    big items as fast as they are taken. ``/served/log`` answers with what the generators
    recorded (``"<name> start"``, ``"<name> cancelled"``, ``"<name> finally"``);
    ``/served/tasks`` with the number of asyncio tasks alive.
    """
    events: list[str] = []
    app = build_app(fw, events)
    sse = submodule(fw, "sse")
    log: list[str] = []
    released = asyncio.Event()

    async def waiting(name: str, first: Any, last: Any):
        log.append(f"{name} start")
        try:
            yield first
            await asyncio.wait_for(released.wait(), timeout=30)
            released.clear()
            yield last
        except asyncio.CancelledError:
            log.append(f"{name} cancelled")
            raise
        finally:
            log.append(f"{name} finally")

    @app.get("/served/sse", response_class=sse.EventSourceResponse)
    async def served_sse():
        async for item in waiting("sse", {"n": 1}, sse.ServerSentEvent(data={"n": 2}, id="2")):
            yield item

    @app.get("/served/jsonl")
    async def served_jsonl():
        async for item in waiting("jsonl", {"n": 1}, {"n": 2}):
            yield item

    @app.get("/served/release")
    def release():
        released.set()
        return "released"

    big = "x" * 65536

    @app.get("/served/flood")
    async def served_flood():
        log.append("flood start")
        n = 0
        try:
            for n in range(FLOOD):  # noqa: B007 - read in the finally block
                yield {"n": n, "padding": big}
        finally:
            log.append(f"flood finally after {n}")

    @app.get("/served/sync-flood")
    def served_sync_flood():
        log.append("sync-flood start")
        n = 0
        try:
            for n in range(FLOOD):  # noqa: B007 - read in the finally block
                yield {"n": n, "padding": big}
        finally:
            log.append(f"sync-flood finally after {n}")

    @app.get("/served/log")
    def served_log():
        return list(log)

    @app.get("/served/tasks")
    async def served_tasks():
        return len(asyncio.all_tasks())

    if fw.__name__ == "fastapi":
        importlib.import_module("fastapi.routing")._PING_INTERVAL = ping_interval
    else:
        sse._PING_INTERVAL = ping_interval
    return app


def fastcore_app() -> Any:
    """For ``uvicorn tests.apps.streaming_app:fastcore_app --factory``."""
    return served_app(importlib.import_module("fastcore"), ping_interval=0.3)


def fastapi_app() -> Any:
    """The reference, served the same way."""
    return served_app(importlib.import_module("fastapi"), ping_interval=0.3)
