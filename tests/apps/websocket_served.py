"""The WebSocket side-by-side app, on fastcore, for the tests that run it under uvicorn."""

import fastcore
from tests.apps.websocket_app import build

app, events = build(fastcore)
