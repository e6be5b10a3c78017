"""Start-up and shut-down, side by side with FastAPI: what ran, in which order, and the state.

Every scenario of ``tests/apps/lifespan_apps.py`` is built once with ``fastapi`` and once
with ``fastcore``, started and stopped through the TestClient (``with client:``) with one
``GET /state`` in between, and must leave the same events behind, answer the same state,
fail the same way and warn the same way. FastAPI 0.165's quirks are part of what is
compared: an included router's ``on_startup`` handlers run twice, not at all when the app
has a lifespan, and a router included twice has its lifespan run twice.

The ``test_known_*`` tests pin FastAPI's answers literally, so that they hold where FastAPI
is not installed; the others compare with FastAPI when it is.
"""

import asyncio
import warnings
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient
from tests.apps import lifespan_apps
from tests.apps.lifespan_apps import SCENARIOS, build


@dataclass
class Outcome:
    """What one framework did with one scenario."""

    events: list[str]
    answer: tuple[int, Any] | None
    error: str | None
    warnings: list[tuple[str, str]]


def run(fw: ModuleType, client_class: type, name: str) -> Outcome:
    events: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = build(fw, name, events)
    answer = None
    error = None
    try:
        with client_class(app) as client:
            events.append("serving")
            response = client.get("/state")
            answer = (response.status_code, response.json())
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    seen = [(warning.category.__name__, str(warning.message)) for warning in caught]
    return Outcome(events, answer, error, seen)


def reference_framework() -> tuple[ModuleType, type]:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    return fastapi, testclient.TestClient


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_like_fastapi(name: str) -> None:
    fastapi, reference_client = reference_framework()
    assert run(fastcore, TestClient, name) == run(fastapi, reference_client, name)


def ours(name: str) -> Outcome:
    return run(fastcore, TestClient, name)


# -- FastAPI 0.165's answers, pinned --------------------------------------------------------


def test_known_lifespan_state_reaches_requests_not_app_state() -> None:
    outcome = ours("context_manager")
    assert outcome.events == ["app start (FastAPI)", "serving", "app stop"]
    assert outcome.answer == (200, {"request": {"db": "connected", "n": 1}, "app": {}})


def test_known_generator_lifespans_need_no_decorator_and_do_not_warn() -> None:
    outcome = ours("async_generator")
    assert outcome.events == ["generator start", "serving", "generator stop"]
    assert outcome.answer == (
        200,
        {"request": {"from": "async generator"}, "app": {"started": True}},
    )
    assert outcome.warnings == []
    outcome = ours("sync_generator")
    assert outcome.events == ["sync generator start", "serving", "sync generator stop"]
    assert outcome.warnings == []


def test_known_handlers_run_in_order_sync_ones_on_the_loop() -> None:
    assert ours("handler_lists").events == [
        "async startup",
        "sync startup, on the loop's thread",
        "startup 3",
        "serving",
        "shutdown 1",
        "shutdown 2",
    ]


def test_known_on_event_warns_as_fastapi_does() -> None:
    outcome = ours("on_event_decorators")
    assert outcome.events == [
        "listed startup",
        "on_event startup",
        "add_event_handler startup",
        "appended to on_startup",
        "serving",
        "on_event shutdown",
    ]
    # app.on_event warns twice (the app's method, then the router's it calls)
    assert [category for category, _ in outcome.warnings] == ["DeprecationWarning"] * 4
    assert all(
        "on_event is deprecated, use lifespan event handlers instead." in message
        for _, message in outcome.warnings
    )


def test_known_app_lifespan_replaces_its_handlers() -> None:
    assert ours("lifespan_and_handlers").events == ["app start (FastAPI)", "serving", "app stop"]


def test_known_router_states_merge_outer_wins() -> None:
    outcome = ours("router_lifespans")
    assert outcome.events == [
        "app start (FastAPI)",
        "outer start (FastAPI)",
        "inner start (FastAPI)",
        "serving",
        "inner stop",
        "outer stop",
        "app stop",
    ]
    state = {"shared": "app", "inner": 1, "outer": 1, "app": 1}
    assert outcome.answer == (200, {"request": state, "app": {}})
    assert list(outcome.answer[1]["request"]) == ["shared", "inner", "outer", "app"]


def test_known_router_included_twice_starts_twice() -> None:
    assert ours("router_included_twice").events == [
        "router start (FastAPI)",
        "router start (FastAPI)",
        "serving",
        "router stop",
        "router stop",
    ]


def test_known_router_lifespan_runs_with_app_handlers() -> None:
    outcome = ours("router_lifespan_app_handlers")
    assert outcome.events == [
        "app startup",
        "router start (FastAPI)",
        "serving",
        "router stop",
        "app shutdown",
    ]
    assert outcome.answer == (200, {"request": {"router": 1}, "app": {}})


def test_known_router_handlers_under_app_lifespan() -> None:
    assert ours("router_handlers_app_lifespan").events == [
        "app start (FastAPI)",
        "router startup",
        "serving",
        "router shutdown",
        "app stop",
    ]
    outcome = ours("router_lifespan_and_handlers")
    assert outcome.events == [
        "app start (FastAPI)",
        "router start (FastAPI)",
        "serving",
        "router stop",
        "app stop",
    ]
    assert outcome.answer == (200, {"request": {"app": 1}, "app": {}})


def test_known_router_handlers_run_twice_without_lifespans() -> None:
    assert ours("router_handlers_twice").events == [
        "app startup",
        "router startup",
        "router on_event startup",
        "router startup",
        "router on_event startup",
        "serving",
        "router shutdown",
        "app shutdown",
        "router shutdown",
    ]


def test_known_nested_router_handlers_run_three_times() -> None:
    assert ours("nested_router_handlers").events == [
        "outer startup",
        "inner startup",
        "outer startup",
        "inner startup",
        "inner startup",
        "serving",
        "inner shutdown",
        "inner shutdown",
        "inner shutdown",
    ]


def test_known_include_takes_lifespans_as_they_are() -> None:
    outcome = ours("router_changed_after_include")
    assert outcome.events == [
        "app startup",
        "early router startup",
        "late app startup",
        "early router startup",
        "late router startup",
        "serving",
    ]
    assert outcome.answer == (200, {"request": {}, "app": {}})


def test_known_failures() -> None:
    outcome = ours("startup_fails")
    assert outcome.events == ["app start (FastAPI)"]
    assert outcome.error == "RuntimeError: app cannot start"
    outcome = ours("shutdown_fails")
    assert outcome.events == ["app start (FastAPI)", "serving", "app stop"]
    assert outcome.error == "RuntimeError: app cannot stop"
    assert outcome.answer == (200, {"request": {"a": 1}, "app": {}})
    outcome = ours("router_startup_fails")
    assert outcome.events == ["app startup", "router start (FastAPI)", "app shutdown"]
    assert outcome.error == "RuntimeError: router cannot start"
    outcome = ours("startup_handler_fails")
    assert outcome.events == ["first", "second"]
    assert outcome.error == "RuntimeError: second failed"
    outcome = ours("shutdown_handler_fails")
    assert outcome.events == ["serving", "router shutdown", "app shutdown"]
    assert outcome.error == "RuntimeError: app shutdown failed"


# -- the lifespan protocol, the state, the API surface ------------------------------------


def framework(name: str) -> tuple[ModuleType, type]:
    if name == "fastapi":
        return reference_framework()
    return fastcore, TestClient


async def drive_lifespan(app: Any, *, with_state: bool) -> tuple[list[str], Any]:
    """Start and stop ``app`` as a server would; the messages it sent and the state."""
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []

    async def receive() -> dict[str, str]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        text = message.get("message", "")
        sent.append(message["type"] + (f": {text.strip().splitlines()[-1]}" if text else ""))

    scope: dict[str, Any] = {"type": "lifespan", "asgi": {"version": "3.0"}}
    if with_state:
        scope["state"] = {}
    try:
        await app(scope, receive, send)
    except Exception as exc:
        sent.append(f"raised {type(exc).__name__}")
    return sent, scope.get("state")


def protocol_cases(fw: ModuleType) -> dict[str, Callable[[], Any]]:
    @asynccontextmanager
    async def nothing(app: Any) -> Any:
        yield

    @asynccontextmanager
    async def empty(app: Any) -> Any:
        yield {}

    def merged_defaults() -> Any:
        app = fw.FastAPI()
        app.include_router(fw.APIRouter())
        return app

    def merged_nothing() -> Any:
        app = fw.FastAPI(lifespan=nothing)
        app.include_router(fw.APIRouter(lifespan=nothing))
        return app

    def router_empty_state() -> Any:
        app = fw.FastAPI()
        app.include_router(fw.APIRouter(lifespan=empty))
        return app

    return {
        "plain": fw.FastAPI,
        "merged defaults": merged_defaults,
        "merged lifespans without state": merged_nothing,
        "empty state": lambda: fw.FastAPI(lifespan=empty),
        "router with empty state": router_empty_state,
    }


@pytest.mark.parametrize("with_state", [True, False], ids=["state", "no state"])
@pytest.mark.parametrize("case", list(protocol_cases(fastcore)))
def test_lifespan_protocol_like_fastapi(case: str, with_state: bool) -> None:
    """Servers without lifespan state: fine until a lifespan yields a state, even an empty one."""
    fastapi, _ = reference_framework()
    answers = [
        asyncio.run(drive_lifespan(protocol_cases(fw)[case](), with_state=with_state))
        for fw in (fastcore, fastapi)
    ]
    assert answers[0] == answers[1]


def test_known_lifespan_protocol() -> None:
    app = protocol_cases(fastcore)["empty state"]()
    assert asyncio.run(drive_lifespan(app, with_state=False)) == (
        [
            'lifespan.startup.failed: RuntimeError: The server does not support "state" '
            "in the lifespan scope.",
            "raised RuntimeError",
        ],
        None,
    )
    app = protocol_cases(fastcore)["merged lifespans without state"]()
    assert asyncio.run(drive_lifespan(app, with_state=False)) == (
        ["lifespan.startup.complete", "lifespan.shutdown.complete"],
        None,
    )


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_state_reaches_websockets_and_needs_a_started_app(name: str) -> None:
    fw, client_class = framework(name)

    @asynccontextmanager
    async def life(app: Any) -> Any:
        yield {"db": "connected"}

    app = fw.FastAPI(lifespan=life)

    @app.get("/")
    def read(request: fw.Request) -> str:
        return request.state.db

    @app.websocket("/ws")
    async def socket(websocket: fw.WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(websocket.state.db)
        await websocket.close()

    with client_class(app) as client:
        assert client.get("/").json() == "connected"
        with client.websocket_connect("/ws") as connection:
            assert connection.receive_text() == "connected"
    # Without ``with``, the TestClient does not run the lifespan: no state.
    with pytest.raises(AttributeError, match="'State' object has no attribute 'db'"):
        client_class(app).get("/")
    assert client_class(app, raise_server_exceptions=False).get("/").status_code == 500


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_event_api_surface(name: str) -> None:
    fw, _ = framework(name)
    app = fw.FastAPI(on_startup=[print])
    assert app.router.on_startup == [print]
    assert app.router.on_shutdown == []
    assert not hasattr(app, "add_event_handler")  # Starlette 1.x dropped it; so did FastAPI
    with pytest.raises(AssertionError):
        app.router.add_event_handler("started", print)
    with pytest.warns(DeprecationWarning):
        decorator = app.on_event("stopped")  # not checked until used, as in FastAPI
    with pytest.raises(AssertionError):
        decorator(print)
    assert fw.FastAPI.on_event.__deprecated__.strip().startswith("on_event is deprecated")
    assert fw.APIRouter.on_event.__deprecated__ == fw.FastAPI.on_event.__deprecated__


def test_on_event_warning_points_at_the_caller() -> None:
    app = fastcore.FastAPI()
    with pytest.warns(DeprecationWarning) as caught:

        @app.on_event("startup")
        def started() -> None:
            pass

    assert caught[0].filename == __file__
    assert Path(caught[1].filename).name == "applications.py"  # the app calls its router's
    router = fastcore.APIRouter()
    with pytest.warns(DeprecationWarning) as caught:
        router.on_event("shutdown")
    assert [warning.filename for warning in caught] == [__file__]


def test_scenarios_see_real_annotations() -> None:
    # The scenarios must see real annotations (no postponed evaluation there).
    assert "annotations" not in vars(lifespan_apps)
