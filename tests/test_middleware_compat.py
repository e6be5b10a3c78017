"""Middleware and exception handlers, side by side with FastAPI: answers and event orders.

``tests/apps/middleware_app.py`` is built with ``fastapi`` and with ``fastcore``, in three
flavours (default exception handlers; custom handlers for ``HTTPException``,
``RequestValidationError``, 404 and ``Exception``; ``debug=True``). Every request in
``PATHS`` goes to both and must get the same status, headers (but ``date`` and
``server``) and body, and leave the same events behind: which middleware ran in which
order, what ``call_next`` raised into them, which handler answered, what the ``yield``
dependency saw, and when the background tasks ran. Tracebacks (``debug=True``) differ in
their frames, so only their shape is compared.

Then the middleware that ``fastcore.middleware.*`` re-exports (CORS, GZip, TrustedHost,
HTTPSRedirect), ``add_middleware`` and ``@app.middleware`` after start-up, and the
``test_known_*`` tests that pin FastAPI's answers where FastAPI is not installed.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient
from tests.apps.middleware_app import PATHS, build_app

IGNORED_HEADERS = {"date", "server"}
FLAVOURS = {
    "default handlers": {},
    "custom handlers": {"custom_handlers": True},
    "debug": {"debug": True},
}


@dataclass
class Served:
    module: str
    client: Any
    events: list[str]


def serve(fw: ModuleType, client_class: type, flavour: str) -> Iterator[Served]:
    events: list[str] = []
    app = build_app(fw, events, **FLAVOURS[flavour])
    with client_class(app, raise_server_exceptions=False) as client:
        yield Served(fw.__name__, client, events)


@pytest.fixture(scope="module", params=list(FLAVOURS))
def flavour(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def ours(flavour: str) -> Iterator[Served]:
    yield from serve(fastcore, TestClient, flavour)


@pytest.fixture(scope="module")
def reference(flavour: str) -> Iterator[Served]:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    yield from serve(fastapi, testclient.TestClient, flavour)


def answer(served: Served, path: str, headers: dict[str, str]) -> dict[str, Any]:
    served.events.clear()
    response = served.client.get(path, headers=headers)
    body = response.content
    if response.status_code == 500 and b"Traceback (most recent call last)" in body:
        # A debug traceback: its frames are each framework's own; its last line (the
        # error raised, named after the framework's module) must match.
        last = body.decode().strip().splitlines()[-1]
        body = b"traceback ... " + last.replace(served.module, "<framework>").encode()
    return {
        "status": response.status_code,
        "headers": sorted(
            (name, value)
            for name, value in response.headers.items()
            if name not in IGNORED_HEADERS
            and not (name == "content-length" and body != response.content)
        ),
        "body": body,
        "events": list(served.events),
    }


@pytest.mark.parametrize(
    ("path", "headers"), [(path, headers) for path, headers, _ in PATHS], ids=[d for *_, d in PATHS]
)
def test_like_fastapi(ours: Served, reference: Served, path: str, headers: dict[str, str]) -> None:
    assert answer(ours, path, headers) == answer(reference, path, headers)


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_debug_page_for_browsers(name: str) -> None:
    """With ``debug=True``, a browser gets Starlette's HTML traceback page, others text."""
    fw = pytest.importorskip(name)
    client_class = importlib.import_module(f"{name}.testclient").TestClient
    client = client_class(build_app(fw, [], debug=True), raise_server_exceptions=False)
    page = client.get("/ep/crash", headers={"accept": "text/html"})
    assert page.status_code == 500
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>500 Server Error</h1>" in page.text
    assert "<h2>Unhandled: from endpoint</h2>" in page.text
    text = client.get("/ep/crash")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    # BaseHTTPMiddleware runs the app in a task group: the traceback is a group's
    assert "Traceback (most recent call last):" in text.text.splitlines()[0]
    assert text.text.rstrip().endswith("Unhandled: from endpoint")
    # debug shows tracebacks of unhandled errors only: handled ones answer as usual
    assert client.get("/ep/http").json() == {"detail": "conflict"}


# -- FastAPI 0.165's answers, pinned --------------------------------------------------------


def ours_alone(flavour: str) -> Served:
    return next(serve(fastcore, TestClient, flavour))


def test_known_order_around_a_successful_request() -> None:
    served = ours_alone("default handlers")
    response = served.client.get("/ep/ok")
    assert response.json() == {"ok": "yes"}
    assert response.headers["x-timing"] == "1"
    # auth was added last: it is the outermost; ``add_middleware`` (which the decorator
    # uses) puts middleware outside what was there, the constructor's ASGI middleware
    # included. The response goes out before the background tasks run, and the yield
    # dependency is torn down after them.
    assert served.events == [
        "auth in",
        "timing in",
        "asgi in",
        "dep setup",
        "endpoint",
        "asgi out 200",
        "timing out 200",
        "auth out 200",
        "bg sync one",
        "bg async two",
        "dep teardown",
    ]


def test_known_errors_from_the_endpoint() -> None:
    served = ours_alone("custom handlers")
    response = served.client.get("/ep/http")
    assert (response.status_code, response.json()) == (409, {"http": "conflict"})
    assert response.headers["x-why"] == "busy"
    assert served.events == [
        "auth in",
        "timing in",
        "asgi in",
        "dep setup",
        "endpoint",
        "dep saw HTTPException 409",
        "dep teardown",
        "handler http 409",
        "asgi out 409",
        "timing out 409",
        "auth out 409",
    ]
    served.events.clear()
    response = served.client.get("/ep/crash")
    # The 500 handler answers outside all middleware, which see the exception itself.
    assert (response.status_code, response.json()) == (500, {"crash": "from endpoint"})
    assert served.events == [
        "auth in",
        "timing in",
        "asgi in",
        "dep setup",
        "endpoint",
        "dep saw Unhandled",
        "dep teardown",
        "asgi saw Unhandled",
        "timing saw Unhandled",
        "handler crash Unhandled",
    ]


def test_known_errors_from_middleware_skip_the_inner_handlers() -> None:
    """Exception handlers (but the 500 one) sit inside the middleware: what middleware
    raises reaches only the 500 handler, HTTPException included."""
    served = ours_alone("custom handlers")
    for token in ("http", "teapot", "crash"):
        served.events.clear()
        response = served.client.get("/ep/ok", headers={"x-token": token})
        assert response.status_code == 500
        assert served.events[-1].startswith("handler crash ")
        assert "endpoint" not in served.events
    served = ours_alone("default handlers")
    response = served.client.get("/ep/ok", headers={"x-token": "http"})
    assert (response.status_code, response.text) == (500, "Internal Server Error")


def test_known_handlers_for_validation_and_404() -> None:
    served = ours_alone("custom handlers")
    response = served.client.get("/ep/validation?number=x")
    assert (response.status_code, response.text) == (400, "invalid: ('query', 'number')")
    served.events.clear()
    response = served.client.get("/nowhere")
    assert (response.status_code, response.text) == (404, "nothing here")
    assert "handler 404 HTTPException" in served.events


# -- add_middleware and @app.middleware ---------------------------------------------------


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_no_middleware_once_started(name: str) -> None:
    fw = pytest.importorskip(name)
    client_class = importlib.import_module(f"{name}.testclient").TestClient
    gzip = importlib.import_module(f"{name}.middleware.gzip")
    app = fw.FastAPI()
    with client_class(app):  # the lifespan alone builds the middleware stack
        pass
    with pytest.raises(
        RuntimeError, match="Cannot add middleware after an application has started"
    ):
        app.add_middleware(gzip.GZipMiddleware)
    with pytest.raises(
        RuntimeError, match="Cannot add middleware after an application has started"
    ):

        @app.middleware("http")
        async def late(request: Any, call_next: Any) -> Any:
            return await call_next(request)


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_middleware_type_is_not_checked(name: str) -> None:
    """FastAPI adds ``@app.middleware("anything")`` as HTTP middleware."""
    fw = pytest.importorskip(name)
    client_class = importlib.import_module(f"{name}.testclient").TestClient
    app = fw.FastAPI()
    seen: list[str] = []

    @app.middleware("websocket")
    async def anything(request: Any, call_next: Any) -> Any:
        seen.append(request.url.path)
        return await call_next(request)

    @app.get("/")
    def root() -> int:
        return 1

    assert client_class(app).get("/").json() == 1
    assert seen == ["/"]
    assert len(app.user_middleware) == 1


# -- the re-exported middleware -----------------------------------------------------------


def middleware_app(fw: ModuleType) -> Any:
    cors = importlib.import_module(f"{fw.__name__}.middleware.cors")
    gzip = importlib.import_module(f"{fw.__name__}.middleware.gzip")
    trustedhost = importlib.import_module(f"{fw.__name__}.middleware.trustedhost")
    app = fw.FastAPI()
    app.add_middleware(gzip.GZipMiddleware, minimum_size=100)
    app.add_middleware(
        cors.CORSMiddleware,
        allow_origins=["https://front.example"],
        allow_methods=["GET", "POST"],
        allow_headers=["x-token"],
        allow_credentials=True,
        expose_headers=["x-total"],
    )
    app.add_middleware(trustedhost.TrustedHostMiddleware, allowed_hosts=["testserver", "*.ok"])

    @app.get("/big")
    def big() -> dict[str, str]:
        return {"text": "x" * 500}

    @app.get("/small")
    def small() -> dict[str, str]:
        return {"text": "x"}

    return app


ORIGIN = {"origin": "https://front.example"}
MIDDLEWARE_REQUESTS = [
    ("GET", "/big", {"accept-encoding": "gzip"}),
    ("GET", "/big", {"accept-encoding": "identity"}),
    ("GET", "/small", {"accept-encoding": "gzip"}),
    ("GET", "/small", ORIGIN),
    ("GET", "/small", {"origin": "https://evil.example"}),
    (
        "OPTIONS",
        "/small",
        {
            **ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "x-token",
        },
    ),
    ("OPTIONS", "/small", {**ORIGIN, "access-control-request-method": "DELETE"}),
    ("GET", "/small", {"host": "api.ok"}),
    ("GET", "/small", {"host": "elsewhere.example"}),
]


def middleware_answers(fw: ModuleType, client_class: type) -> list[Any]:
    client = client_class(middleware_app(fw))
    answers = []
    for method, path, headers in MIDDLEWARE_REQUESTS:
        response = client.request(method, path, headers=headers)
        kept = sorted((k, v) for k, v in response.headers.items() if k not in IGNORED_HEADERS)
        answers.append((response.status_code, kept, response.content))
    return answers


def test_reexported_middleware_like_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    assert middleware_answers(fastcore, TestClient) == middleware_answers(
        fastapi, testclient.TestClient
    )


def test_known_reexported_middleware() -> None:
    answers = middleware_answers(fastcore, TestClient)
    status, headers, _ = answers[0]
    assert status == 200 and ("content-encoding", "gzip") in headers
    assert ("content-encoding", "gzip") not in answers[2][1]  # under minimum_size
    assert ("access-control-allow-origin", "https://front.example") in answers[3][1]
    assert ("access-control-allow-origin", "https://evil.example") not in answers[4][1]
    assert answers[5][0] == 200
    assert answers[6][:1] == (400,) and answers[6][2] == b"Disallowed CORS method"
    assert answers[7][0] == 200
    assert (answers[8][0], answers[8][2]) == (400, b"Invalid host header")


def test_https_redirect_like_fastapi() -> None:
    results = []
    for name in ("fastcore", "fastapi"):
        fw = pytest.importorskip(name)
        client_class = importlib.import_module(f"{name}.testclient").TestClient
        redirect = importlib.import_module(f"{name}.middleware.httpsredirect")
        app = fw.FastAPI()
        app.add_middleware(redirect.HTTPSRedirectMiddleware)
        response = client_class(app).get("/path?q=1", follow_redirects=False)
        results.append((response.status_code, response.headers["location"]))
    assert results[0] == (307, "https://testserver/path?q=1")
    assert results[0] == results[1]
