"""What FastAPI apps use from Starlette, side by side with FastAPI.

``tests/apps/surface_app.py`` is built with ``fastapi`` and with ``fastcore`` over the
same files: background tasks (and their order around a ``yield`` dependency and a
middleware), ``FileResponse`` with ranges, ``StaticFiles`` mounts, ``Jinja2Templates``,
``UploadFile`` (spooled to disk when big, closed after the response), ``request.form()``
and the ``Request`` helpers. Every request in ``REQUESTS`` must get the same status,
headers (but ``date`` and ``server``), body and events from both. Paths trying to leave a
``StaticFiles`` directory go in as raw ASGI scopes (``tests/raw_asgi.py``). The
``test_known_*`` tests pin FastAPI's answers where FastAPI is not installed.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import fastcore
from fastcore.testclient import TestClient
from tests import raw_asgi
from tests.apps.surface_app import build_app, make_files

IGNORED_HEADERS = {"date", "server"}
BIG = b"x" * (1024 * 1024 + 10)  # past UploadFile's in-memory limit of 1 MiB


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("surface")
    make_files(root)
    for path in root.rglob("*"):  # the same validators (etag, last-modified) for both apps
        os.utime(path, (1_700_000_000, 1_700_000_000))
    return root


@dataclass
class Served:
    app: Any
    client: Any
    events: list[str]


def serve(fw: ModuleType, client_class: type, root: Path) -> Iterator[Served]:
    events: list[str] = []
    app = build_app(fw, root, events)
    with client_class(app, raise_server_exceptions=False) as client:
        yield Served(app, client, events)


@pytest.fixture(scope="module")
def ours(files: Path) -> Iterator[Served]:
    yield from serve(fastcore, TestClient, files)


@pytest.fixture(scope="module")
def reference(files: Path) -> Iterator[Served]:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    yield from serve(fastapi, testclient.TestClient, files)


def request(method: str, url: str, label: str = "", **options: Any) -> Any:
    return pytest.param(
        method, url, options, id=f"{method} {url}" + (f" ({label})" if label else "")
    )


REQUESTS = [
    request("POST", "/signup?email=a@example.com"),
    request("GET", "/own-background"),
    request("GET", "/own-task"),
    request("GET", "/download"),
    request("GET", "/download", "range", headers={"range": "bytes=10-19"}),
    request("GET", "/download", "suffix range", headers={"range": "bytes=-5"}),
    request("GET", "/download", "past the end", headers={"range": "bytes=200-300"}),
    request("GET", "/download", "not bytes", headers={"range": "items=1-2"}),
    request(
        "GET", "/download", "if-range stale", headers={"range": "bytes=0-1", "if-range": '"x"'}
    ),
    request("HEAD", "/download"),
    request("GET", "/inline"),
    request("GET", "/missing-file"),
    request("GET", "/static/notes.txt"),
    request("HEAD", "/static/notes.txt"),
    request("GET", "/static/notes.txt", "range", headers={"range": "bytes=0-5"}),
    request("GET", "/static/nope"),
    request("POST", "/static/notes.txt"),
    request("GET", "/site/"),
    request("GET", "/site/sub", follow_redirects=False),
    request("GET", "/site/sub/"),
    request("GET", "/site/nowhere"),
    request("GET", "/page/bob"),
    request("GET", "/page-status"),
    request(
        "POST",
        "/upload",
        "small",
        files={"file": ("a.txt", b"hello world", "text/plain")},
        data={"note": "n"},
    ),
    request("POST", "/upload", "big", files={"file": ("big.bin", BIG, "application/octet-stream")}),
    request(
        "POST",
        "/upload",
        "part header",
        files={"file": ("h.txt", b"hi", "text/plain", {"x-part": "p"})},
    ),
    request("POST", "/upload", "no file"),
    request("POST", "/upload", "not a file", data={"file": "text"}),
    request("POST", "/uploads", files=[("files", ("1.txt", b"1")), ("files", ("2.txt", b"22"))]),
    request("POST", "/raw-form", data={"a": "1", "b": "2"}, files={"f": ("f.txt", b"f")}),
    request("POST", "/raw-form", "urlencoded", data={"a": "1"}),
    request("POST", "/echo?x=1&x=2", json={"k": [1, 2]}, cookies={"c": "v"}),
    request("PUT", "/echo", content=b"raw bytes"),
    request("GET", "/echo", "forwarded host", headers={"host": "api.example:8080"}),
    request("GET", "/bad-url-for"),
]


def answer(served: Served, method: str, url: str, options: dict[str, Any]) -> dict[str, Any]:
    served.events.clear()
    cookies = options.pop("cookies", None)
    if cookies:
        served.client.cookies.update(cookies)
    try:
        response = served.client.request(method, url, **options)
    finally:
        served.client.cookies.clear()
    return {
        "status": response.status_code,
        "headers": sorted(
            (name, value) for name, value in response.headers.items() if name not in IGNORED_HEADERS
        ),
        "body": response.content,
        "events": list(served.events),
    }


@pytest.mark.parametrize(("method", "url", "options"), REQUESTS)
def test_like_fastapi(
    ours: Served, reference: Served, method: str, url: str, options: dict[str, Any]
) -> None:
    assert answer(ours, method, url, dict(options)) == answer(reference, method, url, dict(options))


def test_uploads_are_closed_after_the_response(ours: Served, reference: Served) -> None:
    for served in (ours, reference):
        served.app.state.uploads.clear()
        served.client.post("/upload", files={"file": ("a.txt", b"a")})
        served.client.post("/upload", files={"file": ("big.bin", BIG)})
        assert [upload.file.closed for upload in served.app.state.uploads] == [True, True]


TRAVERSALS = ["/static/../outside.txt", "/static/../../etc/passwd", "/site/../outside.txt"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files_refuse_paths_leaving_the_directory(
    ours: Served, reference: Served, path: str
) -> None:
    status, body = raw_asgi.get(ours.app, path)
    assert b"not to be served" not in body
    assert status == 404
    assert raw_asgi.get(reference.app, path) == (status, body)


# -- FastAPI 0.165's answers, pinned --------------------------------------------------------


def test_known_background_task_order(ours: Served) -> None:
    ours.events.clear()
    assert ours.client.post("/signup?email=a@b.c").json() == {"queued": "a@b.c"}
    # Tasks run after the response went out through the middleware, in the order they
    # were added (the dependency's first), before the yield dependency is closed.
    assert ours.events == [
        "middleware in",
        "session open",
        "endpoint",
        "middleware out",
        "task from dependency",
        "task welcome a@b.c",
        "async task audit",
        "session close",
    ]
    ours.events.clear()
    ours.client.get("/own-task")
    # A response with its own background task: the BackgroundTasks ones are dropped.
    assert ours.events == ["middleware in", "middleware out", "task own"]


def test_known_file_responses(ours: Served) -> None:
    whole = ours.client.get("/download")
    assert whole.headers["content-disposition"] == "attachment; filename*=utf-8''report%20data.bin"
    part = ours.client.get("/download", headers={"range": "bytes=10-19"})
    assert (part.status_code, part.content, part.headers["content-range"]) == (
        206,
        b"0123456789",
        "bytes 10-19/100",
    )
    outside = ours.client.get("/download", headers={"range": "bytes=200-300"})
    assert (outside.status_code, outside.headers["content-range"]) == (416, "bytes */100")
    # GET routes do not answer HEAD in FastAPI; a StaticFiles mount does.
    assert ours.client.head("/download").status_code == 405
    assert ours.client.head("/static/notes.txt").headers["content-length"] == "13"


def test_known_templates_and_request_helpers(ours: Served) -> None:
    page = ours.client.get("/page/bob")
    assert page.text == (
        '<h1>bob</h1><a href="http://testserver/page/bob">self</a>'
        '<link href="http://testserver/static/notes.txt"><p>/page/bob</p>'
    )
    echo = ours.client.post("/echo?x=1&x=2", json={"k": [1]}).json()
    assert echo["client"] == ["testclient", 50000]
    assert echo["json"] == {"k": [1]}
    assert echo["query"] == [["x", "1"], ["x", "2"]]
    assert echo["item_url"] == "http://testserver/items/7"
    assert echo["static_url"] == "http://testserver/static/notes.txt"
    assert echo["page_path"] == "/page/x"


def test_known_uploads(ours: Served) -> None:
    small = ours.client.post("/upload", files={"file": ("a.txt", b"hello", "text/plain")}).json()
    assert (small["size"], small["on_disk"], small["content_type"]) == (5, False, "text/plain")
    big = ours.client.post("/upload", files={"file": ("big.bin", BIG)}).json()
    assert (big["size"], big["on_disk"]) == (len(BIG), True)
