"""An app for the tests that run a real server: the example app plus a way to ask which core runs."""

from __future__ import annotations

import fastcore
from examples.app import app


@app.get("/_core")
def active_core():
    return {"compiled": fastcore.COMPILED}
