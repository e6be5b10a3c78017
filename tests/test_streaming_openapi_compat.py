"""The OpenAPI document of streaming routes, side by side with FastAPI 0.165.

FastAPI describes a generator endpoint item by item, with OpenAPI 3.2's ``itemSchema``:
JSON Lines as ``application/jsonl``, events as ``text/event-stream`` objects whose
``data`` is the JSON of a declared item. Each app here is built once with ``fastapi`` and
once with ``fastcore``; the ``/openapi.json`` they serve must be the same text, keys in the
same order (users diff the bytes served). The ``test_known_*`` tests pin FastAPI's answers
literally, so that they hold where FastAPI is not installed.

FastAPI writes ``itemSchema`` into documents that say ``"openapi": "3.1.0"``, which the 3.1
schema does not allow, so validity is checked twice: as OpenAPI 3.2, and as 3.1 once the
item schemas are left out.

The routes' ``is_sse_stream``, ``is_json_stream``, ``stream_item_type`` and
``stream_item_field`` are compared with FastAPI's too.
"""

import copy
import importlib
import json
from collections.abc import AsyncGenerator, AsyncIterable, Generator, Iterable, Iterator
from types import ModuleType
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, computed_field

import fastcore
from fastcore.testclient import TestClient
from tests.apps.streaming_app import build_app

# FastAPI calls an ``async def`` endpoint under EventSourceResponse and never awaits it.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")


class Item(BaseModel):
    name: str
    price: float = 1.0


class Other(BaseModel):
    x: int


class Totalled(BaseModel):
    """Its output schema has a field its input schema lacks: two components."""

    amount: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return self.amount * 2


def submodule(fw: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{fw.__name__}.{name}")


def items_app(fw: ModuleType) -> Any:
    """Declared items of every shape, as JSON Lines and as events."""
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse
    app = fw.FastAPI()

    @app.get("/lines/model")
    async def lines_model() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/lines/sync-iterator")
    def lines_sync_iterator() -> Iterator[Item]:
        yield Item(name="a")

    @app.get("/lines/sync-iterable", status_code=201)
    def lines_sync_iterable() -> Iterable[Item]:
        yield Item(name="a")

    @app.get("/lines/generator")
    async def lines_generator() -> AsyncGenerator[Item, None]:
        yield Item(name="a")

    @app.get("/lines/sync-generator")
    def lines_sync_generator() -> Generator[int, None, None]:
        yield 1

    @app.get("/lines/optional")
    async def lines_optional() -> AsyncIterable[Item | None]:
        yield None

    @app.get("/lines/dict")
    async def lines_dict() -> AsyncIterable[dict[str, int]]:
        yield {}

    @app.get("/lines/bytes")
    async def lines_bytes() -> AsyncIterable[bytes]:
        yield b""

    @app.get("/lines/constrained")
    async def lines_constrained() -> AsyncIterable[
        Annotated[int, Field(gt=0, title="Not kept", description="Positive")]
    ]:
        yield 1

    @app.get("/lines/described-model")
    async def lines_described_model() -> AsyncIterable[
        Annotated[Item, Field(description="An item")]
    ]:
        yield Item(name="a")

    @app.get("/lines/computed")
    async def lines_computed() -> AsyncIterable[Totalled]:
        yield Totalled()

    @app.post("/lines/computed")
    async def lines_computed_in(body: Totalled) -> AsyncIterable[Totalled]:
        yield body

    @app.get("/lines/query", operation_id="count_up", tags=["lines"], summary="Count up")
    def lines_query(start: int = 0) -> Iterator[int]:
        """Numbers from ``start``."""
        yield start

    @app.get("/events/model", response_class=EventSourceResponse)
    async def events_model() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/events/sync", response_class=EventSourceResponse)
    def events_sync() -> Iterator[str]:
        yield "a"

    @app.get("/events/union", response_class=EventSourceResponse)
    async def events_union() -> AsyncIterable[Item | Other]:
        yield Other(x=1)

    @app.get("/events/list", response_class=EventSourceResponse)
    async def events_list() -> AsyncIterable[list[Item]]:
        yield []

    @app.get("/events/any", response_class=EventSourceResponse)
    async def events_any() -> AsyncIterable[Any]:
        yield 1

    @app.get("/events/titled-model", response_class=EventSourceResponse)
    async def events_titled_model() -> AsyncIterable[Annotated[Item, Field(title="Kept")]]:
        yield Item(name="a")

    @app.get("/events/computed", response_class=EventSourceResponse)
    async def events_computed() -> AsyncIterable[Totalled]:
        yield Totalled()

    @app.post("/events/validated", response_class=EventSourceResponse)
    async def events_validated(body: Item, q: int = 0) -> AsyncIterable[Item]:
        yield body

    return app


def undeclared_app(fw: ModuleType) -> Any:
    """Items that are not declared, and generators that are no stream of items."""
    sse = submodule(fw, "sse")
    responses = submodule(fw, "responses")
    EventSourceResponse, ServerSentEvent = sse.EventSourceResponse, sse.ServerSentEvent
    Default = submodule(fw, "datastructures").Default
    app = fw.FastAPI()

    @app.get("/lines/undeclared")
    async def lines_undeclared():
        yield 1

    @app.get("/lines/response-model", response_model=Item)
    async def lines_response_model():
        yield Item(name="a")  # Item is in the components all the same

    @app.get("/lines/response-model-and-items", response_model=list[Other])
    async def lines_response_model_and_items() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/lines/response-model-none", response_model=None)
    async def lines_response_model_none() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/lines/list-annotation")
    async def lines_list_annotation() -> list[Other]:
        yield Other(x=1)

    @app.get("/lines/events-annotation")
    async def lines_events_annotation() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(data=1)

    @app.get("/lines/no-content", status_code=204)
    async def lines_no_content() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/events/undeclared", response_class=EventSourceResponse)
    async def events_undeclared():
        yield 1

    @app.get("/events/events-annotation", response_class=EventSourceResponse)
    def events_events_annotation() -> Iterator[ServerSentEvent]:
        yield ServerSentEvent(data=1)

    @app.get("/events/response-model", response_class=EventSourceResponse, response_model=Item)
    async def events_response_model():
        yield Item(name="a")

    @app.get("/events/no-content", response_class=EventSourceResponse, status_code=204)
    async def events_no_content() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/events/plain-function", response_class=EventSourceResponse)
    def events_plain_function() -> list[Item]:
        return []

    class OtherMediaType(EventSourceResponse):
        media_type = "text/x-events"

    @app.get("/events/subclass", response_class=OtherMediaType, responses={404: {"model": Other}})
    async def events_subclass() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/chosen/json", response_class=responses.JSONResponse)
    async def chosen_json() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/chosen/html", response_class=responses.HTMLResponse)
    async def chosen_html() -> AsyncIterable[Item]:
        yield "<p>"

    @app.get("/chosen/streaming", response_class=responses.StreamingResponse)
    def chosen_streaming() -> Iterator[Item]:
        yield b""

    router = fw.APIRouter(default_response_class=responses.JSONResponse)

    @router.get("/chosen/by-router")
    async def chosen_by_router():
        yield 1

    app.include_router(router)
    included = fw.APIRouter()

    @included.get("/included")
    async def included_lines() -> AsyncIterable[int]:
        yield 1

    app.include_router(included, prefix="/as-json", default_response_class=responses.JSONResponse)
    app.include_router(included, prefix="/as-events", default_response_class=EventSourceResponse)
    app.include_router(included, prefix="/as-lines")

    async def wrapped_default():
        yield 1

    # A class given wrapped in Default counts as nobody's choice: described as JSON Lines,
    # even EventSourceResponse (which still sends events).
    app.router.add_api_route(
        "/default/plain-text", wrapped_default, response_class=Default(responses.PlainTextResponse)
    )
    app.router.add_api_route(
        "/default/events", wrapped_default, response_class=Default(EventSourceResponse)
    )
    return app


def responses_app(fw: ModuleType) -> Any:
    """``responses=`` and ``openapi_extra`` merged into a stream's description."""
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse
    app = fw.FastAPI()

    @app.get(
        "/lines/other-statuses",
        responses={404: {"model": Other, "description": "Gone"}, 500: {"description": "Oops"}},
    )
    async def lines_other_statuses() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get(
        "/lines/same-status",
        responses={
            200: {
                "description": "The items",
                "content": {
                    "application/json": {"example": 2},
                    "application/jsonl": {"x-note": "n", "example": {"name": "a"}},
                },
            }
        },
    )
    async def lines_same_status() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get("/lines/same-status-model", responses={200: {"model": Other}})
    async def lines_same_status_model():
        yield 1

    @app.get(
        "/lines/item-schema-merged",
        responses={200: {"content": {"application/jsonl": {"itemSchema": {"x-kind": "k"}}}}},
    )
    async def lines_item_schema_merged() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get(
        "/lines/range",
        responses={"2XX": {"model": Other}, 200: {"headers": {"X-Count": {"schema": {}}}}},
    )
    async def lines_range():
        yield 1

    @app.get(
        "/events/same-status",
        response_class=EventSourceResponse,
        responses={200: {"model": Other, "description": "Events"}, 404: {"model": Other}},
    )
    async def events_same_status() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get(
        "/events/item-schema-merged",
        response_class=EventSourceResponse,
        responses={
            200: {
                "content": {
                    "text/event-stream": {
                        "x-note": "n",
                        "itemSchema": {
                            "properties": {"data": {"x-kind": "k"}, "x-more": {}},
                            "required": ["id"],
                        },
                    }
                }
            }
        },
    )
    async def events_item_schema_merged() -> AsyncIterable[Item]:
        yield Item(name="a")

    @app.get(
        "/lines/extra",
        openapi_extra={"responses": {"200": {"content": {"application/jsonl": {"x-a": 1}}}}},
        response_description="Items, one a line",
        deprecated=True,
    )
    async def lines_extra() -> AsyncIterable[Item]:
        yield Item(name="a")

    return app


def callbacks_app(fw: ModuleType) -> Any:
    """Streams in callbacks and webhooks."""
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse
    app = fw.FastAPI()
    callbacks = fw.APIRouter()

    @callbacks.post("{$callback_url}/items")
    async def on_items(body: Item) -> AsyncIterable[Item]:
        yield body

    @callbacks.get("{$callback_url}/events", response_class=EventSourceResponse)
    def on_events() -> Iterator[int]:
        yield 1

    @app.post("/subscribe", callbacks=callbacks.routes)
    def subscribe(url: str):
        return {}

    @app.webhooks.post("new-items")
    async def new_items(item: Item) -> AsyncIterable[Item]:
        yield item

    @app.webhooks.get("ticks", response_class=EventSourceResponse)
    async def ticks():
        yield 1

    return app


def unified_schemas_app(fw: ModuleType) -> Any:
    """``separate_input_output_schemas=False``: items as inputs, but for computed fields."""
    EventSourceResponse = submodule(fw, "sse").EventSourceResponse
    app = fw.FastAPI(separate_input_output_schemas=False)

    @app.post("/lines")
    async def lines(body: Item) -> AsyncIterable[Item]:
        yield body

    @app.get("/lines/computed")
    async def lines_computed() -> AsyncIterable[Totalled]:
        yield Totalled()

    @app.post("/events", response_class=EventSourceResponse)
    async def events(body: Totalled) -> AsyncIterable[Totalled]:
        yield body

    return app


def json_default_app(fw: ModuleType) -> Any:
    """``FastAPI(default_response_class=JSONResponse)``: a choice, so no route streams lines."""
    app = fw.FastAPI(default_response_class=submodule(fw, "responses").JSONResponse)

    @app.get("/not-lines")
    async def not_lines() -> AsyncIterable[Item]:
        yield Item(name="a")

    return app


APPS = {
    "streaming_app": lambda fw: build_app(fw, []),
    "items": items_app,
    "undeclared": undeclared_app,
    "responses": responses_app,
    "callbacks": callbacks_app,
    "unified_schemas": unified_schemas_app,
    "json_default": json_default_app,
}


def served_text(fw: ModuleType, app: Any) -> str:
    client = importlib.import_module(f"{fw.__name__}.testclient").TestClient(app)
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.text


def served_document(name: str) -> dict[str, Any]:
    return json.loads(served_text(fastcore, APPS[name](fastcore)))


@pytest.mark.parametrize("name", APPS)
def test_same_document_as_fastapi(name):
    fastapi = pytest.importorskip("fastapi")
    assert served_text(fastcore, APPS[name](fastcore)) == served_text(fastapi, APPS[name](fastapi))


def without_item_schemas(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_item_schemas(v) for k, v in value.items() if k != "itemSchema"}
    if isinstance(value, list):
        return [without_item_schemas(item) for item in value]
    return value


@pytest.mark.parametrize("name", APPS)
def test_document_is_valid_openapi(name):
    validators = pytest.importorskip("openapi_spec_validator")
    document = served_document(name)
    as_3_2 = copy.deepcopy(document)
    as_3_2["openapi"] = "3.2.0"
    validators.OpenAPIV32SpecValidator(as_3_2).validate()
    validators.validate(without_item_schemas(document))


# --- literal answers -------------------------------------------------------------------------


EVENT_FIELDS = {
    "event": {"type": "string"},
    "id": {"type": "string"},
    "retry": {"type": "integer", "minimum": 0},
}
UNDECLARED_EVENT = {
    "type": "object",
    "properties": {"data": {"type": "string"}, **EVENT_FIELDS},
}


def declared_event(schema: dict[str, Any]) -> dict[str, Any]:
    data = {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}
    return {"type": "object", "properties": {"data": data, **EVENT_FIELDS}, "required": ["data"]}


def responses_of(document: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return document["paths"][path][method]["responses"]


def as_text(value: Any) -> str:
    return json.dumps(value)  # keys in their order


def test_known_json_lines():
    document = served_document("items")
    assert as_text(responses_of(document, "/lines/model")) == as_text(
        {
            "200": {
                "description": "Successful Response",
                "content": {
                    "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item"}}
                },
            }
        }
    )
    assert as_text(responses_of(document, "/lines/sync-iterable")["201"]["content"]) == as_text(
        {"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item"}}}
    )
    # Other than a model, an item is titled after the route, as a response model would be.
    assert as_text(responses_of(document, "/lines/constrained")["200"]["content"]) == as_text(
        {
            "application/jsonl": {
                "itemSchema": {
                    "type": "integer",
                    "exclusiveMinimum": 0,
                    "title": "Streamitem Lines Constrained Lines Constrained Get",
                    "description": "Positive",
                }
            }
        }
    )
    assert responses_of(document, "/lines/query")["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"type": "integer", "title": "Streamitem Count Up"}}
    }
    assert "422" in responses_of(document, "/lines/query")
    assert as_text(responses_of(document, "/lines/computed")["200"]["content"]) == as_text(
        {"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Totalled-Output"}}}
    )


def test_known_events():
    document = served_document("items")
    assert as_text(responses_of(document, "/events/model")["200"]["content"]) == as_text(
        {"text/event-stream": {"itemSchema": declared_event({"$ref": "#/components/schemas/Item"})}}
    )
    assert as_text(responses_of(document, "/events/sync")["200"]["content"]) == as_text(
        {
            "text/event-stream": {
                "itemSchema": declared_event(
                    {"type": "string", "title": "Streamitem Events Sync Events Sync Get"}
                )
            }
        }
    )
    assert responses_of(document, "/events/validated", "post")["422"] == {
        "description": "Validation Error",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
        },
    }


def test_known_undeclared_items():
    document = served_document("undeclared")
    lines = {"application/jsonl": {"itemSchema": {}}}
    events = {"text/event-stream": {"itemSchema": UNDECLARED_EVENT}}
    for path in (
        "/lines/undeclared",
        "/lines/response-model",
        "/lines/response-model-none",
        "/lines/list-annotation",
        "/lines/events-annotation",
        "/default/plain-text",
        "/default/events",
    ):
        assert responses_of(document, path)["200"]["content"] == lines, path
    for path in (
        "/events/undeclared",
        "/events/events-annotation",
        "/events/response-model",
    ):
        assert as_text(responses_of(document, path)["200"]["content"]) == as_text(events), path
    # A router included with a default class: its generators are described by that class.
    title = "Streamitem Included Lines As {} Included Get"
    assert responses_of(document, "/as-lines/included")["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"type": "integer", "title": title.format("Lines")}}
    }
    assert as_text(responses_of(document, "/as-events/included")["200"]["content"]) == as_text(
        {
            "text/event-stream": {
                "itemSchema": declared_event({"type": "integer", "title": title.format("Events")})
            }
        }
    )
    # A response model given to a generator documents nothing, but is a component still.
    assert {"Item", "Other"} <= document["components"]["schemas"].keys()
    # No body, no content; the declared item type is a component all the same.
    assert responses_of(document, "/lines/no-content") == {
        "204": {"description": "Successful Response"}
    }


def test_known_not_streams_of_items():
    document = served_document("undeclared")
    assert responses_of(document, "/events/plain-function")["200"]["content"] == {
        "text/event-stream": {"schema": {"type": "string"}}
    }
    for path in ("/chosen/json", "/chosen/by-router", "/as-json/included"):
        assert responses_of(document, path)["200"]["content"] == {
            "application/json": {"schema": {}}
        }, path
    assert responses_of(document, "/chosen/html")["200"]["content"] == {
        "text/html": {"schema": {"type": "string"}}
    }
    assert responses_of(document, "/chosen/streaming") == {
        "200": {"description": "Successful Response"}
    }
    # Whatever the subclass's media type, events are sent, and described, as text/event-stream;
    # other statuses are described with the class's own.
    subclass = responses_of(document, "/events/subclass")
    assert list(subclass["200"]["content"]) == ["text/event-stream"]
    assert list(subclass["404"]["content"]) == ["text/x-events"]


def test_known_responses_merged():
    """``responses=`` keys are merged into ``itemSchema`` and beside it; the OpenAPI models
    put their own fields (``schema``, ``example``) first."""
    document = served_document("responses")
    assert as_text(responses_of(document, "/lines/same-status")) == as_text(
        {
            "200": {
                "description": "The items",
                "content": {
                    "application/jsonl": {
                        "example": {"name": "a"},
                        "itemSchema": {"$ref": "#/components/schemas/Item"},
                        "x-note": "n",
                    },
                    "application/json": {"example": 2},
                },
            }
        }
    )
    assert as_text(responses_of(document, "/lines/same-status-model")["200"]["content"]) == (
        as_text(
            {
                "application/jsonl": {"itemSchema": {}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Other"}},
            }
        )
    )
    assert responses_of(document, "/lines/item-schema-merged")["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item", "x-kind": "k"}}
    }
    events = responses_of(document, "/events/same-status")
    assert as_text(events["200"]) == as_text(
        {
            "description": "Events",
            "content": {
                "text/event-stream": {
                    "schema": {"$ref": "#/components/schemas/Other"},
                    "itemSchema": declared_event({"$ref": "#/components/schemas/Item"}),
                }
            },
        }
    )
    merged = responses_of(document, "/events/item-schema-merged")["200"]["content"]
    item_schema = merged["text/event-stream"]["itemSchema"]
    assert list(merged["text/event-stream"]) == ["itemSchema", "x-note"]
    assert list(item_schema["properties"]) == ["data", "event", "id", "retry", "x-more"]
    assert item_schema["properties"]["data"]["x-kind"] == "k"
    assert item_schema["required"] == ["data", "id"]


# --- the routes' attributes ---------------------------------------------------------------------


def stream_attributes(route: Any) -> tuple[Any, ...]:
    field = route.stream_item_field
    return (
        route.is_sse_stream,
        route.is_json_stream,
        repr(route.stream_item_type),
        field is None,
        route.response_model,
    )


def direct_routes(app: Any, route_class: type) -> dict[tuple[str, str], Any]:
    """The routes added to ``app`` itself (FastAPI keeps included routers' routes apart)."""
    return {
        (route.path, ",".join(sorted(route.methods))): stream_attributes(route)
        for route in app.routes
        if isinstance(route, route_class)
    }


@pytest.mark.parametrize("name", APPS)
def test_route_attributes_like_fastapi(name):
    pytest.importorskip("fastapi")
    fastapi_routing = importlib.import_module("fastapi.routing")
    theirs = direct_routes(APPS[name](importlib.import_module("fastapi")), fastapi_routing.APIRoute)
    ours = direct_routes(APPS[name](fastcore), fastcore.routing.APIRoute)
    assert {key: ours.get(key) for key in theirs} == theirs


def test_known_route_attributes():
    routes = {route.path: route for route in undeclared_app(fastcore).routes}
    items = {route.path: route for route in items_app(fastcore).routes}

    def flags(route: Any) -> tuple[bool, bool]:
        return route.is_sse_stream, route.is_json_stream

    assert flags(items["/events/model"]) == (True, False)
    assert flags(items["/lines/model"]) == (False, True)
    assert items["/lines/model"].stream_item_type is Item
    field = items["/lines/model"].stream_item_field
    assert field is not None and field.annotation is Item
    for path in ("/lines/undeclared", "/lines/response-model", "/default/events"):
        assert flags(routes[path]) == (False, True), path
        assert routes[path].stream_item_type is routes[path].stream_item_field is None
    for path in (
        "/events/plain-function",
        "/chosen/json",
        "/chosen/html",
        "/chosen/by-router",
        "/as-json/included",
    ):
        assert flags(routes[path]) == (False, False), path
        assert routes[path].stream_item_type is None, path
    assert flags(routes["/as-events/included"]) == (True, False)
    assert routes["/events/events-annotation"].stream_item_type is None
    assert routes["/lines/response-model"].response_model is Item
    assert routes["/chosen/json"].response_model is None  # the annotation is no model either
    assert TestClient(undeclared_app(fastcore)).get("/default/events").content == b"data: 1\n\n"
