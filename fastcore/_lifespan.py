"""Start-up and shut-down: lifespans, ``on_startup``/``on_shutdown`` handlers, and how
``include_router`` combines them.

Starlette's ``Router.lifespan`` speaks the ASGI lifespan protocol; what it enters is
``router.lifespan_context``, a callable that takes the app and returns an async context
manager. This module builds that callable the way FastAPI 0.165 does:

- ``lifespan=None``: a context that runs the router's ``on_startup`` handlers on entry and
  its ``on_shutdown`` handlers on exit (reading the lists when it runs, so handlers added
  later count; the exit runs even when something inside failed to start);
- an async generator function or a plain generator function: wrapped into an async
  context manager, without the deprecation warning Starlette would give for them;
- anything else (an ``@asynccontextmanager`` function, a class): used as given.

``include_router`` nests the included router's context inside the including one's
(``merged``), as they are at that moment: what either router gains later is not added
to the merge. The state both yield is combined, the including router's keys winning.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import Any, Protocol

LifespanContext = Callable[[Any], AbstractAsyncContextManager[Any]]

# FastAPI's words for ``on_event``, kept so that warning filters written for it still match.
ON_EVENT_DEPRECATION = """
        on_event is deprecated, use lifespan event handlers instead.

        Read more about it in the
        [FastAPI docs for Lifespan Events](https://fastapi.tiangolo.com/advanced/events/).
        """


class _HasHandlers(Protocol):
    on_startup: list[Callable[[], Any]]
    on_shutdown: list[Callable[[], Any]]


def lifespan_context(router: _HasHandlers, lifespan: Any) -> LifespanContext:
    """The ``lifespan_context`` of a router constructed with ``lifespan=``."""
    if lifespan is None:
        return _HandlersLifespan(router)
    if inspect.isasyncgenfunction(lifespan):
        return asynccontextmanager(lifespan)
    if inspect.isgeneratorfunction(lifespan):
        return _async_from_sync(lifespan)
    return lifespan


class _HandlersLifespan:
    """A router's lifespan when it has none of its own: its event handlers, in order."""

    def __init__(self, router: _HasHandlers) -> None:
        self._router = router

    def __call__(self, app: Any) -> _HandlersLifespan:
        return self

    async def __aenter__(self) -> None:
        await run_handlers(self._router.on_startup)

    async def __aexit__(self, *exc_info: object) -> None:
        await run_handlers(self._router.on_shutdown)


async def run_handlers(handlers: list[Callable[[], Any]]) -> None:
    """Call each handler in turn: coroutine functions awaited, others called in place.

    Sync handlers run on the event loop's thread, as in FastAPI: they are start-up
    work, and they may set up loop-bound resources.
    """
    for handler in list(handlers):
        if _is_async(handler):
            await handler()
        else:
            handler()


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004 - objects with an async __call__
    )


def _async_from_sync(lifespan: Callable[[Any], Generator[Any, Any, Any]]) -> LifespanContext:
    """A plain generator lifespan, entered and left through ``async with``."""
    sync_context = contextmanager(lifespan)

    @asynccontextmanager
    async def lifted(app: Any) -> AsyncIterator[Any]:
        with sync_context(app) as state:
            yield state

    return lifted


def merged(outer: LifespanContext, inner: LifespanContext) -> LifespanContext:
    """``outer`` around ``inner``; the state is both, ``outer``'s value kept on a clash.

    No state at all (both yield ``None``) stays ``None``, so that servers without
    lifespan state keep working when no lifespan has any.
    """

    @asynccontextmanager
    async def both(app: Any) -> AsyncIterator[Any]:
        async with outer(app) as outer_state, inner(app) as inner_state:
            if outer_state is None and inner_state is None:
                yield None
            else:
                yield {**(inner_state or {}), **(outer_state or {})}

    return both
