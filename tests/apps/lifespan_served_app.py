"""The app of ``tests/test_lifespan_served.py``: a lifespan that leaves files behind.

Each process that serves the app writes ``<kind>-<pid>`` files into the directory named
by ``LIFESPAN_RECORD_DIR`` when its lifespans start and stop: ``app-start``,
``router-start``, ``handler-start`` (an ``on_startup`` handler of an included router),
and the matching ``-stop`` files. ``GET /`` answers the serving process's id and the
lifespan state that process's requests see.

No ``from __future__ import annotations`` here: the framework must see real annotations.
"""

import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastcore import APIRouter, FastAPI, Request

RECORD_DIR = Path(os.environ.get("LIFESPAN_RECORD_DIR", "."))


def record(kind: str) -> None:
    (RECORD_DIR / f"{kind}-{os.getpid()}").write_text(str(os.getpid()))


@asynccontextmanager
async def app_lifespan(app: FastAPI) -> Any:
    record("app-start")
    yield {"started_in": os.getpid()}
    record("app-stop")


@asynccontextmanager
async def router_lifespan(app: FastAPI) -> Any:
    record("router-start")
    yield {"router": "ready"}
    record("router-stop")


router = APIRouter(lifespan=router_lifespan)
handlers = APIRouter(
    on_startup=[lambda: record("handler-start")], on_shutdown=[lambda: record("handler-stop")]
)
app = FastAPI(lifespan=app_lifespan)
app.include_router(router)
app.include_router(handlers)


@app.get("/")
def where(request: Request) -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "started_in": request.state.started_in,
        "router": request.state.router,
    }
