"""A gunicorn worker class: ``gunicorn -k fastcore.workers.UvicornWorker main:app``.

It is uvicorn's worker with uvloop and httptools chosen explicitly (when installed)
instead of left to auto-detection. The worker lives in the ``uvicorn-worker``
package now; ``uvicorn.workers`` still ships it but warns that it is deprecated,
so that package is preferred when installed and the warning is silenced otherwise.
"""

from __future__ import annotations

import warnings
from importlib import import_module
from typing import Any

from fastcore.cli import uvicorn_implementations

__all__ = ["UvicornWorker"]


def _uvicorn_worker_class() -> Any:
    try:
        return import_module("uvicorn_worker").UvicornWorker
    except ModuleNotFoundError as exc:
        if exc.name != "uvicorn_worker":
            raise
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return import_module("uvicorn.workers").UvicornWorker


_BaseWorker: Any = _uvicorn_worker_class()


class UvicornWorker(_BaseWorker):
    """Serves the app with uvicorn in a gunicorn worker process, on uvloop and httptools."""

    CONFIG_KWARGS = {**_BaseWorker.CONFIG_KWARGS, **uvicorn_implementations()}
