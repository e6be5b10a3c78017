"""Serve one route: read the request by its plan, call the endpoint, render the result.

Everything about the endpoint is worked out once, when the route is added
(``plan_endpoint``), into an ``EndpointPlan``: the core's plan for reading
parameters (``fastcore._request_plan``), the connection objects it takes,
and the response plan (``fastcore._response_plan``). ``endpoint_app``
follows it per request.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.background import BackgroundTasks
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from fastcore._core import params as core
from fastcore._request_plan import FormBody, RequestPlan, plan_request
from fastcore._response_plan import ResponsePlan, plan_response
from fastcore._signature import read_signature
from fastcore.exceptions import HTTPException, RequestValidationError


@dataclass(frozen=True, slots=True)
class Connections:
    """The endpoint's arguments that receive objects of the framework, by what they get."""

    request: tuple[str, ...]  # the Request (or HTTPConnection)
    response: tuple[str, ...]  # a Response to set headers, cookies and the status code on
    background: tuple[str, ...]  # the BackgroundTasks run after the response

    @classmethod
    def sort(cls, connections: dict[str, type]) -> Connections:
        def named(kind: type) -> tuple[str, ...]:
            return tuple(
                name for name, annotation in connections.items() if issubclass(annotation, kind)
            )

        response, background = named(Response), named(BackgroundTasks)
        request = tuple(name for name in connections if name not in response + background)
        return cls(request=request, response=response, background=background)


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    """What running one endpoint takes, computed when the route is added."""

    call: Any
    is_coroutine: bool
    request: RequestPlan
    connections: Connections
    response: ResponsePlan


def plan_endpoint(
    path: str,
    endpoint: Callable[..., Any],
    *,
    response_model: Any,
    status_code: int | None,
    response_class: type[Response],
    response_options: dict[str, Any],
    strict_content_type: bool,
    form_limits: Mapping[str, Any] | None,
) -> EndpointPlan:
    """Analyse ``endpoint`` once; refuse, when the route is added, what cannot be served."""
    signature = read_signature(endpoint, set(compile_path(path)[2]))
    return EndpointPlan(
        call=endpoint,
        is_coroutine=_is_coroutine(endpoint),
        request=plan_request(signature.params, strict_content_type, form_limits),
        connections=Connections.sort(signature.connections),
        response=plan_response(
            endpoint, response_model, status_code, response_class, response_options
        ),
    )


def endpoint_app(plan: EndpointPlan) -> ASGIApp:
    """The ASGI app that serves one route by following ``plan``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        arguments: dict[str, Any] = {}
        forms: list[FormData] = []  # closed once the response is sent, or on failure
        try:
            response = await _handle(plan, request, arguments, forms)
            await response(scope, receive, send)
        finally:
            for form in forms:
                await form.close()

    return app


async def _handle(
    plan: EndpointPlan, request: Request, arguments: dict[str, Any], forms: list[FormData]
) -> Response:
    """Read the arguments, call the endpoint, and make its response."""
    form = await read_arguments(plan.request, request, arguments)
    if form is not None:
        forms.append(form)
    sub_response, tasks = _connect(plan, request, arguments)
    if plan.is_coroutine:
        result = await plan.call(**arguments)
    else:
        result = await run_in_threadpool(plan.call, **arguments)
    return _respond(plan.response, result, sub_response, tasks)


async def read_arguments(
    plan: RequestPlan, request: Request, arguments: dict[str, Any]
) -> FormData | None:
    """Fill ``arguments`` from the request; a 422 listing every invalid value.

    Returns the parsed form, if any, to be closed once the response is sent.
    """
    scope = request.scope
    errors: list[Any] = []
    if plan.path is not None:
        _extend(errors, plan.path.resolve(scope["path_params"], arguments))
    if plan.query is not None:
        raw = plan.query.collect(core.parse_query(scope["query_string"]), False)
        _extend(errors, plan.query.resolve(raw, arguments))
    if plan.header is not None:
        raw = plan.header.collect_headers(scope["headers"])
        found = plan.header.resolve(raw, arguments)
        if found and plan.header_error_keys:
            _rename_header_keys(found, plan.header_error_keys)
        _extend(errors, found)
    if plan.cookie is not None:
        cookies = _cookies(scope["headers"])
        if plan.cookie.wants_all:
            cookies = plan.cookie.collect(cookies.items(), False)
        _extend(errors, plan.cookie.resolve(cookies, arguments))
    body: Any = None
    form = None
    if plan.json_body is not None:
        body = await request.body()
        content_type = request.headers.get("content-type")
        try:
            _extend(errors, plan.json_body.resolve(body, content_type, arguments))
        except (ValueError, RecursionError):  # not UTF-8/16/32, or nested too deep
            raise HTTPException(400, "There was an error parsing the body") from None
        if errors:
            body = _body_as_parsed(plan.json_body, body, content_type)
    elif plan.form_body is not None:
        form = await request.form(**plan.form_body.limits)
        body = form
        _extend(errors, await _resolve_form(plan.form_body, form, arguments))
    if errors:
        if form is not None:
            await form.close()
        raise RequestValidationError(errors, body=body)
    return form


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
    except json.JSONDecodeError:
        return body.decode("utf-8", "replace")


def _cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The cookies of every ``Cookie`` header, a later one winning, as Starlette reads them."""
    cookies: dict[str, str] = {}
    for name, value in headers:
        if name == b"cookie":
            cookies.update(core.parse_cookies(value.decode("latin-1")))
    return cookies


async def _resolve_form(plan: FormBody, form: FormData, arguments: dict[str, Any]) -> Any:
    items = [(key, value) for key, value in form.multi_items() if not _no_file_chosen(value)]
    raw = plan.group.collect(items, False)
    for key in plan.file_keys & raw.keys():
        raw[key] = await _read_uploads(raw[key])
    return plan.group.resolve(raw, arguments)


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


def _rename_header_keys(errors: list[Any], renamed: dict[str, str]) -> None:
    """Name headers in errors as FastAPI does (``X-Token`` as declared, ``x-token`` for a field)."""
    for error in errors:
        location, *rest = error["loc"]
        if rest and rest[0] in renamed:
            error["loc"] = (location, renamed[rest[0]], *rest[1:])


def _extend(errors: list[Any], found: list[Any] | None) -> None:
    if found:
        errors.extend(found)


def _connect(
    plan: EndpointPlan, request: Request, arguments: dict[str, Any]
) -> tuple[Response | None, BackgroundTasks | None]:
    """Pass the connection objects the endpoint asked for.

    Returns the ``Response`` it may set headers on and the background
    tasks it may add to, both shared by every argument that asks for one.
    """
    connections = plan.connections
    for name in connections.request:
        arguments[name] = request
    sub_response = _sub_response() if connections.response else None
    for name in connections.response:
        arguments[name] = sub_response
    tasks = BackgroundTasks() if connections.background else None
    for name in connections.background:
        arguments[name] = tasks
    return sub_response, tasks


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


def _is_coroutine(call: Any) -> bool:
    if inspect.iscoroutinefunction(call):
        return True
    dunder_call = getattr(call, "__call__", None)  # noqa: B004 - callable instances
    return inspect.iscoroutinefunction(dunder_call)
