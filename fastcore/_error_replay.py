"""Starlette's error-handling middleware, paid for only when an exception escapes.

Starlette serves every request through ``ServerErrorMiddleware`` (a 500, or
the debug page, for an unhandled exception) and ``ExceptionMiddleware`` (the
app's exception handlers). Each wraps ``send`` in a coroutine, to know
whether the response has started, and ``ExceptionMiddleware`` builds a
``Request``, on every request, although they act only when something raises:
together a fifth of a small request's cost.

``ReplayOnError`` serves the request without them: it notes whether the
response started with a plain function, which adds no coroutine per message.
Only when an exception escapes does it build those middlewares around an app
that raises the exception again, so that Starlette's own code decides what
the client gets (a handler's response, a 500, the debug page, or the
"response already started" error) and what is raised to the server.
WebSocket and lifespan scopes go through the middlewares directly:
``ServerErrorMiddleware`` passes them on untouched, and a WebSocket's
exceptions are answered by closing it, which is Starlette's to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Wrap = Callable[[ASGIApp], ASGIApp]

# Sent through the replayed middlewares, never to the client, when the real response had
# already started: it tells them so, exactly as the real start message would have.
_ALREADY_STARTED: Message = {"type": "http.response.start", "status": 500, "headers": []}


class ReplayOnError:
    """Serve ``app`` as ``wrap(app)`` would, building ``wrap`` only for an escaping exception."""

    def __init__(self, app: ASGIApp, wrap: Wrap, exception_handlers: Any = None) -> None:
        self.app = app
        self.wrap = wrap
        self.wrapped = wrap(app)  # serves the scopes that are not HTTP
        # What ExceptionMiddleware puts in the scope for the routes, when ``wrap`` includes one.
        self.exception_handlers = exception_handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.wrapped(scope, receive, send)
            return
        if self.exception_handlers is not None:
            scope["starlette.exception_handlers"] = self.exception_handlers
        started = False

        def noting_send(message: Message) -> Any:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            return send(message)

        try:
            await self.app(scope, receive, noting_send)
        except Exception as error:
            await self._replay(error, started, scope, receive, send)

    async def _replay(
        self, error: Exception, started: bool, scope: Scope, receive: Receive, send: Send
    ) -> None:
        async def raise_again(scope: Scope, receive: Receive, send: Send) -> None:
            if started:
                await send(_ALREADY_STARTED)
            raise error

        async def send_for_real(message: Message) -> None:
            if message is not _ALREADY_STARTED:
                await send(message)

        await self.wrap(raise_again)(scope, receive, send_for_real)


def build_stack(app: Any) -> ASGIApp:
    """The middleware stack Starlette builds for ``app``, its error layers as ``ReplayOnError``.

    The order is Starlette's: the server-error layer outermost, then the
    app's body limit and the user's middleware, then the exception handlers
    around the router.
    """
    server_error_handler = None
    handlers: dict[Any, Any] = {}
    for key, value in app.exception_handlers.items():
        if key in (500, Exception):
            server_error_handler = value
        else:
            handlers[key] = value
    debug = app.debug

    def serve_errors(inner: ASGIApp) -> ASGIApp:
        return ServerErrorMiddleware(inner, handler=server_error_handler, debug=debug)

    def handle_exceptions(inner: ASGIApp) -> ASGIApp:
        return ExceptionMiddleware(inner, handlers=handlers, debug=debug)

    # ExceptionMiddleware adds Starlette's default handlers to the app's; one built here
    # gives the exact pair it would put in every scope.
    reference = ExceptionMiddleware(app.router, handlers=handlers, debug=debug)
    in_scope = (reference._exception_handlers, reference._status_handlers)

    middle: list[Middleware] = []
    if app.max_body_size is not None:
        middle.append(Middleware(RequestBodyLimitMiddleware, max_body_size=app.max_body_size))
    middle += app.user_middleware
    if not middle:
        return ReplayOnError(
            app.router, lambda inner: serve_errors(handle_exceptions(inner)), in_scope
        )
    stack: ASGIApp = ReplayOnError(app.router, handle_exceptions, in_scope)
    for cls, args, kwargs in reversed(middle):
        stack = cls(stack, *args, **kwargs)
    return ReplayOnError(stack, serve_errors)
