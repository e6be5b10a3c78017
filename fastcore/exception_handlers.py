"""The default exception handlers of a fastcore app, reusable in custom handlers."""

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket

from fastcore.encoders import jsonable_encoder
from fastcore.exceptions import RequestValidationError, WebSocketRequestValidationError

__all__ = [
    "http_exception_handler",
    "is_body_allowed_for_status_code",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
]

# OpenAPI's status-code ranges; documenting a range never rules out a body.
_STATUS_RANGES = {"default", "1XX", "2XX", "3XX", "4XX", "5XX"}


def is_body_allowed_for_status_code(status_code: Any) -> bool:
    """False for statuses whose responses must not have a body: 1xx, 204, 205 and 304.

    Accepts what a ``responses=`` key can be: ``None``, an int, a numeric string or a range
    such as ``"4XX"``; other strings raise ``ValueError`` from ``int()``.
    """
    if status_code is None or status_code in _STATUS_RANGES:
        return True
    code = int(status_code)
    return not (code < 200 or code in {204, 205, 304})


async def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    """``{"detail": exc.detail}`` with the exception's status and headers.

    The detail goes to ``json.dumps`` as is (not through ``jsonable_encoder``), so it must
    already be JSON data. Statuses that forbid a body get an empty response.
    """
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def request_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> Response:
    """422 with ``{"detail": [error, ...]}``, the errors made JSON-able."""
    try:
        content = {"detail": jsonable_encoder(exc.errors())}
    except UnicodeDecodeError:
        # A body not read as JSON reaches validation as bytes, and bytes that are not
        # UTF-8 cannot be shown as they are. FastAPI fails with a 500 here.
        content = {"detail": jsonable_encoder(exc.errors(), custom_encoder={bytes: _lossy_text})}
    try:
        return JSONResponse(status_code=422, content=content)
    except UnicodeEncodeError:
        # The input echoed in an error holds a lone surrogate (JSON's "\ud800"), which
        # UTF-8 cannot encode. FastAPI fails with a 500 here; escaping every
        # non-ASCII character keeps the answer a 422 with valid JSON.
        body = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        return Response(body, status_code=422, media_type="application/json")


def _lossy_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


async def websocket_request_validation_exception_handler(
    websocket: WebSocket, exc: WebSocketRequestValidationError
) -> None:
    """Close with 1008 (policy violation); the reason is the JSON-able error list itself."""
    await websocket.close(code=WS_1008_POLICY_VIOLATION, reason=jsonable_encoder(exc.errors()))
