"""Serve one route: solve its dependencies, call the endpoint, render the result.

Everything about the endpoint is worked out once, when the route is added
(``plan_endpoint``), into an ``EndpointPlan``: the dependency plan with the
endpoint as its last step (``fastcore._dependencies``, one per set of
``dependency_overrides`` in use), the body plan (``fastcore._request_plan``)
and the response plan (``fastcore._response_plan``). ``endpoint_app``
follows it per request:

1. read and validate the body, once for the whole route;
2. solve the dependency steps (the deps core), collecting every error;
3. answer a 422 if anything was invalid, else call the endpoint;
4. render the response, then close ``function``-scoped ``yield`` dependencies;
5. send it (background tasks run then), and close ``request``-scoped ones.

A route that streams (``EndpointPlan.stream``, see ``fastcore._streaming``)
opens its stream in step 4 instead of rendering a value, and sends it in
step 5; which of the two a route does is settled when it is added.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from starlette.background import BackgroundTasks
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from fastcore._core import deps
from fastcore._dependencies import OverridablePlan, RoutePlan, plan_dependencies
from fastcore._request_plan import BodyPlan, FormBody
from fastcore._response_plan import ResponsePlan, plan_response
from fastcore._streaming import StreamPlan, declared_items, generator_kind, plan_stream
from fastcore.exceptions import FastAPIError, HTTPException, RequestValidationError


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    """What running one endpoint takes, computed when the route is added."""

    call: Any
    is_coroutine: bool
    plans: OverridablePlan  # dependencies and body, per set of overrides
    response: ResponsePlan
    stream: StreamPlan | None  # set when the route streams (see fastcore._streaming)


def plan_endpoint(
    path: str,
    endpoint: Callable[..., Any],
    *,
    dependencies: list[Any],
    overrides_provider: Any,
    response_model: Any,
    status_code: int | None,
    response_class: type[Response],
    response_class_is_default: bool,
    response_options: dict[str, Any],
    strict_content_type: bool,
    form_limits: Mapping[str, Any] | None,
) -> EndpointPlan:
    """Analyse ``endpoint`` and its dependencies once; refuse, naming them, what cannot run.

    ``response_class_is_default``: nobody chose ``response_class`` (a generator
    endpoint then streams JSON Lines, see ``fastcore._streaming``).
    """
    path_names = set(compile_path(path)[2])

    def build(overrides: Mapping[Any, Any]) -> RoutePlan:
        return plan_dependencies(
            endpoint, path_names, dependencies, overrides, strict_content_type, form_limits
        )

    generator = generator_kind(endpoint)
    declared, item_type = (False, None)
    if generator is not None:
        declared, item_type = declared_items(endpoint, response_model)
    return EndpointPlan(
        call=endpoint,
        is_coroutine=is_coroutine_callable(endpoint),
        plans=OverridablePlan(build, overrides_provider),
        response=plan_response(
            endpoint,
            None if declared else response_model,
            status_code,
            response_class,
            response_options,
        ),
        stream=plan_stream(
            generator,
            item_type,
            response_class,
            response_class_is_default,
            status_code,
            response_options,
        ),
    )


def endpoint_app(plan: EndpointPlan) -> ASGIApp:
    """The ASGI app that serves one route by following ``plan``."""
    # Chosen here, once: a route that streams opens its stream instead of rendering a value.
    finish = _solve_call_render if plan.stream is None else _solve_call_stream

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        route = plan.plans.current()
        if route.plain:
            # No body to read, no exit stack to open or close: solve, call and send.
            # The Request is built only when a dependency or the endpoint takes it.
            request = Request(scope, receive, send) if route.needs_connection else None
            response = await finish(plan, route, _run(route, scope, request, None), _no_body)
            await response(scope, receive, send)
            return
        request = Request(scope, receive, send)
        forms: list[FormData] = []  # closed once the response is sent, or on failure
        try:
            if route.has_yield:
                sent = False
                async with AsyncExitStack() as request_stack:
                    response = await _respond_within(
                        plan, route, request, forms, request_stack, finish
                    )
                    await response(scope, receive, send)
                    sent = True
                if not sent:
                    raise _swallowed()
            else:
                response = await _respond_within(plan, route, request, forms, None, finish)
                await response(scope, receive, send)
        finally:
            for form in forms:
                await form.close()

    return app


_Finish = Callable[["EndpointPlan", RoutePlan, Any, Callable[[], Any]], Awaitable[Any]]


async def _respond_within(
    plan: EndpointPlan,
    route: RoutePlan,
    request: Request,
    forms: list[FormData],
    request_stack: AsyncExitStack | None,
    finish: _Finish,
) -> Any:
    """Solve, call the endpoint and render its response, then close function-scoped teardowns.

    The response is rendered before those teardowns run, as in FastAPI: what
    they change no longer shows, and an exception they raise replaces it. A
    stream is opened, not sent, by then: function-scoped teardowns run
    before the endpoint's generator starts, request-scoped ones after the
    stream ends.
    """
    run = _run(route, request.scope, request, request_stack)
    shown_body, form = await read_body(route.body, request, run.body, run.body_errors)
    if form is not None:
        forms.append(form)
    if request_stack is None:
        return await finish(plan, route, run, shown_body)
    response = None
    async with AsyncExitStack() as function_stack:
        run.function_stack = function_stack
        response = await finish(plan, route, run, shown_body)
    if response is None:
        raise _swallowed()
    return response


def _run(
    route: RoutePlan, scope: Scope, request: Request | None, request_stack: AsyncExitStack | None
) -> Any:
    """The deps core's state for one request, with empty body values for ``read_body`` to fill."""
    return deps.Run(
        request,
        deps.Sources(scope),
        {},
        {},
        _sub_response() if route.needs_response else None,
        BackgroundTasks() if route.needs_background else None,
        None,
        request_stack,
    )


def _no_body() -> None:
    """The body a validation error shows for a route that reads none."""
    return None


async def _solve_call_render(
    plan: EndpointPlan, route: RoutePlan, run: Any, shown_body: Callable[[], Any]
) -> Response:
    errors: list[Any] = []
    arguments = await route.dependencies.solve(run, errors)
    if errors:
        raise RequestValidationError(errors, body=shown_body())
    if plan.is_coroutine:
        result = await plan.call(**arguments)
    else:
        result = await run_in_threadpool(plan.call, **arguments)
    return _respond(plan.response, result, run.response, run.background)


async def _solve_call_stream(
    plan: EndpointPlan, route: RoutePlan, run: Any, shown_body: Callable[[], Any]
) -> Any:
    """Solve, then open the stream of what the endpoint yields (``fastcore._streaming``)."""
    errors: list[Any] = []
    arguments = await route.dependencies.solve(run, errors)
    if errors:
        raise RequestValidationError(errors, body=shown_body())
    stream = plan.stream
    assert stream is not None
    return stream.open(plan.call, arguments, run.response, run.background)


def _swallowed() -> FastAPIError:
    """The error for a request left without a response by a ``yield`` dependency."""
    return FastAPIError(
        "No response to send: the request failed, and a dependency with yield caught "
        "the exception at its yield without raising it again (a bare except, or "
        "except Exception, with no raise)"
    )


async def read_body(
    plan: BodyPlan, request: Request, values: dict[str, Any], errors: dict[str, list[Any]]
) -> tuple[Callable[[], Any], FormData | None]:
    """Read and validate the route's body into ``values``; its errors by key into ``errors``.

    Each step that takes a body value reports that value's errors in its
    turn, as FastAPI validates each dependency's body parameters with it.
    A body that is not JSON at all is answered at once, before any
    dependency runs. Returns how to get the body as a validation error
    shows it (only worked out when there is an error: for JSON it means
    parsing the body again), and the parsed form, if any, to be closed once
    the response is sent.
    """
    if plan.json_body is not None:
        try:
            body = await _body_of(request)
        except ClientDisconnect:  # see _client_gone
            raise _client_gone() from None
        content_type = _content_type(request.scope["headers"])
        try:
            found = plan.json_body.resolve(body, content_type, values)
        except (ValueError, RecursionError):  # not UTF-8/16/32, or nested too deep
            raise HTTPException(400, "There was an error parsing the body") from None
        json_body = plan.json_body

        def shown() -> Any:
            return _body_as_parsed(json_body, body, content_type)

        if found:
            if found[0]["type"] == "json_invalid":
                raise RequestValidationError(found, body=shown())
            _sort_by_key(found, json_body.param, json_body.group, errors)
        return shown, None
    if plan.form_body is not None:
        try:
            form = await request.form(**plan.form_body.limits)
        except ClientDisconnect:
            raise _client_gone() from None
        found = await _resolve_form(plan.form_body, form, values)
        if found:
            _sort_by_key(found, None, plan.form_body.group, errors)
        return lambda: form, form
    return lambda: None, None


def _client_gone() -> HTTPException:
    """The error for a client gone before it sent the whole body: FastAPI's 400.

    Nobody receives it, but the request then ends as a handled HTTP error
    rather than an unhandled one, which the server would log with a traceback.
    """
    return HTTPException(400, "There was an error parsing the body")


async def _body_of(request: Request) -> bytes:
    """``await request.body()``, without Starlette's stream generator (a tenth of a POST).

    The same messages are read, and the Request is left as ``body()`` leaves
    it (the bytes kept, the stream consumed), so that an endpoint or a
    dependency that asks for ``request.body()`` again gets the same bytes.
    """
    if hasattr(request, "_body") or request._stream_consumed:
        return await request.body()  # read before: Starlette says what happens now
    receive = request.receive
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
    request._stream_consumed = True
    body: bytes = b"".join(chunks)
    request._body = body
    return body


def _content_type(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The first Content-Type header's value, as ``request.headers.get`` finds it.

    Header names arrive lowercased (ASGI), and Starlette compares them as they are.
    """
    for name, value in headers:
        if name == b"content-type":
            return value.decode("latin-1")
    return None


def _sort_by_key(found: list[Any], single: Any, group: Any, errors: dict[str, list[Any]]) -> None:
    """File each body error under the value it is about: ``loc`` is ``("body", key, ...)``.

    A single body's errors are all its own; an error about no key in
    particular (a model of form fields as a whole) goes to that model.
    """
    if single is not None:
        errors[single.name] = found
        return
    names = {spec.key: spec.name for spec in group.params if not spec.whole}
    whole = next((spec.name for spec in group.params if spec.whole), None)
    fallback = whole if whole is not None else group.params[0].name
    for error in found:
        loc = error["loc"]
        name = names.get(loc[1], fallback) if len(loc) > 1 else fallback
        errors.setdefault(name, []).append(error)


def _body_as_parsed(json_body: Any, body: bytes, content_type: str | None) -> Any:
    """The body as FastAPI hands it to a validation error: parsed JSON when it parses.

    Otherwise the text of a JSON body, the bytes of any other, None for none.
    """
    if not body:
        return None
    if not json_body.is_json(content_type):
        return body
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return body.decode("utf-8", "replace")


async def _resolve_form(plan: FormBody, form: FormData, values: dict[str, Any]) -> Any:
    items = [(key, value) for key, value in form.multi_items() if not _no_file_chosen(value)]
    raw = plan.group.collect(items, False)
    for key in plan.file_keys & raw.keys():
        raw[key] = await _read_uploads(raw[key])
    return plan.group.resolve(raw, values)


def _no_file_chosen(value: Any) -> bool:
    """An empty, unnamed file part: what a browser sends for an empty file input.

    FastAPI treats it as no value at all.
    """
    return isinstance(value, StarletteUploadFile) and not value.filename and not value.size


async def _read_uploads(value: Any) -> Any:
    """An upload's content as bytes (each of a list's), as FastAPI gives ``bytes`` fields."""
    if isinstance(value, list):
        return [await _read_uploads(item) for item in value]
    if isinstance(value, StarletteUploadFile):
        return await value.read()
    return value


def _sub_response() -> Response:
    """A ``Response`` the endpoint sets headers, cookies and a status code on."""
    response = Response()
    del response.headers["content-length"]
    response.status_code = None  # type: ignore[assignment]
    return response


def _respond(
    plan: ResponsePlan,
    result: Any,
    sub_response: Response | None,
    tasks: BackgroundTasks | None,
) -> Response:
    if isinstance(result, Response):
        if result.background is None:
            result.background = tasks
        return result
    status_code = sub_response.status_code if sub_response is not None else None
    response = plan.render(result, status_code, tasks)
    if sub_response is not None:
        response.headers.raw.extend(sub_response.headers.raw)
    return response


def is_coroutine_callable(call: Any) -> bool:
    if inspect.iscoroutinefunction(call):
        return True
    dunder_call = getattr(call, "__call__", None)  # noqa: B004 - callable instances
    return inspect.iscoroutinefunction(dunder_call)
