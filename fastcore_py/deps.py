"""Dependency core: run a route's flattened dependency plan for one request.

Pure-Python mirror of ``fastcore/_deps.pyx``: the same names, in the same
order, with the same logic. Read the two side by side.

When a route is added, the declaration layer flattens its dependency tree
into a tuple of ``Step`` objects in the order FastAPI solves them: each
dependency after its own sub-dependencies, siblings in declaration order,
the route's ``dependencies=[...]`` first, the endpoint last. A step knows
its callable (already wrapped so that a ``yield`` dependency is an async
context manager), its cache key, its parameter groups (from the params
core) and where each of its other arguments comes from.

Per request, ``DependencyPlan.solve`` walks the steps once. Each step's
parameters are read and validated (errors collected, FastAPI's order); a
step whose parameters or sub-dependencies failed is not called, but its
siblings still are, as in FastAPI; a step whose value this request already
computed reuses it, unless it asked for ``use_cache=False``. The endpoint's
arguments are returned for the caller to call it.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from fastcore_py.params import parse_cookies, parse_query

# How a step's callable is called.
SYNC = 0  # in the thread pool
ASYNC = 1  # awaited
CONTEXT = 2  # a yield dependency: an async context manager entered on an exit stack

# Where an argument that is not a request parameter comes from.
FROM_STEP = 0  # the value of an earlier step (a sub-dependency)
FROM_CONNECTION = 1  # the Request (or WebSocket, HTTPConnection)
FROM_RESPONSE = 2  # the Response whose headers, cookies and status the endpoint may set
FROM_BACKGROUND = 3  # the request's BackgroundTasks
FROM_FACTORY = 4  # a fresh value made at each request (SecurityScopes)
FROM_BODY = 5  # a body value, read and validated for the whole route beforehand


class Sources:
    """A request's raw parameter values, each parsed at most once for every step."""

    def __init__(self, scope: Any) -> None:
        self.path_params = scope.get("path_params") or {}
        self.headers = scope["headers"]
        self.query_string = scope["query_string"]
        self._query: list[tuple[str, str]] | None = None
        self._cookies: dict[str, str] | None = None

    def query(self) -> list[tuple[str, str]]:
        """The query string's ``(name, value)`` pairs."""
        if self._query is None:
            self._query = parse_query(self.query_string)
        return self._query

    def cookies(self) -> dict[str, str]:
        """The cookies of every ``Cookie`` header, a later one winning, as Starlette reads them."""
        if self._cookies is None:
            cookies: dict[str, str] = {}
            for name, value in self.headers:
                if name == b"cookie":
                    cookies.update(parse_cookies(value.decode("latin-1")))
            self._cookies = cookies
        return self._cookies


class Run:
    """One request's state while its plan runs.

    ``response`` and ``background`` are the objects handed to arguments
    that ask for them (None when no step does); ``body`` holds the route's
    validated body values by key, and ``body_errors`` the errors of the
    keys that failed, reported by each step that takes them, in its turn;
    the two exit stacks receive ``yield`` dependencies, torn down when the
    endpoint returns (``function``) or after the response is sent
    (``request``).
    """

    def __init__(
        self,
        connection: Any,
        sources: Sources,
        body: dict[str, Any],
        body_errors: dict[str, list[Any]],
        response: Any,
        background: Any,
        function_stack: Any,
        request_stack: Any,
    ) -> None:
        self.connection = connection
        self.sources = sources
        self.body = body
        self.body_errors = body_errors
        self.response = response
        self.background = background
        self.function_stack = function_stack
        self.request_stack = request_stack
        self.cache: dict[Any, Any] = {}


class Step:
    """One call of the flattened plan: a dependency, or the endpoint (the last step).

    ``path``, ``query``, ``header`` and ``cookie`` are the step's own
    parameter groups (params core ``ParamGroup``, or None);
    ``header_error_keys`` renames header keys in its errors as FastAPI
    names them. ``inputs`` are ``(argument, FROM_*, detail)`` triples: the
    step index for ``FROM_STEP``, the factory for ``FROM_FACTORY``, the body
    key for ``FROM_BODY``. ``children`` are the steps it depends on,
    including route dependencies whose values it does not take.
    """

    def __init__(
        self,
        call: Any,
        kind: int,
        cache_key: Any,
        use_cache: bool,
        request_scoped: bool,
        path: Any,
        query: Any,
        header: Any,
        cookie: Any,
        header_error_keys: dict[str, str],
        inputs: tuple[tuple[str, int, Any], ...],
        children: tuple[int, ...],
    ) -> None:
        self.call = call
        self.kind = kind
        self.cache_key = cache_key
        self.use_cache = use_cache
        self.request_scoped = request_scoped
        self.path = path
        self.query = query
        self.header = header
        self.cookie = cookie
        self.header_error_keys = header_error_keys
        self.inputs = inputs
        self.children = children

    def read(self, run: Run, arguments: dict[str, Any], errors: list[Any]) -> bool:
        """Read this step's parameters and inputs into ``arguments``; whether all are valid.

        Errors go to ``errors``. Values of earlier steps are not set here:
        ``DependencyPlan.solve`` passes them.
        """
        sources = run.sources
        valid = True
        if self.path is not None:
            found = self.path.resolve(sources.path_params, arguments)
            if found:
                errors.extend(found)
                valid = False
        if self.query is not None:
            found = self.query.resolve(self.query.collect(sources.query(), False), arguments)
            if found:
                errors.extend(found)
                valid = False
        if self.header is not None:
            found = self.header.resolve(self.header.collect_headers(sources.headers), arguments)
            if found:
                if self.header_error_keys:
                    _rename_keys(found, self.header_error_keys)
                errors.extend(found)
                valid = False
        if self.cookie is not None:
            cookies = sources.cookies()
            if self.cookie.wants_all:
                cookies = self.cookie.collect(cookies.items(), False)
            found = self.cookie.resolve(cookies, arguments)
            if found:
                errors.extend(found)
                valid = False
        for name, source, detail in self.inputs:
            if source == FROM_CONNECTION:
                arguments[name] = run.connection
            elif source == FROM_RESPONSE:
                arguments[name] = run.response
            elif source == FROM_BACKGROUND:
                arguments[name] = run.background
            elif source == FROM_FACTORY:
                arguments[name] = detail()
            elif source == FROM_BODY:
                found = run.body_errors.get(detail)
                if found:
                    errors.extend(found)
                    valid = False
                else:
                    arguments[name] = run.body[detail]
        return valid

    async def call_with(self, arguments: dict[str, Any], run: Run) -> Any:
        """This step's value for ``arguments``: called, awaited or entered."""
        if self.kind == ASYNC:
            return await self.call(**arguments)
        if self.kind == SYNC:
            return await run_in_threadpool(self.call, **arguments)
        stack = run.request_stack if self.request_scoped else run.function_stack
        return await stack.enter_async_context(self.call(**arguments))


class DependencyPlan:
    """A route's steps, the endpoint last, and how to solve them for a request."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        self.steps = steps

    async def solve(self, run: Run, errors: list[Any]) -> dict[str, Any]:
        """The endpoint's arguments, after every dependency it needs has run.

        Errors of every step, in FastAPI's order, go to ``errors``; when
        there are any, the returned arguments are incomplete and the
        endpoint must not be called.
        """
        steps = self.steps
        last = len(steps) - 1
        values: list[Any] = [None] * len(steps)
        failed = [False] * len(steps)
        cache = run.cache
        index = 0
        for step in steps:
            arguments: dict[str, Any] = {}
            valid = step.read(run, arguments, errors)
            for child in step.children:
                if failed[child]:
                    valid = False
            for name, source, detail in step.inputs:
                if source == FROM_STEP:
                    arguments[name] = values[detail]
            if index == last:
                return arguments
            if not valid:
                failed[index] = True
            elif step.use_cache and step.cache_key in cache:
                values[index] = cache[step.cache_key]
            else:
                value = await step.call_with(arguments, run)
                values[index] = value
                if step.cache_key not in cache:  # the first value stays, as in FastAPI
                    cache[step.cache_key] = value
            index += 1
        return {}


def _rename_keys(errors: list[Any], renamed: dict[str, str]) -> None:
    """Rename the key after the location in each error's ``loc``."""
    for error in errors:
        location, *rest = error["loc"]
        if rest and rest[0] in renamed:
            error["loc"] = (location, renamed[rest[0]], *rest[1:])
