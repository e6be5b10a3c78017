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
4. close ``function``-scoped ``yield`` dependencies, render the response;
5. send it (background tasks run then), and close ``request``-scoped ones.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
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

from fastcore._core import deps
from fastcore._dependencies import OverridablePlan, RoutePlan, plan_dependencies
from fastcore._request_plan import BodyPlan, FormBody
from fastcore._response_plan import ResponsePlan, plan_response
from fastcore.exceptions import HTTPException, RequestValidationError


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    """What running one endpoint takes, computed when the route is added."""

    call: Any
    is_coroutine: bool
    plans: OverridablePlan  # dependencies and body, per set of overrides
    response: ResponsePlan


def plan_endpoint(
    path: str,
    endpoint: Callable[..., Any],
    *,
    dependencies: list[Any],
    overrides_provider: Any,
    response_model: Any,
    status_code: int | None,
    response_class: type[Response],
    response_options: dict[str, Any],
    strict_content_type: bool,
    form_limits: Mapping[str, Any] | None,
) -> EndpointPlan:
    """Analyse ``endpoint`` and its dependencies once; refuse, naming them, what cannot run."""
    path_names = set(compile_path(path)[2])

    def build(overrides: Mapping[Any, Any]) -> RoutePlan:
        return plan_dependencies(
            endpoint, path_names, dependencies, overrides, strict_content_type, form_limits
        )

    return EndpointPlan(
        call=endpoint,
        is_coroutine=_is_coroutine(endpoint),
        plans=OverridablePlan(build, overrides_provider),
        response=plan_response(
            endpoint, response_model, status_code, response_class, response_options
        ),
    )


def endpoint_app(plan: EndpointPlan) -> ASGIApp:
    """The ASGI app that serves one route by following ``plan``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        route = plan.plans.current()
        forms: list[FormData] = []  # closed once the response is sent, or on failure
        try:
            if route.has_yield:
                async with AsyncExitStack() as request_stack:
                    response = await _respond_within(plan, route, request, forms, request_stack)
                    await response(scope, receive, send)
            else:
                response = await _respond_within(plan, route, request, forms, None)
                await response(scope, receive, send)
        finally:
            for form in forms:
                await form.close()

    return app


async def _respond_within(
    plan: EndpointPlan,
    route: RoutePlan,
    request: Request,
    forms: list[FormData],
    request_stack: AsyncExitStack | None,
) -> Response:
    """Solve, call the endpoint, close function-scoped dependencies, render."""
    body_errors: list[Any] = []
    body_values: dict[str, Any] = {}
    raw_body, form = await read_body(route.body, request, body_values, body_errors)
    if form is not None:
        forms.append(form)
    run = deps.Run(
        request,
        deps.Sources(request.scope),
        body_values,
        bool(body_errors),
        _sub_response() if route.needs_response else None,
        BackgroundTasks() if route.needs_background else None,
        None,
        request_stack,
    )
    if request_stack is None:
        result = await _solve_and_call(plan, route, run, body_errors, raw_body)
    else:
        async with AsyncExitStack() as function_stack:
            run.function_stack = function_stack
            result = await _solve_and_call(plan, route, run, body_errors, raw_body)
    return _respond(plan.response, result, run.response, run.background)


async def _solve_and_call(
    plan: EndpointPlan, route: RoutePlan, run: Any, body_errors: list[Any], raw_body: Any
) -> Any:
    errors: list[Any] = []
    arguments = await route.dependencies.solve(run, errors)
    if errors or body_errors:
        # The body is read first, but FastAPI lists its errors last.
        raise RequestValidationError(errors + body_errors, body=raw_body)
    if plan.is_coroutine:
        return await plan.call(**arguments)
    return await run_in_threadpool(plan.call, **arguments)


async def read_body(
    plan: BodyPlan, request: Request, values: dict[str, Any], errors: list[Any]
) -> tuple[Any, FormData | None]:
    """Read and validate the route's body into ``values``; its errors into ``errors``.

    Returns the body as a validation error shows it, and the parsed form,
    if any, to be closed once the response is sent.
    """
    if plan.json_body is not None:
        body = await request.body()
        content_type = request.headers.get("content-type")
        try:
            found = plan.json_body.resolve(body, content_type, values)
        except (ValueError, RecursionError):  # not UTF-8/16/32, or nested too deep
            raise HTTPException(400, "There was an error parsing the body") from None
        if found:
            errors.extend(found)
        return _body_as_parsed(plan.json_body, body, content_type), None
    if plan.form_body is not None:
        form = await request.form(**plan.form_body.limits)
        found = await _resolve_form(plan.form_body, form, values)
        if found:
            errors.extend(found)
        return form, form
    return None, None


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


def _is_coroutine(call: Any) -> bool:
    if inspect.iscoroutinefunction(call):
        return True
    dunder_call = getattr(call, "__call__", None)  # noqa: B004 - callable instances
    return inspect.iscoroutinefunction(dunder_call)
