"""Path operations that stream: Server-Sent Events, JSON Lines, or a response class's stream.

``plan_stream`` decides once, when the route is added, whether a route
streams and how, as FastAPI does:

* ``response_class`` is ``EventSourceResponse`` (or a subclass): each item
  the endpoint yields (or, for a plain function, each item of what it
  returns) is one event. A ``ServerSentEvent`` is sent with the fields it
  sets; anything else is the JSON ``data`` of an event. While no item comes
  for ``fastcore.sse._PING_INTERVAL`` seconds, a keep-alive comment is sent.
* the endpoint is a generator (``async def`` or ``def``) and nobody chose
  a response class (not the route, its routers nor the app): JSON Lines
  (``application/jsonl``), one JSON document and a line feed per item.
* a generator with a response class someone chose, even ``JSONResponse``:
  the generator itself is the content of that class, as in FastAPI (a
  ``StreamingResponse`` streams it; other classes fail as they fail on a
  generator, ``JSONResponse`` with a 500).

Events are sent by ``EventSourceResponse`` itself, as ``text/event-stream``,
whichever subclass the route names: as in FastAPI, a subclass only selects
events. ``StreamPlan.described_as`` is how FastAPI describes the route (its
``is_sse_stream`` and ``is_json_stream``, and the route's OpenAPI document),
which differs from how it is sent in two corners: a plain function under
``EventSourceResponse`` sends events but is not described as a stream, and
an ``EventSourceResponse`` left as a default (wrapped in ``Default``) sends
events but is described as JSON Lines.

Items are validated and serialized through the item type of the return
annotation when it is ``AsyncIterable[Item]``, ``Iterator[Item]``,
``AsyncGenerator[Item, None]``... (with the route's ``response_model_*``
options), and JSON-encoded as ``jsonable_encoder`` sees them otherwise.

Per request, ``StreamPlan.open`` calls the endpoint and returns the ASGI
callable that sends the stream. The response starts before the endpoint's
code runs, so the status code and headers are fixed by then: the route's
``status_code``, or one a dependency set on ``Response``, and the headers
dependencies set. The endpoint's generator always runs to its end or is
closed: when the client goes away it is closed as soon as it is not
running (an ``async`` one is cancelled where it awaits); a ``def``
generator is stepped in the thread pool, and closed there.

For events, a producer task runs the endpoint's iterator and hands each
encoded event to the response, one at a time; an error it raises ends the
response and comes out of the request as an ``ExceptionGroup``, as in
FastAPI. JSON Lines are encoded as the response sends them, so an error
comes out as it is.
"""

from __future__ import annotations

import collections.abc
import inspect
import json
import math
import typing
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from anyio.lowlevel import checkpoint
from pydantic import BaseModel
from starlette.background import BackgroundTasks
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from fastcore import sse
from fastcore._response_plan import ResponseModel, response_model_for, return_annotation
from fastcore.datastructures import DefaultPlaceholder
from fastcore.encoders import jsonable_encoder
from fastcore.sse import EventSourceResponse, ServerSentEvent, format_sse_event

#: What ``generator_kind`` finds.
ASYNC_GENERATOR, SYNC_GENERATOR = "async", "sync"
#: Values of ``StreamPlan.kind``.
EVENTS, JSON_LINES, OWN_CLASS = "events", "json lines", "own class"

JSON_LINES_MEDIA_TYPE = "application/jsonl"
# Added to every event stream: no cache may keep it, and nginx must pass
# each event on at once rather than buffer the response.
EVENT_STREAM_HEADERS = ((b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no"))

_STREAM_ORIGINS = (
    collections.abc.AsyncIterable,
    collections.abc.AsyncIterator,
    collections.abc.AsyncGenerator,
    collections.abc.Iterable,
    collections.abc.Iterator,
    collections.abc.Generator,
)
_END: Any = object()  # what a source returns when it has no more items


def generator_kind(call: Any) -> str | None:
    """``ASYNC_GENERATOR``, ``SYNC_GENERATOR`` or None, for an endpoint.

    Looks through ``functools.wraps`` wrappers and ``functools.partial``, and
    at the ``__call__`` of a callable instance.
    """
    if inspect.isclass(call):
        return None
    for candidate in (call, getattr(call, "__call__", None)):  # noqa: B004 - instances
        if candidate is None:
            continue
        target = inspect.unwrap(candidate)
        if inspect.isasyncgenfunction(target):
            return ASYNC_GENERATOR
        if inspect.isgeneratorfunction(target):
            return SYNC_GENERATOR
    return None


def declared_items(endpoint: Any, response_model: Any) -> tuple[bool, Any]:
    """Whether a generator's return annotation declares its items, and their type.

    Only when no ``response_model`` was given: ``-> AsyncIterable[Item]`` and
    the like name ``Item``; ``ServerSentEvent`` items count as undeclared.
    An annotation that declares items is no response model.
    """
    if not isinstance(response_model, DefaultPlaceholder):
        return False, None
    annotation = return_annotation(endpoint)
    if typing.get_origin(annotation) not in _STREAM_ORIGINS:
        return False, None
    arguments = typing.get_args(annotation)
    if not arguments:
        return False, None
    item = arguments[0]
    if inspect.isclass(item) and issubclass(item, ServerSentEvent):
        return True, None
    return True, item


def plan_stream(
    generator: str | None,
    item_type: Any,
    response_class: type[Response],
    class_is_default: bool,
    status_code: int | None,
    options: dict[str, Any],
) -> StreamPlan | None:
    """How the route streams, or None when it does not (it answers with one value).

    ``class_is_default``: nobody chose ``response_class``; it is the default.
    ``item_type`` is what the return annotation declares (``declared_items``).
    """
    events = inspect.isclass(response_class) and issubclass(response_class, EventSourceResponse)
    if generator is None and not events:
        return None
    described_as = None
    if generator is not None:
        described_as = JSON_LINES if class_is_default else EVENTS if events else None
    if described_as is None:
        item_type = None  # FastAPI reads no item type where it sees no stream of items
    model = None if item_type is None else response_model_for(item_type, options)
    if events:
        kind = EVENTS
        encode: Callable[[Any], bytes] | None = _event_encoder(model)
    elif class_is_default:
        kind, encode = JSON_LINES, _line_encoder(model)
    else:
        kind, encode = OWN_CLASS, None
    return StreamPlan(
        kind=kind,
        described_as=described_as,
        response_class=response_class,
        status_code=status_code,
        item_type=item_type,
        item_model=model,
        encode=encode,
        generator=generator,
    )


@dataclass(frozen=True, slots=True)
class StreamPlan:
    """How one streaming route answers."""

    kind: str  # how it is sent: EVENTS, JSON_LINES or OWN_CLASS
    described_as: str | None  # EVENTS or JSON_LINES: how FastAPI describes it (a generator)
    response_class: type[Response]
    status_code: int | None
    item_type: Any  # the item type the return annotation declares; None: undeclared
    item_model: ResponseModel | None  # validates and serializes declared items
    encode: Callable[[Any], bytes] | None  # an item as sent (EVENTS, JSON_LINES)
    generator: str | None  # the endpoint's generator_kind

    def open(
        self,
        call: Callable[..., Any],
        arguments: dict[str, Any],
        sub_response: Response | None,
        background: BackgroundTasks | None,
    ) -> Callable[[Scope, Receive, Send], Any]:
        """Call the endpoint; the ASGI callable that streams what it yields.

        Nothing is iterated yet: the endpoint's code runs as the stream is sent.
        """
        result = call(**arguments)
        status = None if sub_response is None else sub_response.status_code
        status = status or self.status_code
        if self.kind == OWN_CLASS:
            return self._own_class(result, status, sub_response, background)
        if self.kind == JSON_LINES:
            source = _source(result, self.generator)
            response: Response = StreamingResponse(
                _encoded(source, self.encode),
                status_code=status or 200,
                media_type=JSON_LINES_MEDIA_TYPE,
                background=background,
            )
            stream: Any = _ClosingStream(response, source)
        else:
            handoff = _Handoff()
            response = EventSourceResponse(
                handoff.chunks(sse._PING_INTERVAL), status_code=status or 200, background=background
            )
            response.raw_headers.extend(EVENT_STREAM_HEADERS)
            stream = _EventStream(response, result, self.generator, self.encode, handoff)
        if sub_response is not None:
            response.raw_headers.extend(sub_response.raw_headers)
        return stream

    def _own_class(
        self,
        result: Any,
        status: int | None,
        sub_response: Response | None,
        background: BackgroundTasks | None,
    ) -> Any:
        """The generator as the content of the route's response class, as FastAPI passes it."""
        arguments: dict[str, Any] = {"background": background}
        if status is not None:
            arguments["status_code"] = status
        streams = issubclass(self.response_class, StreamingResponse)
        source = _source(result, self.generator) if streams else None
        content = _passed_on(source) if source is not None else result
        response = self.response_class(content, **arguments)
        if sub_response is not None:
            response.raw_headers.extend(sub_response.raw_headers)
        return response if source is None else _ClosingStream(response, source)


# Encoding items


def _untyped_json(value: Any) -> str:
    """``value`` as FastAPI writes an undeclared item: ``jsonable_encoder``, then ``json.dumps``.

    Infinite and NaN values become ``null``, as in JSON documents Pydantic writes.
    """
    encoded = jsonable_encoder(value)
    try:
        return json.dumps(encoded, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(encoded))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _line_encoder(model: ResponseModel | None) -> Callable[[Any], bytes]:
    if model is None:

        def untyped_line(item: Any) -> bytes:
            return (_untyped_json(item) + "\n").encode()

        return untyped_line

    def typed_line(item: Any) -> bytes:
        return model.dump_json(model.validate(item)) + b"\n"

    return typed_line


def _event_encoder(model: ResponseModel | None) -> Callable[[Any], bytes]:
    if model is None:
        data_of: Callable[[Any], str] = _untyped_json
    else:

        def data_of(item: Any) -> str:
            return model.dump_json(model.validate(item)).decode()

    def event(item: Any) -> bytes:
        if isinstance(item, ServerSentEvent):
            return _event_bytes(item)
        return format_sse_event(data_str=data_of(item))

    return event


def _event_bytes(event: ServerSentEvent) -> bytes:
    """A ``ServerSentEvent`` on the wire: a model as ``data`` is written by itself."""
    if event.raw_data is not None:
        data: str | None = event.raw_data
    elif event.data is None:
        data = None
    elif isinstance(event.data, BaseModel):
        data = event.data.model_dump_json()
    else:
        data = _untyped_json(event.data)
    return format_sse_event(
        data_str=data, event=event.event, id=event.id, retry=event.retry, comment=event.comment
    )


# Iterating what the endpoint returned


class _AsyncSource:
    """The items of an async iterable (an ``async def`` generator)."""

    __slots__ = ("_iterator",)

    def __init__(self, iterable: Any) -> None:
        self._iterator = iterable.__aiter__()

    async def next(self) -> Any:
        try:
            return await self._iterator.__anext__()
        except StopAsyncIteration:
            return _END

    async def close(self) -> None:
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()


class _ThreadSource:
    """The items of a blocking iterable (a ``def`` generator), each taken in the thread pool."""

    __slots__ = ("_iterator",)

    def __init__(self, iterable: Any) -> None:
        if inspect.iscoroutine(iterable):
            iterable.close()  # an ``async def`` endpoint under EventSourceResponse: not iterable
        self._iterator = iter(iterable)

    async def next(self) -> Any:
        return await anyio.to_thread.run_sync(next, self._iterator, _END)

    async def close(self) -> None:
        iterator = self._iterator
        close = getattr(iterator, "close", None)
        if close is None or getattr(iterator, "gi_frame", True) is None:
            return  # nothing to close, or a generator that already ended
        # Its own thread: the pool may be full of work waiting for this very request.
        await anyio.to_thread.run_sync(close, limiter=anyio.CapacityLimiter(1))


def _source(result: Any, generator: str | None) -> _AsyncSource | _ThreadSource:
    if generator == ASYNC_GENERATOR:
        return _AsyncSource(result)
    if generator == SYNC_GENERATOR:
        return _ThreadSource(result)
    # What a plain function returned: iterated as FastAPI does, async when it can be.
    return _AsyncSource(result) if hasattr(result, "__aiter__") else _ThreadSource(result)


# A server's ``send`` may return without suspending (uvicorn does, once the client
# has gone): the checkpoint after each item lets the response be cancelled, and other
# requests run, even when the endpoint's generator never awaits anything.


async def _encoded(source: _AsyncSource | _ThreadSource, encode: Any) -> AsyncIterator[bytes]:
    while (item := await source.next()) is not _END:
        yield encode(item)
        await checkpoint()


async def _passed_on(source: _AsyncSource | _ThreadSource) -> AsyncIterator[Any]:
    while (item := await source.next()) is not _END:
        yield item
        await checkpoint()


class _ClosingStream:
    """Send ``response``, whose body comes from ``source``; then close ``source``.

    The response may end early (the client went away) with the endpoint's
    generator paused at a ``yield``: closing it runs its ``finally`` blocks
    and the rest of its clean-up at once.
    """

    __slots__ = ("_response", "_source")

    def __init__(self, response: Response, source: _AsyncSource | _ThreadSource) -> None:
        self._response = response
        self._source = source

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._response(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                body = getattr(self._response, "body_iterator", None)
                if body is not None:
                    await body.aclose()
                await self._source.close()


class _Handoff:
    """The one encoded event in flight from the producer task to the response.

    The producer waits until the response has taken each event, so the
    endpoint runs at most one item ahead of the client. The response waits
    for the next event at most ``idle`` seconds at a time, sending the
    keep-alive comment each time it waited in vain. Nothing is lost when
    that wait times out: the event stays here until it is taken.
    """

    __slots__ = ("_arrived", "_chunk", "_ended", "_taken")

    def __init__(self) -> None:
        self._chunk: bytes | None = None
        self._ended = False
        self._arrived = anyio.Event()
        self._taken = anyio.Event()

    async def put(self, chunk: bytes) -> None:
        taken = self._taken = anyio.Event()
        self._chunk = chunk
        self._arrived.set()
        await taken.wait()

    def end(self) -> None:
        self._ended = True
        self._arrived.set()

    async def chunks(self, idle: float) -> AsyncIterator[bytes]:
        while True:
            with anyio.move_on_after(idle):
                await self._arrived.wait()
            chunk = self._chunk
            if chunk is not None:
                self._chunk = None
                self._arrived = anyio.Event()
                self._taken.set()
                yield chunk
            elif self._ended:
                return
            else:
                yield sse.KEEPALIVE_COMMENT


class _EventStream:
    """Send an event stream while a task of its own produces the events.

    The producer's error cancels the response and is raised from here (in
    an ``ExceptionGroup``); when the response ends first (the client went
    away), the producer is cancelled, and the endpoint's iterator closed.
    """

    __slots__ = ("_encode", "_generator", "_handoff", "_response", "_result")

    def __init__(
        self,
        response: Response,
        result: Any,
        generator: str | None,
        encode: Any,
        handoff: _Handoff,
    ) -> None:
        self._response = response
        self._result = result
        self._generator = generator
        self._encode = encode
        self._handoff = handoff

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(self._produce)
            try:
                await self._response(scope, receive, send)
            finally:
                tasks.cancel_scope.cancel()
                with anyio.CancelScope(shield=True):
                    await self._response.body_iterator.aclose()  # type: ignore[attr-defined]

    async def _produce(self) -> None:
        # On an error the stream is not ended: the error cancels the response,
        # which must not look complete to the client.
        source = _source(self._result, self._generator)
        try:
            encode = self._encode
            handoff = self._handoff
            while (item := await source.next()) is not _END:
                await handoff.put(encode(item))
        finally:
            with anyio.CancelScope(shield=True):
                await source.close()
        handoff.end()
