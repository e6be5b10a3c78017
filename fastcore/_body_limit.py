"""A route's ``max_body_size``, enforced as FastAPI 0.165 enforces it.

Starlette's ``RequestBodyLimitMiddleware`` does the work when an outer
limit (the app's, also Starlette's) is already watching the request: the
route's limit then replaces it, so the most specific limit wins. Alone,
Starlette's middleware would answer a body found too large while it is
read with its own plain-text 413; FastAPI instead raises an
``HTTPException(413)`` there, which the app's exception handlers answer.
A declared ``Content-Length`` over the limit is refused in plain text
before anything is read, in both.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY, RequestBodyLimitMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "Content Too Large"


class RouteBodyLimit:
    """Serve ``app`` with request bodies of at most ``max_body_size`` bytes."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size
        self.nested = RequestBodyLimitMiddleware(app, max_body_size=max_body_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if MAX_BODY_SIZE_SCOPE_KEY in scope:  # an outer Starlette limit is active
            await self.nested(scope, receive, send)
            return
        if _declared_length(scope) > self.max_body_size:
            await PlainTextResponse(TOO_LARGE, status_code=413)(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, receive_within_limit, send)


def _declared_length(scope: Scope) -> int:
    """The request's ``Content-Length``; 0 when absent or not a number."""
    try:
        return int(Headers(scope=scope).get("content-length", 0))
    except ValueError:
        return 0
