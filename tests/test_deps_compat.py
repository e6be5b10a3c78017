"""Dependency injection, side by side with FastAPI: answers and the order of what ran.

``tests/apps/deps_app.py`` is built once with ``fastapi`` and once with ``fastcore``, each
recording events (dependency calls, ``yield`` set-up and teardown, what a ``yield``
dependency caught, background tasks) in its own list. Every request in ``CASES`` goes to
both and must get the same status code, headers (but ``date`` and ``server``) and body
bytes, and leave the same events behind. The TestClient returns once the whole ASGI call
is over, so request-scoped teardown and background tasks are in the list by then.

``dependency_overrides`` are exercised by scripts of steps (set, request, clear, request)
run against both apps. Apps that cannot be built (cycles, unresolvable parameters, ...)
must fail when the route is added, in both frameworks. The ``test_known_*`` tests pin
FastAPI's answers literally, so that they hold where FastAPI is not installed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient
from tests.apps.deps_app import BROKEN_ROUTES, build_app
from tests.side_by_side import Served, get, observed, post, send, serve, serve_fastapi


# Entered once per module: one event loop for all requests is much faster than one each.
@pytest.fixture(scope="module")
def ours() -> Iterator[Served]:
    yield from serve(build_app, fastcore, TestClient)


@pytest.fixture(scope="module")
def reference() -> Iterator[Served]:
    yield from serve_fastapi(build_app)


def json_body(value: Any) -> dict[str, Any]:
    return {"content": json.dumps(value).encode(), "headers": {"content-type": "application/json"}}


ITEM = {"name": "Foo", "price": 35.4}
FAILURES = [
    "endpoint:http",
    "endpoint:value",
    "check:http",
    "check:value",
    "inner:before:http",
    "inner:before:value",
    "mid:before:http",
    "mid:before:value",
    "outer:before:http",
    "inner:after:http",
    "inner:after:value",
    "mid:after:http",
    "mid:after:value",
    "outer:after:http",
    "outer:after:value",
]

CHAIN_CASES = [
    get("/chain"),
    get("/chain?q=7", headers={"x-level": "deep"}),
    get("/chain?q=x"),
    get("/chain/async?q=3"),
    get("/chain/async?q=1.5"),
]

YIELD_CASES = [
    get(f"/yield/{mode}" + (f"?fail={fail}" if fail else ""))
    for mode in ("request", "function", "mixed")
    for fail in ["", *FAILURES]
]

CATCH_CASES = [
    get(f"/catch/{how}/{scope}" + query)
    for scope in ("request", "function", "request/sync", "function/sync")
    for how in ("reraise", "swallow", "convert", "http-only")
    for query in ("", "?fail=endpoint:http", "?fail=endpoint:value", "?n=x")
]

CACHE_CASES = [
    get("/diamond"),
    get("/diamond/fresh-first"),
    get("/diamond/fresh-last"),
    get("/cache/yield"),
    get("/cache/yield?name=conn"),
    get("/cache/scopes"),
    get("/cache/scopes-plain"),
]

CLASS_CASES = [
    get("/classes"),
    get("/classes?skip=2&limit=5&q=foobar"),
    get("/classes?limit=101&skip=x"),
    get("/classes/generators?q=abc"),
    get("/classes/others?key=z&tag=t&strict=yes&x=4"),
    get("/classes/others?strict=maybe&x=y"),
    get("/threads"),
]

GOOD_HEADERS = {"x-token": "t", "x-count": "7", "cookie": "session=abcd"}
PARAM_CASES = [
    get("/params/3?q=1", headers={"x-token": "t", "cookie": "session=abc"}),
    get("/params/3?q=1&flag=true&size=2&limit=4", headers=GOOD_HEADERS),
    get("/params/x?q=y&flag=z&size=0&limit=w", headers={"x-count": "n", "cookie": "session=a"}),
    get("/params/x"),
    get("/params/5?q=1&size=0", "one nested error", headers=GOOD_HEADERS),
    get("/strict/twice?n=x"),
    get("/strict/twice?n=2"),
    get("/strict/uncached"),
    get("/strict/uncached?n=3"),
    get("/strict/nested?n=x&m=y&k=z"),
    get("/strict/nested?n=1&m=2"),
    get("/strict/nested?m=2"),
    get("/strict/then-forbid?n=x"),
    get("/strict/then-forbid?n=1"),
    get("/strict/with-yield?n=x&k=z"),
    get("/strict/with-yield?n=1&k=z"),
    get("/strict/with-yield?n=1&k=2"),
    get("/listed?a=x&b=y&c=z"),
    get("/listed"),
    get("/listed?a=1&b=2&c=3"),
]

BODY_CASES = [
    post("/body/single", **json_body(ITEM)),
    post("/body/single", "embedded", **json_body({"item": ITEM})),
    post("/body/single", "no body"),
    post(
        "/body/single", "invalid json", content=b"{", headers={"content-type": "application/json"}
    ),
    post("/body/same-name", **json_body({"name": "a", "price": "x"})),
    post("/body/same-name", "ok", **json_body(ITEM)),
    post("/body/two", **json_body({"item": ITEM, "owner": {"username": "u"}})),
    post("/body/two", "invalid", **json_body({"item": {"name": "a"}, "owner": {}})),
    post("/body/two", "not embedded", **json_body(ITEM)),
    post("/body/dep-and-endpoint?count=2", **json_body({"item": ITEM, "tag": "t"})),
    post("/body/dep-and-endpoint", "count in body", **json_body({"item": ITEM, "tag": "t"})),
    post("/body/dep-and-endpoint?count=x", "all invalid", **json_body({"item": {}, "tag": []})),
    post("/body/dep-and-endpoint", "empty", **json_body({})),
    post(
        "/body/dep-and-endpoint?count=x",
        "invalid json",
        content=b'{"item": ',
        headers={"content-type": "application/json"},
    ),
    post("/body/embedded", **json_body({"note": "n"})),
    post("/body/embedded", "not embedded", **json_body("n")),
    post("/body/form", data={"username": "u", "remember": "on"}),
    post("/body/form", "invalid", data={"remember": "x"}),
]

SECURITY_CASES = [
    get("/security/items"),
    get("/security/items", "token refused", headers={"authorization": "none"}),
    get("/security/items", "token", headers={"authorization": "Bearer abc"}),
    get("/security/deep"),
    get("/security/repeated"),
    get("/security/router/route"),
]

SPECIAL_CASES = [
    get("/special?q=hello", headers={"x-conn": "c"}),
    get("/special?code=202&task=t2"),
    get("/special?fail=endpoint:http"),
    get("/special?fail=endpoint:value"),
    get("/special?code=x"),
    get("/special/status"),
    get("/special/status?code=203"),
    post("/special/body", **json_body({"name": "a", "price": 2})),
    post("/special/body", "no body"),
    post("/special/body", "invalid", **json_body({"name": "a"})),
    get("/special/own-response"),
    get("/special/own-response?own_task=true&code=299"),
    get("/special/lost-header"),
    get("/special/after-yield"),
]

ANNOTATED_CASES = [
    get("/annotated?q=z&skip=1", headers={"x-user": "ann"}),
    get("/annotated?skip=x"),
    get("/annotated/fresh?limit=3"),
    get("/annotated/nested-list?extra=-1&limit=q"),
    get("/annotated/nested-list?extra=2"),
]

LAYERED_CASES = [
    get("/layered/outer/inner/route"),
    *(
        get(f"/layered/outer/inner/route?stop={name}")
        for name in ["app", "include-outer", "outer-router", "include-inner", "inner-router"]
        + ["decorator-1", "decorator-2", "param", "shared"]
    ),
    get("/layered/outer/inner/shared"),
    get("/layered/outer/inner/failing"),
    get("/layered/outer/route"),
    get("/layered/outer/route?stop=decorator"),
    get("/layered/direct"),
    get("/layered/direct?stop=decorator"),
    get("/layered/nowhere"),
    post("/layered/direct"),
    get("/late/router/early"),
    get("/late/router/after-include"),
    get("/late/app-route"),
]

OTHER_CASES = [
    get("/overridable"),
    get("/overridable/guarded"),
    get("/limited/sync?tag=a"),
    get("/limited/sync-alias?tag=b"),
    get("/limited/async?tag=c"),
    get("/limited/yield?tag=d"),
    get("/limited/twice?tag=e"),
    get("/limited/twice-uncached?tag=f"),
]

STREAM_AND_HANDLER_CASES = [
    get("/stream"),
    get("/stream?fail=chunk"),
    *(
        get(f"/teapot/{scope}?fail={fail}")
        for scope in ("request", "function")
        for fail in ("", "watcher:before", "brewing", "endpoint", "watcher:after")
    ),
    get("/generator/two-yields"),
    get("/generator/two-yields-request"),
    get("/generator/never-yields"),
    get("/generator/never-yields?stop=false"),
    get("/bg/fails"),
]

EDGE_CASES = [
    get("/edge/names"),
    get("/edge/names?request=1&response=2&background_tasks=3"),
    get("/edge/names?response=x"),
    get("/edge/model-class?name=n&size=2"),
    get("/edge/model-class?size=0"),
    get("/edge/model-class?size=x&name=1&name=2"),
    get("/edge/path-in-dep/3?tags=a&tags=b&item-query=iq", headers={"x_raw": "raw"}),
    get("/edge/path-in-dep/3?q=abc"),
    get("/edge/path-in-dep/x?q=5"),
    get("/edge/callables?size=5&x=3"),
    get("/edge/callables?size=x&x=y"),
    get("/edge/none-values"),
    get("/edge/security-uncached"),
    get("/edge/annotated-mixed?query_first=q&depends_first=d&with_default=w"),
    get("/edge/annotated-mixed"),
    get("/edge/constructors?size=3"),
    get("/edge/constructors?size=0"),
    get("/edge/raised-validation-error?x=ok"),
    get("/edge/raised-validation-error?x=bad"),
    get("/edge/fresh-tree"),
]

CASES = CHAIN_CASES + YIELD_CASES + CATCH_CASES + CACHE_CASES + CLASS_CASES + PARAM_CASES
CASES += BODY_CASES + SECURITY_CASES + SPECIAL_CASES + ANNOTATED_CASES + LAYERED_CASES
CASES += OTHER_CASES + STREAM_AND_HANDLER_CASES + EDGE_CASES


def test_case_ids_are_unique():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(("method", "url", "kwargs"), CASES)
def test_same_answer_and_events_as_fastapi(reference, ours, method, url, kwargs):
    expected = observed(reference, method, url, kwargs)
    assert observed(ours, method, url, kwargs) == expected


def test_openapi_document_like_fastapi(reference, ours):
    """Parameters declared only in dependencies are documented with the route."""
    if ours.client.get("/openapi.json").status_code == 404:
        pytest.skip("fastcore does not serve /openapi.json yet")
    expected = reference.client.get("/openapi.json").json()
    document = ours.client.get("/openapi.json").json()
    for path, operations in expected["paths"].items():
        assert document["paths"].get(path) == operations, path
    assert document == expected


# --- dependency_overrides -----------------------------------------------------------------

# A script is a list of steps: ("set", {original: replacement}) adds overrides,
# ("del", original) removes one, ("clear",) empties the dict, ("replace", {...}) assigns a
# new dict to app.dependency_overrides, and (method, url, kwargs) sends a request.
# Names refer to app.state_for_tests. ("set-layered", {...}) adds overrides to the app
# mounted at /layered, with names from its own state_for_tests.
OVERRIDE_SCRIPTS = {
    "replacement with its own parameters and sub-dependency": [
        ("GET", "/overridable?mode=dev", {}),
        ("set", {"get_settings": "fake_settings"}),
        ("GET", "/overridable?mode=dev", {"headers": {"source": "hdr"}}),
        ("GET", "/overridable", {}),
        ("clear",),
        ("GET", "/overridable?mode=dev", {}),
    ],
    "yield dependency replaced by one with a required parameter": [
        ("set", {"get_db": "fake_db"}),
        ("GET", "/overridable", {}),
        ("GET", "/overridable?limit=x", {}),
        ("GET", "/overridable?limit=4", {}),
        ("GET", "/overridable/guarded?limit=5", {}),
        ("del", "get_db"),
        ("GET", "/overridable?limit=4", {}),
        ("GET", "/overridable/guarded", {}),
    ],
    "yield dependency replaced by a plain function": [
        ("set", {"get_db": "plain_db", "get_settings": "fake_settings"}),
        ("GET", "/overridable?mode=both", {}),
        ("GET", "/overridable/guarded", {}),
        ("clear",),
        ("GET", "/overridable/guarded", {}),
    ],
    "dependency of a router": [
        ("set", {"router_guard": "denying_guard"}),
        ("GET", "/overridable/guarded", {}),
        ("GET", "/overridable", {}),
        ("del", "router_guard"),
        ("GET", "/overridable/guarded", {}),
    ],
    "deepest level of a chain, parameters of the original no longer validated": [
        ("replace", {"level4": "fixed_level"}),
        ("GET", "/chain?q=abc", {}),
        ("GET", "/chain/async", {}),
        ("replace", {}),
        ("GET", "/chain?q=abc", {}),
        ("GET", "/chain?q=4", {}),
    ],
    "middle of a chain": [
        ("set", {"level2": "fixed_level"}),
        ("GET", "/chain?q=abc", {"headers": {"x-level": "ignored"}}),
        ("GET", "/chain/async?q=abc", {}),
        ("clear",),
        ("GET", "/chain/async?q=2", {}),
    ],
    "dependency used twice with invalid parameters": [
        ("GET", "/strict/twice", {}),
        ("set", {"strict": "lenient"}),
        ("GET", "/strict/twice", {}),
        ("GET", "/strict/nested?m=1&n=zz", {}),
        ("GET", "/strict/then-forbid", {}),
        ("clear",),
        ("GET", "/strict/nested?m=1&n=zz", {}),
    ],
    "security dependency": [
        ("set", {"token": "fake_token"}),
        ("GET", "/security/items", {"headers": {"authorization": "none"}}),
        ("GET", "/security/router/route", {}),
        ("GET", "/security/repeated", {}),
        ("clear",),
        ("GET", "/security/items", {"headers": {"authorization": "none"}}),
    ],
    "class dependency replaced by a function": [
        ("set", {"Paginator": "paginator_function"}),
        ("GET", "/classes?page=3&skip=x", {}),
        ("GET", "/classes?page=x", {}),
        ("clear",),
        ("GET", "/classes?page=3&skip=x", {}),
    ],
    "mounted app: its own overrides, not the parent's": [
        ("set-layered", {"shared": "replacement", "app_dependency": "app_replacement"}),
        ("GET", "/layered/outer/inner/shared?n=3", {}),
        ("GET", "/layered/outer/inner/route?n=x", {}),
        ("GET", "/layered/direct?stop=app", {}),
        ("GET", "/overridable", {}),
    ],
    "two dependencies replaced by one function: still two cache entries": [
        ("set", {"router_guard": "plain_db", "get_db": "plain_db"}),
        ("GET", "/overridable/guarded", {}),
        ("clear",),
    ],
    "replacement keeps the scope and use_cache of the original Depends": [
        ("GET", "/overridable/scoped", {}),
        ("set", {"get_db": "fake_db", "get_settings": "plain_db"}),
        ("GET", "/overridable/scoped?limit=2", {}),
        ("set", {"get_db": "plain_db", "get_settings": "fake_settings"}),
        ("GET", "/overridable/scoped?mode=m", {}),
    ],
    "overrides reach the sub-dependencies of a replacement, but do not chain": [
        ("set", {"get_settings": "fake_settings", "replacement_source": "source_from_query"}),
        ("GET", "/overridable?source=s", {}),
        ("clear",),
        ("set", {"get_db": "plain_db", "plain_db": "fake_db"}),
        ("GET", "/overridable/guarded?limit=1", {}),
    ],
    "set before the first request to a route": [
        ("set", {"get_settings": "fake_settings"}),
        ("GET", "/overridable?mode=first", {}),
        ("set", {"get_settings": "plain_db"}),
        ("GET", "/overridable?mode=second", {}),
        ("clear",),
    ],
}


def run_script(served: Served, steps: list[tuple[Any, ...]]) -> list[Any]:
    app, layered = served.app, served.app.state_for_tests.layered

    def resolve(target: Any, mapping: dict[str, str]) -> dict[Any, Any]:
        state = target.state_for_tests
        return {getattr(state, key): getattr(state, value) for key, value in mapping.items()}

    results = []
    try:
        for step in steps:
            if step[0] == "set":
                app.dependency_overrides.update(resolve(app, step[1]))
            elif step[0] == "set-layered":
                layered.dependency_overrides.update(resolve(layered, step[1]))
            elif step[0] == "del":
                del app.dependency_overrides[getattr(app.state_for_tests, step[1])]
            elif step[0] == "clear":
                app.dependency_overrides.clear()
            elif step[0] == "replace":
                app.dependency_overrides = resolve(app, step[1])
            else:
                results.append((step, observed(served, *step)))
    finally:
        app.dependency_overrides = {}
        layered.dependency_overrides.clear()
    return results


@pytest.mark.parametrize("script", OVERRIDE_SCRIPTS.values(), ids=list(OVERRIDE_SCRIPTS))
def test_overrides_like_fastapi(reference, ours, script):
    assert run_script(ours, script) == run_script(reference, script)


def test_overrides_apply_to_routes_built_and_served_before(ours):
    """No rebuilding: an override set on a running app changes the next request, and
    removing it restores the original at once."""
    state = ours.app.state_for_tests
    before = observed(ours, "GET", "/overridable/guarded", {})
    assert before[0] == 200 and before[2] == b'"real-db"'
    ours.app.dependency_overrides[state.get_db] = state.plain_db
    try:
        assert observed(ours, "GET", "/overridable/guarded", {})[2:] == (
            b'"plain-db"',
            ["router_guard", "plain_db", "endpoint guarded"],
        )
    finally:
        ours.app.dependency_overrides.clear()
    assert observed(ours, "GET", "/overridable/guarded", {}) == before


# --- start-up checks ----------------------------------------------------------------------


def failure(add_route: Callable[[ModuleType], None], fw: ModuleType) -> BaseException:
    with pytest.raises(Exception) as caught:
        add_route(fw)
    return caught.value


@pytest.mark.parametrize("problem", BROKEN_ROUTES)
def test_broken_routes_fail_when_added_like_fastapi(problem):
    fastapi = pytest.importorskip("fastapi")
    expected = failure(BROKEN_ROUTES[problem], fastapi)
    found = failure(BROKEN_ROUTES[problem], fastcore)
    # FastAPI's RecursionError (cycles) and FastAPIError (unresolvable) are RuntimeErrors.
    for family in (RuntimeError, ValueError, TypeError):
        if isinstance(expected, family):
            assert isinstance(found, family), (expected, found)
    if type(expected).__name__ in ("DependencyScopeError", "FastAPIError"):
        assert type(found).__name__ == type(expected).__name__


NAMED_IN_MESSAGE = {
    # problem: (endpoint, parameters of which at least one must be named)
    "cycle": ("cycle_endpoint", ("start", "back_to_pong", "back_to_ping")),
    "cycle in router dependencies": ("cycle_listed_endpoint", ("back_to_pong", "back_to_ping")),
    "self cycle": ("self_cycle_endpoint", ("start", "again")),
    "unresolvable": ("unresolvable_endpoint", ("thing",)),
    "unresolvable deep": ("deep_unresolvable_endpoint", ("mystery",)),
    "Optional[Request]": ("optional_request_endpoint", ("maybe_request",)),
    "Depends in Annotated and as default": ("depends_twice_endpoint", ("twice",)),
}


@pytest.mark.parametrize("problem", NAMED_IN_MESSAGE)
def test_startup_errors_name_the_endpoint_and_the_parameter(problem):
    endpoint, parameters = NAMED_IN_MESSAGE[problem]
    message = str(failure(BROKEN_ROUTES[problem], fastcore))
    assert endpoint in message, message
    assert any(repr(name) in message or name in message for name in parameters), message


# --- max_concurrency ----------------------------------------------------------------------


def concurrently(served: Served, *requests: tuple[str, str]) -> list[int]:
    """Send the requests at once, from one thread each; their status codes."""
    served.events.clear()
    statuses: dict[int, int] = {}

    def one(index: int, url: str, tag: str) -> None:
        statuses[index] = served.client.get(url, params={"tag": tag}).status_code

    threads = [
        threading.Thread(target=one, args=(index, url, tag))
        for index, (url, tag) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return [statuses.get(index, 0) for index in range(len(requests))]


def frameworks() -> list[Any]:
    return ["ours", pytest.param("reference", id="fastapi")]


@pytest.fixture(params=frameworks())
def either(request: pytest.FixtureRequest) -> Served:
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    ("urls", "prefix"),
    [
        (("/limited/sync", "/limited/sync"), "slow_sync"),
        (("/limited/sync", "/limited/sync-alias"), "slow_sync"),  # one Depends, one limit
        (("/limited/async", "/limited/async"), "slow_async"),
        (("/limited/yield", "/limited/yield"), "slow_yield"),  # held until teardown
    ],
    ids=["sync", "shared through an alias", "async", "yield"],
)
def test_max_concurrency_one_runs_calls_one_after_the_other(either, urls, prefix):
    assert concurrently(either, (urls[0], "a"), (urls[1], "b")) == [200, 200]
    inside = [event.split(" ", 1)[1] for event in either.events if event.startswith(prefix)]
    assert sorted(inside) == ["enter a", "enter b", "exit a", "exit b"]
    first = inside[0].split()[1]
    second = "b" if first == "a" else "a"
    assert inside == [f"enter {first}", f"exit {first}", f"enter {second}", f"exit {second}"]


def test_max_concurrency_two_lets_two_calls_meet(either):
    """Both calls must be inside the (sync) dependency at once to pass its barrier."""
    either.app.state_for_tests.barrier.reset()
    assert concurrently(either, ("/limited/wide", "a"), ("/limited/wide", "b")) == [200, 200]


# --- FastAPI's answers, written out: these hold without FastAPI ---------------------------


def find(case_id: str) -> Any:
    (found,) = [param for param in CASES if param.id == case_id]
    return found.values


REQUEST_SCOPE_OK = [
    "inner setup",
    "check",
    "mid setup (inner, check)",
    "outer setup (mid)",
    "endpoint outer",
    "bg endpoint",
    "outer teardown",
    "mid teardown",
    "inner teardown",
]
CAUGHT_400 = [
    "inner setup",
    "check",
    "mid setup (inner, check)",
    "outer setup (mid)",
    "endpoint outer",
    "outer caught HTTPException 400",
    "outer teardown",
    "mid caught HTTPException 400",
    "mid teardown",
    "inner caught HTTPException 400",
    "inner teardown",
]

KNOWN_ANSWERS = {
    "GET /chain?q=7": (
        200,
        {"value": 10},
        ["level4 q=7", "level3", "level2 x-level=deep", "level1", "endpoint chain"],
    ),
    "GET /yield/request": (200, {"top": "outer"}, REQUEST_SCOPE_OK),
    "GET /yield/function": (
        200,
        {"top": "outer"},
        REQUEST_SCOPE_OK[:5] + REQUEST_SCOPE_OK[6:] + ["bg endpoint"],
    ),
    "GET /yield/mixed": (
        200,
        {"top": "outer"},
        REQUEST_SCOPE_OK[:5] + ["outer teardown", "bg endpoint", "mid teardown", "inner teardown"],
    ),
    "GET /yield/mixed?fail=endpoint:http": (400, {"detail": "endpoint failed"}, CAUGHT_400),
    "GET /yield/request?fail=check:value": (
        500,
        None,
        ["inner setup", "check", "inner caught ValueError check failed", "inner teardown"],
    ),
    # Raised after the response went out (request scope): the client still gets its 200.
    "GET /yield/request?fail=outer:after:http": (
        200,
        {"top": "outer"},
        REQUEST_SCOPE_OK[:7]
        + ["mid caught HTTPException 400", "mid teardown"]
        + ["inner caught HTTPException 400", "inner teardown"],
    ),
    # Raised before the response (function scope): it becomes the response, no background.
    "GET /yield/function?fail=outer:after:http": (
        400,
        {"detail": "outer:after failed"},
        REQUEST_SCOPE_OK[:5]
        + ["outer teardown", "mid caught HTTPException 400", "mid teardown"]
        + ["inner caught HTTPException 400", "inner teardown"],
    ),
    "GET /catch/convert/request?n=x": (
        409,
        {"detail": "converted"},
        [
            "observer setup",
            "catcher setup convert",
            "catcher caught RequestValidationError",
            "observer caught HTTPException 409",
            "observer teardown",
        ],
    ),
    "GET /catch/swallow/function?fail=endpoint:http": (
        500,
        None,
        [
            "observer setup",
            "catcher setup swallow",
            "endpoint catch swallow n=0",
            "catcher caught HTTPException 400",
            "catcher done",
            "observer teardown",
        ],
    ),
    "GET /diamond/fresh-last": (
        200,
        ["shared#0", "shared#2", "shared#4"],
        ["shared#0", "right(shared#0)", "shared#2", "left_fresh(shared#2)", "shared#4"]
        + ["endpoint fresh_last"],
    ),
    "GET /cache/scopes-plain": (
        200,
        ["shared#0", "shared#1", "shared#2"],
        ["shared#0", "shared#1", "shared#2", "endpoint cache_scopes_plain"],
    ),
    "GET /cache/scopes": (
        200,
        ["db#0", "db#1", "db#0"],
        ["session setup db#0", "session setup db#1", "endpoint cache_scopes"]
        + ["session teardown db#1", "session teardown db#0"],
    ),
    "GET /strict/then-forbid?n=x": (403, {"detail": "forbidden"}, ["forbid"]),
    "GET /security/items": (
        200,
        ["anonymous", "anonymous", "anonymous"],
        [
            "token ['admin', 'me'] 'admin me'",
            "user ['admin']",
            "token ['items', 'me'] 'items me'",
            "user ['items']",
            "token [] ''",
            "plain []",
            "endpoint items []",
        ],
    ),
    "GET /layered/outer/inner/route?stop=param": (
        401,
        {"detail": "param stopped"},
        [
            "app setup",
            "include-outer setup",
            "outer-router",
            "include-inner",
            "inner-router setup",
            "decorator-1",
            "decorator-2 setup",
            "param",
            "decorator-2 caught HTTPException 401",
            "decorator-2 teardown",
            "inner-router caught HTTPException 401",
            "inner-router teardown",
            "include-outer caught HTTPException 401",
            "include-outer teardown",
            "app caught HTTPException 401",
            "app teardown",
        ],
    ),
    "GET /special?q=hello": (
        200,
        {"q": "hello", "conn": "c", "r": "response", "t": "dep", "same": [True] * 4},
        [
            "with_request GET /special",
            "with_connection /special",
            "with_response",
            "with_tasks",
            "async_tasks",
            "yield_tasks setup",
            "endpoint special",
            "bg dep",
            "bg async",
            "bg yield",
            "bg endpoint",
            "yield_tasks teardown",
        ],
    ),
    "GET /special/own-response?own_task=true&code=299": (
        200,
        {"r": "response", "t": "dep"},
        ["with_response", "with_tasks", "endpoint own_response", "bg own"],
    ),
}


@pytest.mark.parametrize(("case_id", "expected"), KNOWN_ANSWERS.items(), ids=list(KNOWN_ANSWERS))
def test_known_answers(ours, case_id, expected):
    status, body, events = expected
    response = send(ours, *find(case_id))
    assert response.status_code == status
    if body is None:
        assert response.content == b"Internal Server Error"
    else:
        assert response.json() == body
    assert ours.events == events


def test_known_answer_dependency_errors_come_before_the_endpoints(ours):
    """Errors in the order the tree is solved: the decorator's dependency, the parameter's
    dependency, then the endpoint's own parameters; nothing is called."""
    response = send(ours, *find("GET /listed?a=x&b=y&c=z"))
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["query", "a"],
        ["query", "b"],
        ["query", "c"],
    ]
    assert ours.events == []


def test_known_answer_response_parameter_of_a_dependency(ours):
    response = send(ours, *find("GET /special/status?code=203"))
    assert response.status_code == 203
    assert response.headers["x-from-dep"] == "dep"
    assert response.headers["set-cookie"] == "dep-cookie=yes; Max-Age=5; Path=/; SameSite=lax"
    assert ours.events == ["with_response", "endpoint special_status"]


def test_known_answer_override_set_and_cleared(ours):
    steps = [
        ("set", {"get_settings": "fake_settings"}),
        ("GET", "/overridable?mode=dev", {"headers": {"source": "hdr"}}),
        ("clear",),
        ("GET", "/overridable?mode=dev", {}),
    ]
    (_, overridden), (_, restored) = run_script(ours, steps)
    assert overridden[0] == 200
    assert json.loads(overridden[2]) == {
        "settings": {"env": "dev", "source": "hdr"},
        "env": "dev",
        "db": "real-db",
    }
    assert overridden[3] == [
        "replacement_source hdr",
        "fake_settings dev",
        "uses_settings",
        "get_db setup",
        "endpoint overridable",
        "get_db teardown",
    ]
    assert restored[0] == 200
    assert restored[3] == [
        "get_settings",
        "uses_settings",
        "get_db setup",
        "endpoint overridable",
        "get_db teardown",
    ]
