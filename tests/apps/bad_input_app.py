"""The apps the bad-input and traceback tests serve, built with either framework.

``build_app(fastcore)`` and ``build_app(fastapi)`` build the same app, so that a
malformed request can be sent to both over a real socket and the answers compared.
Every endpoint is a plain target for one kind of bad input; ``/ok`` is the good
request that proves the worker is still serving afterwards.
"""

import atexit
import importlib
import logging
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

from pydantic import BaseModel

# A file beside the static directory, never inside it: no answer may contain this text.
SECRET_TEXT = "the-secret-outside-the-static-directory"
PUBLIC_TEXT = "a public static file"
BODY_LIMIT = 1024 * 1024  # max_body_size of the app
SMALL_BODY_LIMIT = 10  # max_body_size of /limit/small
# uvicorn's own logger: what the app logs there is written in order with uvicorn's tracebacks.
SERVER_LOG = logging.getLogger("uvicorn.error")


class Item(BaseModel):
    name: str
    price: float


class Point(BaseModel):
    x: float


def submodule(fw: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{fw.__name__}.{name}")


def build_app(fw: ModuleType) -> Any:
    app = fw.FastAPI(max_body_size=BODY_LIMIT)

    add_ok_route(app)
    add_json_routes(app, fw)
    add_form_routes(app, fw)
    add_text_routes(app, fw)
    add_security_routes(app, fw)
    app.mount("/static", submodule(fw, "staticfiles").StaticFiles(directory=static_directory()))
    return app


def add_ok_route(app: Any) -> None:
    """``/ok``, the good request; with ``?mark=``, it logs the mark."""

    @app.get("/ok")
    def ok(mark: str = ""):
        if mark:
            # Once a test sees this line, whatever the server logged before it is there too.
            SERVER_LOG.info("served ok after %s", mark)
        return {"ok": True}


def add_json_routes(app: Any, fw: ModuleType) -> None:
    @app.post("/json/item")
    def json_item(item: Item) -> Item:
        return item

    @app.post("/json/item-dict")
    def json_item_dict(item: Item):
        # No return annotation: the value goes through jsonable_encoder, not a serializer.
        return {"price": item.price}

    @app.post("/json/item-model", response_model=Point)
    def json_item_model(item: Item):
        return {"x": item.price}

    @app.post("/json/float")
    def json_float(x: Annotated[float, fw.Body(embed=True)]):
        return {"x": x}

    @app.post("/json/any")
    def json_any(data: Annotated[Any, fw.Body()] = None):
        return {"type": type(data).__name__}

    @app.post("/json/list")
    def json_list(data: list[Any]):
        return {"length": len(data)}

    @app.post("/limit/small", max_body_size=SMALL_BODY_LIMIT)
    async def limit_small(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @app.post("/limit/raw")
    async def limit_raw(request: fw.Request):
        return {"length": len(await request.body())}


def add_form_routes(app: Any, fw: ModuleType) -> None:
    @app.post("/form/login")
    def form_login(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form()]):
        return {"username": username, "password": password}

    @app.post("/form/upload")
    async def form_upload(file: fw.UploadFile, note: Annotated[str, fw.Form()] = ""):
        return {"filename": file.filename, "size": len(await file.read()), "note": note}


def add_text_routes(app: Any, fw: ModuleType) -> None:
    @app.get("/echo/{name}")
    def echo_path(name: str):
        return {"name": name}

    @app.get("/search")
    def search(q: str = "", n: int = 0):
        return {"q": q, "n": n}

    @app.get("/float")
    def echo_float(x: float):
        return {"x": x}

    @app.get("/tags")
    def tags(tag: Annotated[list[str], fw.Query()] = []):  # noqa: B006 - never mutated
        return {"count": len(tag)}

    @app.get("/header")
    def header(x_token: Annotated[str, fw.Header()] = ""):
        return {"x_token": x_token}

    @app.get("/echo-header")
    def echo_header(value: str, response: fw.Response):
        response.headers["X-Echo"] = value
        return {"echoed": True}


def add_security_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")
    basic = security.HTTPBasic()
    bearer = security.HTTPBearer()

    @app.get("/basic")
    def basic_user(credentials: Annotated[Any, fw.Depends(basic)]):
        return {"username": credentials.username}

    @app.get("/bearer")
    def bearer_token(credentials: Annotated[Any, fw.Depends(bearer)]):
        return {"token": credentials.credentials}


def static_directory() -> Path:
    """``<tmp>/public`` holding ``hello.txt``, with ``<tmp>/secret.txt`` beside it."""
    root = Path(tempfile.mkdtemp(prefix="bad-input-static-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "secret.txt").write_text(SECRET_TEXT)
    public = root / "public"
    public.mkdir()
    (public / "hello.txt").write_text(PUBLIC_TEXT)
    return public


def build_failing_app(fw: ModuleType, debug: bool) -> Any:
    """An app whose ``/boom`` routes raise exceptions nobody handles, each with its marker."""
    app = fw.FastAPI(debug=debug)
    add_ok_route(app)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom-sync-marker")

    @app.get("/boom/async")
    async def boom_async():
        raise LookupError("kaboom-async-marker")

    def failing_dependency():
        raise ZeroDivisionError("kaboom-dependency-marker")

    @app.get("/boom/dependency")
    def boom_dependency(value: Annotated[Any, fw.Depends(failing_dependency)]):
        return {"value": value}

    def fail_later():
        raise KeyError("kaboom-background-marker")

    @app.get("/boom/background")
    def boom_background(tasks: fw.BackgroundTasks):
        tasks.add_task(fail_later)
        return {"queued": True}

    @app.get("/teapot")
    def teapot():
        raise fw.HTTPException(status_code=418, detail="I'm a teapot")

    return app


# -- factories for ``uvicorn <module>:<name> --factory`` -----------------------------------


def fastcore_app() -> Any:
    fastcore = importlib.import_module("fastcore")
    app = build_app(fastcore)

    @app.get("/_core")
    def active_core():
        return {"compiled": fastcore.COMPILED}

    return app


def fastapi_app() -> Any:
    return build_app(importlib.import_module("fastapi"))


def fastcore_production_app() -> Any:
    return build_failing_app(importlib.import_module("fastcore"), debug=False)


def fastcore_debug_app() -> Any:
    return build_failing_app(importlib.import_module("fastcore"), debug=True)


def fastapi_production_app() -> Any:
    return build_failing_app(importlib.import_module("fastapi"), debug=False)


def fastapi_debug_app() -> Any:
    return build_failing_app(importlib.import_module("fastapi"), debug=True)
