"""The app the real-server tests run: the example app, plus a route telling which core runs."""

from __future__ import annotations

import fastcore
from examples.app import app


@app.get("/_core")
def active_core():
    return {"compiled": fastcore.COMPILED}
