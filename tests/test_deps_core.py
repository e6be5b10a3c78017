"""The dependency core, on both cores: solving a flattened plan for one request.

Every test takes the ``deps`` fixture (tests/conftest.py), and ``params`` when it
needs parameter groups, so it runs once on the compiled ``fastcore._deps`` with
``fastcore._params`` and once on the pure ``fastcore_py.deps`` with
``fastcore_py.params``. Plans are built by hand, as the declaration layer lays
them out: ``Step`` objects in solving order, each dependency after its own, the
endpoint last, children and ``FROM_STEP`` inputs referring to earlier steps by
index. Each test drives ``DependencyPlan.solve`` in a fresh event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter
from pydantic_core import SchemaValidator, core_schema

import fastcore_py.deps as pure_deps

INT_PARSING = "Input should be a valid integer, unable to parse string as an integer"


# -- building plans ----------------------------------------------------------------


class Recorder:
    """Callables that log their name and arguments when called, in call order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def async_call(self, name: str, value: Any = None) -> Callable[..., Any]:
        async def call(**arguments: Any) -> Any:
            self.calls.append((name, arguments))
            return name if value is None else value

        return call

    def sync_call(self, name: str) -> Callable[..., Any]:
        def call(**arguments: Any) -> Any:
            self.calls.append((name, arguments))
            return name

        return call

    def counter(self, name: str) -> Callable[..., Any]:
        """An async callable returning ``name#1``, ``name#2``, ... on each call."""

        async def call(**arguments: Any) -> Any:
            self.calls.append((name, arguments))
            return f"{name}#{self.names.count(name)}"

        return call


def never_called(**arguments: Any) -> Any:
    """The endpoint: ``solve`` returns its arguments and leaves calling it to the caller."""
    raise AssertionError("solve called the endpoint")


def make_step(
    deps: ModuleType,
    call: Any,
    *,
    kind: int | None = None,
    key: Any = None,
    use_cache: bool = True,
    request_scoped: bool = False,
    path: Any = None,
    query: Any = None,
    header: Any = None,
    cookie: Any = None,
    header_error_keys: dict[str, str] | None = None,
    inputs: Iterable[tuple[str, int, Any]] = (),
    children: Iterable[int] = (),
) -> Any:
    return deps.Step(
        call,
        deps.ASYNC if kind is None else kind,
        call if key is None else key,
        use_cache,
        request_scoped,
        path,
        query,
        header,
        cookie,
        header_error_keys or {},
        tuple(inputs),
        tuple(children),
    )


def endpoint(deps: ModuleType, **options: Any) -> Any:
    return make_step(deps, never_called, key=None, use_cache=False, **options)


def uses(deps: ModuleType, **steps: int) -> list[tuple[str, int, Any]]:
    """``FROM_STEP`` inputs: argument name -> index of the step whose value it takes."""
    return [(name, deps.FROM_STEP, index) for name, index in steps.items()]


def make_run(
    deps: ModuleType,
    *,
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    path_params: dict[str, Any] | None = None,
    connection: Any = None,
    body: dict[str, Any] | None = None,
    body_errors: dict[str, list[Any]] | None = None,
    response: Any = None,
    background: Any = None,
    function_stack: Any = None,
    request_stack: Any = None,
) -> Any:
    scope: dict[str, Any] = {"headers": headers or [], "query_string": query_string}
    if path_params is not None:
        scope["path_params"] = path_params
    sources = deps.Sources(scope)
    return deps.Run(
        connection,
        sources,
        {} if body is None else body,
        {} if body_errors is None else body_errors,
        response,
        background,
        function_stack,
        request_stack,
    )


def solve(deps: ModuleType, steps: list[Any], run: Any) -> tuple[dict[str, Any], list[Any]]:
    """The endpoint's arguments and the errors, from a fresh event loop."""
    errors: list[Any] = []
    arguments = asyncio.run(deps.DependencyPlan(tuple(steps)).solve(run, errors))
    return arguments, errors


def int_group(params: ModuleType, location: str, *keys: str) -> Any:
    """Required ``int`` parameters read from ``location``; a key's argument is its snake case."""
    specs = tuple(
        params.ParamSpec(
            key.replace("-", "_"), key, params.AS_INT, False, False, True, None, None, TYPE_INT
        )
        for key in keys
    )
    return params.ParamGroup(location, specs, None, frozenset(), False, ())


TYPE_INT: TypeAdapter[int] = TypeAdapter(int)


def missing(*loc: Any) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def not_int(value: str, *loc: Any) -> dict[str, Any]:
    return {"type": "int_parsing", "loc": loc, "msg": INT_PARSING, "input": value}


# -- the public surface ------------------------------------------------------------


def test_constants(deps):
    kinds = [deps.SYNC, deps.ASYNC, deps.CONTEXT]
    sources = [
        deps.FROM_STEP,
        deps.FROM_CONNECTION,
        deps.FROM_RESPONSE,
        deps.FROM_BACKGROUND,
        deps.FROM_FACTORY,
        deps.FROM_BODY,
    ]
    assert kinds == [0, 1, 2]
    assert sources == [0, 1, 2, 3, 4, 5]
    assert all(type(value) is int for value in kinds + sources)


def test_both_cores_document_the_same_api(deps):
    """Same docstrings and signatures on both sides: a reader can switch files."""
    assert deps.__doc__.split("\n\n")[2:] == pure_deps.__doc__.split("\n\n")[2:]
    for name, theirs in vars(pure_deps).items():
        if name.startswith("_") or getattr(theirs, "__module__", None) != pure_deps.__name__:
            continue
        ours = getattr(deps, name)
        assert ours.__doc__ == theirs.__doc__, name
        for method, their_method in vars(theirs).items():
            if method.startswith("_") or not inspect.isfunction(their_method):
                continue
            our_method = getattr(ours, method)
            assert our_method.__doc__ == their_method.__doc__, f"{name}.{method}"
            assert inspect.signature(our_method) == inspect.signature(their_method), method


def test_attributes_are_readable_and_the_stacks_settable(deps, params):
    group = int_group(params, "query", "q")
    inputs = (("n", deps.FROM_STEP, 0),)
    step = deps.Step(len, deps.SYNC, "k", False, True, None, group, None, None, {}, inputs, (0,))
    assert (step.call, step.kind, step.cache_key, step.use_cache, step.request_scoped) == (
        len,
        deps.SYNC,
        "k",
        False,
        True,
    )
    assert (step.path, step.query, step.header, step.cookie) == (None, group, None, None)
    assert (step.header_error_keys, step.inputs, step.children) == ({}, inputs, (0,))
    assert deps.DependencyPlan((step,)).steps == (step,)
    run = make_run(deps, body={"b": 1}, connection="conn", response="resp", background="bg")
    assert (run.connection, run.body, run.body_errors) == ("conn", {"b": 1}, {})
    assert (run.response, run.background, run.cache) == ("resp", "bg", {})
    assert (run.function_stack, run.request_stack) == (None, None)
    run.function_stack = stack = AsyncExitStack()  # the endpoint layer sets it later
    assert run.function_stack is stack


# -- order of calls ----------------------------------------------------------------


def test_steps_run_in_plan_order_and_feed_their_dependents(deps):
    """route dependency r; endpoint(m=Depends(mid(x=Depends(leaf))), y=Depends(other))."""
    log = Recorder()
    steps = [
        make_step(deps, log.async_call("r")),
        make_step(deps, log.async_call("leaf", 1)),
        make_step(deps, log.async_call("mid", 2), inputs=uses(deps, x=1), children=[1]),
        make_step(deps, log.async_call("other", 3)),
        endpoint(deps, inputs=uses(deps, m=2, y=3), children=[0, 2, 3]),
    ]
    arguments, errors = solve(deps, steps, make_run(deps))
    assert log.calls == [("r", {}), ("leaf", {}), ("mid", {"x": 1}), ("other", {})]
    assert arguments == {"m": 2, "y": 3}
    assert errors == []


def test_a_plan_of_only_the_endpoint_returns_its_arguments(deps, params):
    steps = [endpoint(deps, query=int_group(params, "query", "n"))]
    assert solve(deps, steps, make_run(deps, query_string=b"n=5")) == ({"n": 5}, [])


def test_an_empty_plan_returns_no_arguments(deps):
    assert solve(deps, [], make_run(deps)) == ({}, [])


def test_an_exception_stops_the_solve(deps):
    log = Recorder()

    async def refuse() -> None:
        log.calls.append(("refuse", {}))
        raise PermissionError("no")

    steps = [
        make_step(deps, refuse),
        make_step(deps, log.async_call("after")),
        endpoint(deps, children=[0, 1]),
    ]
    with pytest.raises(PermissionError, match="no"):
        solve(deps, steps, make_run(deps))
    assert log.names == ["refuse"]


# -- the per-request cache ---------------------------------------------------------


def test_a_cached_value_is_reused_within_a_request(deps):
    log = Recorder()
    shared = log.counter("shared")
    steps = [
        make_step(deps, shared),
        make_step(deps, shared),
        endpoint(deps, inputs=uses(deps, a=0, b=1), children=[0, 1]),
    ]
    run = make_run(deps)
    assert solve(deps, steps, run) == ({"a": "shared#1", "b": "shared#1"}, [])
    assert log.names == ["shared"]
    assert run.cache == {shared: "shared#1"}
    # Another request has its own cache.
    assert solve(deps, steps, make_run(deps))[0] == {"a": "shared#2", "b": "shared#2"}


def test_use_cache_false_calls_again_and_its_value_is_then_cached(deps):
    log = Recorder()
    shared = log.counter("shared")
    fresh_first = [
        make_step(deps, shared, use_cache=False),
        make_step(deps, shared),
        make_step(deps, shared, use_cache=False),
        endpoint(deps, inputs=uses(deps, a=0, b=1, c=2), children=[0, 1, 2]),
    ]
    run = make_run(deps)
    arguments, _ = solve(deps, fresh_first, run)
    assert arguments == {"a": "shared#1", "b": "shared#1", "c": "shared#2"}
    assert log.names == ["shared", "shared"]


@pytest.mark.parametrize("first_uses_cache", [True, False])
def test_use_cache_false_does_not_replace_the_cached_value(deps, first_uses_cache):
    log = Recorder()
    shared = log.counter("shared")
    steps = [
        make_step(deps, shared, use_cache=first_uses_cache),
        make_step(deps, shared, use_cache=False),
        make_step(deps, shared),
        endpoint(deps, inputs=uses(deps, a=0, b=1, c=2), children=[0, 1, 2]),
    ]
    arguments, _ = solve(deps, steps, make_run(deps))
    assert arguments == {"a": "shared#1", "b": "shared#2", "c": "shared#1"}


def test_cache_keys_compare_by_value(deps):
    log = Recorder()
    shared = log.counter("shared")
    steps = [
        make_step(deps, shared, key=(shared, ("read",))),
        make_step(deps, shared, key=(shared, ("read",))),
        make_step(deps, shared, key=(shared, ("write",))),
        endpoint(deps, inputs=uses(deps, a=0, b=1, c=2), children=[0, 1, 2]),
    ]
    run = make_run(deps)
    arguments, _ = solve(deps, steps, run)
    assert arguments == {"a": "shared#1", "b": "shared#1", "c": "shared#2"}
    assert run.cache == {(shared, ("read",)): "shared#1", (shared, ("write",)): "shared#2"}


def test_a_failed_step_is_not_cached(deps, params):
    log = Recorder()
    shared = log.counter("shared")
    steps = [
        make_step(deps, shared, query=int_group(params, "query", "n")),
        make_step(deps, shared),
        endpoint(deps, inputs=uses(deps, b=1), children=[0, 1]),
    ]
    run = make_run(deps, query_string=b"n=x")
    arguments, errors = solve(deps, steps, run)
    assert errors == [not_int("x", "query", "n")]
    assert log.names == ["shared"]  # the second occurrence, whose parameters are valid
    assert run.cache == {shared: "shared#1"}


# -- failures: what is still called ------------------------------------------------


def test_a_step_is_not_called_when_its_parameters_or_a_child_failed(deps, params):
    """bad(n: int) fails; parent(b=Depends(bad)) is not called; sibling and uncle still are."""
    log = Recorder()
    steps = [
        make_step(deps, log.async_call("bad"), query=int_group(params, "query", "n")),
        make_step(deps, log.async_call("sibling")),
        make_step(
            deps,
            log.async_call("parent"),
            query=int_group(params, "query", "m"),
            inputs=uses(deps, b=0, s=1),
            children=[0, 1],
        ),
        make_step(deps, log.async_call("grandparent"), inputs=uses(deps, p=2), children=[2]),
        make_step(deps, log.async_call("uncle")),
        endpoint(deps, inputs=uses(deps, g=3, u=4), children=[3, 4]),
    ]
    _, errors = solve(deps, steps, make_run(deps, query_string=b"n=x&m=y"))
    assert log.names == ["sibling", "uncle"]
    # A failed step's own parameters are still read, and their errors reported.
    assert errors == [not_int("x", "query", "n"), not_int("y", "query", "m")]


def test_a_route_dependency_that_fails_is_reported_and_others_still_run(deps, params):
    log = Recorder()
    steps = [
        make_step(deps, log.async_call("guard"), header=int_group(params, "header", "x-level")),
        make_step(deps, log.async_call("audit")),
        endpoint(deps, query=int_group(params, "query", "n"), children=[0, 1]),
    ]
    _, errors = solve(deps, steps, make_run(deps, query_string=b"n=1"))
    assert log.names == ["audit"]
    assert errors == [missing("header", "x-level")]


# -- errors: order and content -----------------------------------------------------


def test_errors_in_step_order_then_path_query_header_cookie(deps, params):
    def groups(*keys: str) -> dict[str, Any]:
        return {
            location: int_group(params, location, key)
            for location, key in zip(("path", "query", "header", "cookie"), keys, strict=True)
        }

    log = Recorder()
    steps = [
        make_step(deps, log.async_call("first"), **groups("p1", "q1", "h1", "c1")),
        endpoint(deps, children=[0], **groups("p2", "q2", "h2", "c2")),
    ]
    run = make_run(
        deps,
        path_params={"p1": "a", "p2": "7"},
        query_string=b"q2=b&q1=c",
        headers=[(b"h2", b"d"), (b"cookie", b"c1=e")],
    )
    errors: list[Any] = ["earlier"]
    arguments = asyncio.run(deps.DependencyPlan(tuple(steps)).solve(run, errors))
    assert errors == [
        "earlier",  # the list is extended, not replaced
        not_int("a", "path", "p1"),
        not_int("c", "query", "q1"),
        missing("header", "h1"),
        not_int("e", "cookie", "c1"),
        not_int("b", "query", "q2"),
        not_int("d", "header", "h2"),
        missing("cookie", "c2"),
    ]
    assert log.names == []
    assert arguments["p2"] == 7


def test_header_errors_are_named_as_declared(deps, params):
    group = int_group(params, "header", "x-token", "x-count")
    steps = [
        endpoint(
            deps,
            header=group,
            query=int_group(params, "query", "x-token"),
            header_error_keys={"x-token": "X-Token"},
        )
    ]
    run = make_run(deps, query_string=b"x-token=q", headers=[(b"x-count", b"c")])
    _, errors = solve(deps, steps, run)
    assert errors == [
        not_int("q", "query", "x-token"),  # only header errors are renamed
        missing("header", "X-Token"),
        not_int("c", "header", "x-count"),
    ]


def test_a_dependency_used_twice_reports_its_errors_twice(deps, params):
    """As FastAPI does: the cache spares the call, not the reading of parameters."""
    log = Recorder()
    shared = log.async_call("shared")
    query = int_group(params, "query", "n")
    steps = [
        make_step(deps, shared, query=query),
        make_step(deps, shared, query=query),
        endpoint(deps, children=[0, 1]),
    ]
    _, errors = solve(deps, steps, make_run(deps))
    assert errors == [missing("query", "n"), missing("query", "n")]
    assert log.names == []


def test_valid_parameters_become_arguments(deps, params):
    log = Recorder()
    steps = [
        make_step(
            deps,
            log.async_call("dep"),
            path=int_group(params, "path", "id"),
            header=int_group(params, "header", "x-n"),
        ),
        endpoint(
            deps,
            query=int_group(params, "query", "q"),
            cookie=int_group(params, "cookie", "c"),
            inputs=uses(deps, d=0),
            children=[0],
        ),
    ]
    run = make_run(
        deps,
        path_params={"id": "4"},
        query_string=b"q=1&q=2",
        headers=[(b"x-n", b"3"), (b"cookie", b"c=5")],
    )
    arguments, errors = solve(deps, steps, run)
    assert log.calls == [("dep", {"id": 4, "x_n": 3})]
    assert arguments == {"q": 2, "c": 5, "d": "dep"}
    assert errors == []


# -- sources -----------------------------------------------------------------------


def test_the_query_is_parsed_once_per_request(deps, params, monkeypatch):
    parsed: list[bytes] = []
    parse_query = deps.parse_query

    def counting(query_string: bytes) -> Any:
        parsed.append(query_string)
        return parse_query(query_string)

    monkeypatch.setattr(deps, "parse_query", counting)
    log = Recorder()
    steps = [
        make_step(deps, log.async_call("a"), query=int_group(params, "query", "a")),
        make_step(deps, log.async_call("b"), query=int_group(params, "query", "b")),
        endpoint(deps, query=int_group(params, "query", "a", "b"), children=[0, 1]),
    ]
    run = make_run(deps, query_string=b"a=1&b=2")
    assert solve(deps, steps, run) == ({"a": 1, "b": 2}, [])
    assert parsed == [b"a=1&b=2"]
    assert run.sources.query() is run.sources.query()
    assert parsed == [b"a=1&b=2"]


def test_sources_read_the_scope(deps):
    scope = {
        "headers": [(b"cookie", b"a=1; b=2"), (b"x-other", b"a=9"), (b"cookie", b"b=3; c=4")],
        "query_string": b"x=1&y=&x=2",
        "path_params": {"id": "7"},
    }
    sources = deps.Sources(scope)
    assert sources.path_params == {"id": "7"}
    assert sources.headers is scope["headers"]
    assert sources.query_string == b"x=1&y=&x=2"
    assert sources.query() == [("x", "1"), ("y", ""), ("x", "2")]
    # Every Cookie header, a later one winning, as Starlette reads them.
    assert sources.cookies() == {"a": "1", "b": "3", "c": "4"}
    assert sources.cookies() is sources.cookies()
    assert deps.Sources({"headers": [], "query_string": b""}).path_params == {}
    assert deps.Sources({"headers": [], "query_string": b"", "path_params": None}).cookies() == {}


class Session(BaseModel):
    sid: int
    theme: str = "light"


def session_cookie_group(params: ModuleType) -> Any:
    """A ``Cookie()`` model parameter: the group reads every cookie sent."""
    adapter = TypeAdapter(Session)
    spec = params.ParamSpec(
        "session", "\x00session", params.AS_OTHER, False, True, True, None, None, adapter
    )
    field = core_schema.typed_dict_field(adapter.core_schema, required=False)
    validator = SchemaValidator(core_schema.typed_dict_schema({"\x00session": field}))
    fields = (("sid", "sid"), ("theme", "theme"))
    return params.ParamGroup("cookie", (spec,), validator, frozenset(), False, fields)


def test_cookies_of_several_headers_reach_plain_and_model_parameters(deps, params):
    headers = [(b"cookie", b"sid=1; n=2"), (b"cookie", b"theme=dark; sid=3")]
    plain = endpoint(deps, cookie=int_group(params, "cookie", "n"))
    assert solve(deps, [plain], make_run(deps, headers=headers)) == ({"n": 2}, [])
    model = endpoint(deps, cookie=session_cookie_group(params))
    assert solve(deps, [model], make_run(deps, headers=headers)) == (
        {"session": Session(sid=3, theme="dark")},
        [],
    )


# -- inputs that are not request parameters ----------------------------------------


def test_connection_response_and_background_inputs(deps):
    connection, response, background = object(), object(), object()
    log = Recorder()
    inputs = [
        ("request", deps.FROM_CONNECTION, None),
        ("response", deps.FROM_RESPONSE, None),
        ("tasks", deps.FROM_BACKGROUND, None),
    ]
    steps = [
        make_step(deps, log.async_call("dep"), inputs=inputs),
        endpoint(deps, inputs=[*inputs, *uses(deps, d=0)], children=[0]),
    ]
    run = make_run(deps, connection=connection, response=response, background=background)
    arguments, _ = solve(deps, steps, run)
    expected = {"request": connection, "response": response, "tasks": background}
    assert log.calls == [("dep", expected)]
    assert arguments == {**expected, "d": "dep"}


def test_a_factory_input_is_fresh_for_each_step_and_request(deps):
    log = Recorder()
    inputs = [("scopes", deps.FROM_FACTORY, list)]
    steps = [
        make_step(deps, log.async_call("one"), inputs=inputs),
        make_step(deps, log.async_call("two"), inputs=inputs),
        endpoint(deps, inputs=inputs, children=[0, 1]),
    ]
    arguments, _ = solve(deps, steps, make_run(deps))
    made = [call[1]["scopes"] for call in log.calls] + [arguments["scopes"]]
    assert made == [[], [], []]
    assert len({id(value) for value in made}) == 3


def test_body_inputs_come_from_the_routes_body_values(deps):
    item = object()
    log = Recorder()
    steps = [
        make_step(deps, log.async_call("dep"), inputs=[("item", deps.FROM_BODY, "item")]),
        endpoint(deps, inputs=[("count", deps.FROM_BODY, "\x00count"), *uses(deps, d=0)]),
    ]
    run = make_run(deps, body={"item": item, "\x00count": 3})
    arguments, errors = solve(deps, steps, run)
    assert log.calls == [("dep", {"item": item})]
    assert arguments == {"count": 3, "d": "dep"}
    assert errors == []


def test_body_errors_are_reported_by_each_step_that_takes_the_value(deps, params):
    """In that step's turn, after its own parameters' errors, as FastAPI validates them."""
    log = Recorder()
    item_error = {"type": "missing", "loc": ("body", "item"), "msg": "Field required"}
    steps = [
        make_step(
            deps,
            log.async_call("takes item"),
            query=int_group(params, "query", "q"),
            inputs=[("item", deps.FROM_BODY, "item")],
        ),
        make_step(deps, log.async_call("parent"), inputs=uses(deps, t=0), children=[0]),
        make_step(deps, log.async_call("takes count"), inputs=[("count", deps.FROM_BODY, "n")]),
        make_step(deps, log.async_call("later"), query=int_group(params, "query", "z")),
        endpoint(deps, inputs=[("item", deps.FROM_BODY, "item")], children=[1, 2, 3]),
    ]
    run = make_run(deps, query_string=b"q=a", body={"n": 2}, body_errors={"item": [item_error]})
    _, errors = solve(deps, steps, run)
    assert log.calls == [("takes count", {"count": 2})]
    assert errors == [not_int("a", "query", "q"), item_error, missing("query", "z"), item_error]


# -- how steps are called ----------------------------------------------------------


def test_sync_steps_run_in_a_worker_thread_async_ones_in_the_loop(deps):
    def sync_call(**arguments: Any) -> Any:
        return threading.get_ident(), arguments

    async def async_call(**arguments: Any) -> Any:
        return threading.get_ident(), arguments

    steps = [
        make_step(deps, sync_call, kind=deps.SYNC, inputs=[("r", deps.FROM_CONNECTION, None)]),
        make_step(deps, async_call, inputs=[("r", deps.FROM_CONNECTION, None)]),
        endpoint(deps, inputs=uses(deps, s=0, a=1), children=[0, 1]),
    ]
    arguments, _ = solve(deps, steps, make_run(deps, connection="request"))
    here = threading.get_ident()  # asyncio.run runs its loop in this thread
    assert arguments["s"][0] != here
    assert arguments["a"][0] == here
    assert arguments["s"][1] == arguments["a"][1] == {"r": "request"}


def tracked_context(events: list[str], name: str) -> Callable[..., Any]:
    @asynccontextmanager
    async def context(**arguments: Any) -> Any:
        events.append(f"{name} setup {sorted(arguments.items())}")
        yield f"{name} value"
        events.append(f"{name} teardown")

    return context


def test_yield_steps_are_entered_on_their_scopes_stack(deps):
    events: list[str] = []
    steps = [
        make_step(deps, tracked_context(events, "f1"), kind=deps.CONTEXT),
        make_step(deps, tracked_context(events, "r1"), kind=deps.CONTEXT, request_scoped=True),
        make_step(
            deps,
            tracked_context(events, "f2"),
            kind=deps.CONTEXT,
            inputs=uses(deps, f1=0),
            children=[0],
        ),
        endpoint(deps, inputs=uses(deps, r=1, f=2), children=[1, 2]),
    ]

    async def serve() -> dict[str, Any]:
        async with AsyncExitStack() as request_stack:
            run = make_run(deps, request_stack=request_stack)
            async with AsyncExitStack() as function_stack:
                run.function_stack = function_stack
                arguments = await deps.DependencyPlan(tuple(steps)).solve(run, [])
                events.append("endpoint")
            events.append("function stack closed")
        events.append("request stack closed")
        return arguments

    arguments = asyncio.run(serve())
    assert arguments == {"r": "r1 value", "f": "f2 value"}
    assert events == [
        "f1 setup []",
        "r1 setup []",
        "f2 setup [('f1', 'f1 value')]",
        "endpoint",
        "f2 teardown",
        "f1 teardown",
        "function stack closed",
        "r1 teardown",
        "request stack closed",
    ]


def test_a_cached_yield_step_is_entered_once(deps):
    events: list[str] = []
    context = tracked_context(events, "db")
    steps = [
        make_step(deps, context, kind=deps.CONTEXT),
        make_step(deps, context, kind=deps.CONTEXT),
        endpoint(deps, inputs=uses(deps, a=0, b=1), children=[0, 1]),
    ]

    async def serve() -> dict[str, Any]:
        async with AsyncExitStack() as function_stack:
            return await deps.DependencyPlan(tuple(steps)).solve(
                make_run(deps, function_stack=function_stack), []
            )

    assert asyncio.run(serve()) == {"a": "db value", "b": "db value"}
    assert events == ["db setup []", "db teardown"]


def test_read_and_call_with_on_their_own(deps, params):
    """The two halves of solving one step, as ``solve`` uses them."""
    log = Recorder()
    step = make_step(
        deps,
        log.sync_call("dep"),
        kind=deps.SYNC,
        query=int_group(params, "query", "n"),
        inputs=[("request", deps.FROM_CONNECTION, None), *uses(deps, earlier=0)],
    )
    run = make_run(deps, query_string=b"n=3", connection="conn")
    arguments: dict[str, Any] = {}
    errors: list[Any] = []
    assert step.read(run, arguments, errors) is True
    assert arguments == {"n": 3, "request": "conn"}  # values of earlier steps are solve's
    assert asyncio.run(step.call_with(arguments, run)) == "dep"
    assert log.calls == [("dep", {"n": 3, "request": "conn"})]
    assert run.cache == {}  # caching is solve's too
    assert step.read(make_run(deps, query_string=b"n=x"), {}, errors) is False
    assert errors == [not_int("x", "query", "n")]
