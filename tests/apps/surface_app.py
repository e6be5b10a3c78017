"""What FastAPI apps use from Starlette, built with either framework and recording events.

``build_app(fw, root, events)`` serves, from files under ``root`` (made by the test):

- background tasks, sync and async, from an endpoint and from a dependency, next to a
  ``yield`` dependency and an ``@app.middleware``; and a response that brings its own
  background task (which replaces the ``BackgroundTasks`` ones, as in FastAPI);
- ``FileResponse`` downloads (ranges, ``HEAD``, ``Content-Disposition``);
- a ``StaticFiles`` mount (``html=True`` for the ``/site`` one);
- ``Jinja2Templates`` pages using ``url_for`` for a route and for a static file;
- ``UploadFile`` parameters (small ones stay in memory, big ones spool to disk, all
  closed after the response) and ``request.form()``;
- the ``Request`` helpers: ``url_for``, ``client``, ``body()``, ``json()``, ``form()``,
  ``url``, ``base_url``, cookies, query parameters.

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import importlib
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any


def submodule(fw: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{fw.__name__}.{name}")


def build_app(fw: ModuleType, root: Path, events: list[str]) -> Any:
    responses = submodule(fw, "responses")
    staticfiles = submodule(fw, "staticfiles")
    templating = submodule(fw, "templating")
    background = submodule(fw, "background")
    app = fw.FastAPI()
    app.mount("/static", staticfiles.StaticFiles(directory=root / "static"), name="static")
    app.mount("/site", staticfiles.StaticFiles(directory=root / "site", html=True), name="site")
    templates = templating.Jinja2Templates(directory=root / "templates")
    uploads: list[Any] = []
    app.state.uploads = uploads

    @app.middleware("http")
    async def around(request: fw.Request, call_next: Any) -> Any:
        events.append("middleware in")
        response = await call_next(request)
        events.append("middleware out")
        return response

    # -- background tasks ------------------------------------------------------------------

    def task(name: str) -> None:
        events.append(f"task {name}")

    async def async_task(name: str) -> None:
        events.append(f"async task {name}")

    def session() -> Any:
        events.append("session open")
        yield "session"
        events.append("session close")

    def queue_from_dependency(tasks: fw.BackgroundTasks) -> None:
        tasks.add_task(task, "from dependency")

    @app.post("/signup", dependencies=[fw.Depends(queue_from_dependency)])
    async def signup(
        email: str, tasks: fw.BackgroundTasks, db: Annotated[str, fw.Depends(session)]
    ) -> dict[str, str]:
        events.append("endpoint")
        tasks.add_task(task, f"welcome {email}")
        tasks.add_task(async_task, "audit")
        return {"queued": email}

    @app.get("/own-background")
    def own_background(tasks: fw.BackgroundTasks) -> Any:
        tasks.add_task(task, "from parameter")
        return responses.JSONResponse({"own": True}, background=background.BackgroundTasks())

    @app.get("/own-task")
    def own_task(tasks: fw.BackgroundTasks) -> Any:
        from starlette.background import BackgroundTask

        tasks.add_task(task, "from parameter")
        return responses.PlainTextResponse("own", background=BackgroundTask(task, "own"))

    # -- files -----------------------------------------------------------------------------

    @app.get("/download")
    def download() -> Any:
        return responses.FileResponse(root / "static" / "data.bin", filename="report data.bin")

    @app.get("/inline")
    def inline() -> Any:
        return responses.FileResponse(
            root / "static" / "notes.txt", content_disposition_type="inline", filename="n.txt"
        )

    @app.get("/missing-file")
    def missing_file() -> Any:
        return responses.FileResponse(root / "nowhere.bin")

    # -- templates -------------------------------------------------------------------------

    @app.get("/page/{name}", response_class=responses.HTMLResponse, name="page")
    def page(request: fw.Request, name: str) -> Any:
        return templates.TemplateResponse(request, "page.html", {"name": name})

    @app.get("/page-status")
    def page_status(request: fw.Request) -> Any:
        return templates.TemplateResponse(
            request, "page.html", {"name": "gone"}, status_code=410, headers={"x-t": "1"}
        )

    # -- uploads and forms -----------------------------------------------------------------

    @app.post("/upload")
    async def upload(file: fw.UploadFile, note: Annotated[str, fw.Form()] = "") -> dict[str, Any]:
        uploads.append(file)
        head = await file.read(5)
        await file.seek(0)
        return {
            "filename": file.filename,
            "content_type": file.content_type,
            "size": file.size,
            "head": head.decode("latin-1"),
            "on_disk": bool(getattr(file.file, "_rolled", False)),
            "note": note,
            "part_header": file.headers.get("x-part"),
        }

    @app.post("/uploads")
    async def many(files: list[fw.UploadFile]) -> list[Any]:
        uploads.extend(files)
        return [[item.filename, item.size] for item in files]

    @app.post("/raw-form")
    async def raw_form(request: fw.Request) -> dict[str, Any]:
        form = await request.form()
        return {
            key: (value.filename if hasattr(value, "filename") else value)
            for key, value in form.multi_items()
        }

    # -- the request -------------------------------------------------------------------------

    @app.get("/items/{item_id}", name="item")
    def item(item_id: int) -> int:
        return item_id

    @app.api_route("/echo", methods=["GET", "POST", "PUT"])
    async def echo(request: fw.Request) -> dict[str, Any]:
        body = await request.body()
        parsed = None
        if request.headers.get("content-type") == "application/json":
            parsed = await request.json()
        return {
            "method": request.method,
            "url": str(request.url),
            "base_url": str(request.base_url),
            "path": request.url.path,
            "client": list(request.client) if request.client else None,
            "query": sorted(request.query_params.multi_items()),
            "cookies": request.cookies,
            "body": body.decode("latin-1"),
            "json": parsed,
            "item_url": str(request.url_for("item", item_id=7)),
            "static_url": str(request.url_for("static", path="/notes.txt")),
            "page_path": app.url_path_for("page", name="x"),
            "same_app": request.app is app,
        }

    @app.get("/bad-url-for")
    def bad_url_for(request: fw.Request) -> str:
        return str(request.url_for("no-such-route"))

    return app


def make_files(root: Path) -> None:
    """The files ``build_app`` serves."""
    files = {
        "static/notes.txt": "static notes\n",
        "static/data.bin": "0123456789" * 10,
        "site/index.html": "<h1>site</h1>",
        "site/sub/index.html": "<h1>sub</h1>",
        "site/404.html": "<h1>site: not found</h1>",
        "outside.txt": "not to be served",
        "templates/page.html": (
            "<h1>{{ name }}</h1>"
            "<a href=\"{{ url_for('page', name=name) }}\">self</a>"
            "<link href=\"{{ url_for('static', path='/notes.txt') }}\">"
            "<p>{{ request.url.path }}</p>"
        ),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
