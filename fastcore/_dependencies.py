"""Flatten an endpoint's dependency tree, once, into the deps core's plan.

FastAPI solves a dependency tree depth first: the route's
``dependencies=[...]`` in order, then each ``Depends`` argument of the
endpoint in signature order, each after its own sub-dependencies; the
endpoint's own parameters come last. ``plan_dependencies`` lays the tree out
in that order as core ``Step`` objects that refer to each other by index,
so a request only walks a tuple. A dependency used twice appears twice (the
per-request cache spares the second call, as in FastAPI, but its parameters
are still read and their errors reported each time).

Everything about a callable is settled here: how it is called (thread
pool, awaited, entered as a context manager), its cache key, its
parameter groups, its ``SecurityScopes``, its ``max_concurrency`` limit.
``dependency_overrides`` are applied here too: the route keeps one plan per
set of overrides in use (``OverridablePlan``).
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import weakref
from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import anyio
from starlette.background import BackgroundTasks
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from fastcore._core import deps as core
from fastcore._request_plan import (
    BodyPlan,
    body_value_key,
    is_body,
    model_fields,
    plan_body,
    plan_params,
)
from fastcore._signature import DependencyParam, RequestParam, describe, read_signature
from fastcore.concurrency import contextmanager_in_threadpool
from fastcore.exceptions import DependencyScopeError, FastAPIError
from fastcore.security.oauth2 import SecurityScopes
from fastcore.security.utils import SecurityBase

# Plans kept per route for the sets of overrides seen; tests use a few.
_MAX_OVERRIDE_PLANS = 32


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """A route's dependency plan and body plan, for one set of overrides."""

    dependencies: Any  # core DependencyPlan; its last step is the endpoint
    body: BodyPlan
    needs_response: bool  # some step takes the Response
    needs_background: bool  # some step takes the BackgroundTasks
    needs_connection: bool  # some step takes the Request (or WebSocket, HTTPConnection)
    has_yield: bool  # some step is a yield dependency, entered on an exit stack
    plain: bool  # no body to read and no yield dependency: the shortest way through
    # For the OpenAPI document: every parameter of the tree that is not in the
    # body, in FastAPI's order (a callable's own before its dependencies'),
    # models of parameters field by field, once per location and key; and
    # the body parameters, once per key.
    request_params: tuple[RequestParam, ...]
    body_params: tuple[RequestParam, ...]
    # The security schemes the tree uses, in solving order, once per scheme
    # name: (scheme, the scopes required down to it).
    security: tuple[tuple[SecurityBase, tuple[str, ...]], ...]


class OverridablePlan:
    """A route's plans: one without overrides, built at once, and one per set in use.

    ``dependency_overrides`` is read per request; when it is empty (in
    production) the base plan is used as is, otherwise the plan for the
    current overrides is built on first use and kept.
    """

    def __init__(self, build: Callable[[Mapping[Any, Any]], RoutePlan], provider: Any) -> None:
        self._build = build
        self._provider = provider
        self.base = build({})
        self._overridden: dict[frozenset[Any], RoutePlan] = {}

    def current(self) -> RoutePlan:
        overrides = getattr(self._provider, "dependency_overrides", None)
        if not overrides:
            return self.base
        key = frozenset(overrides.items())
        plan = self._overridden.get(key)
        if plan is None:
            if len(self._overridden) >= _MAX_OVERRIDE_PLANS:
                self._overridden.clear()
            plan = self._overridden[key] = self._build(dict(overrides))
        return plan


def plan_dependencies(
    endpoint: Callable[..., Any],
    path_names: set[str],
    route_dependencies: list[Any],
    overrides: Mapping[Any, Any],
    strict_content_type: bool,
    form_limits: Mapping[str, Any] | None,
    connection: type[HTTPConnection] = Request,
) -> RoutePlan:
    """Flatten ``endpoint``'s tree; refuse cycles and unusable parameters, naming them.

    ``connection`` is what the route's requests arrive as: ``Request`` for
    HTTP, ``WebSocket`` for a socket.
    """
    builder = _Builder(endpoint, path_names, overrides, connection)
    try:
        children = tuple(
            builder.add(declaration.dependency, declaration, [], "dependencies=[...]", ())
            for declaration in route_dependencies
        )
        builder.add_endpoint(children)
        body = plan_body(builder.body_params, strict_content_type, form_limits)
    except FastAPIError as error:
        if isinstance(error, DependencyScopeError):
            raise
        raise FastAPIError(f"{describe(endpoint)}: {error}") from error
    has_yield = any(step.kind == core.CONTEXT for step in builder.steps)
    return RoutePlan(
        dependencies=core.DependencyPlan(tuple(builder.steps)),
        body=body,
        needs_response=builder.takes(core.FROM_RESPONSE),
        needs_background=builder.takes(core.FROM_BACKGROUND),
        needs_connection=builder.takes(core.FROM_CONNECTION),
        has_yield=has_yield,
        plain=body.json_body is None and body.form_body is None and not has_yield,
        request_params=builder.documented_params(in_body=False),
        body_params=builder.documented_params(in_body=True),
        security=builder.documented_security(),
    )


class _Builder:
    """Lays out one route's steps, depth first."""

    def __init__(
        self,
        endpoint: Callable[..., Any],
        path_names: set[str],
        overrides: Mapping[Any, Any],
        connection: type[HTTPConnection],
    ) -> None:
        self.endpoint = endpoint
        self.path_names = path_names
        self.overrides = overrides
        self.connection = connection
        self.steps: list[Any] = []
        self.body_params: list[RequestParam] = []
        self._signatures: dict[Any, Any] = {}
        self._scopes: list[str | None] = []  # each step's scope, "function" or "request"
        self._uses_scopes: list[bool] = []  # whether a step or one below reads SecurityScopes
        self._holds: dict[Any, int] = {}  # slots a request takes of each limited yield dependency
        self._own_params: list[tuple[RequestParam, ...]] = []  # each step's own parameters
        self._security: dict[int, tuple[SecurityBase, tuple[str, ...]]] = {}  # by step

    def add(
        self,
        original: Callable[..., Any],
        declaration: Any,
        scopes: list[str],
        argument: str,
        chain: tuple[Any, ...],
    ) -> int:
        """Add the steps of one dependency (after its own); its step's index."""
        call = self.overrides.get(original, original)
        if call in chain:
            path = " -> ".join(describe(link) for link in (*chain, call))
            raise RuntimeError(
                f"{describe(self.endpoint)}: parameter {argument!r} depends on a cycle: {path}"
            )
        scopes = scopes + list(declaration.scopes)
        signature = self._signature(call, argument)
        children, inputs = self._sub_dependencies(signature.dependencies, scopes, (*chain, call))
        inputs += self._inputs(signature, scopes)
        kind, wrapped = _calling(call, declaration)
        scope = declaration.scope or ("request" if kind == core.CONTEXT else None)
        if kind == core.CONTEXT and scope == "request":
            self._check_scopes(call, children)
        if kind == core.CONTEXT and declaration.max_concurrency is not None:
            self._check_holds(declaration, argument)
        uses_scopes = any(
            issubclass(kind, SecurityScopes) for kind in signature.connections.values()
        )
        uses_scopes = uses_scopes or any(self._uses_scopes[child] for child in children)
        # FastAPI's cache key: the dependency as declared (two dependencies
        # overridden by one function stay two), the scopes only where they
        # are read, and a function-scoped value apart from a request-scoped one.
        scopes_key = tuple(sorted(set(scopes))) if uses_scopes else ()
        step = _step(
            wrapped,
            kind,
            (original, scopes_key, scope),
            declaration.use_cache,
            scope != "function",
            signature,
            inputs,
            children,
        )
        self.steps.append(step)
        self._own_params.append(signature.params)
        if isinstance(call, SecurityBase):
            self._security[len(self.steps) - 1] = (call, tuple(scopes))
        self._scopes.append(scope)
        self._uses_scopes.append(uses_scopes)
        return len(self.steps) - 1

    def _check_holds(self, declaration: Any, argument: str) -> None:
        """Refuse a route that would wait for itself forever.

        A limited ``yield`` dependency holds its slot until its teardown,
        after the response; used more often in one request than it has
        slots (``use_cache=False``), the last use would wait for a slot that
        only this very request can free. FastAPI hangs there.
        """
        holds = self._holds.get(declaration, 0)
        if not declaration.use_cache or holds == 0:
            holds += 1
        self._holds[declaration] = holds
        if holds > declaration.max_concurrency:
            raise FastAPIError(
                f"parameter {argument!r}: a yield dependency with "
                f"max_concurrency={declaration.max_concurrency} is used {holds} times in one "
                "request, so the request would wait for itself forever"
            )

    def _check_scopes(self, call: Callable[..., Any], children: tuple[int, ...]) -> None:
        """A request-scoped yield dependency cannot use a function-scoped one, torn down first."""
        for child in children:
            if self.steps[child].kind == core.CONTEXT and self._scopes[child] == "function":
                name = getattr(call, "__name__", repr(call))
                raise DependencyScopeError(
                    f'The dependency "{name}" has a scope of "request", '
                    'it cannot depend on dependencies with scope "function".'
                )

    def add_endpoint(self, route_children: tuple[int, ...]) -> None:
        """Add the endpoint's dependencies and, last, the endpoint's own step."""
        signature = self._signature(self.endpoint, "")
        children, inputs = self._sub_dependencies(signature.dependencies, [], (self.endpoint,))
        inputs += self._inputs(signature, [])
        self.steps.append(
            _step(
                self.endpoint,
                core.ASYNC,
                None,
                False,
                False,
                signature,
                inputs,
                route_children + children,
            )
        )
        self._own_params.append(signature.params)
        self._scopes.append(None)
        self._uses_scopes.append(False)

    def documented_params(self, in_body: bool) -> tuple[RequestParam, ...]:
        """The tree's parameters, in the body or outside it, as FastAPI documents them.

        Each callable's own first, then its dependencies' (route
        dependencies first); a key declared again is documented as its last
        declaration says, at the place of its first (see ``_last_declared``). Outside the body they
        are grouped by location (path, query, header, cookie), and a model
        declared as a group of parameters is documented field by field.
        """
        ordered: list[RequestParam] = []

        def walk(index: int) -> None:
            ordered.extend(self._own_params[index])
            for child in self.steps[index].children:
                walk(child)

        walk(len(self.steps) - 1)
        if in_body:
            body = [param for param in ordered if is_body(param)]
            return tuple(_last_declared(body, lambda param: param.key))
        outside = [field for param in ordered if not is_body(param) for field in _fields(param)]
        unique = _last_declared(outside, lambda param: (param.location, param.key))
        return tuple(sorted(unique, key=lambda param: _LOCATION_ORDER[param.location]))

    def documented_security(self) -> tuple[tuple[SecurityBase, tuple[str, ...]], ...]:
        """The security schemes of the tree, depth first, each scheme name once.

        A scheme used more than once requires every scope of every use.
        """
        found: dict[str, tuple[SecurityBase, tuple[str, ...]]] = {}

        def walk(index: int) -> None:
            for child in self.steps[index].children:
                if child in self._security:
                    scheme, scopes = self._security[child]
                    first, known = found.get(scheme.scheme_name, (scheme, ()))
                    merged = known + tuple(scope for scope in scopes if scope not in known)
                    found[scheme.scheme_name] = (first, merged)
                walk(child)

        walk(len(self.steps) - 1)
        return tuple(found.values())

    def takes(self, source: int) -> bool:
        return any(item[1] == source for step in self.steps for item in step.inputs)

    def _signature(self, call: Callable[..., Any], argument: str) -> Any:
        signature = self._signatures.get(call)
        if signature is None:
            try:
                signature = read_signature(call, self.path_names)
            except (NameError, TypeError, AssertionError) as error:
                where = f" (through parameter {argument!r})" if argument else ""
                raise type(error)(f"{describe(self.endpoint)}{where}: {error}") from error
            self._signatures[call] = signature
        return signature

    def _sub_dependencies(
        self, dependencies: tuple[DependencyParam, ...], scopes: list[str], chain: tuple[Any, ...]
    ) -> tuple[tuple[int, ...], list[tuple[str, int, Any]]]:
        children = []
        inputs = []
        for dependency in dependencies:
            index = self.add(
                dependency.call, dependency.declaration, scopes, dependency.name, chain
            )
            children.append(index)
            inputs.append((dependency.name, core.FROM_STEP, index))
        return tuple(children), inputs

    def _inputs(self, signature: Any, scopes: list[str]) -> list[tuple[str, int, Any]]:
        inputs: list[tuple[str, int, Any]] = []
        for param in signature.params:
            if is_body(param):
                self.body_params.append(param)
                inputs.append((param.name, core.FROM_BODY, body_value_key(param)))
        for name, kind in signature.connections.items():
            if issubclass(kind, Response):
                inputs.append((name, core.FROM_RESPONSE, None))
            elif issubclass(kind, BackgroundTasks):
                inputs.append((name, core.FROM_BACKGROUND, None))
            elif issubclass(kind, SecurityScopes):
                inputs.append((name, core.FROM_FACTORY, partial(SecurityScopes, list(scopes))))
            else:
                self._check_connection(name, kind)
                inputs.append((name, core.FROM_CONNECTION, None))
        return inputs

    def _check_connection(self, name: str, kind: type) -> None:
        """Refuse a ``Request`` argument on a WebSocket route, and a ``WebSocket`` on HTTP.

        FastAPI fails on each connection instead; here the route is refused
        when it is added. ``HTTPConnection`` suits both.
        """
        if not issubclass(self.connection, kind):
            route = "a WebSocket" if issubclass(self.connection, WebSocket) else "an HTTP"
            raise FastAPIError(
                f"parameter {name!r} asks for a {kind.__name__}, which {route} route "
                f"does not have; ask for {self.connection.__name__} or HTTPConnection"
            )


_LOCATION_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


def _fields(param: RequestParam) -> list[RequestParam]:
    """A parameter as documented: a model declared as a group of them, field by field."""
    if not param.group:
        return [param]
    fields = {info.alias or name: info for name, info in param.annotation.model_fields.items()}
    documented = []
    for key, name, _ in model_fields(param):
        info = copy.copy(fields[name])
        if info.title is None:  # titled after the field, not the header spelling
            info.title = name.replace("_", " ").title()
        if param.optional and not param.required and info.is_required():
            # An optional model may be left out whole, so none of its fields is
            # required; documented without a default all the same, as in FastAPI.
            info.default_factory = _left_out
        documented.append(
            RequestParam(name, param.location, key, info.annotation, info, group=False)
        )
    return documented


def _left_out() -> None:
    """The documented "default" of a field of an optional model: never called."""


def _last_declared(
    params: list[RequestParam], key: Callable[[RequestParam], Any]
) -> list[RequestParam]:
    """One parameter per key, at the place of the first: the last declared,
    unless an earlier one is required and the later one is not (FastAPI's choice)."""
    by_key: dict[Any, RequestParam] = {}
    for param in params:
        kept = by_key.get(key(param))
        if kept is None or param.required or not kept.required:
            by_key[key(param)] = param  # a dict keeps the place of the first
    return list(by_key.values())


def _step(
    call: Any,
    kind: int,
    cache_key: Any,
    use_cache: bool,
    request_scoped: bool,
    signature: Any,
    inputs: list[tuple[str, int, Any]],
    children: tuple[int, ...],
) -> Any:
    groups = plan_params(tuple(param for param in signature.params if not is_body(param)))
    return core.Step(
        call,
        kind,
        cache_key,
        use_cache,
        request_scoped,
        groups.path,
        groups.query,
        groups.header,
        groups.cookie,
        groups.header_error_keys,
        tuple(inputs),
        children,
    )


def _calling(call: Callable[..., Any], declaration: Any) -> tuple[int, Any]:
    """How the core calls ``call`` (``SYNC``, ``ASYNC`` or ``CONTEXT``), and what it calls.

    ``yield`` dependencies become async context manager factories; with a
    ``max_concurrency`` limit, every kind becomes an async callable (or
    context manager) that holds one slot of the limit while it runs (for a
    ``yield`` dependency, until its teardown ends). The limit belongs to
    the ``Depends()`` object, shared by every route that uses it.
    """
    if _is(inspect.isasyncgenfunction, call):
        kind, wrapped = core.CONTEXT, asynccontextmanager(call)
    elif _is(inspect.isgeneratorfunction, call):
        context = contextmanager(call)
        kind = core.CONTEXT

        def wrapped(**arguments: Any) -> Any:
            return contextmanager_in_threadpool(context(**arguments))
    elif _is(inspect.iscoroutinefunction, call):
        kind, wrapped = core.ASYNC, call
    else:
        kind, wrapped = core.SYNC, call
    if declaration.max_concurrency is None:
        return kind, wrapped
    limit = _LIMITS.get(declaration)
    if limit is None:
        limit = _LIMITS[declaration] = _Limit(declaration.max_concurrency)
    return _limited(kind, wrapped, limit)


def _is(test: Callable[[Any], bool], call: Any) -> bool:
    """``test`` on a function, or on the ``__call__`` of a callable instance."""
    if inspect.isclass(call):
        return False  # a class is instantiated: a plain call
    return test(call) or test(getattr(call, "__call__", None))  # noqa: B004


class _Limit:
    """At most ``size`` holders at once, per event loop (a limit cannot cross loops)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._by_loop: weakref.WeakKeyDictionary[Any, anyio.Semaphore] = weakref.WeakKeyDictionary()

    def semaphore(self) -> anyio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._by_loop.get(loop)
        if semaphore is None:
            semaphore = self._by_loop[loop] = anyio.Semaphore(self.size)
        return semaphore


# The max_concurrency limit of each Depends() object that has one.
_LIMITS: weakref.WeakKeyDictionary[Any, _Limit] = weakref.WeakKeyDictionary()


def _limited(kind: int, call: Any, limit: _Limit) -> tuple[int, Any]:
    if kind == core.CONTEXT:

        @asynccontextmanager
        async def limited_context(**arguments: Any) -> Any:
            async with limit.semaphore(), call(**arguments) as value:
                yield value

        return core.CONTEXT, limited_context

    async def limited(**arguments: Any) -> Any:
        async with limit.semaphore():
            if kind == core.ASYNC:
                return await call(**arguments)
            return await run_in_threadpool(call, **arguments)

    return core.ASYNC, limited
