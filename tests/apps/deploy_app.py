"""The app served by the deployment tests: uvicorn, gunicorn and ``fastcore run``.

It says which process and core answered, and has a slow endpoint that prints
when it starts and ends, so a test can send SIGTERM while it is in flight.
"""

from __future__ import annotations

import asyncio
import os

import fastcore
from fastcore import FastAPI

app = FastAPI(title="deploy test app")


@app.get("/")
def where() -> dict[str, object]:
    return {"app": "deploy", "pid": os.getpid(), "compiled": fastcore.COMPILED}


@app.get("/slow")
async def slow(seconds: float = 1.0) -> dict[str, object]:
    print(f"slow request started in {os.getpid()}", flush=True)
    await asyncio.sleep(seconds)
    print(f"slow request done in {os.getpid()}", flush=True)
    return {"slow": "done", "seconds": seconds, "pid": os.getpid()}
