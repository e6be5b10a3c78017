"""Send a request to the route that the core's route table picks.

A router keeps its routes as Starlette-compatible objects (``APIRoute``,
``Mount``, ...), so that ``app.routes``, ``url_path_for`` and mounting other
ASGI apps work as users expect. The core only sees templates and targets:
this module builds its tables from the route list, once, and turns each
match into the scope changes and call that Starlette's router would make.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from fastcore._core import routing as core


def route_path(scope: Scope) -> str:
    """The part of the request path below the app's ``root_path``.

    Servers and mounts put the full path in ``scope["path"]`` and the prefix
    the app is served under in ``scope["root_path"]``; routes match the rest.
    """
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if not root or not path.startswith(root):
        return path
    if len(path) == len(root):
        return ""
    return path[len(root) :] if path[len(root)] == "/" else path


class _NeedsStarletteMatching(Exception):
    """A route decides its own matches (Host, custom BaseRoute): the core cannot hold it."""


class RouteTables:
    """The core's tables (one for HTTP, one for WebSocket) for a list of routes."""

    def __init__(self, routes: list[BaseRoute], redirect_slashes: bool) -> None:
        self.http = core.RouteTable(redirect_slashes)
        self.websocket = core.RouteTable(False)
        for route in routes:
            if not getattr(route, "path", "/").startswith("/") and not isinstance(route, Mount):
                continue  # FastAPI accepts such a path but no request path ever matches it
            if isinstance(route, Mount):
                template = route.path + "/{path:path}"
                self.http.add(template, None, route)
                self.websocket.add(template, None, route)
            elif isinstance(route, WebSocketRoute):
                self.websocket.add(route.path, None, route)
            elif isinstance(route, Route):
                methods = frozenset(route.methods) if route.methods else None
                self.http.add(route.path, methods, route)
            else:
                raise _NeedsStarletteMatching(type(route).__name__)


def build_tables(routes: list[BaseRoute], redirect_slashes: bool) -> RouteTables | None:
    """Tables for ``routes``, or None when a route needs Starlette's own matching.

    Host routes and custom ``BaseRoute`` subclasses decide matches in their
    own code; a router holding one keeps Starlette's linear matching.
    """
    try:
        return RouteTables(routes, redirect_slashes)
    except _NeedsStarletteMatching:
        return None


async def dispatch(
    router: Any, tables: RouteTables, scope: Scope, receive: Receive, send: Send
) -> None:
    """Route one HTTP or WebSocket request through ``tables``."""
    is_http = scope["type"] == "http"
    table = tables.http if is_http else tables.websocket
    path = route_path(scope)
    route: Any
    params: Any
    outcome, route, params, _ = table.match(scope.get("method", ""), path)
    if outcome == core.FOUND and type(route).handle is _PLAIN_HANDLE:
        # What Route.handle does once the method is known to match: call the route's
        # app. Skipping it saves a coroutine per request.
        inherited = scope.get("path_params")
        scope["endpoint"] = route.endpoint
        scope["path_params"] = {**inherited, **params} if inherited else params
        # FastAPI shows a route served through include_router as the route
        # object of the router it was declared in.
        scope["route"] = getattr(route, "included_from", route)
        await route.app(scope, receive, send)
    elif outcome == core.FOUND or outcome == core.METHOD_NOT_ALLOWED:
        # A 405 is produced by the route itself (Starlette routes check their
        # methods in ``handle``), so both outcomes take the same path.
        scope.update(_child_scope(route, scope, params, path))
        await route.handle(scope, receive, send)
    elif outcome == core.REDIRECT:
        full_path = scope["path"]
        target = dict(scope)
        target["path"] = full_path.rstrip("/") if full_path.endswith("/") else full_path + "/"
        await RedirectResponse(url=str(URL(scope=target)))(scope, receive, send)
    else:
        await router.default(scope, receive, send)


_PLAIN_HANDLE = Route.handle


def _child_scope(route: Any, scope: Scope, params: dict[str, Any], path: str) -> dict[str, Any]:
    """The scope entries Starlette's own router sets for a matched route."""
    inherited = scope.get("path_params")
    if isinstance(route, Mount):
        remaining = "/" + params.pop("path")
        root_path = scope.get("root_path", "")
        matched = path[: len(path) - len(remaining)]
        return {
            "path_params": {**inherited, **params} if inherited else params,
            "app_root_path": scope.get("app_root_path", root_path),
            "root_path": root_path + matched,
            "endpoint": route.app,
            "route": route,
        }
    return {
        "endpoint": route.endpoint,
        "path_params": {**inherited, **params} if inherited else params,
        # FastAPI shows a route served through include_router as the route
        # object of the router it was declared in.
        "route": getattr(route, "included_from", route),
    }
