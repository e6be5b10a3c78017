"""Copied into a temporary directory as ``main.py`` by the ``fastcore dev`` test, which
then edits VERSION to see the reloader serve the new code."""

from __future__ import annotations

import fastcore
from fastcore import FastAPI

VERSION = 1

app = FastAPI()


@app.get("/version")
def version() -> dict[str, object]:
    return {"version": VERSION, "compiled": fastcore.COMPILED}
