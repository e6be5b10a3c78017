"""Exceptions raised by and for fastcore apps, with the names and behaviour of FastAPI's."""

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from pydantic import BaseModel, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException as StarletteWebSocketException

__all__ = [
    "DependencyScopeError",
    "EndpointContext",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "HTTPException",
    "PydanticV1NotSupportedError",
    "RequestErrorModel",
    "RequestValidationError",
    "ResponseValidationError",
    "StarletteHTTPException",
    "StarletteWebSocketException",
    "ValidationException",
    "WebSocketErrorModel",
    "WebSocketException",
    "WebSocketRequestValidationError",
]


class HTTPException(StarletteHTTPException):
    """Raise it in an endpoint or dependency to answer with ``status_code`` and a JSON body
    ``{"detail": detail}``. ``detail`` may be any JSON-able value; it defaults to the
    status phrase (``"Not Found"``). ``headers`` are added to the response."""

    def __init__(
        self,
        status_code: int,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)


class WebSocketException(StarletteWebSocketException):
    """Raise it in a WebSocket endpoint to close the connection with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str | None = None) -> None:
        super().__init__(code=code, reason=reason)


# Empty models that stand for "the request"/"the websocket" where a model is expected.
RequestErrorModel: type[BaseModel] = create_model("Request")
WebSocketErrorModel: type[BaseModel] = create_model("WebSocket")


class FastAPIError(RuntimeError):
    """A mistake in how the app is put together (not in a request)."""


class DependencyScopeError(FastAPIError):
    """A dependency asks for another one whose scope ends before its own does."""


class PydanticV1NotSupportedError(FastAPIError):
    """A ``pydantic.v1`` model was used; only Pydantic v2 models are supported."""


class FastAPIDeprecationWarning(UserWarning):
    """Warns about a feature that still works but is on its way out."""


class EndpointContext(TypedDict, total=False):
    """Where the endpoint that failed validation lives; shown in ``str()`` of the error."""

    function: str
    path: str
    file: str
    line: int


class ValidationException(Exception):
    """Base of the validation errors: holds Pydantic-style error dicts, see :meth:`errors`."""

    # ``Exception.__init__`` is left alone on purpose: ``args`` then holds the positional
    # arguments as given, as it does for FastAPI's exceptions.
    def __init__(
        self, errors: Sequence[Any], *, endpoint_ctx: EndpointContext | None = None
    ) -> None:
        self._errors = errors
        self.endpoint_ctx = endpoint_ctx
        ctx = endpoint_ctx or {}
        self.endpoint_function = ctx.get("function")
        self.endpoint_path = ctx.get("path")
        self.endpoint_file = ctx.get("file")
        self.endpoint_line = ctx.get("line")

    def errors(self) -> Sequence[Any]:
        """The error dicts, as given (the same object, not a copy)."""
        return self._errors

    def _format_endpoint_context(self) -> str:
        """A traceback-like pointer to the endpoint, or just its path, or nothing."""
        if self.endpoint_file and self.endpoint_line and self.endpoint_function:
            where = (
                f'File "{self.endpoint_file}", line {self.endpoint_line}, '
                f"in {self.endpoint_function}"
            )
            if self.endpoint_path:
                where += f"\n    {self.endpoint_path}"
            return where
        if self.endpoint_path:
            return f"Endpoint: {self.endpoint_path}"
        return ""

    def __str__(self) -> str:
        count = len(self._errors)
        message = f"{count} validation error{'' if count == 1 else 's'}:\n"
        message += "".join(f"  {error}\n" for error in self._errors)
        where = self._format_endpoint_context()
        if where:
            message += f"\n  {where}"
        return message.rstrip()


class RequestValidationError(ValidationException):
    """The request did not match the endpoint's parameters; ``body`` is the parsed body."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class WebSocketRequestValidationError(ValidationException):
    """The WebSocket handshake did not match the endpoint's parameters."""


class ResponseValidationError(ValidationException):
    """The endpoint returned data that does not match its response model (a server bug)."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body
