"""fastcore: FastAPI's API and behaviour, with a hot path compiled by Cython.

Replace ``fastapi`` with ``fastcore`` in your imports. ``COMPILED`` tells
whether the compiled core is in use (``FASTCORE_PURE_PYTHON=1`` switches to
the pure-Python one).
"""

from fastcore._core import COMPILED
from fastcore.applications import FastAPI
from fastcore.background import BackgroundTasks
from fastcore.datastructures import UploadFile
from fastcore.exceptions import HTTPException, WebSocketException
from fastcore.param_functions import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
    Security,
)
from fastcore.requests import Request
from fastcore.responses import Response
from fastcore.routing import APIRouter
from fastcore.websockets import WebSocket, WebSocketDisconnect

__version__ = "0.1.0"

__all__ = [
    "COMPILED",
    "APIRouter",
    "BackgroundTasks",
    "Body",
    "Cookie",
    "Depends",
    "FastAPI",
    "File",
    "Form",
    "HTTPException",
    "Header",
    "Path",
    "Query",
    "Request",
    "Response",
    "Security",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
]
