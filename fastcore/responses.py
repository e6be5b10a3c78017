"""Response classes: Starlette's, plus the few that FastAPI adds."""

import importlib
from types import ModuleType
from typing import Any

from starlette.responses import FileResponse as FileResponse
from starlette.responses import HTMLResponse as HTMLResponse
from starlette.responses import JSONResponse as JSONResponse
from starlette.responses import PlainTextResponse as PlainTextResponse
from starlette.responses import RedirectResponse as RedirectResponse
from starlette.responses import Response as Response
from starlette.responses import StreamingResponse as StreamingResponse
from typing_extensions import deprecated

from fastcore.exceptions import FastAPIDeprecationWarning


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# Optional fast JSON libraries: the response classes below fail only when used without them.
orjson = _optional_module("orjson")
ujson = _optional_module("ujson")


class EventSourceResponse(StreamingResponse):
    """Streams Server-Sent Events (``text/event-stream``).

    On its own it is a ``StreamingResponse`` with that content type; as the
    ``response_class`` of a path operation that ``yield``s, the routing layer turns each
    yielded item into an event.
    """

    media_type = "text/event-stream"


def _json_library_deprecation(name: str) -> str:
    return (
        f"{name} is deprecated: when an endpoint has a return type or a response_model, "
        "its data is serialized straight to JSON bytes by Pydantic, which is faster and "
        "needs no custom response class."
    )


@deprecated(_json_library_deprecation("ORJSONResponse"), category=FastAPIDeprecationWarning)
class ORJSONResponse(JSONResponse):
    """JSON rendered by ``orjson`` (non-string keys and numpy values allowed). Deprecated."""

    def render(self, content: Any) -> bytes:
        if orjson is None:
            raise AssertionError("orjson must be installed to use ORJSONResponse")
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


@deprecated(_json_library_deprecation("UJSONResponse"), category=FastAPIDeprecationWarning)
class UJSONResponse(JSONResponse):
    """JSON rendered by ``ujson``, non-ASCII text kept as is. Deprecated."""

    def render(self, content: Any) -> bytes:
        if ujson is None:
            raise AssertionError("ujson must be installed to use UJSONResponse")
        return ujson.dumps(content, ensure_ascii=False).encode("utf-8")
