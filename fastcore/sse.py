"""Server-Sent Events: the event model, its wire format and the response class.

A path operation with ``response_class=EventSourceResponse`` that ``yield``s
streams one event per item (``fastcore._streaming`` does the streaming): a
``ServerSentEvent`` is sent with the fields it sets, anything else becomes
the ``data`` of an event, as JSON. While the endpoint yields nothing for
``_PING_INTERVAL`` seconds, ``KEEPALIVE_COMMENT`` is sent instead, so that
proxies do not close an idle connection.

The wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html):
one ``field: value`` line per field, a value spread over several lines
repeats its field once per line, ``:`` starts a comment, a blank line ends
the event.
"""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator

# The same class as fastcore.responses.EventSourceResponse; StreamingResponse,
# its base, is importable from here too, as from the FastAPI module.
from fastcore.responses import EventSourceResponse as EventSourceResponse
from fastcore.responses import StreamingResponse as StreamingResponse

__all__ = ["KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event"]

# Sent when an event stream has been idle this long (seconds). Read each
# time a stream starts, so tests may shorten it with monkeypatch.
_PING_INTERVAL = 15.0

KEEPALIVE_COMMENT = b": ping\n\n"


def _event_is_one_line(value: str | None) -> str | None:
    if value is not None and ("\n" in value or "\r" in value):
        raise ValueError("SSE 'event' must be a single line")
    return value


def _id_is_usable(value: str | None) -> str | None:
    # A browser ignores an id with a NUL in it, and a line break would end the field.
    if value is None:
        return value
    if "\0" in value:
        raise ValueError("SSE 'id' must not contain null characters")
    if "\n" in value or "\r" in value:
        raise ValueError("SSE 'id' must be a single line")
    return value


class ServerSentEvent(BaseModel):
    """One event of an event stream, with only the fields that are set.

    ``data`` is sent as JSON (a string too, in quotes); ``raw_data`` is sent
    as it is, for text that is not JSON. Setting both is an error.
    ``event`` names the event (a browser's ``addEventListener`` key, else
    ``message``); ``id`` comes back as ``Last-Event-ID`` when a browser
    reconnects; ``retry`` asks it to wait that many milliseconds before
    reconnecting; ``comment`` is sent as comment lines, which clients ignore.
    """

    data: Any = None
    raw_data: str | None = None
    event: Annotated[str | None, AfterValidator(_event_is_one_line)] = None
    id: Annotated[str | None, AfterValidator(_id_is_usable)] = None
    retry: int | None = Field(default=None, ge=0)
    comment: str | None = None

    @model_validator(mode="after")
    def _one_kind_of_data(self) -> "ServerSentEvent":
        if self.data is not None and self.raw_data is not None:
            raise ValueError(
                "Cannot set both 'data' and 'raw_data' on the same ServerSentEvent. "
                "Use 'data' for JSON-serialized payloads or 'raw_data' for "
                "pre-formatted strings."
            )
        return self


def _lines(text: str) -> list[str]:
    """``text`` cut at every line break a client recognises: CR LF, LF or CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def format_sse_event(
    *,
    data_str: str | None = None,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One event on the wire: comment lines, ``event``, ``data`` lines, ``id``, ``retry``.

    ``data_str`` is sent as it is (already serialized); it and ``comment``
    may span lines. Fields left as ``None`` are left out; the event ends
    with a blank line, so an event with no fields is just that line.
    """
    lines = []
    if comment is not None:
        lines.extend([f": {line}" for line in _lines(comment)])
    if event is not None:
        lines.append(f"event: {event}")
    if data_str is not None:
        lines.extend([f"data: {line}" for line in _lines(data_str)])
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines.append("\n")
    return "\n".join(lines).encode()
