"""HTTP and WebSocket status codes by name (Starlette's), e.g. ``status.HTTP_404_NOT_FOUND``."""

from typing import Any

import starlette.status as _starlette_status
from starlette.status import *  # noqa: F403

__all__ = _starlette_status.__all__


def __getattr__(name: str) -> Any:
    # Starlette keeps its renamed codes (e.g. HTTP_422_UNPROCESSABLE_ENTITY) reachable,
    # with a deprecation warning, through its own module __getattr__; defer to it.
    return getattr(_starlette_status, name)


def __dir__() -> list[str]:
    return dir(_starlette_status)
