# cython: language_level=3, binding=True, boundscheck=True, wraparound=True, nonecheck=True
# cython: annotation_typing=False
"""Dependency core: run a route's flattened dependency plan for one request.

Compiled twin of ``fastcore_py/deps.py``: the same names, in the same
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

# Type annotations are documentation here, exactly as in the mirror
# (annotation_typing=False above): public methods accept what the mirror
# accepts and keep its signatures. Each public method the module also calls
# from C is a one-line wrapper around a typed C method declared in
# _deps.pxd (``read`` and ``_read``), which holds the mirror's logic.
#
# Unlike the other core modules, bounds checks and negative indices stay on
# and None is checked: step indices and the objects handed in come from the
# plan and the caller, and a wrong one must raise the mirror's IndexError or
# AttributeError, not read past a list or dereference None. They cost
# nothing next to the calls a step makes.

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from fastcore._params import parse_cookies, parse_query


# The kinds and sources as C constants for the hot path; the public names
# below are the mirror's plain ints.
cdef enum:
    _SYNC = 0
    _ASYNC = 1
    _CONTEXT = 2

cdef enum:
    _FROM_STEP = 0
    _FROM_CONNECTION = 1
    _FROM_RESPONSE = 2
    _FROM_BACKGROUND = 3
    _FROM_FACTORY = 4
    _FROM_BODY = 5

# How a step's callable is called.
SYNC = _SYNC  # in the thread pool
ASYNC = _ASYNC  # awaited
CONTEXT = _CONTEXT  # a yield dependency: an async context manager entered on an exit stack

# Where an argument that is not a request parameter comes from.
FROM_STEP = _FROM_STEP  # the value of an earlier step (a sub-dependency)
FROM_CONNECTION = _FROM_CONNECTION  # the Request (or WebSocket, HTTPConnection)
# the Response whose headers, cookies and status the endpoint may set
FROM_RESPONSE = _FROM_RESPONSE
FROM_BACKGROUND = _FROM_BACKGROUND  # the request's BackgroundTasks
FROM_FACTORY = _FROM_FACTORY  # a fresh value made at each request (SecurityScopes)
FROM_BODY = _FROM_BODY  # a body value, read and validated for the whole route beforehand


cdef class Sources:
    """A request's raw parameter values, each parsed at most once for every step."""

    def __init__(self, scope: Any) -> None:
        self.path_params = scope.get("path_params") or {}
        self.headers = scope["headers"]
        self.query_string = scope["query_string"]
        self._query = None
        self._cookies = None

    def query(self) -> list[tuple[str, str]]:
        """The query string's ``(name, value)`` pairs."""
        return self._parsed_query()

    cdef list _parsed_query(self):
        if self._query is None:
            self._query = parse_query(self.query_string)
        return self._query

    def cookies(self) -> dict[str, str]:
        """The cookies of every ``Cookie`` header, a later one winning, as Starlette reads them."""
        return self._parsed_cookies()

    cdef dict _parsed_cookies(self):
        cdef dict cookies
        if self._cookies is None:
            cookies = {}
            for name, value in self.headers:
                if name == b"cookie":
                    cookies.update(parse_cookies(value.decode("latin-1")))
            self._cookies = cookies
        return self._cookies


cdef class Run:
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
        self.cache = {}


cdef class Step:
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
        return self._read(run, arguments, errors)

    cdef bint _read(self, Run run, dict arguments, list errors) except -1:
        cdef Sources sources = run.sources
        cdef bint valid = True
        cdef list found
        cdef dict cookies
        cdef int source
        if self.path is not None:
            found = self.path._resolve(sources.path_params, arguments)
            if found:
                errors.extend(found)
                valid = False
        if self.query is not None:
            found = self.query._resolve(
                self.query._collect(sources._parsed_query(), False), arguments
            )
            if found:
                errors.extend(found)
                valid = False
        if self.header is not None:
            found = self.header._resolve(self.header.collect_headers(sources.headers), arguments)
            if found:
                if self.header_error_keys:
                    _rename_keys(found, self.header_error_keys)
                errors.extend(found)
                valid = False
        if self.cookie is not None:
            cookies = sources._parsed_cookies()
            if self.cookie.wants_all:
                cookies = self.cookie._collect(cookies.items(), False)
            found = self.cookie._resolve(cookies, arguments)
            if found:
                errors.extend(found)
                valid = False
        for name, source, detail in self.inputs:
            if source == _FROM_CONNECTION:
                arguments[name] = run.connection
            elif source == _FROM_RESPONSE:
                arguments[name] = run.response
            elif source == _FROM_BACKGROUND:
                arguments[name] = run.background
            elif source == _FROM_FACTORY:
                arguments[name] = detail()
            elif source == _FROM_BODY:
                found = run.body_errors.get(detail)
                if found:
                    errors.extend(found)
                    valid = False
                else:
                    arguments[name] = run.body[detail]
        return valid

    async def call_with(self, arguments: dict[str, Any], run: Run) -> Any:
        """This step's value for ``arguments``: called, awaited or entered."""
        return await self._awaitable(arguments, run)

    cdef object _awaitable(self, dict arguments, Run run):
        # What the mirror's call_with awaits, returned for the caller to await:
        # solve awaits it directly, without a coroutine of its own per step.
        if self.kind == _ASYNC:
            return self.call(**arguments)
        if self.kind == _SYNC:
            return run_in_threadpool(self.call, **arguments)
        stack = run.request_stack if self.request_scoped else run.function_stack
        return stack.enter_async_context(self.call(**arguments))


cdef class DependencyPlan:
    """A route's steps, the endpoint last, and how to solve them for a request."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        self.steps = steps

    async def solve(self, run: Run, errors: list[Any]) -> dict[str, Any]:
        """The endpoint's arguments, after every dependency it needs has run.

        Errors of every step, in FastAPI's order, go to ``errors``; when
        there are any, the returned arguments are incomplete and the
        endpoint must not be called.
        """
        # The arguments as C types (the mirror's annotations), then its loop.
        cdef Run state = run
        cdef list collected = errors
        cdef tuple steps = self.steps
        cdef Py_ssize_t last = len(steps) - 1
        cdef list values = [None] * len(steps)
        cdef list failed = [False] * len(steps)
        cdef dict cache = state.cache
        cdef Py_ssize_t index = 0
        cdef Step step
        cdef dict arguments
        cdef bint valid
        cdef Py_ssize_t child
        cdef int source
        for step in steps:
            arguments = {}
            valid = step._read(state, arguments, collected)
            for child in step.children:
                if failed[child]:
                    valid = False
            for name, source, detail in step.inputs:
                if source == _FROM_STEP:
                    arguments[name] = values[detail]
            if index == last:
                return arguments
            if not valid:
                failed[index] = True
            elif step.use_cache and step.cache_key in cache:
                values[index] = cache[step.cache_key]
            else:
                value = await step._awaitable(arguments, state)
                values[index] = value
                if step.cache_key not in cache:  # the first value stays, as in FastAPI
                    cache[step.cache_key] = value
            index += 1
        return {}


cdef int _rename_keys(list errors, dict renamed) except -1:
    """Rename the key after the location in each error's ``loc``."""
    for error in errors:
        location, *rest = error["loc"]
        if rest and rest[0] in renamed:
            error["loc"] = (location, renamed[rest[0]], *rest[1:])
    return 0
