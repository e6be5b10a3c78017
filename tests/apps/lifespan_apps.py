"""Apps exercising start-up and shut-down, for either framework, recording what runs when.

Each function in ``SCENARIOS`` takes the framework module (``fastapi`` or ``fastcore``)
and a list, and builds an app whose lifespans and event handlers append to that list:
``"<name> start"`` / ``"<name> stop"`` for a lifespan, the handler's own name for an
``on_startup`` / ``on_shutdown`` handler. Every app has ``GET /state``, answering the
request's state (what the lifespans yielded) and the app's state (what they set on
``app.state``), so that the merged state can be compared too.

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any


def lifespan(events: list[str], name: str, state: Any = None, fail: str | None = None) -> Any:
    """An ``@asynccontextmanager`` lifespan; ``fail`` is ``"start"`` or ``"stop"``."""

    @asynccontextmanager
    async def life(app: Any) -> Any:
        events.append(f"{name} start ({type(app).__name__})")
        if fail == "start":
            raise RuntimeError(f"{name} cannot start")
        try:
            yield state
        finally:
            events.append(f"{name} stop")
        if fail == "stop":
            raise RuntimeError(f"{name} cannot stop")

    return life


def handler(events: list[str], name: str, fail: bool = False) -> Callable[[], None]:
    def handle() -> None:
        events.append(name)
        if fail:
            raise RuntimeError(f"{name} failed")

    return handle


def async_handler(events: list[str], name: str) -> Callable[[], Any]:
    async def handle() -> None:
        events.append(name)

    return handle


def with_state_route(fw: ModuleType, app: Any) -> Any:
    @app.get("/state")
    def state(request: fw.Request) -> dict[str, Any]:
        return {
            "request": dict(request.state._state),
            "app": dict(request.app.state._state),
        }

    return app


# -- lifespans of the app --------------------------------------------------------------


def context_manager(fw: ModuleType, events: list[str]) -> Any:
    return fw.FastAPI(lifespan=lifespan(events, "app", {"db": "connected", "n": 1}))


def async_generator(fw: ModuleType, events: list[str]) -> Any:
    async def life(app: Any) -> Any:  # not decorated: FastAPI wraps it
        events.append("generator start")
        app.state.started = True
        yield {"from": "async generator"}
        events.append("generator stop")

    return fw.FastAPI(lifespan=life)


def sync_generator(fw: ModuleType, events: list[str]) -> Any:
    def life(app: Any) -> Any:
        events.append("sync generator start")
        yield {"from": "sync generator"}
        events.append("sync generator stop")

    return fw.FastAPI(lifespan=life)


def class_lifespan(fw: ModuleType, events: list[str]) -> Any:
    class Resources:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __aenter__(self) -> dict[str, str]:
            events.append("class enter")
            return {"from": "class"}

        async def __aexit__(self, *exc_info: object) -> None:
            events.append(f"class exit {exc_info[0]}")

    return fw.FastAPI(lifespan=Resources)


def no_state(fw: ModuleType, events: list[str]) -> Any:
    return fw.FastAPI(lifespan=lifespan(events, "app"))


# -- event handlers ------------------------------------------------------------------------


def handler_lists(fw: ModuleType, events: list[str]) -> Any:
    loop_thread: list[int] = []

    async def first() -> None:
        loop_thread.append(threading.get_ident())
        events.append("async startup")

    def second() -> None:
        same = threading.get_ident() in loop_thread
        events.append("sync startup, on the loop's thread" if same else "sync startup, elsewhere")

    return fw.FastAPI(
        on_startup=[first, second, handler(events, "startup 3")],
        on_shutdown=[async_handler(events, "shutdown 1"), handler(events, "shutdown 2")],
    )


def on_event_decorators(fw: ModuleType, events: list[str]) -> Any:
    app = fw.FastAPI(on_startup=[handler(events, "listed startup")])

    @app.on_event("startup")
    async def started() -> None:
        events.append("on_event startup")

    @app.on_event("shutdown")
    def stopped() -> None:
        events.append("on_event shutdown")

    app.router.add_event_handler("startup", handler(events, "add_event_handler startup"))
    app.router.on_startup.append(handler(events, "appended to on_startup"))
    return app


def lifespan_and_handlers(fw: ModuleType, events: list[str]) -> Any:
    """With a lifespan, the app's own handlers are not run (as in FastAPI 0.165)."""
    return fw.FastAPI(
        lifespan=lifespan(events, "app", {"a": 1}),
        on_startup=[handler(events, "ignored startup")],
        on_shutdown=[handler(events, "ignored shutdown")],
    )


# -- routers ---------------------------------------------------------------------------


def router_lifespans(fw: ModuleType, events: list[str]) -> Any:
    """Nested routers: states merged, the outer router's value kept on a clash."""
    inner = fw.APIRouter(lifespan=lifespan(events, "inner", {"shared": "inner", "inner": 1}))
    outer = fw.APIRouter(lifespan=lifespan(events, "outer", {"shared": "outer", "outer": 1}))
    outer.include_router(inner)
    app = fw.FastAPI(lifespan=lifespan(events, "app", {"shared": "app", "app": 1}))
    app.include_router(outer, prefix="/outer")
    return app


def router_without_state(fw: ModuleType, events: list[str]) -> Any:
    router = fw.APIRouter(lifespan=lifespan(events, "router"))
    app = fw.FastAPI(lifespan=lifespan(events, "app", {"app": 1}))
    app.include_router(router)
    return app


def router_included_twice(fw: ModuleType, events: list[str]) -> Any:
    router = fw.APIRouter(lifespan=lifespan(events, "router", {"router": 1}))
    app = fw.FastAPI()
    app.include_router(router, prefix="/one")
    app.include_router(router, prefix="/two")
    return app


def router_lifespan_app_handlers(fw: ModuleType, events: list[str]) -> Any:
    """The app has only handlers: its handlers run, then the router's lifespan."""
    router = fw.APIRouter(lifespan=lifespan(events, "router", {"router": 1}))
    app = fw.FastAPI(
        on_startup=[handler(events, "app startup")],
        on_shutdown=[handler(events, "app shutdown")],
    )
    app.include_router(router)
    return app


def router_handlers_app_lifespan(fw: ModuleType, events: list[str]) -> Any:
    """Under an app lifespan, a router's handlers run once: the app ignores the copies it
    took over, the router's own lifespan runs them."""
    router = fw.APIRouter(
        on_startup=[handler(events, "router startup")],
        on_shutdown=[handler(events, "router shutdown")],
    )
    app = fw.FastAPI(lifespan=lifespan(events, "app"))
    app.include_router(router)
    return app


def router_lifespan_and_handlers(fw: ModuleType, events: list[str]) -> Any:
    """A router with a lifespan and handlers, under an app lifespan: the handlers never run."""
    router = fw.APIRouter(
        lifespan=lifespan(events, "router"),
        on_startup=[handler(events, "router startup")],
        on_shutdown=[handler(events, "router shutdown")],
    )
    app = fw.FastAPI(lifespan=lifespan(events, "app", {"app": 1}))
    app.include_router(router)
    return app


def router_handlers_twice(fw: ModuleType, events: list[str]) -> Any:
    """Without lifespans, an included router's handlers run twice (FastAPI 0.165): once
    as handlers the app took over, once through the router's own lifespan."""
    router = fw.APIRouter(
        on_startup=[handler(events, "router startup")],
        on_shutdown=[handler(events, "router shutdown")],
    )

    @router.on_event("startup")
    def decorated() -> None:
        events.append("router on_event startup")

    app = fw.FastAPI(
        on_startup=[handler(events, "app startup")],
        on_shutdown=[handler(events, "app shutdown")],
    )
    app.include_router(router)
    return app


def nested_router_handlers(fw: ModuleType, events: list[str]) -> Any:
    """One level deeper, the innermost handlers run three times."""
    inner = fw.APIRouter(
        on_startup=[handler(events, "inner startup")],
        on_shutdown=[handler(events, "inner shutdown")],
    )
    outer = fw.APIRouter(on_startup=[handler(events, "outer startup")])
    outer.include_router(inner)
    app = fw.FastAPI()
    app.include_router(outer)
    return app


def router_changed_after_include(fw: ModuleType, events: list[str]) -> Any:
    """What a router gains after being included: handlers run once (its own lifespan
    reads its lists when it runs), a router it includes then is not started at all."""
    router = fw.APIRouter(on_startup=[handler(events, "early router startup")])
    app = fw.FastAPI(on_startup=[handler(events, "app startup")])
    app.include_router(router)
    router.add_event_handler("startup", handler(events, "late router startup"))
    app.router.add_event_handler("startup", handler(events, "late app startup"))
    late = fw.APIRouter(lifespan=lifespan(events, "late router", {"late": 1}))
    router.include_router(late)
    return app


# -- failures --------------------------------------------------------------------------


def startup_fails(fw: ModuleType, events: list[str]) -> Any:
    return fw.FastAPI(lifespan=lifespan(events, "app", {"a": 1}, fail="start"))


def shutdown_fails(fw: ModuleType, events: list[str]) -> Any:
    return fw.FastAPI(lifespan=lifespan(events, "app", {"a": 1}, fail="stop"))


def router_startup_fails(fw: ModuleType, events: list[str]) -> Any:
    """The app's shutdown handlers still run when an included lifespan cannot start."""
    router = fw.APIRouter(lifespan=lifespan(events, "router", fail="start"))
    app = fw.FastAPI(
        on_startup=[handler(events, "app startup")],
        on_shutdown=[handler(events, "app shutdown")],
    )
    app.include_router(router)
    return app


def startup_handler_fails(fw: ModuleType, events: list[str]) -> Any:
    return fw.FastAPI(
        on_startup=[
            handler(events, "first"),
            handler(events, "second", fail=True),
            handler(events, "third"),
        ],
        on_shutdown=[handler(events, "shutdown")],
    )


def shutdown_handler_fails(fw: ModuleType, events: list[str]) -> Any:
    router = fw.APIRouter(on_shutdown=[handler(events, "router shutdown")])
    app = fw.FastAPI(
        on_shutdown=[handler(events, "app shutdown", fail=True), handler(events, "after")]
    )
    app.include_router(router)
    return app


SCENARIOS: dict[str, Callable[[ModuleType, list[str]], Any]] = {
    function.__name__: function
    for function in [
        context_manager,
        async_generator,
        sync_generator,
        class_lifespan,
        no_state,
        handler_lists,
        on_event_decorators,
        lifespan_and_handlers,
        router_lifespans,
        router_without_state,
        router_included_twice,
        router_lifespan_app_handlers,
        router_handlers_app_lifespan,
        router_lifespan_and_handlers,
        router_handlers_twice,
        nested_router_handlers,
        router_changed_after_include,
        startup_fails,
        shutdown_fails,
        router_startup_fails,
        startup_handler_fails,
        shutdown_handler_fails,
    ]
}


def build(fw: ModuleType, name: str, events: list[str]) -> Any:
    return with_state_route(fw, SCENARIOS[name](fw, events))
