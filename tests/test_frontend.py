"""``app.frontend()``: a built single-page frontend behind the API, side by side with FastAPI.

A few built frontends are written to a temporary directory (``index.html``, assets, a
directory with its own ``index.html``, one with a ``404.html``); ``frontend_app(fw, ...)``
serves them with either framework, next to API routes, through included routers with
dependencies. Every request in ``REQUESTS`` must get the same status, headers (but
``date`` and ``server``) and body from both, and run the same dependencies: which paths
fall back to ``index.html`` (browser navigations only), which are 404s, the 405s, HEAD,
the redirects of directories, ranges and conditional requests, and the priority of API
routes, ``redirect_slashes`` and the most specific frontend.

Then what ``frontend()`` refuses, ``check_dir`` and ``FASTAPI_ENV=development``, paths
trying to leave the directory (``tests/raw_asgi.py``: HTTP clients tidy ``..`` away),
and the ``test_known_*`` tests that pin FastAPI's answers where it is not installed.
"""

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient
from tests import raw_asgi

IGNORED_HEADERS = {"date", "server"}
HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
NO_HTML = {"accept": "text/html;q=0, application/json"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("frontends")
    files = {
        "dist/index.html": "<h1>app</h1>",
        "dist/assets/app.js": "console.log('app')",
        "dist/about.html": "<h1>about</h1>",
        "dist/guide/index.html": "<h1>guide</h1>",
        "dist/empty/.keep": "",
        "admin/index.html": "<h1>admin</h1>",
        "admin/404.html": "<h1>admin: no such page</h1>",
        "admin/app.css": "body {}",
        "docs/page.html": "<h1>docs page</h1>",
        "secret.txt": "outside every frontend",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    # Identical validators in both apps: the same files, the same modification times.
    for path in root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    return root


def frontend_app(fw: ModuleType, root: Path, events: list[str]) -> Any:
    def record(name: str) -> Any:
        def dependency(response: fw.Response, x_token: str | None = fw.Header(None)) -> None:
            events.append(name)
            response.headers[f"x-{name}"] = "ran"
            if x_token == "refused":
                raise fw.HTTPException(status_code=403, detail=f"{name} refused")

        return dependency

    def session() -> Any:
        events.append("session open")
        try:
            yield
        except Exception as exc:
            events.append(f"session saw {type(exc).__name__}")
            raise
        finally:
            events.append("session close")

    def page_size(size: int = 10) -> int:
        events.append(f"size {size}")
        return size

    def audit(tasks: fw.BackgroundTasks) -> None:
        tasks.add_task(events.append, "audit task")

    app = fw.FastAPI(dependencies=[fw.Depends(record("app"))])

    @app.get("/api/items")
    def items() -> list[int]:
        return [1, 2]

    @app.post("/api/items")
    def add_item() -> str:
        return "added"

    @app.get("/guide/api")
    def guide_api() -> str:
        return "guide api"

    app.frontend("/", directory=root / "dist")

    admin = fw.APIRouter(
        prefix="/admin", dependencies=[fw.Depends(record("admin")), fw.Depends(session)]
    )
    admin.frontend("/", directory=str(root / "admin"))

    @admin.get("/stats")
    def stats() -> dict[str, int]:
        return {"users": 3}

    outer = fw.APIRouter(dependencies=[fw.Depends(record("outer"))])
    outer.include_router(admin, dependencies=[fw.Depends(record("include"))])
    app.include_router(outer, prefix="/v1")

    strict = fw.APIRouter(dependencies=[fw.Depends(page_size), fw.Depends(audit)])
    strict.frontend("/strict", directory=root / "dist", fallback="index.html")
    app.include_router(strict)

    later = fw.APIRouter()
    app.include_router(later, prefix="/later")
    later.frontend("/docs", directory=root / "docs", fallback=None)  # after the include
    return app


def get(path: str, headers: dict[str, str] | None = None) -> tuple[str, str, dict[str, str]]:
    return ("GET", path, headers or {})


REQUESTS = [
    get("/"),
    get("/", HTML),
    get("/index.html"),
    get("/assets/app.js"),
    get("/assets/app.js", {"range": "bytes=0-6"}),
    get("/assets/app.js", {"range": "bytes=0-2,5-7"}),
    get("/assets/app.js", {"if-modified-since": "Thu, 01 Jan 2099 00:00:00 GMT"}),
    get("/about.html"),
    get("/about", HTML),
    get("/about"),
    get("/deep/client/route", HTML),
    get("/deep/client/route", NO_HTML),
    get("/deep/client/route", {"accept": "application/xhtml+xml"}),
    get("/assets/missing.js"),
    get("/assets/missing.js", HTML),
    get("/guide"),
    get("/guide/", HTML),
    get("/guide/index.html"),
    get("/guide/api"),
    get("/guide/api/"),
    get("/empty", HTML),
    get("/empty/", HTML),
    ("HEAD", "/", {}),
    ("HEAD", "/nowhere", HTML),
    ("POST", "/", {}),
    ("POST", "/assets/app.js", {}),
    ("DELETE", "/nowhere", HTML),
    ("OPTIONS", "/about.html", {}),
    get("/api/items"),
    get("/api/items/", HTML),
    get("/api/unknown", HTML),
    ("PUT", "/api/items", {}),
    get("/v1/admin"),
    get("/v1/admin/", HTML),
    get("/v1/admin/app.css"),
    get("/v1/admin/users/7", HTML),
    get("/v1/admin/users/7"),
    get("/v1/admin/stats"),
    get("/v1/admin/", {**HTML, "x-token": "refused"}),
    ("POST", "/v1/admin/app.css", {}),
    get("/v1/adminx", HTML),
    get("/strict/", HTML),
    get("/strict/?size=3", HTML),
    get("/strict/x?size=big", HTML),
    get("/strict/x", NO_HTML),
    get("/later/docs/page.html"),
    get("/later/docs/missing", HTML),
    get("/later/docs", HTML),
    get("/later/elsewhere", HTML),
]


def answers(fw: ModuleType, client_class: type, root: Path) -> list[Any]:
    events: list[str] = []
    client = client_class(frontend_app(fw, root, events), raise_server_exceptions=False)
    seen = []
    for method, path, headers in REQUESTS:
        events.clear()
        response = client.request(method, path, headers=headers, follow_redirects=False)
        kept = sorted((k, v) for k, v in response.headers.items() if k not in IGNORED_HEADERS)
        body = response.content
        boundary = response.headers.get("content-type", "").partition("boundary=")[2]
        if boundary:  # random for each multipart range response
            kept = [(k, v.replace(boundary, "<boundary>")) for k, v in kept]
            body = body.replace(boundary.encode(), b"<boundary>")
        seen.append(((method, path, headers), response.status_code, kept, body, list(events)))
    return seen


def test_like_fastapi(sites: Path) -> None:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    ours = answers(fastcore, TestClient, sites)
    reference = answers(fastapi, testclient.TestClient, sites)
    for mine, theirs in zip(ours, reference, strict=True):
        assert mine == theirs


def known(root: Path) -> dict[tuple[str, str, str], tuple[int, bytes, list[str]]]:
    """Our answers by (method, path, accept header)."""
    return {
        (method, path, headers.get("accept", "")): (status, body, events)
        for (method, path, headers), status, _, body, events in answers(fastcore, TestClient, root)
    }


def test_known_answers(sites: Path) -> None:
    seen = known(sites)
    html = HTML["accept"]
    assert seen["GET", "/", ""] == (200, b"<h1>app</h1>", ["app"])
    # A browser navigating to a client-side route gets index.html; a script does not.
    assert seen["GET", "/deep/client/route", html] == (200, b"<h1>app</h1>", ["app"])
    assert seen["GET", "/deep/client/route", NO_HTML["accept"]][0] == 404
    assert seen["GET", "/assets/missing.js", ""][:2] == (404, b'{"detail":"Not Found"}')
    assert seen["GET", "/guide", ""][0] == 307
    assert seen["GET", "/guide/", html][1] == b"<h1>guide</h1>"
    assert seen["GET", "/guide/api", ""][1] == b'"guide api"'  # API routes come first
    assert seen["HEAD", "/nowhere", html][:2] == (200, b"")
    assert seen["POST", "/", ""][:2] == (405, b'{"detail":"Method Not Allowed"}')
    assert seen["DELETE", "/nowhere", html][0] == 404
    assert seen["GET", "/api/items/", html][0] == 307  # redirect_slashes comes first
    assert seen["PUT", "/api/items", ""][0] == 405
    # A router's frontend, its dependencies in FastAPI's order, a 404.html for misses.
    assert seen["GET", "/v1/admin/users/7", html] == (
        404,
        b"<h1>admin: no such page</h1>",
        ["app", "outer", "include", "admin", "session open", "session close"],
    )
    assert seen["GET", "/strict/x?size=big", html][0] == 422
    assert seen["GET", "/strict/?size=3", html] == (
        200,
        b"<h1>app</h1>",
        ["app", "size 3", "audit task"],
    )
    assert seen["GET", "/later/docs/missing", html][0] == 404  # fallback=None
    assert seen["GET", "/later/elsewhere", html][1] == b"<h1>app</h1>"


def test_known_headers(sites: Path) -> None:
    client = TestClient(frontend_app(fastcore, sites, []))
    response = client.get("/v1/admin/app.css")
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert [response.headers[f"x-{name}"] for name in ("app", "outer", "include", "admin")] == [
        "ran"
    ] * 4
    partial = client.get("/assets/app.js", headers={"range": "bytes=0-6"})
    assert (partial.status_code, partial.content) == (206, b"console")
    assert partial.headers["content-range"] == "bytes 0-6/18"
    cached = client.get("/assets/app.js", headers={"if-none-match": response.headers["etag"]})
    assert cached.status_code == 200  # another file's etag
    etag = client.get("/assets/app.js").headers["etag"]
    assert client.get("/assets/app.js", headers={"if-none-match": etag}).status_code == 304


# -- raw paths that try to leave the directory --------------------------------------------


TRAVERSALS = ["/../secret.txt", "/assets/../../secret.txt", "/v1/admin/../../secret.txt"]


@pytest.mark.parametrize("path", TRAVERSALS)
@pytest.mark.parametrize("accept", ["", HTML["accept"]], ids=["script", "browser"])
def test_paths_leaving_the_directory_are_refused(sites: Path, path: str, accept: str) -> None:
    headers = {"accept": accept} if accept else {}
    status, body = raw_asgi.get(frontend_app(fastcore, sites, []), path, headers)
    assert b"outside every frontend" not in body
    assert status in (200, 404)  # a browser gets the fallback page, never the file
    try:
        fastapi = importlib.import_module("fastapi")
    except ImportError:
        return
    assert raw_asgi.get(frontend_app(fastapi, sites, []), path, headers) == (status, body)


def test_websocket_to_a_frontend_path_is_closed(sites: Path) -> None:
    from starlette.websockets import WebSocketDisconnect

    client = TestClient(frontend_app(fastcore, sites, []))
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/"):
        pass


# -- what frontend() refuses, check_dir, FASTAPI_ENV ---------------------------------------


def declare(fw: ModuleType, root: Path, path: str = "/", **options: Any) -> str:
    """``fw.FastAPI().frontend(path, **options)``: "ok" or the error, and the warnings."""
    import warnings

    options.setdefault("directory", root / "dist")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fw.FastAPI().frontend(path, **options)
            result = "ok"
        except Exception as exc:
            result = f"{type(exc).__name__}: {exc}"
    for warning in caught:
        assert warning.filename == __file__  # the frontend(...) line, not the framework's
    return result + "".join(f" / {w.category.__name__}: {w.message}" for w in caught)


DECLARATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("", "/", {}),
    ("", "", {}),
    ("", "ui", {}),
    ("", "/ui/", {}),
    ("", "/", {"fallback": "app.html"}),
    ("", "/", {"fallback": "404.html"}),
    ("", "/", {"fallback": "404.html", "check_dir": False}),
    ("", "/", {"fallback": "index.html", "directory": "docs"}),
    ("", "/", {"directory": "missing"}),
    ("", "/", {"directory": "missing", "check_dir": False}),
    ("", "/", {"directory": "secret.txt"}),
    ("development", "/", {"directory": "missing"}),
    ("development", "/", {"directory": "missing", "check_dir": True}),
    ("development", "/", {"directory": "dist", "fallback": "404.html"}),
    ("Development", "/", {"directory": "missing"}),
    ("production", "/", {"directory": "missing"}),
]


def declaration(root: Path, fw: ModuleType, env: str, path: str, options: dict[str, Any]) -> str:
    options = dict(options)
    if isinstance(options.get("directory"), str):
        options["directory"] = str(root / options["directory"])
    return declare(fw, root, path, **options).replace(str(root), "<root>")


@pytest.mark.parametrize(("env", "path", "options"), DECLARATIONS)
def test_declaration_like_fastapi(
    sites: Path, monkeypatch: pytest.MonkeyPatch, env: str, path: str, options: dict[str, Any]
) -> None:
    fastapi = pytest.importorskip("fastapi")
    if env:
        monkeypatch.setenv("FASTAPI_ENV", env)
    else:
        monkeypatch.delenv("FASTAPI_ENV", raising=False)
    assert declaration(sites, fastcore, env, path, options) == declaration(
        sites, fastapi, env, path, options
    )


def test_known_declarations(sites: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FASTAPI_ENV", raising=False)
    missing = (
        "Frontend directory '<root>/missing' does not exist. "
        "Resolved absolute path: '<root>/missing'"
    )
    assert (
        declaration(sites, fastcore, "", "", {})
        == "AssertionError: A frontend path cannot be empty"
    )
    assert declaration(sites, fastcore, "", "ui", {}) == (
        "AssertionError: A frontend path must start with '/'"
    )
    assert declaration(sites, fastcore, "", "/", {"fallback": "x"}) == (
        "AssertionError: fallback must be 'auto', 'index.html', '404.html', or None"
    )
    assert declaration(sites, fastcore, "", "/", {"directory": "missing"}) == (
        f"RuntimeError: {missing}"
    )
    assert declaration(sites, fastcore, "", "/", {"fallback": "404.html"}) == (
        "RuntimeError: Frontend fallback file '404.html' does not exist in directory "
        "'<root>/dist'. Resolved absolute directory: '<root>/dist'"
    )
    monkeypatch.setenv("FASTAPI_ENV", "development")
    assert declaration(sites, fastcore, "", "/", {"directory": "missing"}) == (
        f"ok / UserWarning: {missing}"
    )


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_unchecked_directory_fails_when_served(
    sites: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    fw = pytest.importorskip(name)
    client_class = importlib.import_module(f"{name}.testclient").TestClient
    monkeypatch.setenv("FASTAPI_ENV", "development")
    app = fw.FastAPI()
    with pytest.warns(UserWarning, match="does not exist"):
        app.frontend("/", directory=sites / "not-built-yet")

    @app.get("/api")
    def api() -> str:
        return "api"

    client = client_class(app, raise_server_exceptions=False)
    assert client.get("/api").json() == "api"
    assert client.get("/", headers=HTML).status_code == 500
    with pytest.raises(
        RuntimeError, match="StaticFiles directory '.*not-built-yet' does not exist"
    ):
        client_class(app).get("/")
    app = fw.FastAPI()
    app.frontend("/", directory=sites / "dist", fallback="404.html", check_dir=False)
    client = client_class(app, raise_server_exceptions=False)
    assert client.get("/about.html").status_code == 200
    assert client.get("/missing").status_code == 500


@pytest.mark.parametrize("name", ["fastcore", "fastapi"])
def test_frontends_stay_out_of_routes_and_openapi(sites: Path, name: str) -> None:
    fw = pytest.importorskip(name)
    app = fw.FastAPI()
    before = list(app.routes)
    app.frontend("/", directory=sites / "dist")
    assert app.routes == before
    router = fw.APIRouter()
    router.frontend("/ui", directory=sites / "dist")
    assert router.routes == []
    app.include_router(router)
    assert app.openapi()["paths"] == {}
