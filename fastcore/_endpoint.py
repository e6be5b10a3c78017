"""Run an endpoint for a request and turn what it returns into a response.

Everything about the endpoint is worked out once, when the route is added,
into an ``EndpointPlan``; the request path only follows the plan.

Parameters supported here: path parameters (named in the route template),
query parameters of plain types (every other endpoint argument) and the
``Request``. Each is validated by a Pydantic ``TypeAdapter`` built at
start-up, so errors carry Pydantic's own messages in FastAPI's 422 shape.
Declared parameters (``Query()``, ``Body()``, ``Depends()``, ...) are not
handled yet and are refused when the route is added, so that nothing is
silently ignored.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from fastcore.encoders import jsonable_encoder
from fastcore.exception_handlers import is_body_allowed_for_status_code
from fastcore.exceptions import RequestValidationError

_REQUIRED = object()


@dataclass(frozen=True, slots=True)
class ScalarParam:
    """One path or query parameter: where it comes from and how it is checked."""

    name: str
    location: str  # "path" or "query"
    adapter: TypeAdapter[Any] | None  # None: the raw string is passed as it is
    default: Any  # _REQUIRED when the parameter must be present


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    """What running one endpoint takes, computed when the route is added."""

    call: Any
    is_coroutine: bool
    params: tuple[ScalarParam, ...]
    reads_query: bool  # whether the query string needs parsing at all
    connection_args: tuple[str, ...]  # arguments that receive the Request
    status_code: int | None
    response_class: type[Response]


def plan_endpoint(
    path: str, endpoint: Any, status_code: int | None, response_class: type[Response]
) -> EndpointPlan:
    """Analyse ``endpoint``'s signature once; refuse what cannot be served."""
    path_names = set(compile_path(path)[2])
    hints = typing.get_type_hints(endpoint, include_extras=True)
    params = []
    connection_args = []
    for parameter in inspect.signature(endpoint).parameters.values():
        annotation = hints.get(parameter.name, Any)
        if inspect.isclass(annotation) and issubclass(annotation, HTTPConnection):
            connection_args.append(parameter.name)
            continue
        _refuse_declared(endpoint, parameter, annotation)
        location = "path" if parameter.name in path_names else "query"
        default = _REQUIRED if parameter.default is inspect.Parameter.empty else parameter.default
        adapter = None if annotation in (str, Any) else TypeAdapter(annotation)
        params.append(ScalarParam(parameter.name, location, adapter, default))
    return EndpointPlan(
        call=endpoint,
        is_coroutine=_is_coroutine(endpoint),
        params=tuple(params),
        reads_query=any(param.location == "query" for param in params),
        connection_args=tuple(connection_args),
        status_code=status_code,
        response_class=response_class,
    )


def endpoint_app(plan: EndpointPlan) -> ASGIApp:
    """The ASGI app that serves one route by following ``plan``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        arguments = _arguments(plan, request)
        for name in plan.connection_args:
            arguments[name] = request
        if plan.is_coroutine:
            result = await plan.call(**arguments)
        else:
            result = await run_in_threadpool(plan.call, **arguments)
        response = result if isinstance(result, Response) else _encode(plan, result)
        await response(scope, receive, send)

    return app


def _arguments(plan: EndpointPlan, request: Request) -> dict[str, Any]:
    """Validated values of the path and query parameters; a 422 when any fails."""
    arguments: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    path_params = request.scope["path_params"]
    query = request.query_params if plan.reads_query else None
    for param in plan.params:
        source = path_params if param.location == "path" else query
        raw = source.get(param.name, _REQUIRED)  # type: ignore[union-attr]
        if raw is _REQUIRED:
            if param.default is _REQUIRED:
                errors.append(_missing(param))
            else:
                arguments[param.name] = param.default
        elif param.adapter is None:
            arguments[param.name] = raw
        else:
            try:
                arguments[param.name] = param.adapter.validate_python(raw)
            except ValidationError as error:
                errors.extend(_located(param, error))
    if errors:
        raise RequestValidationError(errors)
    return arguments


def _encode(plan: EndpointPlan, result: Any) -> Response:
    """The response for a returned value: JSON-able content in ``response_class``."""
    content = jsonable_encoder(result)
    if plan.status_code is None:
        return plan.response_class(content)
    response = plan.response_class(content, status_code=plan.status_code)
    if not is_body_allowed_for_status_code(plan.status_code):
        response.body = b""
    return response


def _missing(param: ScalarParam) -> dict[str, Any]:
    return {
        "type": "missing",
        "loc": (param.location, param.name),
        "msg": "Field required",
        "input": None,
    }


def _located(param: ScalarParam, error: ValidationError) -> list[Any]:
    """Pydantic's errors for one parameter, with FastAPI's ``loc`` prefix."""
    located = []
    for detail in error.errors(include_url=False):
        detail["loc"] = (param.location, param.name, *detail["loc"])
        located.append(detail)
    return located


def _refuse_declared(endpoint: Any, parameter: inspect.Parameter, annotation: Any) -> None:
    declared = (
        isinstance(parameter.default, FieldInfo)
        or typing.get_origin(annotation) is typing.Annotated
    )
    if declared or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
        name = getattr(endpoint, "__qualname__", repr(endpoint))
        raise NotImplementedError(
            f"{name}(): parameter {parameter.name!r} uses a declaration (Query, Body, Depends, "
            "Annotated, *args/**kwargs) that this version of fastcore does not serve yet"
        )


def _is_coroutine(call: Any) -> bool:
    if inspect.iscoroutinefunction(call):
        return True
    dunder_call = getattr(call, "__call__", None)  # noqa: B004 - callable instances
    return inspect.iscoroutinefunction(dunder_call)
