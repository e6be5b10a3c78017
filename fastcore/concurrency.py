"""Helpers to run blocking code from async code without blocking the event loop."""

from collections.abc import AsyncGenerator
from contextlib import AbstractContextManager, asynccontextmanager
from typing import TypeVar

import anyio
from anyio import CancelScope, CapacityLimiter
from starlette.concurrency import iterate_in_threadpool as iterate_in_threadpool
from starlette.concurrency import run_in_threadpool as run_in_threadpool
from starlette.concurrency import run_until_first_complete as run_until_first_complete

_T = TypeVar("_T")


@asynccontextmanager
async def contextmanager_in_threadpool(cm: AbstractContextManager[_T]) -> AsyncGenerator[_T, None]:
    """Use a blocking context manager (e.g. a ``yield`` dependency written with ``def``)
    from async code: ``__enter__`` and ``__exit__`` run in worker threads.

    ``__exit__`` always runs, even when the task is being cancelled, and sees the exception
    that ended the block (a ``BaseException`` too); if it returns true the exception is
    suppressed, as with a ``with`` statement.
    """
    # __exit__ gets its own one-thread limiter: when every thread of the default pool is
    # busy with code waiting for this very cleanup, sharing the pool would deadlock.
    exit_limiter = CapacityLimiter(1)
    value = await run_in_threadpool(cm.__enter__)
    try:
        yield value
    except BaseException as exc:
        with CancelScope(shield=True):
            suppress = await anyio.to_thread.run_sync(
                cm.__exit__, type(exc), exc, exc.__traceback__, limiter=exit_limiter
            )
        if not suppress:
            raise
    else:
        with CancelScope(shield=True):
            await anyio.to_thread.run_sync(cm.__exit__, None, None, None, limiter=exit_limiter)
