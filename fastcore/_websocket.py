"""Serve one WebSocket route: solve its dependencies, then hand the socket to the endpoint.

A WebSocket endpoint is planned like an HTTP one (``fastcore._dependencies``),
with the ``WebSocket`` as the connection object and no body, response or
background tasks. Per connection:

1. solve the dependency steps from the handshake (path, query, headers,
   cookies), collecting every error;
2. if anything was invalid, raise ``WebSocketRequestValidationError``, which
   the default handler answers by closing the socket with code 1008;
3. otherwise await the endpoint, which owns the socket until it returns;
4. then close the ``yield`` dependencies, innermost first, whatever their scope:
   for a socket, the end of the endpoint is the end of the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from typing import Any

from starlette.background import BackgroundTasks
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from fastcore._core import deps
from fastcore._dependencies import OverridablePlan, RoutePlan, plan_dependencies
from fastcore._endpoint import is_coroutine_callable
from fastcore._signature import describe
from fastcore.exceptions import FastAPIError, WebSocketRequestValidationError


def plan_websocket(
    path: str,
    endpoint: Callable[..., Any],
    *,
    dependencies: list[Any],
    overrides_provider: Any,
) -> OverridablePlan:
    """Analyse ``endpoint`` and its dependencies once; refuse what a socket cannot serve."""
    if not is_coroutine_callable(endpoint):
        raise FastAPIError(
            f"{describe(endpoint)}: a WebSocket endpoint must be an async function "
            "(it is awaited and keeps the socket until it returns)"
        )
    path_names = set(compile_path(path)[2])

    def build(overrides: Mapping[Any, Any]) -> RoutePlan:
        plan = plan_dependencies(
            endpoint, path_names, dependencies, overrides, True, None, WebSocket
        )
        if plan.body_params:
            names = ", ".join(repr(param.name) for param in plan.body_params)
            raise FastAPIError(
                f"{describe(endpoint)}: a WebSocket handshake has no body, so {names} "
                "cannot be read from one; send the data as a message instead"
            )
        return plan

    return OverridablePlan(build, overrides_provider)


def websocket_app(endpoint: Callable[..., Any], plans: OverridablePlan) -> ASGIApp:
    """The ASGI app that serves one WebSocket route by following ``plans``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        route = plans.current()
        if not route.has_yield:
            await _solve_and_call(endpoint, route, websocket, None)
            return
        async with AsyncExitStack() as stack:
            await _solve_and_call(endpoint, route, websocket, stack)

    return app


async def _solve_and_call(
    endpoint: Callable[..., Any],
    route: RoutePlan,
    websocket: WebSocket,
    stack: AsyncExitStack | None,
) -> None:
    # As in FastAPI, a Response or BackgroundTasks argument gets an object,
    # but nothing reads it afterwards: a socket has no response to send.
    run = deps.Run(
        websocket,
        deps.Sources(websocket.scope),
        {},
        {},
        Response() if route.needs_response else None,
        BackgroundTasks() if route.needs_background else None,
        stack,
        stack,
    )
    errors: list[Any] = []
    arguments = await route.dependencies.solve(run, errors)
    if errors:
        raise WebSocketRequestValidationError(errors)
    await endpoint(**arguments)
