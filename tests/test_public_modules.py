"""The thin public modules: every public name FastAPI's module has, and the few behaviours
FastAPI adds on top of Starlette there (response classes, tasks, thread helpers, ...)."""

from __future__ import annotations

import importlib
import inspect
import io
import logging
import threading
import types
import warnings
from typing import Any

import anyio
import pytest
import starlette.datastructures
from pydantic import BaseModel, TypeAdapter, ValidationError

MODULES = [
    "background",
    "concurrency",
    "datastructures",
    "encoders",
    "exception_handlers",
    "exceptions",
    "logger",
    "middleware",
    "middleware.cors",
    "middleware.gzip",
    "middleware.httpsredirect",
    "middleware.trustedhost",
    "middleware.wsgi",
    "requests",
    "responses",
    "security",
    "security.api_key",
    "security.base",
    "security.http",
    "security.oauth2",
    "security.open_id_connect_url",
    "security.utils",
    "staticfiles",
    "status",
    "templating",
    "testclient",
    "types",
    "websockets",
]

# Names a module has only because it imported them for its own code (typing helpers, the
# documentation marker, anyio/contextlib internals): not part of what users import.
INCIDENTAL_ORIGINS = (
    "typing",
    "typing_extensions",
    "collections.abc",
    "annotated_doc",
    "contextlib",
    "weakref",
    "anyio",
)


def _import(package: str, name: str) -> types.ModuleType:
    # ``fastapi.status`` is an attribute (Starlette's module), not a fastapi submodule.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError:
            return getattr(importlib.import_module(package), name)


def _public_names(module: types.ModuleType) -> set[str]:
    names = set()
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        origin = getattr(value, "__module__", None) or ""
        if inspect.ismodule(value) or origin.split(".")[0] in INCIDENTAL_ORIGINS:
            continue
        if origin in INCIDENTAL_ORIGINS:
            continue
        names.add(name)
    return names


@pytest.mark.parametrize("name", [m for m in MODULES if m != "templating"])
def test_has_every_public_name_of_fastapi(name: str) -> None:
    pytest.importorskip("fastapi")
    reference = _public_names(_import("fastapi", name))
    assert reference, "the filter must leave something to compare"
    assert reference - set(dir(_import("fastcore", name))) == set()


def test_templating_matches_fastapi() -> None:
    pytest.importorskip("fastapi")
    try:
        import jinja2  # noqa: F401
    except ImportError:
        # Without jinja2 both fail on import, with Starlette's message.
        with pytest.raises(ImportError) as ours:
            importlib.import_module("fastcore.templating")
        with pytest.raises(ImportError) as theirs:
            importlib.import_module("fastapi.templating")
        assert (
            str(ours.value)
            == str(theirs.value)
            == "jinja2 must be installed to use Jinja2Templates"
        )
    else:
        reference = _public_names(_import("fastapi", "templating"))
        assert reference - set(dir(_import("fastcore", "templating"))) == set()


def test_reexports_are_starlettes_own_objects() -> None:
    # Same objects, so isinstance checks and exception handlers keyed on them keep working.
    import starlette.middleware.cors
    import starlette.requests
    import starlette.responses
    import starlette.status

    from fastcore import requests, responses, status
    from fastcore.middleware import cors

    assert requests.Request is starlette.requests.Request
    assert responses.JSONResponse is starlette.responses.JSONResponse
    assert cors.CORSMiddleware is starlette.middleware.cors.CORSMiddleware
    assert status.HTTP_418_IM_A_TEAPOT == 418
    assert set(status.__all__) == set(starlette.status.__all__)


def test_status_keeps_renamed_codes_with_a_warning() -> None:
    from starlette.exceptions import StarletteDeprecationWarning

    from fastcore import status

    with pytest.warns(StarletteDeprecationWarning, match="HTTP_422_UNPROCESSABLE_CONTENT"):
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert "HTTP_422_UNPROCESSABLE_ENTITY" in dir(status)
    with pytest.raises(AttributeError):
        status.HTTP_999_NOPE  # noqa: B018


# --- responses ----------------------------------------------------------------------------


class FakeJSONLibrary:
    """Stands in for orjson/ujson (optional, maybe not installed) and records the call."""

    OPT_NON_STR_KEYS = 1
    OPT_SERIALIZE_NUMPY = 2

    def __init__(self, result: Any) -> None:
        self.result = result
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def dumps(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return self.result


@pytest.mark.parametrize(
    "class_name,library,result,expected_kwargs",
    [
        ("ORJSONResponse", "orjson", b"[1]", {"option": 3}),
        ("UJSONResponse", "ujson", "[1]", {"ensure_ascii": False}),
    ],
)
def test_json_library_responses(
    monkeypatch: pytest.MonkeyPatch, class_name: str, library: str, result: Any, expected_kwargs
) -> None:
    from fastcore import responses
    from fastcore.exceptions import FastAPIDeprecationWarning

    cls = getattr(responses, class_name)
    fake = FakeJSONLibrary(result)
    monkeypatch.setattr(responses, library, fake)
    with pytest.warns(FastAPIDeprecationWarning, match=f"{class_name} is deprecated"):
        response = cls({"k": "é"}, status_code=201)
    assert fake.calls == [(({"k": "é"},), expected_kwargs)]
    assert (response.body, response.status_code) == (b"[1]", 201)
    assert response.headers["content-type"] == "application/json"

    monkeypatch.setattr(responses, library, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FastAPIDeprecationWarning)
        with pytest.raises(
            AssertionError, match=f"{library} must be installed to use {class_name}"
        ):
            cls({"k": 1})


def test_json_library_responses_call_the_library_like_fastapi(monkeypatch) -> None:
    reference = pytest.importorskip("fastapi.responses")
    from fastcore import responses

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both classes are deprecated, on purpose
        for class_name, library in (("ORJSONResponse", "orjson"), ("UJSONResponse", "ujson")):
            calls = []
            for module in (responses, reference):
                fake = FakeJSONLibrary(b"x" if library == "orjson" else "x")
                monkeypatch.setattr(module, library, fake)
                getattr(module, class_name)({1: [2]})
                calls.append(fake.calls)
            assert calls[0] == calls[1]


def test_event_source_response_is_a_streaming_response() -> None:
    from starlette.responses import StreamingResponse

    from fastcore.responses import EventSourceResponse

    response = EventSourceResponse(iter([b"data: x\n\n"]))
    assert isinstance(response, StreamingResponse)
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"


# --- background tasks, thread helpers -----------------------------------------------------


def test_background_tasks_run_in_order_after_add_task() -> None:
    from fastcore.background import BackgroundTasks

    log: list[Any] = []

    def sync_task(x: int) -> None:
        log.append(("sync", x, threading.current_thread() is threading.main_thread()))

    async def async_task(x: int, *, y: int) -> None:
        log.append(("async", x, y))

    tasks = BackgroundTasks()
    tasks.add_task(sync_task, 1)
    tasks.add_task(async_task, 2, y=3)
    anyio.run(tasks)
    assert log == [("sync", 1, False), ("async", 2, 3)]


class RecordingContext:
    def __init__(self, suppress: bool = False) -> None:
        self.suppress = suppress
        self.log: list[Any] = []

    def __enter__(self) -> str:
        self.log.append(("enter", threading.current_thread() is threading.main_thread()))
        return "value"

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.log.append(("exit", exc_type, threading.current_thread() is threading.main_thread()))
        return self.suppress


def test_contextmanager_in_threadpool() -> None:
    from fastcore.concurrency import contextmanager_in_threadpool

    async def main() -> None:
        cm = RecordingContext()
        async with contextmanager_in_threadpool(cm) as value:
            assert value == "value"
        assert cm.log == [("enter", False), ("exit", None, False)]

        cm = RecordingContext()
        with pytest.raises(KeyError):
            async with contextmanager_in_threadpool(cm):
                raise KeyError("x")
        assert cm.log[-1] == ("exit", KeyError, False)

        cm = RecordingContext(suppress=True)
        async with contextmanager_in_threadpool(cm):
            raise KeyError("suppressed by __exit__")

        # __exit__ still runs, to completion, when the task is cancelled
        cm = RecordingContext()
        with anyio.move_on_after(0.05):
            async with contextmanager_in_threadpool(cm):
                await anyio.sleep(5)
        assert cm.log[-1][0] == "exit"
        assert issubclass(cm.log[-1][1], anyio.get_cancelled_exc_class())

    anyio.run(main)


# --- datastructures -----------------------------------------------------------------------


def test_upload_file_validates_and_documents_as_binary() -> None:
    from fastcore.datastructures import UploadFile

    adapter = TypeAdapter(UploadFile)
    upload = starlette.datastructures.UploadFile(io.BytesIO(b"x"), filename="f.txt")
    assert adapter.validate_python(upload) is upload
    with pytest.raises(ValidationError) as info:
        adapter.validate_python("not a file")
    assert info.value.errors(include_url=False)[0]["msg"] == (
        "Value error, Expected UploadFile, received: <class 'str'>"
    )
    assert info.value.title == "function-plain[_validate()]"
    assert adapter.json_schema() == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }

    class Form(BaseModel):
        files: list[UploadFile]

    assert Form.model_json_schema()["properties"]["files"]["items"] == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }


def test_upload_file_same_as_fastapi() -> None:
    reference = pytest.importorskip("fastapi.datastructures")
    from fastcore.datastructures import UploadFile

    for value in ("x", None, io.BytesIO(b"x")):
        errors = []
        for cls in (UploadFile, reference.UploadFile):
            with pytest.raises(ValidationError) as info:
                TypeAdapter(cls).validate_python(value)
            errors.append(str(info.value))
        assert errors[0] == errors[1]
    assert TypeAdapter(UploadFile).json_schema() == TypeAdapter(reference.UploadFile).json_schema()


def test_default_placeholder() -> None:
    from fastcore.datastructures import Default, DefaultPlaceholder

    marked = Default(0)
    assert isinstance(marked, DefaultPlaceholder)
    assert marked.value == 0
    assert not marked and Default([1])
    assert marked == Default(0) and marked != Default(1) and marked != 0
    with pytest.raises(TypeError):
        hash(marked)


def test_logger() -> None:
    from fastcore.logger import logger

    assert isinstance(logger, logging.Logger) and logger.name == "fastcore"
