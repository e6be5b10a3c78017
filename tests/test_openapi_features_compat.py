"""OpenAPI features, side by side with FastAPI 0.165: the document and how it is served.

Each ``*_app`` function builds the same application against the ``fastapi``
or the ``fastcore`` module; the documents must be equal as JSON text, keys
in the same order (users diff the bytes served), and valid OpenAPI. The
served tests compare what ``/openapi.json``, ``/docs`` and ``/redoc``
answer, byte for byte, under the app's URL options, ``root_path``, an
overridden ``app.openapi`` and routes added after the document was built.

Known differences are kept visible as strict xfails: a FastAPI quirk that is
matched on purpose is said so where its app is built (``multi_method_app``).
"""

import dataclasses
import enum
import importlib
import json
import pathlib
import re
import subprocess
import sys
from types import ModuleType
from typing import Annotated, Any, Generic, Literal, TypeVar

import pytest
from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic.dataclasses import dataclass as pydantic_dataclass
from typing_extensions import TypedDict

import fastcore

fastapi = pytest.importorskip("fastapi")
T = TypeVar("T")


class Item(BaseModel):
    name: str
    price: float
    tax: float = 0.0  # a default: required on output, optional on input

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> float:
        return self.price + self.tax


class Tag(BaseModel):
    label: str


class Priced(BaseModel):
    """Its fields with defaults are required on output, so its two schemas differ."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    amount: float
    currency: str = "EUR"


@pydantic_dataclass
class Measure:
    value: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def doubled(self) -> float:
        return self.value * 2


class MeasureHolder(BaseModel):
    measure: Measure


class Catalog(BaseModel):
    items: list[Item]
    tags: list[Tag] = []


class Node(BaseModel):
    value: int
    children: "list[Node]" = []


Node.model_rebuild()


class Colour(str, enum.Enum):  # noqa: UP042 (the str mix-in FastAPI users write)
    red = "red"
    green = "green"


class Size(enum.IntEnum):
    small = 1
    large = 2


class Offer(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"title": "Sale", "percent": 10}]})

    title: str = Field(examples=["Spring sale"], description="Shown to buyers")
    percent: Annotated[int, Field(gt=0, le=100)]
    code: Annotated[str, Field(min_length=3, max_length=8, pattern=r"^[A-Z]+$")] = "SALE"
    colour: Colour = Colour.red
    kind: Literal["flat", "percent"] = "percent"


class Message(BaseModel):
    detail: str


# --- apps ---------------------------------------------------------------------------


def openapi_extra_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    # The body is read by hand; openapi_extra documents it (FastAPI's "custom request" recipe).
    @app.post(
        "/raw",
        openapi_extra={
            "requestBody": {
                "content": {"application/x-yaml": {"schema": {"type": "object"}}},
                "required": True,
            },
        },
    )
    async def raw(request: fw.Request):
        return {}

    # A declared body: openapi_extra adds a description and a second media type.
    @app.post(
        "/items",
        openapi_extra={
            "requestBody": {
                "description": "The item to add",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            "x-aperture-labs-portal": "blue",
            "x-nested": {"a": [1, 2], "b": {"c": None}},
        },
    )
    def add_item(item: Item):
        return item

    # openapi_extra replaces the schema of the declared body, and lists are replaced.
    @app.put(
        "/items/{item_id}",
        openapi_extra={
            "requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}},
            "parameters": [{"name": "x-trace", "in": "header", "schema": {"type": "string"}}],
            "responses": {"418": {"description": "Teapot"}},
            "summary": "Replaced summary",
            "operationId": "replaced_id",
        },
    )
    def replace_item(item_id: int, item: Item, q: str | None = None):
        return item

    @app.get("/extended", openapi_extra={"x-codeSamples": [{"lang": "sh", "source": "curl"}]})
    def extended():
        return {}

    return app


def separate_schemas_app(fw: ModuleType, separate: bool = True) -> Any:
    app = fw.FastAPI(separate_input_output_schemas=separate)

    @app.post("/items", response_model=Item)
    def create(item: Item):
        return item

    @app.get("/items", response_model=list[Item])
    def listing():
        return []

    @app.post("/catalogs")
    def catalog(catalog: Catalog) -> Catalog:
        return catalog

    @app.post("/two-bodies", response_model=Catalog)
    def two(item: Item, tag: Tag):
        return {"items": [item]}

    @app.get("/message", responses={404: {"model": Item}, 409: {"model": Priced}})
    def message():
        return {}

    @app.put("/prices")
    def price(priced: Priced) -> Priced:
        return priced

    @app.get("/prices", response_model=dict[str, Priced])
    def prices():
        return {}

    # Computed fields of a dataclass count only when it is the whole type (FastAPI 0.165).
    @app.post("/measure")
    def measure(measure: Measure) -> Measure:
        return measure

    @app.post("/measures")
    def measures(measures: list[Measure]) -> list[Measure]:
        return measures

    @app.post("/measure-holder")
    def measure_holder(holder: MeasureHolder) -> MeasureHolder:
        return holder

    return app


def shared_schemas_app(fw: ModuleType) -> Any:
    return separate_schemas_app(fw, separate=False)


def tag_and_name(route: Any) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def app_level_id(route: Any) -> str:
    return f"app_{route.name}"


def router_level_id(route: Any) -> str:
    return f"router_{route.name}"


def include_level_id(route: Any) -> str:
    return f"include_{route.name}"


def route_level_id(route: Any) -> str:
    return f"route_{route.name}"


def unique_id_app(fw: ModuleType) -> Any:
    app = fw.FastAPI(generate_unique_id_function=app_level_id)

    @app.post("/app", response_model=list[Item])
    def on_app(item: Item, tag: Tag):
        return []

    @app.post("/app-route", generate_unique_id_function=route_level_id, response_model=list[Tag])
    def on_app_route(item: Item, tag: Tag):
        return []

    @app.post("/explicit", operation_id="explicit_id", response_model=list[Tag])
    def explicit(item: Item, tag: Tag):
        return []

    plain = fw.APIRouter(prefix="/plain", tags=["plain"])

    @plain.post("/a", response_model=list[Tag])
    def plain_a(item: Item, tag: Tag):
        return []

    own = fw.APIRouter(prefix="/own", generate_unique_id_function=router_level_id)

    @own.post("/a", response_model=list[Tag])
    def own_a(item: Item, tag: Tag):
        return []

    @own.post("/b", generate_unique_id_function=route_level_id, response_model=list[Tag])
    def own_b(item: Item, tag: Tag):
        return []

    via_include = fw.APIRouter(prefix="/inc")

    @via_include.post("/a", response_model=list[Tag])
    def inc_a(item: Item, tag: Tag):
        return []

    own_and_include = fw.APIRouter(prefix="/both", generate_unique_id_function=router_level_id)

    @own_and_include.post("/a", response_model=list[Tag])
    def both_a(item: Item, tag: Tag):
        return []

    tagged = fw.APIRouter(prefix="/tagged", tags=["shop"])

    @tagged.get("/x", response_model=list[int])
    def tagged_x(q: int = 0):
        return []

    app.include_router(plain)
    app.include_router(own)
    app.include_router(via_include, generate_unique_id_function=include_level_id)
    app.include_router(own_and_include, generate_unique_id_function=include_level_id)
    app.include_router(tagged, generate_unique_id_function=tag_and_name)
    return app


def info_app(fw: ModuleType) -> Any:
    app = fw.FastAPI(
        title="Shop <API>",
        version="3.0.0",
        summary="All the shop",
        description="**Markdown** description\n\nwith paragraphs",
        terms_of_service="https://example.com/terms/",
        contact={"name": "Shop", "url": "https://example.com/contact", "email": "a@example.com"},
        license_info={"name": "Apache 2.0", "identifier": "Apache-2.0"},
        openapi_tags=[
            {"name": "items", "description": "Items", "externalDocs": {"url": "https://x.io"}},
            {
                "name": "users",
                "externalDocs": {"description": "More", "url": "https://example.com/users"},
            },
        ],
        servers=[
            {"url": "https://stag.example.com", "description": "Staging"},
            {"url": "https://example.com/{v}", "variables": {"v": {"default": "v1"}}},
        ],
        openapi_external_docs={"description": "Guide", "url": "https://example.com/guide"},
    )

    @app.get("/items", tags=["items"])
    def items():
        return []

    @app.get("/users", tags=["users", "items"])
    def users():
        return []

    return app


def license_url_app(fw: ModuleType) -> Any:
    app = fw.FastAPI(
        title="T",
        license_info={"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
        contact={"email": "only@example.com"},
    )
    app.openapi_version = "3.1.1"

    @app.get("/")
    def root():
        return {}

    return app


def responses_app(fw: ModuleType) -> Any:
    responses = importlib.import_module(f"{fw.__name__}.responses")
    app = fw.FastAPI(responses={500: {"description": "Server trouble"}})

    @app.get("/none", response_model=None)
    def no_model() -> Item:
        return Item(name="a", price=1)

    @app.get(
        "/unset",
        response_model=Item,
        response_model_exclude_unset=True,
        response_model_exclude_none=True,
        response_model_exclude_defaults=True,
        response_model_include={"name"},
        response_model_by_alias=False,
    )
    def unset():
        return {}

    @app.post("/created", status_code=201, response_description="Made it")
    def created(item: Item) -> Item:
        return item

    @app.delete("/gone", status_code=204)
    def gone():
        return None

    @app.get(
        "/rich",
        responses={
            404: {"model": Message, "description": "Not found"},
            200: {
                "content": {
                    "image/png": {},
                    "application/json": {"example": {"name": "x", "price": 1}},
                },
                "description": "Item or image",
            },
            "4XX": {
                "description": "Client errors",
                "content": {
                    "application/json": {
                        "examples": {"one": {"summary": "One", "value": {"detail": "bad"}}}
                    }
                },
            },
            302: {
                "description": "Elsewhere",
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
        },
        response_model=Item,
    )
    def rich():
        return {}

    @app.get("/html", response_class=responses.HTMLResponse, responses={404: {"model": Message}})
    def html():
        return "<p/>"

    @app.get("/plain", response_class=responses.PlainTextResponse, status_code=202)
    def plain():
        return "x"

    @app.get("/file", response_class=responses.FileResponse)
    def file():
        return "x"

    @app.get("/redirect", response_class=responses.RedirectResponse, status_code=307)
    def redirect():
        return "/"

    @app.get("/orjson", response_class=responses.Response, responses={200: {"model": Item}})
    def orjson():
        return responses.Response("{}")

    @app.get("/deprecated-route", deprecated=True)
    def deprecated_route():
        return {}

    @app.get("/not-deprecated", deprecated=False)
    def not_deprecated():
        return {}

    router = fw.APIRouter(prefix="/old", tags=["old"], deprecated=True)

    @router.get("/a", tags=["a"])
    def old_a():
        """Old A.

        Longer description
        on lines.
        \fInternal notes.
        """
        return {}

    @router.get("/b", deprecated=False, summary="Explicit summary", description="Explicit")
    def old_b():
        return {}

    hidden = fw.APIRouter(prefix="/hidden")

    @hidden.get("/a")
    def hidden_a():
        return {}

    @app.api_route("/one-method", methods=["put"], name="one_method")
    def one_method():
        return {}

    @app.api_route("/default-method")
    def default_method():
        return {}

    @app.get("/named", name="A custom name")
    def named_endpoint():
        return {}

    app.include_router(router, tags=["included"], responses={409: {"description": "Clash"}})
    app.include_router(hidden, include_in_schema=False)
    other = fw.APIRouter()

    @other.get("/other", include_in_schema=False)
    def other_hidden():
        return {}

    @other.get("/other-deprecated")
    def other_deprecated():
        return {}

    app.include_router(other, deprecated=True, tags=["other"])
    return app


def multi_method_app(fw: ModuleType) -> Any:
    """A route with several methods: FastAPI gives each method the same operationId
    (the route's unique id, from whichever method its set yields first), so the
    document is not valid OpenAPI, in FastAPI as in fastcore; both warn."""
    app = fw.FastAPI()
    router = fw.APIRouter(tags=["router"])

    @router.api_route("/multi", methods=["GET", "POST", "PATCH"], name="multi_op", tags=["multi"])
    def multi(q: int = 1):
        """Many methods."""
        return {}

    app.include_router(router, prefix="/r")
    return app


def types_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.get("/colours/{colour}")
    def colour_path(
        colour: Colour,
        size: Size = Size.small,
        shade: Literal["light", "dark"] = "light",
        mode: Literal[1, 2] | None = None,
        many: Annotated[list[Colour], fw.Query()] = [],  # noqa: B006
    ):
        return {}

    @app.get("/sizes/{size}")
    def size_path(size: Size, colours: Annotated[list[Colour] | None, fw.Query()] = None):
        return {}

    @app.get("/bounded")
    def bounded(
        n: Annotated[int, fw.Query(ge=1, le=10, description="How many")] = 5,
        ratio: Annotated[float, fw.Query(gt=0, lt=1)] = 0.5,
        name: Annotated[str, fw.Query(min_length=2, max_length=5, pattern="^[a-z]+$")] = "ab",
        code: Annotated[str | None, fw.Query(examples=["abc"], deprecated=True)] = None,
        tags: Annotated[list[str], fw.Query(min_length=1)] = ["a"],  # noqa: B006
        x_id: Annotated[int, fw.Header(gt=0)] = 1,
    ):
        return {}

    @app.post("/tree")
    def tree(node: Node) -> Node:
        return node

    @app.post("/catalog")
    def catalog(catalog: Catalog, offer: Offer) -> Catalog:
        return catalog

    @app.post("/offer")
    def offer(
        offer: Annotated[
            Offer,
            fw.Body(
                openapi_examples={
                    "normal": {"summary": "Normal", "value": {"title": "t", "percent": 5}},
                }
            ),
        ],
    ) -> Offer:
        return offer

    @app.post("/scalar")
    def scalar(
        amount: Annotated[int, fw.Body(gt=0, examples=[3])],
        note: Annotated[str | None, fw.Body(max_length=10)] = None,
    ):
        return {}

    @app.post("/embedded")
    def embedded(item: Annotated[Item, fw.Body(embed=True, title="The Item")]):
        return {}

    @app.get("/dict", response_model=dict[str, Node])
    def as_dict():
        return {}

    return app


class Described(BaseModel):
    """A model with a docstring.

    Shown in the document.
    \fNot shown: this part is for the code.
    """

    when: int = Field(default=1, deprecated=True, json_schema_extra={"x-unit": "s"})


class Shape(str, enum.Enum):  # noqa: UP042
    """Shapes of a thing."""

    round = "round"
    square = "square"


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class Coordinates(TypedDict):
    lat: float
    lon: float


def first_item_module() -> type[BaseModel]:
    class Item(BaseModel):  # the same name as the module's Item
        code: str

    return Item


OtherItem = first_item_module()


def more_types_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    router = fw.APIRouter(responses={418: {"model": Message, "description": "Teapot"}})

    @router.post("/described")
    def described(body: Described, shape: Shape = Shape.round) -> Described:
        return body

    @router.post("/generic", response_model=Page[Item])
    def generic(page: Page[Tag]):
        return page

    @router.post("/clash")
    def clash(a: Item, b: OtherItem) -> OtherItem:  # type: ignore[valid-type]
        return b

    @router.post("/point")
    def point(point: Point) -> Point:
        return point

    @router.get("/coordinates")
    def coordinates() -> Coordinates:
        return {"lat": 0, "lon": 0}

    @router.get("/optional", response_model=list[Item] | None)
    def optional():
        return None

    @router.get(
        "/params/{item_id}",
        responses={"default": {"description": "Anything else"}, 200: {"model": Tag}},
    )
    def params(
        item_id: Annotated[int, fw.Path(title="The ID", description="Which one")],
        q: Annotated[str | None, fw.Query(alias="item-query", examples=["x"])] = None,
        hidden: Annotated[str | None, fw.Query(include_in_schema=False)] = None,
        extra: Annotated[int, fw.Query(json_schema_extra={"x-extra": 1})] = 0,
        user_agent: Annotated[str | None, fw.Header()] = None,
        raw_header: Annotated[str | None, fw.Header(convert_underscores=False)] = None,
        session: Annotated[str | None, fw.Cookie()] = None,
        old: Annotated[int | None, fw.Query(deprecated=True)] = None,
    ) -> Item:
        return Item(name="a", price=1)

    @router.post("/form")
    def form(
        name: Annotated[str, fw.Form()],
        upload: Annotated[bytes, fw.File()],
        files: Annotated[list[fw.UploadFile], fw.File(description="Many")],
    ):
        return {}

    @router.post("/xml")
    def xml(payload: Annotated[str, fw.Body(media_type="application/xml")]):
        return {}

    @router.post("/optional-body")
    def optional_body(item: Item | None = None):
        return {}

    app.include_router(router, prefix="/more")
    return app


def examples_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    named = {"normal": {"summary": "Normal", "value": {"name": "x", "price": 1}}}

    @app.post("/items/{item_id}")
    def with_examples(
        item_id: Annotated[int, fw.Path(example=3)],
        item: Annotated[Item, fw.Body(example={"name": "x", "price": 1})],
        q: Annotated[int, fw.Query(example=5)] = 1,
        h: Annotated[str, fw.Header(example="x", openapi_examples={"o": {"value": "y"}})] = "",
        c: Annotated[str, fw.Cookie(openapi_examples={"c": {"value": "z"}})] = "",
    ):
        return {}

    @app.post("/named")
    def named_examples(
        item: Annotated[Item, fw.Body(example={"ignored": 1}, openapi_examples=named)],
    ):
        return {}

    @app.post("/embedded")
    def embedded(item: Annotated[Item, fw.Body(embed=True, openapi_examples=named)]):
        return {}

    @app.post("/form")
    def form_model(
        form: Annotated[Tag, fw.Form(openapi_examples={"t": {"value": {"label": "a"}}})],
    ):
        return {}

    @app.post("/form-field")
    def form_field(label: Annotated[str, fw.Form(example="a")]):
        return {}

    return app


def form_models_app(fw: ModuleType) -> Any:
    """Form models beside single form fields: the form carries the models' fields."""
    app = fw.FastAPI()

    @app.post("/tag-and-field")
    def tag_and_field(
        tag: Annotated[Tag, fw.Form(title="The tag", description="Its fields")],
        other: Annotated[str, fw.Form()],
    ):
        return {}

    @app.post("/two-models")
    def two_models(tag: Annotated[Tag, fw.Form()], message: Annotated[Message, fw.Form()]):
        return {}

    @app.post("/model-and-file")
    def model_and_file(tag: Annotated[Tag, fw.Form()], upload: Annotated[bytes, fw.File()]):
        return {}

    return app


def response_classes_app(fw: ModuleType) -> Any:
    """What a response class does to the main response: its media type, its schema (a
    string for anything but JSON, even with a model) and its default status."""
    responses = importlib.import_module(f"{fw.__name__}.responses")

    class CSVResponse(responses.Response):
        media_type = "text/csv"

    class BinaryResponse(responses.Response):
        media_type = "application/octet-stream"

    class JSONTextResponse(responses.Response):  # JSON media type, but not a JSONResponse
        media_type = "application/json"

    class APIJSONResponse(responses.JSONResponse):
        media_type = "application/vnd.api+json"

    class AcceptedResponse(responses.JSONResponse):
        def __init__(self, content: Any = None, status_code: int = 202, **options: Any):
            super().__init__(content, status_code=status_code, **options)

    app = fw.FastAPI()
    classes = [
        responses.HTMLResponse,
        responses.PlainTextResponse,
        responses.RedirectResponse,
        responses.StreamingResponse,
        responses.FileResponse,
        responses.Response,
        CSVResponse,
        BinaryResponse,
        JSONTextResponse,
        APIJSONResponse,
        AcceptedResponse,
    ]
    for response_class in classes:
        for model in (Item, None):
            path = f"/{response_class.__name__}/{'model' if model else 'none'}"

            @app.get(
                path,
                response_class=response_class,
                response_model=model,
                responses={404: {"model": Message}},
                operation_id=path.replace("/", "_"),
            )
            def endpoint():
                return {}

    @app.get("/accepted-as-ok", response_class=AcceptedResponse, status_code=200)
    def accepted_as_ok():
        return {}

    return app


def response_keys_app(fw: ModuleType) -> Any:
    """``responses`` keys: ranges are written in capitals; 4XX and default cover the 422."""
    app = fw.FastAPI()
    keys: list[int | str] = ["4xx", "4XX", "default", "5xx", "2xx", 299, "422", 400]
    for key in keys:

        @app.get(f"/{key}", responses={key: {"description": "Declared"}}, operation_id=f"op_{key}")
        def endpoint(q: int = 0):
            return {}

    for key in ["default", "1XX", "2XX", "3XX", "4XX", "5XX", 418, 299, "404"]:

        @app.get(f"/model/{key}", responses={key: {"model": Message}}, operation_id=f"model_{key}")
        def with_model(q: int = 0):
            return {}

    return app


class Query(BaseModel):
    """Parameters read from a model: their titles are FastAPI's, after their defaults."""

    page_size: int = Field(10, alias="page-size", le=50)
    sort: str = Field("name", title="Sort order", description="A field name")
    since: int | None = None


# Extra responses, merged into the operation in FastAPI's key order.
EXTRA_RESPONSES: list[dict[str, Any]] = [
    {"responses": {404: {"model": Message}}},
    {
        "responses": {
            401: {"model": Message, "description": "Who?", "headers": {"X": {"schema": {}}}}
        }
    },
    {
        "responses": {
            404: {
                "content": {"image/png": {}, "application/json": {"example": {"detail": "x"}}},
                "model": Message,
                "links": {},
            }
        }
    },
    {"responses": {200: {"description": "Over", "headers": {"X-Count": {"schema": {}}}}}},
    {"responses": {200: {"headers": {"X": {"schema": {}}}, "description": "Ok"}}, "model": Tag},
    {"responses": {200: {"content": {"text/plain": {"example": "x"}}, "model": Message}}},
    {
        "responses": {
            404: {
                "description": "Gone",
                "content": {"application/json": {"schema": {"type": "object"}}},
                "model": Message,
            }
        }
    },
    # Not a model: the schema is titled after the status and the operation.
    {"responses": {404: {"x-note": 1, "model": dict[str, int]}, 422: {"description": "Mine"}}},
    {"responses": {"4XX": {"model": list[Message]}, "default": {"model": int}}},
    {"responses": {422: {"model": Message}}},
    {"responses": {201: {"model": Message}, 200: {"description": "Also"}}, "status_code": 201},
    {"responses": {404: {}}},
    {"responses": {404: {"model": Message}}, "response_class": "HTMLResponse"},
    {"responses": {200: {"model": Message, "description": "D"}}, "response_class": "Plain"},
]


def key_order_app(fw: ModuleType) -> Any:
    """Operations whose keys FastAPI writes in its own order.

    An operation that reads a parameter stays a plain dict in the document (the
    ``PathItem | Any`` of the models), so the order it is built in is what is
    served; one without parameters is reordered by the models. Each case is
    built both ways.
    """
    security = importlib.import_module(f"{fw.__name__}.security")
    responses = importlib.import_module(f"{fw.__name__}.responses")
    oauth2 = security.OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read"})
    api_key = security.APIKeyHeader(name="X-Key")
    callbacks = fw.APIRouter()

    @callbacks.post("{$callback_url}/done", responses={404: {"model": Message}})
    def done(body: Tag, key: Annotated[str, fw.Depends(api_key)], q: int = 0):
        pass

    app = fw.FastAPI()

    @app.post(
        "/everything/{item_id}",
        tags=["t"],
        summary="S",
        description="D",
        operation_id="everything",
        deprecated=True,
        callbacks=callbacks.routes,
        status_code=201,
        response_description="Made",
        responses={404: {"model": Message}, 500: {"description": "Oops", "model": Message}},
        openapi_extra={"x-extra": 1, "externalDocs": {"url": "https://example.com"}},
    )
    def everything(
        item_id: int,
        item: Item,
        token: Annotated[str, fw.Security(oauth2, scopes=["read"])],
        q: str | None = None,
    ) -> Tag:
        return Tag(label="x")

    @app.get("/secured")
    def secured(token: Annotated[str, fw.Depends(oauth2)]):
        return {}

    @app.post("/secured-body", callbacks=callbacks.routes)
    def secured_body(token: Annotated[str, fw.Depends(oauth2)], tag: Tag):
        return {}

    @app.post("/optional-body")
    def optional_body(tag: Tag | None = None, count: Annotated[int, fw.Body()] = 1):
        return {}

    @app.get("/query-model")
    def query_model(query: Annotated[Query, fw.Query()]):
        return {}

    classes = {"HTMLResponse": responses.HTMLResponse, "Plain": responses.PlainTextResponse}
    for number, case in enumerate(EXTRA_RESPONSES):
        options = dict(case)
        if "response_class" in options:
            options["response_class"] = classes[options["response_class"]]
        if "model" in options:
            options["response_model"] = options.pop("model")

        def with_parameter(q: int = 0):
            return {}

        def without_parameter():
            return {}

        app.get(f"/extra/{number}/param", **options)(with_parameter)
        app.get(f"/extra/{number}/plain", **options)(without_parameter)
    return app


def callback_parameters_app(fw: ModuleType) -> Any:
    """Only a callback reads parameters: FastAPI adds no 422 schemas to the components,
    so the callback's 422 refers to a schema the document lacks (openapi-spec-validator
    does not follow references inside callbacks). Matched on purpose."""
    callbacks = fw.APIRouter()

    @callbacks.post("{$callback_url}/events")
    def event(body: Tag, attempt: int = 1):
        pass

    app = fw.FastAPI()

    @app.post("/subscribe", callbacks=callbacks.routes)
    def subscribe():
        return {}

    return app


DOCUMENTED_APPS = {
    "key_order": key_order_app,
    "callback_parameters": callback_parameters_app,
    "openapi_extra": openapi_extra_app,
    "separate_schemas": separate_schemas_app,
    "shared_schemas": shared_schemas_app,
    "unique_id": unique_id_app,
    "info": info_app,
    "license_url": license_url_app,
    "responses": responses_app,
    "multi_method": multi_method_app,
    "types": types_app,
    "more_types": more_types_app,
    "examples": examples_app,
    "form_models": form_models_app,
    "response_keys": response_keys_app,
    "response_classes": response_classes_app,
}


def as_text(document: dict[str, Any]) -> str:
    # Compared as JSON text, keys in their order: 0 and 0.0 are equal in Python, not on
    # the wire, and users diff the served bytes.
    return json.dumps(document, indent=1)


@pytest.mark.parametrize("name", DOCUMENTED_APPS)
def test_same_document_as_fastapi(name: str) -> None:
    build = DOCUMENTED_APPS[name]
    assert as_text(build(fastcore).openapi()) == as_text(build(fastapi).openapi())


@pytest.mark.parametrize("name", sorted(DOCUMENTED_APPS.keys() - {"multi_method"}))
def test_document_is_valid_openapi(name: str) -> None:
    validate = pytest.importorskip("openapi_spec_validator").validate
    validate(DOCUMENTED_APPS[name](fastcore).openapi())


def duplicate_ids_app(fw: ModuleType) -> Any:
    app = multi_method_app(fw)

    @app.get("/x", operation_id="same")
    def first():
        return 1

    @app.get("/y", operation_id="same")
    def second():
        return 1

    return app


def test_duplicate_operation_ids_are_warned_about() -> None:
    messages = []
    for fw in (fastcore, fastapi):
        with pytest.warns(UserWarning) as caught:
            duplicate_ids_app(fw).openapi()
        messages.append(sorted(str(warning.message) for warning in caught))
    assert messages[0] == messages[1]
    assert len(messages[0]) == 3  # two more methods of /r/multi, and /y


def plain_field_body_app(fw: ModuleType) -> Any:
    """A plain pydantic ``Field()`` in ``Annotated`` on a model: FastAPI reads a body."""
    app = fw.FastAPI()

    @app.post("/tree")
    def tree(node: Annotated[Node, Field(title="Root")]):
        return {}

    return app


def optional_form_model_app(fw: ModuleType) -> Any:
    """An optional form model: FastAPI reads its fields from the form when any is sent."""
    app = fw.FastAPI()

    @app.post("/tag")
    def tag(other: Annotated[str, fw.Form()], tag: Annotated[Tag | None, fw.Form()] = None):
        return {}

    return app


def test_plain_field_in_annotated_is_a_body() -> None:
    ours, reference = (plain_field_body_app(fw).openapi() for fw in (fastcore, fastapi))
    assert as_text(ours) == as_text(reference)


@pytest.mark.xfail(
    strict=True,
    reason="fastcore reads an optional form model's fields from the form now (see "
    "tests/test_params_annotated_compat.py), but fastcore.openapi documents it as a required "
    "model; FastAPI: allOf [anyOf [not (anyOf required <field>...), anyOf [$ref] + title]]",
)
def test_optional_form_model() -> None:
    ours, reference = (optional_form_model_app(fw).openapi() for fw in (fastcore, fastapi))
    assert as_text(ours) == as_text(reference)


def test_separate_schemas_differ_for_input_and_output() -> None:
    separate = separate_schemas_app(fastcore).openapi()["components"]["schemas"]
    shared = shared_schemas_app(fastcore).openapi()["components"]["schemas"]
    assert {"Item-Input", "Item-Output", "Priced-Input", "Priced-Output"} <= separate.keys()
    assert "total" in separate["Item-Output"]["properties"]
    assert "Priced" in shared and "Priced-Input" not in shared
    # FastAPI keeps both schemas of a model with computed fields even when asked not to:
    # the input one would lack the computed fields that every response carries.
    assert {"Item-Input", "Item-Output"} <= shared.keys()


def test_unique_id_precedence() -> None:
    operations = {
        path: next(iter(item.values()))["operationId"]
        for path, item in unique_id_app(fastcore).openapi()["paths"].items()
    }
    assert operations == {
        "/app": "app_on_app",
        "/app-route": "route_on_app_route",
        "/explicit": "explicit_id",
        "/plain/a": "app_plain_a",
        "/own/a": "router_own_a",
        "/own/b": "route_own_b",
        "/inc/a": "include_inc_a",
        "/both/a": "router_both_a",
        "/tagged/x": "shop-tagged_x",
    }


def refusal(build: Any) -> tuple[type[BaseException], str] | None:
    try:
        build()
    except (AssertionError, ValueError) as error:
        return type(error), str(error)
    return None


@pytest.mark.parametrize(
    "options",
    [
        {"status_code": 204, "response_model": Item},
        {"status_code": 304, "response_model": Item},
        {"status_code": 204, "responses": {200: {"model": Item}}},
        {"responses": {205: {"model": Item}}},
        {"responses": {"1XX": {"model": Item}}},
        {"responses": {"4xx": {"model": Item}}},  # FastAPI fails in int(): kept
        {"status_code": 204, "responses": {204: {"description": "No body, no model"}}},
    ],
)
def test_models_for_statuses_without_a_body_are_refused(options: dict[str, Any]) -> None:
    def build(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        app.get("/", **options)(lambda: None)
        return app

    assert refusal(lambda: build(fastcore)) == refusal(lambda: build(fastapi))


def test_inferred_model_for_a_status_without_a_body_is_refused() -> None:
    def build(fw: ModuleType) -> Any:
        router = fw.APIRouter()

        @router.get("/", status_code=204)
        def endpoint() -> Item:
            return Item(name="a", price=1)

    assert refusal(lambda: build(fastcore)) == refusal(lambda: build(fastapi)) is not None


def test_root_path_parameter_is_deprecated() -> None:
    caught = []
    for fw in (fastcore, fastapi):
        with pytest.warns(fw.exceptions.FastAPIDeprecationWarning) as warned:
            fw.FastAPI(root_path="/proxy")
        caught.append([str(warning.message) for warning in warned])
    assert caught[0] == caught[1]


# --- served -------------------------------------------------------------------------


def client(fw: ModuleType, app: Any, **kwargs: Any) -> Any:
    return importlib.import_module(f"{fw.__name__}.testclient").TestClient(app, **kwargs)


def served(fw: ModuleType, build: Any, paths: list[str], **client_kwargs: Any) -> list[Any]:
    """Status, body (JSON when it is JSON) and, for JSON, the bytes as text, keys in
    their order, of each path of the app ``build(fw)``."""
    app = build(fw)
    with client(fw, app, **client_kwargs) as test_client:
        answers = []
        for path in paths:
            response = test_client.get(path)
            is_json = response.headers.get("content-type", "").startswith("application/json")
            body = response.json() if is_json else None
            answers.append((response.status_code, body, response.text if is_json else None))
        return answers


def overridden_openapi_app(fw: ModuleType) -> Any:
    utils = importlib.import_module(f"{fw.__name__}.openapi.utils")
    app = fw.FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> Item:
        return Item(name="a", price=1)

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = utils.get_openapi(
            title="Custom title",
            version="2.5.0",
            summary="Custom summary",
            description="Custom **description**",
            routes=app.routes,
        )
        schema["info"]["x-logo"] = {"url": "https://example.com/logo.png"}
        app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = custom_openapi
    return app


def test_overridden_openapi_is_served() -> None:
    ours, reference = (
        served(fw, overridden_openapi_app, ["/openapi.json"]) for fw in (fastcore, fastapi)
    )
    assert ours == reference
    assert ours[0][1]["info"]["x-logo"]
    assert overridden_openapi_app(fastcore).openapi() == ours[0][1]


def get_openapi_arguments_app(fw: ModuleType) -> Any:
    """``get_openapi`` called directly with every argument it takes."""
    utils = importlib.import_module(f"{fw.__name__}.openapi.utils")
    app = separate_schemas_app(fw)
    hooks = fw.APIRouter()

    @hooks.post("ping")
    def ping(item: Item):
        pass

    return utils.get_openapi(
        title="T",
        version="1",
        openapi_version="3.1.0",
        summary="S",
        description="D",
        routes=app.routes,
        webhooks=hooks.routes,
        tags=[{"name": "t"}],
        servers=[{"url": "/v1"}],
        terms_of_service="https://example.com/tos",
        contact={"name": "C"},
        license_info={"name": "L"},
        separate_input_output_schemas=False,
        external_docs={"url": "https://example.com"},
    )


def served_example_documents(framework: str) -> dict[str, dict[str, str]]:
    command = [sys.executable, "-m", "tests.apps.served_openapi", framework]
    root = pathlib.Path(__file__).resolve().parent.parent
    finished = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    return json.loads(finished.stdout)


def test_examples_serve_the_same_bytes_as_fastapi() -> None:
    """Every app of examples/app.py and examples/docs/, with the import swapped: the
    pages show excerpts of these documents, and say they are FastAPI's."""
    ours, reference = (served_example_documents(fw) for fw in ("fastcore", "fastapi"))
    assert ours.keys() == reference.keys()
    for module, documents in ours.items():
        assert documents.keys() == reference[module].keys(), module
        for app, text in documents.items():
            assert text == reference[module][app], f"{module}.{app}"


def test_get_openapi_arguments() -> None:
    ours, reference = (get_openapi_arguments_app(fw) for fw in (fastcore, fastapi))
    assert as_text(ours) == as_text(reference)


def url_options_app(**options: Any) -> Any:
    def build(fw: ModuleType) -> Any:
        app = fw.FastAPI(**options)

        @app.get("/items")
        def items():
            return []

        return app

    return build


DOC_PATHS = [
    "/openapi.json",
    "/docs",
    "/redoc",
    "/docs/oauth2-redirect",
    "/api/schema.json",
    "/documentation",
    "/re",
    "/items",
]

URL_OPTIONS = {
    "defaults": {},
    "no_openapi": {"openapi_url": None},
    "no_openapi_but_docs_urls": {"openapi_url": None, "docs_url": "/docs", "redoc_url": "/re"},
    "no_docs": {"docs_url": None},
    "no_redoc": {"redoc_url": None},
    "no_oauth2_redirect": {"swagger_ui_oauth2_redirect_url": None},
    "custom_urls": {
        "openapi_url": "/api/schema.json",
        "docs_url": "/documentation",
        "redoc_url": "/re",
    },
    "servers": {"servers": [{"url": "https://example.com", "description": "Prod"}]},
    "root_path_param": {"root_path": "/proxy"},
    "root_path_param_with_servers": {"root_path": "/proxy", "servers": [{"url": "/other"}]},
    "root_path_not_in_servers": {"root_path": "/proxy", "root_path_in_servers": False},
}


@pytest.mark.parametrize("name", URL_OPTIONS)
def test_documentation_urls(name: str) -> None:
    build = url_options_app(**URL_OPTIONS[name])
    ours, reference = (served(fw, build, DOC_PATHS) for fw in (fastcore, fastapi))
    assert ours == reference


@pytest.mark.parametrize("root_path", ["/proxy", "/proxy/", "/a/b"])
@pytest.mark.parametrize(
    "options", [{}, {"servers": [{"url": "https://example.com"}]}, {"root_path_in_servers": False}]
)
def test_document_behind_a_proxy(root_path: str, options: dict[str, Any]) -> None:
    build = url_options_app(**options)
    paths = ["/openapi.json", "/openapi.json"]  # the second answer must not change
    ours, reference = (served(fw, build, paths, root_path=root_path) for fw in (fastcore, fastapi))
    assert ours == reference


def test_document_asked_before_served_behind_a_proxy() -> None:
    def build(fw: ModuleType) -> Any:
        app = url_options_app()(fw)
        app.openapi()  # cached before the first request
        return app

    ours, reference = (
        served(fw, build, ["/openapi.json"], root_path="/proxy") for fw in (fastcore, fastapi)
    )
    assert ours == reference


def swagger_config(html: str) -> list[str]:
    """The lines of the page's ``SwaggerUIBundle({...})`` and ``initOAuth`` configuration.

    The asset URLs differ (fastcore serves vendored copies), and so may indentation;
    the configuration the browser gets must not.
    """
    script = html[html.index("SwaggerUIBundle({") :]
    lines = [line.strip() for line in script.splitlines()]
    return [line for line in lines if line and not line.startswith("<")]


DOCS_OPTIONS = {
    "defaults": {},
    "parameters": {
        "swagger_ui_parameters": {
            "syntaxHighlight": False,
            "deepLinking": False,
            "defaultModelsExpandDepth": -1,
            "syntaxHighlight.theme": "obsidian",
            "docExpansion": "none",
            "syntaxHighlight.activate": True,
            "requestSnippets": {"generators": {"curl_bash": {"title": "cURL"}}, "languages": None},
            "supportedSubmitMethods": ["get", "post"],
        }
    },
    "oauth": {
        "swagger_ui_oauth2_redirect_url": "/auth/callback",
        "swagger_ui_init_oauth": {"clientId": "abc", "scopes": ["read", "write"], "usePkce": True},
    },
    "no_redirect": {"swagger_ui_oauth2_redirect_url": None},
    "root_path": {"root_path": "/proxy", "openapi_url": "/spec.json"},
}


@pytest.mark.parametrize("name", DOCS_OPTIONS)
def test_swagger_ui_configuration(name: str) -> None:
    pages = []
    for fw in (fastcore, fastapi):
        app = url_options_app(title="Shop", **DOCS_OPTIONS[name])(fw)
        response = client(fw, app).get("/docs")
        assert response.status_code == 200
        pages.append(response.text)
    ours, reference = pages
    assert swagger_config(ours) == swagger_config(reference)
    title = re.compile(r"<title>(.*)</title>")
    assert title.findall(ours) == title.findall(reference)


@pytest.mark.parametrize("name", ["defaults", "root_path"])
def test_redoc_points_at_the_same_document(name: str) -> None:
    spec_url = re.compile(r'<redoc spec-url="([^"]*)"')
    found = []
    for fw in (fastcore, fastapi):
        app = url_options_app(title="Shop", **DOCS_OPTIONS[name])(fw)
        found.append(spec_url.findall(client(fw, app).get("/redoc").text))
    assert found[0] == found[1] != []


def test_overridden_openapi_behind_a_proxy() -> None:
    """A document of the user's own gets the root path as a server too, at its end,
    and the document the function keeps is not changed."""
    answers = []
    for fw in (fastcore, fastapi):
        app = overridden_openapi_app(fw)
        proxied = client(fw, app, root_path="/shop").get("/shop/openapi.json")
        direct = client(fw, app).get("/openapi.json")
        answers.append((proxied.text, direct.text, "servers" in app.openapi()))
    assert answers[0] == answers[1]
    assert json.loads(answers[0][0])["servers"] == [{"url": "/shop"}]
    assert list(json.loads(answers[0][0]))[-1] == "servers"
    assert "servers" not in json.loads(answers[0][1])


@pytest.mark.parametrize(
    "options", [{}, {"servers": [{"url": "https://example.com"}]}, {"servers": [{"url": "/a"}]}]
)
def test_root_paths_do_not_pile_up(options: dict[str, Any]) -> None:
    """Each request gets its own root path as first server; the app's servers and the
    kept document do not change."""
    answers = []
    for fw in (fastcore, fastapi):
        app = url_options_app(**options)(fw)
        texts = [
            client(fw, app, root_path=root_path).get(f"{root_path}/openapi.json").text
            for root_path in ["/a", "/b", "", "/a"]
        ]
        answers.append((texts, app.servers, json.dumps(app.openapi())))
    assert answers[0] == answers[1]
    assert answers[0][1] == options.get("servers", [])


def late_routes(fw: ModuleType, scenario: str) -> list[Any]:
    """What ``/openapi.json`` and ``app.openapi()`` say before and after ``scenario``
    changes the app: the paths, and whether the kept document is the same object."""
    routing = importlib.import_module(f"{fw.__name__}.routing")
    app = url_options_app()(fw)
    test_client = client(fw, app)
    seen: list[Any] = []

    def look() -> None:
        document = app.openapi()
        seen.append(list(test_client.get("/openapi.json").json()["paths"]))
        seen.append(list(document["paths"]))
        seen.append(app.openapi() is document)

    router = fw.APIRouter()
    router.get("/in-router")(lambda: 1)
    if scenario == "included router grows":
        app.include_router(router, prefix="/r")
    if scenario == "own document set before the first build":
        app.openapi_schema = {"openapi": "3.1.0", "info": {"title": "Mine", "version": "1"}}
    look()
    first = app.openapi()
    if scenario == "route added":
        app.get("/late")(lambda: 1)
    elif scenario == "hidden route added":
        app.get("/late", include_in_schema=False)(lambda: 1)
    elif scenario == "plain route added":
        app.add_route("/plain", lambda request: None)
    elif scenario == "router included":
        app.include_router(router)
    elif scenario == "empty router included":
        app.include_router(fw.APIRouter())
    elif scenario == "included router grows":
        router.get("/later")(lambda: 1)
    elif scenario == "route added to the app's router":
        app.router.add_api_route("/late", lambda: 1)
    elif scenario == "app mounted":
        app.mount("/sub", fw.FastAPI())
    elif scenario == "route appended by hand":
        app.router.routes.append(routing.APIRoute("/by-hand", lambda: 1))
    elif scenario == "route removed by hand":
        app.router.routes.pop()
    elif scenario == "webhook added":
        app.webhooks.post("hook")(lambda: 1)
    elif scenario == "title changed":
        app.title = "Renamed"
    elif scenario == "title changed and route added":
        app.title = "Renamed"
        app.get("/late")(lambda: 1)
    elif scenario == "schema set to None":
        app.title = "Renamed"
        app.openapi_schema = None
    elif scenario in ("own document set after the build", "own document set before and after"):
        app.openapi_schema = {"openapi": "3.1.0", "info": {"title": "Mine", "version": "1"}}
        app.openapi_schema["paths"] = {}
    elif scenario == "own document set, then route added":
        app.openapi_schema = {"openapi": "3.1.0", "info": {"title": "Mine", "version": "1"}}
        app.openapi_schema["paths"] = {}
        app.get("/late")(lambda: 1)
    elif scenario == "kept document changed in place":
        first["info"]["x-logo"] = {"url": "logo.png"}
    look()
    seen.append(app.openapi()["info"])
    seen.append(app.openapi() is first)
    return seen


@pytest.mark.parametrize(
    "scenario",
    [
        "nothing",
        "route added",
        "hidden route added",
        "plain route added",
        "router included",
        "empty router included",
        "included router grows",
        "route added to the app's router",
        "app mounted",
        "route appended by hand",
        "route removed by hand",
        "webhook added",
        "title changed",
        "title changed and route added",
        "schema set to None",
        "own document set before the first build",
        "own document set after the build",
        "own document set, then route added",
        "kept document changed in place",
    ],
)
def test_routes_added_after_the_document_was_built(scenario: str) -> None:
    """FastAPI 0.165 builds the document again when routes were added since: by the
    router's methods, to the app or to a router included in it; not for mounts,
    webhooks or edits of ``routes`` by hand. Otherwise it is built once."""
    assert late_routes(fastcore, scenario) == late_routes(fastapi, scenario)


def test_document_is_built_once_while_routes_do_not_change(monkeypatch: Any) -> None:
    applications = importlib.import_module("fastcore.applications")
    builds = []
    real = applications.get_openapi

    def counting(**kwargs: Any) -> dict[str, Any]:
        builds.append(1)
        return real(**kwargs)

    monkeypatch.setattr(applications, "get_openapi", counting)
    app = url_options_app()(fastcore)
    test_client = client(fastcore, app)
    for _ in range(3):
        test_client.get("/openapi.json")
        app.openapi()
    assert len(builds) == 1
    app.get("/late")(lambda: 1)
    for _ in range(3):
        assert "/late" in test_client.get("/openapi.json").json()["paths"]
    assert len(builds) == 2


def test_route_description_is_cut_at_the_form_feed() -> None:
    """The route keeps only the text before a form feed, stripped, from its docstring
    and from ``description=`` alike."""
    texts = ["  Shown.\n\n  Also shown.  \f hidden", "\fonly after", "Plain.", " ", ""]
    found = []
    for fw in (fastcore, fastapi):
        app = fw.FastAPI()
        for number, text in enumerate(texts):

            def documented():
                return 1

            documented.__doc__ = text
            app.get(f"/doc/{number}")(documented)
            app.get(f"/explicit/{number}", description=text)(lambda: 1)
        routes = [route for route in app.routes if isinstance(route, fw.routing.APIRoute)]
        found.append(([route.description for route in routes], as_text(app.openapi())))
    assert found[0] == found[1]


def test_oauth2_redirect_page_at_its_custom_url() -> None:
    for fw in (fastcore, fastapi):
        app = url_options_app(**DOCS_OPTIONS["oauth"])(fw)
        test_client = client(fw, app)
        assert test_client.get("/auth/callback").status_code == 200
        assert test_client.get("/docs/oauth2-redirect").status_code == 404
