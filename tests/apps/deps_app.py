"""One app exercising dependency injection, for either framework, recording what runs and when.

``build_app(fastapi, events)`` and ``build_app(fastcore, events)`` build the same app:
everything framework-specific comes from the module passed in (and its submodules). Every
dependency, endpoint and background task appends a short string to ``events``: a call
(``"level3"``), a ``yield`` dependency's ``"<name> setup"`` / ``"<name> teardown"``, the
exception it saw at its ``yield`` (``"<name> caught HTTPException 418"``), ``"bg <name>"``
when a background task runs. Values returned are deterministic (no counters that outlive a
request), so the two apps can be compared request by request: same answer, same events.

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import asyncio
import dataclasses
import functools
import importlib
import threading
import time
from types import ModuleType, SimpleNamespace
from typing import Annotated, Any

from pydantic import BaseModel, Field
from starlette.background import BackgroundTask


class Teapot(Exception):
    """An application error with its own exception handler (a 418)."""


class QueryFilters(BaseModel):
    name: str | None = None
    size: int = Field(default=10, ge=1)


class Item(BaseModel):
    name: str
    price: float


class Owner(BaseModel):
    username: str


def submodule(fw: ModuleType, name: str) -> ModuleType:
    """``fw.security``, ``fw.responses``, ...: the same submodule of either framework."""
    return importlib.import_module(f"{fw.__name__}.{name}")


def describe(exc: BaseException) -> str:
    """How an event names an exception: class name, then status code or message."""
    status = getattr(exc, "status_code", None)
    if status is not None:
        return f"{type(exc).__name__} {status}"
    if type(exc).__name__ == "RequestValidationError":
        return "RequestValidationError"
    return f"{type(exc).__name__} {exc}"


def yielding_observer(events: list[str], name: str) -> Any:
    """A yield dependency recording its set-up, what it caught and its teardown."""

    def observer():
        events.append(f"{name} setup")
        try:
            yield name
        except Exception as exc:
            events.append(f"{name} caught {describe(exc)}")
            raise
        finally:
            events.append(f"{name} teardown")

    return observer


def maybe_fail(fw: ModuleType, fail: str, where: str) -> None:
    """Raise when ``fail`` asks for it at ``where``: ``?fail=mid:before:http`` or ``...:value``."""
    if fail == f"{where}:http":
        raise fw.HTTPException(status_code=400, detail=f"{where} failed")
    if fail == f"{where}:value":
        raise ValueError(f"{where} failed")


def build_app(fw: ModuleType, events: list[str]) -> Any:
    """The app, built with ``fw`` (``fastapi`` or ``fastcore``); only that module differs."""
    app = fw.FastAPI()
    app.state_for_tests = SimpleNamespace()  # the dependencies tests override, by name
    add_chain_routes(app, fw, events)
    add_yield_routes(app, fw, events)
    add_catch_routes(app, fw, events)
    add_cache_routes(app, fw, events)
    add_class_routes(app, fw, events)
    add_thread_routes(app, fw, events)
    add_param_routes(app, fw, events)
    add_body_routes(app, fw, events)
    add_security_routes(app, fw, events)
    add_special_routes(app, fw, events)
    add_annotated_routes(app, fw, events)
    add_override_routes(app, fw, events)
    add_concurrency_routes(app, fw, events)
    add_stream_routes(app, fw, events)
    add_handler_routes(app, fw, events)
    add_edge_routes(app, fw, events)
    layered = layered_app(fw, events)
    app.state_for_tests.layered = layered
    app.mount("/layered", layered)
    app.mount("/late", late_app(fw, events))
    return app


# --- chains --------------------------------------------------------------------------------


def add_chain_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """Four levels, alternating async and sync, each adding one to the level below."""

    async def level4(q: int = 0):
        events.append(f"level4 q={q}")
        return q

    def level3(value: int = fw.Depends(level4)):
        events.append("level3")
        return value + 1

    async def level2(
        value: int = fw.Depends(level3), x_level: str | None = fw.Header(default=None)
    ):
        events.append(f"level2 x-level={x_level}")
        return value + 1

    def level1(value: int = fw.Depends(level2)):
        events.append("level1")
        return value + 1

    @app.get("/chain")
    def chain(value: int = fw.Depends(level1)):
        events.append("endpoint chain")
        return {"value": value}

    @app.get("/chain/async")
    async def chain_async(value: int = fw.Depends(level1), again: int = fw.Depends(level3)):
        events.append("endpoint chain_async")
        return {"value": value, "again": again}

    app.state_for_tests.level4 = level4
    app.state_for_tests.level2 = level2


# --- yield dependencies: scopes, errors, teardown order -------------------------------------


def add_yield_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """``/yield/{mode}``: outer (async gen) <- mid (sync gen) <- inner (async gen) + check.

    Every piece reads ``?fail=``: ``<where>:http`` raises an HTTPException 400 there,
    ``<where>:value`` a ValueError; ``where`` is ``inner:before``, ``mid:after``, ``check``,
    ``endpoint``, ... The mode sets the scopes: ``request`` (the default everywhere),
    ``function`` (everywhere), ``mixed`` (outer function-scoped, the others default).
    """
    for mode in ("request", "function", "mixed"):
        add_yield_chain(app, fw, events, mode)


def add_yield_chain(app: Any, fw: ModuleType, events: list[str], mode: str) -> None:
    inner_scope = "function" if mode == "function" else None
    outer_scope = None if mode == "request" else "function"

    async def inner(fail: str = ""):
        events.append("inner setup")
        maybe_fail(fw, fail, "inner:before")
        try:
            yield "inner"
        except Exception as exc:
            events.append(f"inner caught {describe(exc)}")
            raise
        finally:
            events.append("inner teardown")
        maybe_fail(fw, fail, "inner:after")

    def check(fail: str = ""):
        events.append("check")
        maybe_fail(fw, fail, "check")
        return "check"

    def mid(
        fail: str = "",
        below: str = fw.Depends(inner, scope=inner_scope),
        checked: str = fw.Depends(check),
    ):
        events.append(f"mid setup ({below}, {checked})")
        maybe_fail(fw, fail, "mid:before")
        try:
            yield "mid"
        except Exception as exc:
            events.append(f"mid caught {describe(exc)}")
            raise
        finally:
            events.append("mid teardown")
        maybe_fail(fw, fail, "mid:after")

    async def outer(fail: str = "", below: str = fw.Depends(mid, scope=inner_scope)):
        events.append(f"outer setup ({below})")
        maybe_fail(fw, fail, "outer:before")
        try:
            yield "outer"
        except Exception as exc:
            events.append(f"outer caught {describe(exc)}")
            raise
        finally:
            events.append("outer teardown")
        maybe_fail(fw, fail, "outer:after")

    @app.get(f"/yield/{mode}", name=f"yield_{mode}")
    def endpoint(
        background_tasks: fw.BackgroundTasks,
        fail: str = "",
        top: str = fw.Depends(outer, scope=outer_scope),
    ):
        events.append(f"endpoint {top}")
        background_tasks.add_task(events.append, "bg endpoint")
        maybe_fail(fw, fail, "endpoint")
        return {"top": top}


def add_catch_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """``/catch/{how}/{scope}``: a yield dependency that catches what the endpoint raises.

    ``how``: ``reraise``, ``swallow`` (catches and returns), ``convert`` (raises an
    HTTPException 409 instead), ``http-only`` (catches HTTPException only, and swallows it).
    An observing yield dependency around it records what comes out. ``?fail=`` as in
    ``/yield``; ``?n=x`` makes the request invalid (a RequestValidationError at the yield).
    The catcher is an async generator, or a sync one under ``/catch/{how}/{scope}/sync``.
    """
    for scope in ("request", "function"):
        add_catch_route(app, fw, events, scope)


def caught(fw: ModuleType, events: list[str], how: str, exc: Exception) -> None:
    """What a catcher does with what it caught: re-raise, swallow or convert it."""
    events.append(f"catcher caught {describe(exc)}")
    if how == "convert":
        raise fw.HTTPException(status_code=409, detail="converted") from exc
    swallowed = ("swallow", "http-only") if isinstance(exc, fw.HTTPException) else ("swallow",)
    if how not in swallowed:
        raise exc


def add_catch_route(app: Any, fw: ModuleType, events: list[str], scope: str) -> None:
    dep_scope = None if scope == "request" else scope
    observer = yielding_observer(events, "observer")

    async def catcher(how: str, seen: str = fw.Depends(observer, scope=dep_scope)):
        events.append(f"catcher setup {how}")
        try:
            yield how
        except Exception as exc:
            caught(fw, events, how, exc)
        events.append("catcher done")

    def sync_catcher(how: str, seen: str = fw.Depends(observer, scope=dep_scope)):
        events.append(f"sync catcher setup {how}")
        try:
            yield how
        except Exception as exc:
            caught(fw, events, how, exc)
        events.append("sync catcher done")

    @app.get(f"/catch/{{how}}/{scope}", name=f"catch_{scope}")
    def endpoint(
        how: str, fail: str = "", n: int = 0, c: str = fw.Depends(catcher, scope=dep_scope)
    ):
        events.append(f"endpoint catch {how} n={n}")
        maybe_fail(fw, fail, "endpoint")
        return {"how": c}

    @app.get(f"/catch/{{how}}/{scope}/sync", name=f"catch_{scope}_sync")
    async def sync_endpoint(
        how: str, fail: str = "", n: int = 0, c: str = fw.Depends(sync_catcher, scope=dep_scope)
    ):
        events.append(f"endpoint sync catch {how} n={n}")
        maybe_fail(fw, fail, "endpoint")
        return {"how": c}


# --- the per-request cache ----------------------------------------------------------------


def add_cache_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    def shared():
        value = f"shared#{len(events)}"
        events.append(value)
        return value

    def left(s: str = fw.Depends(shared)):
        events.append(f"left({s})")
        return s

    async def right(s: str = fw.Depends(shared)):
        events.append(f"right({s})")
        return s

    def left_fresh(s: str = fw.Depends(shared, use_cache=False)):
        events.append(f"left_fresh({s})")
        return s

    @app.get("/diamond")
    def diamond(a: str = fw.Depends(left), b: str = fw.Depends(right), s: str = fw.Depends(shared)):
        events.append("endpoint diamond")
        return [a, b, s]

    @app.get("/diamond/fresh-first")
    def fresh_first(a: str = fw.Depends(left_fresh), b: str = fw.Depends(right)):
        events.append("endpoint fresh_first")
        return [a, b]

    @app.get("/diamond/fresh-last")
    def fresh_last(
        b: str = fw.Depends(right),
        a: str = fw.Depends(left_fresh),
        s: str = fw.Depends(shared, use_cache=False),
    ):
        events.append("endpoint fresh_last")
        return [b, a, s]

    async def session(name: str = "db"):
        token = f"{name}#{len(events)}"
        events.append(f"session setup {token}")
        try:
            yield token
        finally:
            events.append(f"session teardown {token}")

    def repository(db: str = fw.Depends(session)):
        events.append(f"repository({db})")
        return db

    @app.get("/cache/yield")
    def cache_yield(
        repo: str = fw.Depends(repository),
        db: str = fw.Depends(session),
        fresh: str = fw.Depends(session, use_cache=False),
        fresh_too: str = fw.Depends(session, use_cache=False),
    ):
        events.append("endpoint cache_yield")
        return [repo, db, fresh, fresh_too]

    @app.get("/cache/scopes-plain")
    def cache_scopes_plain(
        a: str = fw.Depends(shared),
        b: str = fw.Depends(shared, scope="function"),
        c: str = fw.Depends(shared, scope="request"),
    ):
        events.append("endpoint cache_scopes_plain")
        return [a, b, c]

    @app.get("/cache/scopes")
    def cache_scopes(
        a: str = fw.Depends(session),
        b: str = fw.Depends(session, scope="function"),
        c: str = fw.Depends(session, scope="request"),
    ):
        events.append("endpoint cache_scopes")
        return [a, b, c]


# --- classes, callable instances, partials ------------------------------------------------


def add_class_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    class Paginator:
        def __init__(self, skip: int = 0, limit: int = fw.Query(default=10, le=100)):
            events.append(f"Paginator skip={skip} limit={limit}")
            self.skip, self.limit = skip, limit

    class Checker:
        def __init__(self, word: str) -> None:
            self.word = word

        def __call__(self, q: str = "") -> bool:
            events.append(f"Checker({self.word}) sync")
            return self.word in q

    class AsyncChecker:
        def __init__(self, word: str) -> None:
            self.word = word

        async def __call__(self, q: str = "") -> bool:
            events.append(f"AsyncChecker({self.word}) async")
            return self.word in q

    class GenResource:
        def __call__(self, q: str = ""):
            events.append("GenResource setup")
            yield len(q)
            events.append("GenResource teardown")

    class AsyncGenResource:
        async def __call__(self):
            events.append("AsyncGenResource setup")
            yield "agen"
            events.append("AsyncGenResource teardown")

    class Service:
        def __init__(self, prefix: str) -> None:
            self.prefix = prefix

        def lookup(self, key: str = "k") -> str:
            events.append(f"Service.lookup {key}")
            return self.prefix + key

    @dataclasses.dataclass
    class Filters:
        tag: str = "none"
        strict: bool = False

    def labelled(label: str, x: int = 0) -> str:
        events.append(f"labelled {label} x={x}")
        return f"{label}{x}"

    @app.get("/classes")
    def classes(
        p: Annotated[Paginator, fw.Depends()],
        p2: Paginator = fw.Depends(),
        p3: Any = fw.Depends(Paginator),
        foo: bool = fw.Depends(Checker("foo")),
        bar: bool = fw.Depends(AsyncChecker("bar")),
    ):
        events.append("endpoint classes")
        return {
            "skip": p.skip,
            "limit": p.limit,
            "same": p is p2 and p is p3,
            "foo": foo,
            "bar": bar,
        }

    @app.get("/classes/generators")
    def generators(
        size: int = fw.Depends(GenResource()), agen: str = fw.Depends(AsyncGenResource())
    ):
        events.append("endpoint generators")
        return [size, agen]

    service = Service("svc:")

    @app.get("/classes/others")
    async def others(
        found: str = fw.Depends(service.lookup),
        filters: Filters = fw.Depends(),
        label: str = fw.Depends(functools.partial(labelled, "part")),
    ):
        events.append("endpoint others")
        return {"found": found, "filters": dataclasses.asdict(filters), "label": label}

    app.state_for_tests.Paginator = Paginator


# --- where dependencies run: sync ones in the thread pool ---------------------------------


def add_thread_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """Each dependency records whether it ran on the event loop's thread."""

    async def loop_thread():
        return threading.get_ident()

    def sync_dep(loop: int = fw.Depends(loop_thread)):
        events.append(f"sync_dep on loop thread: {threading.get_ident() == loop}")

    async def async_dep(loop: int = fw.Depends(loop_thread)):
        events.append(f"async_dep on loop thread: {threading.get_ident() == loop}")

    def sync_gen(loop: int = fw.Depends(loop_thread)):
        events.append(f"sync_gen setup on loop thread: {threading.get_ident() == loop}")
        yield
        events.append(f"sync_gen teardown on loop thread: {threading.get_ident() == loop}")

    async def async_gen(loop: int = fw.Depends(loop_thread)):
        events.append(f"async_gen setup on loop thread: {threading.get_ident() == loop}")
        yield
        events.append(f"async_gen teardown on loop thread: {threading.get_ident() == loop}")

    class SyncCall:
        def __call__(self, loop: int = fw.Depends(loop_thread)):
            events.append(f"SyncCall on loop thread: {threading.get_ident() == loop}")

    class AsyncCall:
        async def __call__(self, loop: int = fw.Depends(loop_thread)):
            events.append(f"AsyncCall on loop thread: {threading.get_ident() == loop}")

    @app.get(
        "/threads",
        dependencies=[
            fw.Depends(sync_dep),
            fw.Depends(async_dep),
            fw.Depends(sync_gen),
            fw.Depends(async_gen),
            fw.Depends(SyncCall()),
            fw.Depends(AsyncCall()),
        ],
    )
    async def threads(loop: int = fw.Depends(loop_thread)):
        events.append(f"async endpoint on loop thread: {threading.get_ident() == loop}")


# --- parameters of dependencies -----------------------------------------------------------


def add_param_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    def path_dep(item_id: int):
        events.append(f"path_dep {item_id}")
        return item_id

    def query_dep(q: int, flag: bool = False):
        events.append(f"query_dep {q} {flag}")
        return q

    async def header_dep(x_token: str = fw.Header(), x_count: int = fw.Header(default=1)):
        events.append(f"header_dep {x_token} {x_count}")
        return x_token

    def cookie_dep(session: str = fw.Cookie(min_length=3)):
        events.append(f"cookie_dep {session}")
        return session

    def nested_query(size: int = fw.Query(default=1, ge=1), below: int = fw.Depends(query_dep)):
        events.append(f"nested_query {size} {below}")
        return size

    @app.get("/params/{item_id}")
    def params(
        item_id: int,
        limit: int = 10,
        a: int = fw.Depends(path_dep),
        b: int = fw.Depends(query_dep),
        c: str = fw.Depends(header_dep),
        d: str = fw.Depends(cookie_dep),
        e: int = fw.Depends(nested_query),
        x_token: str | None = fw.Header(default=None),
    ):
        events.append("endpoint params")
        return {"item_id": item_id, "limit": limit, "values": [a, b, c, d, e], "x_token": x_token}

    def strict(n: int):
        events.append(f"strict {n}")
        return n

    def forbid():
        events.append("forbid")
        raise fw.HTTPException(status_code=403, detail="forbidden", headers={"x-why": "forbid"})

    def uses_strict(value: int = fw.Depends(strict), m: int = 0):
        events.append(f"uses_strict {value} {m}")
        return value

    @app.get("/strict/twice")
    def strict_twice(a: int = fw.Depends(strict), b: int = fw.Depends(strict)):
        events.append("endpoint strict_twice")
        return [a, b]

    @app.get("/strict/uncached")
    def strict_uncached(a: int = fw.Depends(strict), b: int = fw.Depends(strict, use_cache=False)):
        events.append("endpoint strict_uncached")
        return [a, b]

    @app.get("/strict/nested")
    def strict_nested(
        m: int, a: int = fw.Depends(uses_strict), b: int = fw.Depends(strict), k: int = 0
    ):
        events.append("endpoint strict_nested")
        return [m, a, b, k]

    @app.get("/strict/then-forbid")
    def strict_then_forbid(a: int = fw.Depends(strict), b: None = fw.Depends(forbid)):
        events.append("endpoint strict_then_forbid")
        return a

    def yield_then(n: int = 0):
        events.append(f"yield_then setup {n}")
        try:
            yield n
        except Exception as exc:
            events.append(f"yield_then caught {describe(exc)}")
            raise
        finally:
            events.append("yield_then teardown")

    @app.get("/strict/with-yield")
    def strict_with_yield(y: int = fw.Depends(yield_then), a: int = fw.Depends(strict), k: int = 0):
        events.append("endpoint strict_with_yield")
        return [y, a, k]

    def needs_a(a: int):
        events.append(f"needs_a {a}")

    async def needs_b(b: int):
        events.append(f"needs_b {b}")

    @app.get("/listed", dependencies=[fw.Depends(needs_a)])
    def listed(c: int, b: None = fw.Depends(needs_b)):
        events.append(f"endpoint listed {c}")
        return c

    app.state_for_tests.strict = strict


def add_body_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    def item_dep(item: Item):
        events.append(f"item_dep {item.name}")
        return item

    def other_item_dep(item: Item):
        events.append(f"other_item_dep {item.name}")
        return item

    async def owner_dep(owner: Owner):
        events.append(f"owner_dep {owner.username}")
        return owner

    def note_dep(note: str = fw.Body(embed=True)):
        events.append(f"note_dep {note}")
        return note

    def form_dep(username: str = fw.Form(), remember: bool = fw.Form(default=False)):
        events.append(f"form_dep {username} {remember}")
        return username

    def count_dep(count: int):
        events.append(f"count_dep {count}")
        return count

    @app.post("/body/single")
    def body_single(item: Item = fw.Depends(item_dep)):
        events.append("endpoint body_single")
        return item

    @app.post("/body/same-name")
    def body_same_name(a: Item = fw.Depends(item_dep), b: Item = fw.Depends(other_item_dep)):
        events.append("endpoint body_same_name")
        return [a, b]

    @app.post("/body/two")
    def body_two(item: Item = fw.Depends(item_dep), owner: Owner = fw.Depends(owner_dep)):
        events.append("endpoint body_two")
        return {"item": item, "owner": owner}

    @app.post("/body/dep-and-endpoint")
    def body_dep_and_endpoint(
        item: Item = fw.Depends(item_dep),
        count: int = fw.Depends(count_dep),
        tag: str = fw.Body(),
    ):
        events.append("endpoint body_dep_and_endpoint")
        return {"item": item, "count": count, "tag": tag}

    @app.post("/body/embedded")
    def body_embedded(note: str = fw.Depends(note_dep)):
        events.append("endpoint body_embedded")
        return {"note": note}

    @app.post("/body/form")
    def body_form(username: str = fw.Depends(form_dep)):
        events.append("endpoint body_form")
        return {"username": username}


# --- dependencies=[...] at every level ----------------------------------------------------


def layered_app(fw: ModuleType, events: list[str]) -> Any:
    """A sub-app with dependencies on the app, two routers, two include_router calls, the
    decorators and the parameters; each records its name. ``?stop=<name>`` makes that one
    raise an HTTPException 401."""

    def tag(name: str, yields: bool = False):
        if yields:

            def yielding(stop: str = ""):
                events.append(f"{name} setup")
                if stop == name:
                    raise fw.HTTPException(status_code=401, detail=f"{name} stopped")
                try:
                    yield name
                except Exception as exc:
                    events.append(f"{name} caught {describe(exc)}")
                    raise
                finally:
                    events.append(f"{name} teardown")

            return yielding

        def recording(stop: str = ""):
            events.append(name)
            if stop == name:
                raise fw.HTTPException(status_code=401, detail=f"{name} stopped")
            return name

        return recording

    shared = tag("shared")
    app_dependency = tag("app", yields=True)
    sub = fw.FastAPI(dependencies=[fw.Depends(app_dependency)])
    outer = fw.APIRouter(prefix="/outer", dependencies=[fw.Depends(tag("outer-router"))])
    inner = fw.APIRouter(
        prefix="/inner", dependencies=[fw.Depends(tag("inner-router", yields=True))]
    )

    @inner.get(
        "/route",
        dependencies=[fw.Depends(tag("decorator-1")), fw.Depends(tag("decorator-2", True))],
    )
    def inner_route(value: str = fw.Depends(tag("param")), again: str = fw.Depends(shared)):
        events.append("endpoint inner_route")
        return [value, again]

    @inner.get("/shared", dependencies=[fw.Depends(shared)])
    def inner_shared(again: str = fw.Depends(shared)):
        events.append("endpoint inner_shared")
        return again

    @inner.get("/failing")
    def inner_failing():
        events.append("endpoint inner_failing")
        raise fw.HTTPException(status_code=418, detail="inner failing")

    outer.include_router(inner, dependencies=[fw.Depends(tag("include-inner"))])

    @outer.get("/route", dependencies=[fw.Depends(tag("decorator"))])
    async def outer_route():
        events.append("endpoint outer_route")
        return "outer"

    sub.include_router(outer, dependencies=[fw.Depends(tag("include-outer", yields=True))])

    def replacement(stop: str = "", n: int = 0):
        events.append(f"replacement n={n}")
        return "replaced"

    def app_replacement():
        events.append("app_replacement")

    sub.state_for_tests = SimpleNamespace(
        shared=shared,
        app_dependency=app_dependency,
        replacement=replacement,
        app_replacement=app_replacement,
    )

    @sub.get("/direct", dependencies=[fw.Depends(tag("decorator"))])
    def direct():
        events.append("endpoint direct")
        return "direct"

    return sub


def late_app(fw: ModuleType, events: list[str]) -> Any:
    """Dependency lists changed after routes were added or a router was included."""

    def recorder(name: str):
        def record():
            events.append(name)

        return record

    sub = fw.FastAPI()
    router = fw.APIRouter(prefix="/router", dependencies=[fw.Depends(recorder("router"))])

    @router.get("/early")
    def early():
        events.append("endpoint early")
        return "early"

    sub.include_router(router, dependencies=[fw.Depends(recorder("include"))])
    router.dependencies.append(fw.Depends(recorder("router appended")))
    sub.router.dependencies.append(fw.Depends(recorder("app appended")))

    @router.get("/after-include")
    def after_include():
        events.append("endpoint after_include")
        return "after-include"

    @sub.get("/app-route")
    def app_route():
        events.append("endpoint app_route")
        return "app-route"

    return sub


# --- Security and SecurityScopes ----------------------------------------------------------


def add_security_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    SecurityScopes = submodule(fw, "security").SecurityScopes

    def token(security_scopes: SecurityScopes, authorization: str | None = fw.Header(None)):
        events.append(f"token {security_scopes.scopes} {security_scopes.scope_str!r}")
        if authorization == "none":
            raise fw.HTTPException(
                status_code=401,
                detail="Not authenticated",
                headers={"WWW-Authenticate": f'Bearer scope="{security_scopes.scope_str}"'},
            )
        return authorization or "anonymous"

    def user(security_scopes: SecurityScopes, t: str = fw.Security(token, scopes=["me"])):
        events.append(f"user {security_scopes.scopes}")
        return t

    def plain(security_scopes: SecurityScopes, t: str = fw.Depends(token)):
        events.append(f"plain {security_scopes.scopes}")
        return t

    def via_depends(u: str = fw.Depends(user)):
        events.append("via_depends")
        return u

    @app.get("/security/items", dependencies=[fw.Security(user, scopes=["admin"])])
    def items(
        security_scopes: SecurityScopes,
        u: str = fw.Security(user, scopes=["items"]),
        p: str = fw.Depends(plain),
        t: str = fw.Depends(token),
    ):
        events.append(f"endpoint items {security_scopes.scopes}")
        return [u, p, t]

    @app.get("/security/deep")
    def deep(v: str = fw.Security(via_depends, scopes=["read", "write"])):
        events.append("endpoint deep")
        return v

    @app.get("/security/repeated")
    def repeated(
        a: str = fw.Security(token, scopes=["x", "y"]),
        b: str = fw.Security(token, scopes=["x", "y"]),
        c: str = fw.Security(token, scopes=["y", "x"]),
        d: str = fw.Security(token, scopes=["x"]),
        e: str = fw.Depends(token),
    ):
        events.append("endpoint repeated")
        return [a, b, c, d, e]

    router = fw.APIRouter(
        prefix="/security/router", dependencies=[fw.Security(user, scopes=["router"])]
    )

    @router.get("/route")
    def routed(u: Annotated[str, fw.Security(user, scopes=["route"])]):
        events.append("endpoint routed")
        return u

    app.include_router(router, dependencies=[fw.Security(token, scopes=["include"])])
    app.state_for_tests.token = token


# --- Request, Response, BackgroundTasks, HTTPConnection in dependencies ------------------


def add_special_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    HTTPConnection = submodule(fw, "requests").HTTPConnection
    JSONResponse = submodule(fw, "responses").JSONResponse
    seen: dict[str, Any] = {}

    def with_request(request: fw.Request):
        events.append(f"with_request {request.method} {request.url.path}")
        seen["request"] = request
        return request.query_params.get("q", "")

    async def with_body(request: fw.Request):
        body = await request.body()
        events.append(f"with_body {len(body)} bytes")
        return len(body)

    def with_connection(conn: HTTPConnection):
        events.append(f"with_connection {conn.url.path}")
        return conn.headers.get("x-conn", "")

    def with_response(response: fw.Response, code: int | None = None):
        events.append("with_response")
        response.headers["x-from-dep"] = "dep"
        response.set_cookie("dep-cookie", "yes", max_age=5)
        if code is not None:
            response.status_code = code
        seen["response"] = response
        return "response"

    def with_tasks(background_tasks: fw.BackgroundTasks, task: str = "dep"):
        events.append("with_tasks")
        background_tasks.add_task(events.append, f"bg {task}")
        seen["tasks"] = background_tasks
        return task

    async def async_tasks(tasks: fw.BackgroundTasks):
        events.append("async_tasks")

        async def later():
            events.append("bg async")

        tasks.add_task(later)
        return tasks

    def yield_tasks(tasks: fw.BackgroundTasks):
        events.append("yield_tasks setup")
        tasks.add_task(events.append, "bg yield")
        yield
        events.append("yield_tasks teardown")

    @app.get("/special")
    def special(
        request: fw.Request,
        response: fw.Response,
        background_tasks: fw.BackgroundTasks,
        q: str = fw.Depends(with_request),
        conn: str = fw.Depends(with_connection),
        r: str = fw.Depends(with_response),
        t: str = fw.Depends(with_tasks),
        a: Any = fw.Depends(async_tasks),
        y: None = fw.Depends(yield_tasks),
        fail: str = "",
    ):
        events.append("endpoint special")
        background_tasks.add_task(events.append, "bg endpoint")
        response.headers["x-from-endpoint"] = "endpoint"
        same = [
            seen.pop("request") is request,
            seen.pop("response") is response,
            seen.pop("tasks") is background_tasks,
            a is background_tasks,
        ]
        maybe_fail(fw, fail, "endpoint")
        return {"q": q, "conn": conn, "r": r, "t": t, "same": same}

    @app.get("/special/status", status_code=201)
    def special_status(r: str = fw.Depends(with_response)):
        events.append("endpoint special_status")
        return r

    @app.post("/special/body")
    async def special_body(size: int = fw.Depends(with_body), item: Item | None = None):
        events.append("endpoint special_body")
        return {"size": size, "item": item}

    @app.get("/special/own-response")
    def own_response(
        r: str = fw.Depends(with_response), t: str = fw.Depends(with_tasks), own_task: bool = False
    ):
        events.append("endpoint own_response")
        task = BackgroundTask(events.append, "bg own") if own_task else None
        return JSONResponse({"r": r, "t": t}, headers={"x-own": "own"}, background=task)

    def response_then_fail(response: fw.Response):
        response.headers["x-lost"] = "lost"
        events.append("response_then_fail")
        raise fw.HTTPException(status_code=409, detail="after setting a header")

    def late_changes(scope_name: str):
        def dependency(response: fw.Response, background_tasks: fw.BackgroundTasks):
            events.append(f"late_changes {scope_name} setup")
            response.headers["x-before-yield"] = scope_name
            yield
            events.append(f"late_changes {scope_name} teardown")
            response.headers["x-after-yield"] = scope_name
            response.status_code = 299
            background_tasks.add_task(events.append, f"bg added in {scope_name} teardown")

        return dependency

    @app.get("/special/after-yield")
    def after_yield(
        background_tasks: fw.BackgroundTasks,
        f: None = fw.Depends(late_changes("function"), scope="function"),
        r: None = fw.Depends(late_changes("request")),
    ):
        events.append("endpoint after_yield")
        background_tasks.add_task(events.append, "bg endpoint")
        return "after-yield"

    @app.get("/special/lost-header")
    def lost_header(r: str = fw.Depends(with_response), f: None = fw.Depends(response_then_fail)):
        events.append("endpoint lost_header")
        return r


# --- Annotated aliases --------------------------------------------------------------------


def add_annotated_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    def common(q: str | None = None, skip: int = 0, limit: int = 100):
        events.append(f"common q={q} skip={skip} limit={limit}")
        return {"q": q, "skip": skip, "limit": limit}

    CommonDep = Annotated[dict, fw.Depends(common)]

    async def current_user(commons: CommonDep, x_user: Annotated[str, fw.Header()] = "guest"):
        events.append(f"current_user {x_user}")
        return {"user": x_user, "q": commons["q"]}

    UserDep = Annotated[dict, fw.Depends(current_user)]
    FreshCommon = Annotated[dict, fw.Depends(common, use_cache=False)]

    @app.get("/annotated")
    def annotated(commons: CommonDep, user: UserDep):
        events.append("endpoint annotated")
        return {"commons": commons, "user": user}

    @app.get("/annotated/fresh")
    async def annotated_fresh(a: CommonDep, b: FreshCommon, c: CommonDep):
        events.append("endpoint annotated_fresh")
        return [a, b, c]

    @app.get("/annotated/nested-list", dependencies=[fw.Depends(common)])
    def annotated_list(user: UserDep, extra: Annotated[int, fw.Query(ge=0)] = 0):
        events.append("endpoint annotated_list")
        return {"user": user, "extra": extra}


# --- dependency_overrides -----------------------------------------------------------------


def add_override_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    def get_settings():
        events.append("get_settings")
        return {"env": "prod"}

    def get_db():
        events.append("get_db setup")
        yield "real-db"
        events.append("get_db teardown")

    def router_guard():
        events.append("router_guard")

    def uses_settings(settings: dict = fw.Depends(get_settings)):
        events.append("uses_settings")
        return settings["env"]

    @app.get("/overridable")
    def overridable(
        settings: dict = fw.Depends(get_settings),
        env: str = fw.Depends(uses_settings),
        db: str = fw.Depends(get_db),
    ):
        events.append("endpoint overridable")
        return {"settings": settings, "env": env, "db": db}

    router = fw.APIRouter(dependencies=[fw.Depends(router_guard)])

    @router.get("/overridable/guarded")
    def guarded(db: Annotated[str, fw.Depends(get_db)]):
        events.append("endpoint guarded")
        return db

    app.include_router(router)

    @app.get("/overridable/scoped")
    def scoped(
        background_tasks: fw.BackgroundTasks,
        db: str = fw.Depends(get_db, scope="function"),
        again: str = fw.Depends(get_db, scope="function", use_cache=False),
        settings: dict = fw.Depends(get_settings, use_cache=False),
        settings_again: dict = fw.Depends(get_settings, use_cache=False),
    ):
        events.append("endpoint scoped")
        background_tasks.add_task(events.append, "bg scoped")
        return [db, again, settings, settings_again]

    # Replacements, with other signatures: parameters and sub-dependencies of their own.
    def replacement_source(source: str = fw.Header(default="header-default")):
        events.append(f"replacement_source {source}")
        return source

    async def fake_settings(
        mode: str = fw.Query(default="test"), source: str = fw.Depends(replacement_source)
    ):
        events.append(f"fake_settings {mode}")
        return {"env": mode, "source": source}

    async def fake_db(limit: int):
        events.append(f"fake_db setup {limit}")
        try:
            yield f"fake-db/{limit}"
        finally:
            events.append("fake_db teardown")

    def plain_db():
        events.append("plain_db")
        return "plain-db"

    def denying_guard():
        events.append("denying_guard")
        raise fw.HTTPException(status_code=403, detail="denied by override")

    def fixed_level(q: str = "override"):
        events.append(f"fixed_level {q}")
        return 100

    def lenient(n: str = "none"):
        events.append(f"lenient {n}")
        return -1

    def fake_token(security_scopes: submodule(fw, "security").SecurityScopes):
        events.append(f"fake_token {security_scopes.scopes}")
        return "fake-token"

    def source_from_query(source: str = "query-default"):
        events.append(f"source_from_query {source}")
        return f"query:{source}"

    state = app.state_for_tests
    state.source_from_query = source_from_query

    def paginator_function(page: int = 1):
        events.append(f"paginator_function page={page}")
        return SimpleNamespace(skip=page * 10, limit=10)

    state = app.state_for_tests
    state.get_settings, state.get_db, state.router_guard = get_settings, get_db, router_guard
    state.fake_settings, state.fake_db, state.plain_db = fake_settings, fake_db, plain_db
    state.denying_guard, state.fixed_level, state.lenient = denying_guard, fixed_level, lenient
    state.fake_token, state.paginator_function = fake_token, paginator_function
    state.replacement_source = replacement_source


# --- max_concurrency ----------------------------------------------------------------------


def add_concurrency_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """Sync and async dependencies limited to one call at a time: overlapping requests must
    not overlap inside them (their enter/exit events alternate)."""

    def slow_sync(tag: str = ""):
        events.append(f"slow_sync enter {tag}")
        time.sleep(0.05)
        events.append(f"slow_sync exit {tag}")
        return tag

    async def slow_async(tag: str = ""):
        events.append(f"slow_async enter {tag}")
        await asyncio.sleep(0.05)
        events.append(f"slow_async exit {tag}")
        return tag

    async def slow_yield(tag: str = ""):
        events.append(f"slow_yield enter {tag}")
        yield tag
        await asyncio.sleep(0.05)
        events.append(f"slow_yield exit {tag}")

    barrier = threading.Barrier(2, timeout=5)

    def meeting(tag: str = ""):
        # Both requests must be inside at once to get past the barrier: no limit here.
        events.append(f"meeting {tag}")
        barrier.wait()
        return tag

    OneAtATime = Annotated[str, fw.Depends(slow_sync, max_concurrency=1)]

    @app.get("/limited/sync")
    def limited_sync(value: OneAtATime):
        events.append(f"endpoint limited_sync {value}")
        return value

    @app.get("/limited/sync-alias")
    async def limited_sync_alias(value: OneAtATime):
        events.append(f"endpoint limited_sync_alias {value}")
        return value

    @app.get("/limited/twice")
    def limited_twice(a: OneAtATime, b: OneAtATime):
        # Reusing the cached value is not another call: no waiting for oneself.
        events.append(f"endpoint limited_twice {a} {b}")
        return [a, b]

    @app.get("/limited/twice-uncached")
    def limited_twice_uncached(
        a: OneAtATime, b: str = fw.Depends(slow_sync, use_cache=False, max_concurrency=1)
    ):
        events.append(f"endpoint limited_twice_uncached {a} {b}")
        return [a, b]

    @app.get("/limited/async")
    async def limited_async(value: str = fw.Depends(slow_async, max_concurrency=1)):
        events.append(f"endpoint limited_async {value}")
        return value

    @app.get("/limited/yield")
    async def limited_yield(value: str = fw.Depends(slow_yield, max_concurrency=1)):
        events.append(f"endpoint limited_yield {value}")
        return value

    @app.get("/limited/wide")
    def limited_wide(value: str = fw.Depends(meeting, max_concurrency=2)):
        events.append(f"endpoint limited_wide {value}")
        return value

    state = app.state_for_tests
    state.barrier = barrier


# --- streaming responses, exception handlers, odd shapes ----------------------------------


def add_stream_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """A streamed body: function-scoped teardown before the first chunk, request-scoped
    after the last one."""
    StreamingResponse = submodule(fw, "responses").StreamingResponse

    def resource(name: str, scope: str | None):
        def dependency():
            events.append(f"{name} setup")
            try:
                yield name
            except Exception as exc:
                events.append(f"{name} caught {describe(exc)}")
                raise
            finally:
                events.append(f"{name} teardown")

        return fw.Depends(dependency, scope=scope)

    @app.get("/stream")
    def stream(
        background_tasks: fw.BackgroundTasks,
        fn: str = resource("fn-resource", "function"),
        req: str = resource("req-resource", None),
        fail: str = "",
    ):
        events.append("endpoint stream")
        background_tasks.add_task(events.append, "bg stream")

        def chunks():
            for number in range(3):
                events.append(f"chunk {number}")
                if fail == "chunk" and number == 1:
                    raise ValueError("chunk failed")
                yield f"{number};".encode()

        return StreamingResponse(chunks(), media_type="text/plain")


def add_handler_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    """``Teapot`` has an exception handler; raised from everywhere a dependency can."""
    JSONResponse = submodule(fw, "responses").JSONResponse

    @app.exception_handler(Teapot)
    async def teapot_handler(request: Any, exc: Teapot):
        events.append(f"teapot handler {exc}")
        return JSONResponse({"teapot": str(exc)}, status_code=418)

    def watcher(fail: str = ""):
        events.append("watcher setup")
        if fail == "watcher:before":
            raise Teapot("watcher:before")
        try:
            yield
        except Exception as exc:
            events.append(f"watcher caught {describe(exc)}")
            raise
        events.append("watcher teardown")
        if fail == "watcher:after":
            raise Teapot("watcher:after")

    async def brewing(fail: str = ""):
        events.append("brewing")
        if fail == "brewing":
            raise Teapot("brewing")

    for scope in ("request", "function"):
        add_teapot_route(app, fw, events, scope, watcher, brewing)

    def two_yields():
        events.append("two_yields first")
        yield 1
        events.append("two_yields second")
        yield 2

    def never_yields(stop: bool = True):
        events.append("never_yields")
        if stop:
            return
        yield "unreachable"

    @app.get("/generator/two-yields")
    def generator_two_yields(value: int = fw.Depends(two_yields, scope="function")):
        events.append("endpoint generator_two_yields")
        return value

    @app.get("/generator/two-yields-request")
    def generator_two_yields_request(value: int = fw.Depends(two_yields)):
        events.append("endpoint generator_two_yields_request")
        return value

    @app.get("/generator/never-yields")
    def generator_never_yields(value: str = fw.Depends(never_yields)):
        events.append("endpoint generator_never_yields")
        return value

    def bg_resource():
        events.append("bg_resource setup")
        try:
            yield
        except Exception as exc:
            events.append(f"bg_resource caught {describe(exc)}")
            raise
        finally:
            events.append("bg_resource teardown")

    def failing_task():
        events.append("bg failing")
        raise ValueError("task failed")

    @app.get("/bg/fails")
    def bg_fails(background_tasks: fw.BackgroundTasks, r: None = fw.Depends(bg_resource)):
        events.append("endpoint bg_fails")
        background_tasks.add_task(events.append, "bg first")
        background_tasks.add_task(failing_task)
        background_tasks.add_task(events.append, "bg never")
        return "queued"


def add_teapot_route(
    app: Any, fw: ModuleType, events: list[str], scope: str, watcher: Any, brewing: Any
) -> None:
    dep_scope = None if scope == "request" else scope

    @app.get(f"/teapot/{scope}", name=f"teapot_{scope}")
    def teapot(
        fail: str = "",
        w: None = fw.Depends(watcher, scope=dep_scope),
        b: None = fw.Depends(brewing),
    ):
        events.append("endpoint teapot")
        if fail == "endpoint":
            raise Teapot("endpoint")
        return "tea"


def add_edge_routes(app: Any, fw: ModuleType, events: list[str]) -> None:
    Request = fw.Request
    StarletteRequest = importlib.import_module("starlette.requests").Request

    def names_not_types(request: str = "r", response: int = 0, background_tasks=None):
        events.append(f"names_not_types {request} {response} {background_tasks}")
        return [request, response, background_tasks]

    def starlette_request(req: StarletteRequest):
        events.append(f"starlette_request {req.url.path}")
        return req.method

    @app.get("/edge/names")
    def edge_names(
        values: list = fw.Depends(names_not_types),
        method: str = fw.Depends(starlette_request),
        request: Request = None,
    ):
        events.append(f"endpoint edge_names {request is not None}")
        return {"values": values, "method": method}

    def filters_dep(filters: Annotated[QueryFilters, fw.Depends()]):
        events.append(f"filters_dep {filters.name} {filters.size}")
        return filters

    @app.get("/edge/model-class")
    def edge_model_class(
        filters: Annotated[QueryFilters, fw.Depends()],
        again: QueryFilters = fw.Depends(filters_dep),
    ):
        events.append("endpoint edge_model_class")
        return {"filters": filters, "same": filters is again}

    def path_only(item_id: int, tags: list[str] = fw.Query(default=[])):
        events.append(f"path_only {item_id} {tags}")
        return item_id

    def aliased(
        item_query: str = fw.Query(default="none", alias="item-query"),
        token: str = fw.Header(default="none", convert_underscores=False, alias="x_raw"),
    ):
        events.append(f"aliased {item_query} {token}")
        return item_query

    def q_as_int(q: int = 0):
        events.append(f"q_as_int {q}")
        return q

    @app.get("/edge/path-in-dep/{item_id}")
    def edge_path_in_dep(
        got: int = fw.Depends(path_only),
        alias: str = fw.Depends(aliased),
        number: int = fw.Depends(q_as_int),
        q: str = "text",
    ):
        events.append(f"endpoint edge_path_in_dep {q}")
        return [got, alias, number, q]

    class Factory:
        @classmethod
        def build(cls, size: int = 1):
            events.append(f"Factory.build {size}")
            return size

        @staticmethod
        def static(size: int = 2):
            events.append(f"Factory.static {size}")
            return size

    async def async_labelled(label: str, x: int = 0):
        events.append(f"async_labelled {label} {x}")
        return f"{label}{x}"

    def gen_labelled(label: str):
        events.append(f"gen_labelled {label} setup")
        yield label
        events.append(f"gen_labelled {label} teardown")

    @app.get("/edge/callables")
    async def edge_callables(
        built: int = fw.Depends(Factory.build),
        static: int = fw.Depends(Factory.static),
        partial_async: str = fw.Depends(functools.partial(async_labelled, "a")),
        partial_gen: str = fw.Depends(functools.partial(gen_labelled, "g")),
        lambda_value: int = fw.Depends(lambda: 7),
    ):
        events.append("endpoint edge_callables")
        return [built, static, partial_async, partial_gen, lambda_value]

    def returns_none():
        events.append("returns_none")

    @app.get("/edge/none-values", response_model=None)
    def edge_none(value: None = fw.Depends(returns_none), again: Any = fw.Depends(returns_none)):
        events.append("endpoint edge_none")
        return {"value": value, "again": again}

    def common_value():
        events.append("common_value")
        return "common"

    def other_value():
        events.append("other_value")
        return "other"

    Common = Annotated[str, fw.Depends(common_value)]

    @app.get("/edge/annotated-mixed")
    def edge_annotated_mixed(
        realiased: Annotated[Common, fw.Depends(other_value)],
        query_first: Annotated[str, fw.Query(), fw.Depends(common_value)],
        depends_first: Annotated[str, fw.Depends(other_value), fw.Query()],
        both: Annotated[str, fw.Depends(common_value), fw.Depends(other_value)],
        with_default: Annotated[str, fw.Depends(common_value)] = "default",
    ):
        events.append("endpoint edge_annotated_mixed")
        return [realiased, query_first, depends_first, both, with_default]

    class Service:
        def __init__(
            self, c: Annotated[str, fw.Depends(common_value)], size: int = fw.Query(1, ge=1)
        ):
            events.append(f"Service {c} {size}")
            self.size = size

    @dataclasses.dataclass
    class Options:
        size: int = fw.Query(1, ge=1)
        c: str = fw.Depends(other_value)

    @app.get("/edge/constructors")
    def edge_constructors(
        service: Annotated[Service, fw.Depends()], options: Annotated[Options, fw.Depends()]
    ):
        events.append("endpoint edge_constructors")
        return [service.size, dataclasses.asdict(options)]

    RequestValidationError = submodule(fw, "exceptions").RequestValidationError

    def raises_validation_error(x: str = ""):
        events.append("raises_validation_error")
        if x == "bad":
            error = {"type": "custom", "loc": ("query", "x"), "msg": "bad x", "input": x}
            raise RequestValidationError([error])
        return x

    @app.get("/edge/raised-validation-error")
    def edge_raised(
        y: None = fw.Depends(yielding_observer(events, "rve-observer")),
        x: str = fw.Depends(raises_validation_error),
    ):
        events.append("endpoint edge_raised")
        return x

    def cached_below():
        events.append("cached_below")
        return 1

    def fresh_above(value: int = fw.Depends(cached_below)):
        events.append("fresh_above")
        return value

    @app.get("/edge/fresh-tree", dependencies=[fw.Depends(fresh_above, use_cache=False)])
    def edge_fresh_tree(
        a: int = fw.Depends(fresh_above),
        b: int = fw.Depends(fresh_above, use_cache=False),
        c: int = fw.Depends(cached_below),
    ):
        events.append("endpoint edge_fresh_tree")
        return [a, b, c]

    def security_uncached(security_scopes: submodule(fw, "security").SecurityScopes):
        events.append(f"security_uncached {security_scopes.scopes}")
        return security_scopes.scope_str

    @app.get("/edge/security-uncached")
    def edge_security_uncached(
        a: str = fw.Security(security_uncached, scopes=["a"], use_cache=False),
        b: str = fw.Security(security_uncached, scopes=["a"], use_cache=False),
        c: str = fw.Security(security_uncached, scopes=["a"]),
    ):
        events.append("endpoint edge_security_uncached")
        return [a, b, c]


# --- apps that must fail when a route is added ----------------------------------------------


class Unknown:
    """Neither a Pydantic type nor anything a framework knows how to inject."""


def add_cycle_route(fw: ModuleType) -> None:
    """``ping`` needs ``pong`` needs ``ping``: the route cannot be planned."""

    def ping(back_to_pong: Any = None):
        return "ping"

    def pong(back_to_ping: Any = fw.Depends(ping)):
        return "pong"

    ping.__defaults__ = (fw.Depends(pong),)
    app = fw.FastAPI()

    @app.get("/cycle")
    def cycle_endpoint(start: str = fw.Depends(ping)):
        return start


def add_cycle_in_router_dependencies(fw: ModuleType) -> None:
    """The same cycle, reached from ``APIRouter(dependencies=...)``."""

    def ping(back_to_pong: Any = None):
        return "ping"

    def pong(back_to_ping: Any = fw.Depends(ping)):
        return "pong"

    ping.__defaults__ = (fw.Depends(pong),)
    router = fw.APIRouter(dependencies=[fw.Depends(pong)])

    @router.get("/cycle")
    def cycle_listed_endpoint():
        return "never"


def add_self_cycle_route(fw: ModuleType) -> None:
    def itself(again: Any = None):
        return "itself"

    itself.__defaults__ = (fw.Depends(itself),)
    app = fw.FastAPI()

    @app.get("/cycle")
    def self_cycle_endpoint(start: str = fw.Depends(itself)):
        return start


def add_unresolvable_route(fw: ModuleType) -> None:
    """A dependency's parameter annotated with a class nothing can produce from a request."""

    def needs_unknown(thing: Unknown):
        return thing

    app = fw.FastAPI()

    @app.get("/unresolvable")
    def unresolvable_endpoint(value: Any = fw.Depends(needs_unknown)):
        return "never"


def add_deep_unresolvable_route(fw: ModuleType) -> None:
    def needs_unknown(mystery: Unknown):
        return mystery

    def middle(value: Any = fw.Depends(needs_unknown)):
        return value

    router = fw.APIRouter()

    @router.get("/unresolvable")
    def deep_unresolvable_endpoint(value: Any = fw.Depends(middle)):
        return "never"


def add_optional_request_route(fw: ModuleType) -> None:
    """``Request | None`` is not injected: it is an unresolvable parameter type."""

    def wants_request(maybe_request: fw.Request | None = None):
        return maybe_request is not None

    app = fw.FastAPI()

    @app.get("/optional-request")
    def optional_request_endpoint(value: bool = fw.Depends(wants_request)):
        return value


def add_scope_mismatch_route(fw: ModuleType) -> None:
    """A request-scoped yield dependency cannot use a function-scoped one."""

    def short_lived():
        yield "short"

    def long_lived(short: str = fw.Depends(short_lived, scope="function")):
        yield short

    app = fw.FastAPI()

    @app.get("/scopes")
    def scope_mismatch_endpoint(value: str = fw.Depends(long_lived)):
        return value


def add_depends_twice_route(fw: ModuleType) -> None:
    """``Depends`` both in ``Annotated`` and as the default."""

    def one():
        return 1

    app = fw.FastAPI()

    @app.get("/twice")
    def depends_twice_endpoint(twice: Annotated[int, fw.Depends(one)] = fw.Depends(one)):
        return twice


def add_zero_concurrency_route(fw: ModuleType) -> None:
    app = fw.FastAPI()

    @app.get("/zero")
    def zero_concurrency_endpoint(value: str = fw.Depends(lambda: "x", max_concurrency=0)):
        return value


BROKEN_ROUTES = {
    "cycle": add_cycle_route,
    "cycle in router dependencies": add_cycle_in_router_dependencies,
    "self cycle": add_self_cycle_route,
    "unresolvable": add_unresolvable_route,
    "unresolvable deep": add_deep_unresolvable_route,
    "Optional[Request]": add_optional_request_route,
    "scope mismatch": add_scope_mismatch_route,
    "zero max_concurrency": add_zero_concurrency_route,
    "Depends in Annotated and as default": add_depends_twice_route,
}


# --- served by uvicorn --------------------------------------------------------------------


def served_app(fw: ModuleType) -> Any:
    """``build_app`` plus ``/_events``, wrapped in ASGI middleware that records
    ``"response sent"`` when the last body message of a response goes out.

    ``GET /_events`` waits until no other request is running (request-scoped teardown
    done), then answers with the events recorded since the previous ``/_events`` and
    forgets them. ``/slow-teardown`` holds its teardown until ``/release`` is called.
    """
    events: list[str] = []
    app = build_app(fw, events)
    in_flight = 0
    released = asyncio.Event()

    async def held():
        events.append("held setup")
        yield "held"
        try:
            await asyncio.wait_for(released.wait(), timeout=5)
            events.append("held teardown")
        except TimeoutError:
            events.append("held teardown timed out")
        released.clear()

    @app.get("/slow-teardown")
    def slow_teardown(value: str = fw.Depends(held)):
        events.append("endpoint slow_teardown")
        return value

    @app.get("/release")
    def release():
        released.set()
        return "released"

    @app.get("/_events")
    async def recorded():
        for _ in range(500):
            if in_flight == 1:
                break
            await asyncio.sleep(0.01)
        found = list(events)
        events.clear()
        return found

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        nonlocal in_flight
        if scope["type"] != "http" or scope["path"] in ("/_events", "/release"):
            in_flight += scope["type"] == "http"
            try:
                await app(scope, receive, send)
            finally:
                in_flight -= scope["type"] == "http"
            return

        async def send_and_record(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("response sent")

        in_flight += 1
        try:
            await app(scope, receive, send_and_record)
        finally:
            in_flight -= 1

    return recording


def fastcore_app() -> Any:
    """For ``uvicorn tests.apps.deps_app:fastcore_app --factory``."""
    return served_app(importlib.import_module("fastcore"))


def fastapi_app() -> Any:
    """The reference, served the same way."""
    return served_app(importlib.import_module("fastapi"))
