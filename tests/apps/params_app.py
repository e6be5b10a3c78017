"""One app exercising parameters, bodies, validation and response models, for either framework.

``build_app(fastapi)`` and ``build_app(fastcore)`` build the same app: everything
framework-specific comes from the module passed in (and its submodules), the Pydantic
models below are shared. Each endpoint exercises one feature and returns deterministic
data, so that the two apps' answers can be compared byte for byte.
"""

import dataclasses
import datetime
import decimal
import enum
import importlib
import uuid
from types import ModuleType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    Json,
    SecretStr,
    StringConstraints,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)
from starlette.exceptions import HTTPException as StarletteHTTPException
from typing_extensions import TypedDict

# --- shared models -------------------------------------------------------------------------


class Color(enum.StrEnum):
    red = "red"
    green = "green"


class Level(enum.IntEnum):
    low = 1
    high = 2


class Item(BaseModel):
    name: str
    price: float
    description: str | None = None
    tax: float | None = None


class User(BaseModel):
    username: str
    full_name: str | None = None


class Order(BaseModel):
    id: int
    items: list[Item]
    tags: set[str] = set()
    meta: dict[str, int] = {}


class Image(BaseModel):
    url: str
    name: str


class Nested(BaseModel):
    image: Image | None = None
    images: list[Image] = []
    when: datetime.datetime | None = None
    amount: decimal.Decimal | None = None
    key: uuid.UUID | None = None


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    item_name: str = Field(alias="itemName")
    count: int = Field(0, alias="itemCount")


class FilterParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(100, gt=0, le=100)
    offset: int = Field(0, ge=0)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []


class Search(BaseModel):
    term: str = Field(min_length=2)
    page: int = 1


class LooseFilter(BaseModel):
    limit: int = 10
    q: str | None = None


class Paging(BaseModel):
    page_size: int = Field(10, alias="page-size", le=50)
    colors: list[Color] = []
    since: datetime.date | None = None


class CommonHeaders(BaseModel):
    host: str
    save_data: bool = False
    if_modified_since: str | None = None
    x_tag: list[str] = []


class StrictHeaders(BaseModel):
    model_config = ConfigDict(extra="forbid")

    x_only: str | None = None


class RawHeaders(BaseModel):
    x_under_score: str | None = None
    user_agent: str = "none"


class Cookies(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    fatebook_tracker: str | None = None


class LooseCookies(BaseModel):
    session_id: str | None = None
    theme: str = "light"


class TagForm(BaseModel):
    name: str
    tags: list[str] = []
    numbers: list[int] = []


class FormData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    password: str
    remember: bool = False


class UserIn(BaseModel):
    username: str
    password: str
    email: str
    full_name: str | None = None


class UserOut(BaseModel):
    username: str
    email: str
    full_name: str | None = None


class Owner(BaseModel):
    name: str
    password: str = "hunter2"
    nickname: str | None = None


class Pet(BaseModel):
    name: str
    owner: Owner
    age: int = 1


class Product(BaseModel):
    name: str
    description: str | None = None
    price: float
    tax: float = 10.5
    tags: list[str] = []


class ProductDraft(BaseModel):
    """Another class with Product's fields, returned where Product is the response model."""

    name: str = "draft"
    price: float = 1.0
    tax: float = 2.0
    internal_note: str = "not for clients"


class ScaledPrice(BaseModel):
    """A model whose serializer changes a field: it must run once, when the response is written."""

    price: float

    @field_serializer("price")
    def in_cents(self, price: float) -> float:
        return price * 100


class AliasOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    item_name: str = Field(alias="itemName")
    item_price: float = Field(0.0, alias="itemPrice")


class FromOrm(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    tags: list[str] = []


class Cat(BaseModel):
    kind: Literal["cat"] = "cat"
    lives: int


class Dog(BaseModel):
    kind: Literal["dog"] = "dog"
    good: bool


class PlainProduct:
    """Not a model, not configured ``from_attributes``: returned for ``Product``."""

    name = "plain"
    price = 1.5


class Validated(BaseModel):
    start: int
    end: int
    code: str

    @field_validator("code")
    @classmethod
    def code_is_upper(cls, value: str) -> str:
        if not value.isupper():
            raise ValueError("code must be upper-case")
        return value

    @model_validator(mode="after")
    def ordered(self) -> "Validated":
        if self.start > self.end:
            raise ValueError("start after end")
        return self


class Fancy(BaseModel):
    first: str
    last: str
    secret: SecretStr = SecretStr("hidden")
    site: HttpUrl = HttpUrl("http://example.com")
    when: datetime.datetime = datetime.datetime(2024, 1, 2, 3, 4, 5)

    @computed_field
    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @field_serializer("when")
    def when_as_date(self, value: datetime.datetime) -> str:
        return value.date().isoformat()


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class Movie(TypedDict):
    title: str
    year: int


def double(value: int) -> int:
    if value > 100:
        raise ValueError("too big to double")
    return value * 2


Slug = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=5)]


class Record:
    """A plain object read through ``from_attributes``."""

    def __init__(self, id: int, name: str, secret: str) -> None:
        self.id = id
        self.name = name
        self.secret = secret
        self.tags = ["orm"]


PRODUCTS = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5, "tags": []},
}


class Teapot(Exception):
    pass


# --- the app -------------------------------------------------------------------------------


def build_app(fw: ModuleType) -> Any:
    """The app, built with ``fw`` (``fastapi`` or ``fastcore``); only that module differs."""
    app = fw.FastAPI()
    add_query_routes(app, fw)
    add_path_routes(app, fw)
    add_header_and_cookie_routes(app, fw)
    add_every_location_route(app, fw)
    add_body_routes(app, fw)
    add_form_routes(app, fw)
    add_response_routes(app, fw)
    add_limit_routes(app, fw)
    app.mount("/custom", custom_error_app(fw))
    app.mount("/lenient", lenient_app(fw))
    app.mount("/limited", limited_app(fw))
    app.mount("/html", html_app(fw))
    return app


def submodule(fw: ModuleType, name: str) -> ModuleType:
    """``fw.responses``, ``fw.exceptions``, ...: the same submodule of either framework."""
    return importlib.import_module(f"{fw.__name__}.{name}")


def add_query_routes(app: Any, fw: ModuleType) -> None:
    @app.get("/q/int")
    def q_int(n: int):
        return {"n": n}

    @app.get("/q/float")
    def q_float(x: float):
        return {"x": x}

    @app.get("/q/bool")
    def q_bool(b: bool):
        return {"b": b}

    @app.get("/q/str")
    def q_str(q: str | None = None):
        return {"q": q}

    @app.get("/q/default")
    def q_default(page: int = 1, size: Annotated[int, fw.Query()] = 10, name: str = "x"):
        return {"page": page, "size": size, "name": name}

    @app.get("/q/required-str")
    def q_required_str(q: Annotated[str, fw.Query()]):
        return {"q": q}

    @app.get("/q/optional-int")
    def q_optional_int(n: int | None = None):
        return {"n": n}

    @app.get("/q/old-style")
    def q_old_style(
        q: str = fw.Query(..., min_length=2, title="fw.Query", description="A query string"),
        limit: int = fw.Query(10, ge=1, le=50, deprecated=True),
    ):
        return {"q": q, "limit": limit}

    @app.get("/q/list")
    def q_list(q: Annotated[list[str], fw.Query()] = []):  # noqa: B006
        return {"q": q}

    @app.get("/q/list-int")
    def q_list_int(n: Annotated[list[int] | None, fw.Query()] = None):
        return {"n": n}

    @app.get("/q/list-default")
    def q_list_default(q: list[str] = fw.Query(["a", "b"])):
        return {"q": q}

    @app.get("/q/list-required")
    def q_list_required(q: Annotated[list[int], fw.Query(min_length=1)]):
        return {"q": q}

    @app.get("/q/alias")
    def q_alias(
        item_query: Annotated[
            str | None, fw.Query(alias="item-query", examples=["spam"], title="Item query")
        ] = None,
    ):
        return {"item_query": item_query}

    @app.get("/q/validation-alias")
    def q_validation_alias(
        v: Annotated[str | None, fw.Query(validation_alias="v-alias", max_length=3)] = None,
    ):
        return {"v": v}

    @app.get("/q/old-optional")
    def q_old_optional(
        q: str | None = fw.Query(None, max_length=3), n: int | None = fw.Query(None)
    ):
        return {"q": q, "n": n}

    @app.get("/q/default-factory")
    def q_default_factory(tags: Annotated[list[str], fw.Query(default_factory=list)]):
        return {"tags": tags}

    @app.get("/q/finite")
    def q_finite(x: Annotated[float, fw.Query(allow_inf_nan=False)] = 0.0):
        return {"x": x}

    @app.get("/q/hidden")
    def q_hidden(secret: Annotated[str | None, fw.Query(include_in_schema=False)] = None):
        return {"secret": secret}

    @app.get("/q/num")
    def q_num(
        gt: Annotated[int, fw.Query(gt=0, le=10)] = 1,
        ge: Annotated[float, fw.Query(ge=0.5, lt=1)] = 0.5,
        mult: Annotated[int, fw.Query(multiple_of=3)] = 3,
        dec: Annotated[decimal.Decimal, fw.Query(max_digits=4, decimal_places=2)] = decimal.Decimal(
            "1.5"
        ),
    ):
        return {"gt": gt, "ge": ge, "mult": mult, "dec": str(dec)}

    @app.get("/q/str-constraints")
    def q_str_constraints(
        q: Annotated[str, fw.Query(min_length=2, max_length=5, pattern="^a")] = "ab",
    ):
        return {"q": q}

    @app.get("/q/strict")
    def q_strict(n: Annotated[int, fw.Query(strict=True)] = 0):
        return {"n": n}

    @app.get("/q/strict-str")
    def q_strict_str(s: Annotated[str, fw.Query(strict=True)] = "x"):
        return {"s": s}

    @app.get("/q/enum")
    def q_enum(color: Color, level: Level = Level.low):
        return {"color": color, "level": level, "is_red": color is Color.red}

    @app.get("/q/literal")
    def q_literal(mode: Literal["fast", "slow"] = "fast", n: Literal[1, 2] = 1):
        return {"mode": mode, "n": n}

    @app.get("/q/uuid")
    def q_uuid(key: uuid.UUID):
        return {"key": key, "version": key.version}

    @app.get("/q/dates")
    def q_dates(
        dt: datetime.datetime | None = None,
        d: datetime.date | None = None,
        t: datetime.time | None = None,
        td: datetime.timedelta | None = None,
    ):
        return {"dt": dt, "d": d, "t": t, "td": td}

    @app.get("/q/decimal")
    def q_decimal(amount: decimal.Decimal):
        return {"amount": amount, "str": str(amount)}

    @app.get("/q/model")
    def q_model(filters: Annotated[FilterParams, fw.Query()]):
        return filters

    @app.get("/q/search")
    def q_search(search: Annotated[Search, fw.Query()], extra: int = 0):
        return {"search": search, "extra": extra}

    @app.get("/q/loose-model")
    def q_loose_model(filters: Annotated[LooseFilter, fw.Query()]):
        return {"filters": filters, "type": type(filters).__name__}

    @app.get("/q/paging")
    def q_paging(paging: Annotated[Paging, fw.Query()]):
        return paging

    @app.get("/q/list-enum")
    def q_list_enum(colors: Annotated[list[Color], fw.Query()] = []):  # noqa: B006
        return {"colors": colors}

    @app.get("/q/list-literal")
    def q_list_literal(mode: Annotated[list[Literal["a", "b"]] | None, fw.Query()] = None):
        return {"mode": mode}

    @app.get("/q/annotated-types")
    def q_annotated_types(
        slug: Annotated[Slug, fw.Query()] = "x",
        doubled: Annotated[int, AfterValidator(double), fw.Query()] = 1,
    ):
        return {"slug": slug, "doubled": doubled}

    @app.get("/q/json")
    def q_json(data: Annotated[Json[list[int]], fw.Query()]):
        return {"data": data}

    @app.get("/q/bytes")
    def q_bytes(b: bytes):
        return {"len": len(b)}

    @app.get("/q/tuple")
    def q_tuple(t: Annotated[tuple[int, int] | None, fw.Query()] = None):
        return {"t": t}

    @app.get("/q/tuple-var")
    def q_tuple_var(t: Annotated[tuple[int, ...], fw.Query()] = ()):
        return {"t": t}

    @app.get("/q/set")
    def q_set(s: Annotated[set[int], fw.Query()] = set()):  # noqa: B006
        return {"s": sorted(s)}

    @app.get("/q/frozenset")
    def q_frozenset(s: Annotated[frozenset[str], fw.Query()] = frozenset()):
        return {"s": sorted(s)}

    @app.get("/q/scalar-union")
    def q_scalar_union(v: int | str = 0, w: int | None | float = None):
        return {"v": v, "type": type(v).__name__, "w": w}

    @app.get("/q/untyped")
    def q_untyped(a=None, b: Any = None):
        return {"a": a, "b": b}

    @app.post("/q/union-list")
    def q_union_list(x: Annotated[int | list[int], fw.Query()] = 0):
        return {"x": x}

    @app.get("/q/mixed")
    def q_mixed(a: int, b: Annotated[str, fw.Query(max_length=3)] = "x", c: float = 1.5):
        return [a, b, c]


def add_path_routes(app: Any, fw: ModuleType) -> None:
    @app.get("/p/int/{item_id}")
    def p_int(item_id: Annotated[int, fw.Path(title="The ID", ge=1, le=1000)]):
        return {"item_id": item_id}

    @app.get("/p/old/{item_id}")
    def p_old(item_id: int = fw.Path(..., gt=0), q: str | None = None):
        return {"item_id": item_id, "q": q}

    @app.get("/p/str/{name}")
    def p_str(name: Annotated[str, fw.Path(min_length=2, pattern="^[a-z ]+$")]):
        return {"name": name}

    @app.get("/p/float/{x}")
    def p_float(x: float):
        return {"x": x}

    @app.get("/p/enum/{color}")
    def p_enum(color: Color):
        return {"color": color}

    @app.get("/p/uuid/{key}")
    def p_uuid(key: uuid.UUID):
        return {"key": str(key)}

    @app.get("/p/date/{d}")
    def p_date(d: datetime.date):
        return {"d": d, "weekday": d.weekday()}

    @app.get("/p/file/{file_path:path}")
    def p_file(file_path: str):
        return {"file_path": file_path}

    @app.get("/p/dup/{x}")
    def p_dup(x: int, y: int = 0):
        return {"x": x, "y": y}

    @app.get("/p/bool/{flag}")
    def p_bool(flag: bool):
        return {"flag": flag}


def add_every_location_route(app: Any, fw: ModuleType) -> None:
    @app.put("/all/{p}")
    def every_location(
        p: Annotated[int, fw.Path()],
        item: Item,
        c: Annotated[int, fw.Cookie()],
        h: Annotated[int, fw.Header()],
        q: Annotated[int, fw.Query()],
    ):
        return {"p": p, "q": q, "h": h, "c": c, "item": item}


def add_header_and_cookie_routes(app: Any, fw: ModuleType) -> None:
    @app.get("/h/basic")
    def h_basic(
        user_agent: Annotated[str | None, fw.Header()] = None,
        x_token: Annotated[str | None, fw.Header()] = None,
    ):
        return {"user_agent": user_agent, "x_token": x_token}

    @app.get("/h/required")
    def h_required(x_token: Annotated[str, fw.Header()]):
        return {"x_token": x_token}

    @app.get("/h/int")
    def h_int(x_count: Annotated[int, fw.Header(ge=0)] = 0):
        return {"x_count": x_count}

    @app.get("/h/list")
    def h_list(x_token: Annotated[list[str] | None, fw.Header()] = None):
        return {"x_token": x_token}

    @app.get("/h/list-int")
    def h_list_int(x_n: list[int] = fw.Header([])):
        return {"x_n": x_n}

    @app.get("/h/no-convert")
    def h_no_convert(
        strange_header: Annotated[str | None, fw.Header(convert_underscores=False)] = None,
    ):
        return {"strange_header": strange_header}

    @app.get("/h/alias")
    def h_alias(token: Annotated[str | None, fw.Header(alias="X-Api-Key")] = None):
        return {"token": token}

    @app.get("/h/old-style")
    def h_old_style(accept_language: str = fw.Header("en")):
        return {"accept_language": accept_language}

    @app.get("/h/model")
    def h_model(headers: Annotated[CommonHeaders, fw.Header()]):
        return headers

    @app.get("/h/strict-model")
    def h_strict_model(headers: Annotated[StrictHeaders, fw.Header()]):
        return headers

    @app.get("/h/raw-model")
    def h_raw_model(headers: Annotated[RawHeaders, fw.Header(convert_underscores=False)]):
        return headers

    @app.get("/c/basic")
    def c_basic(
        session: Annotated[str | None, fw.Cookie()] = None,
        count: int = fw.Cookie(0),
    ):
        return {"session": session, "count": count}

    @app.get("/c/required")
    def c_required(session_id: Annotated[str, fw.Cookie()]):
        return {"session_id": session_id}

    @app.get("/c/alias")
    def c_alias(sid: Annotated[str | None, fw.Cookie(alias="session-id")] = None):
        return {"sid": sid}

    @app.get("/c/model")
    def c_model(cookies: Annotated[Cookies, fw.Cookie()]):
        return cookies

    @app.get("/c/loose-model")
    def c_loose_model(cookies: Annotated[LooseCookies, fw.Cookie()]):
        return cookies


def add_body_routes(app: Any, fw: ModuleType) -> None:
    exceptions = submodule(fw, "exceptions")

    @app.post("/b/item")
    def b_item(item: Item):
        return {"item": item, "total": item.price + (item.tax or 0)}

    @app.put("/b/item/{item_id}")
    def b_item_path_query(item_id: int, item: Item, q: str | None = None):
        return {"item_id": item_id, "q": q, **item.model_dump()}

    @app.post("/b/optional")
    def b_optional(item: Item | None = None):
        return {"item": item}

    @app.post("/b/two")
    def b_two(item: Item, user: User):
        return {"item": item, "user": user}

    @app.post("/b/embed")
    def b_embed(item: Annotated[Item, fw.Body(embed=True)]):
        return {"item": item}

    @app.post("/b/singular")
    def b_singular(item: Item, user: User, importance: Annotated[int, fw.Body(gt=0)]):
        return {"item": item, "user": user, "importance": importance}

    @app.post("/b/embed-alias")
    def b_embed_alias(value: Annotated[int, fw.Body(embed=True, alias="the-value", ge=0)]):
        return {"value": value}

    @app.post("/b/bytes")
    def b_bytes(data: Annotated[bytes, fw.Body(media_type="application/octet-stream")]):
        return {"size": len(data)}

    @app.post("/b/scalar")
    def b_scalar(value: Annotated[int, fw.Body()]):
        return {"value": value}

    @app.post("/b/scalar-embed")
    def b_scalar_embed(value: Annotated[str, fw.Body(embed=True, min_length=2)]):
        return {"value": value}

    @app.post("/b/scalars")
    def b_scalars(a: Annotated[int, fw.Body()], b: Annotated[str, fw.Body()] = "dflt"):
        return {"a": a, "b": b}

    @app.post("/b/old-style")
    def b_old_style(item: Item = fw.Body(..., examples=[{"name": "Foo", "price": 1}])):
        return item

    @app.post("/b/order")
    def b_order(order: Order):
        return order

    @app.post("/b/list")
    def b_list(items: list[Item]):
        return {"count": len(items), "names": [item.name for item in items]}

    @app.post("/b/list-int")
    def b_list_int(numbers: list[int]):
        return {"sum": sum(numbers)}

    @app.post("/b/dict")
    def b_dict(weights: dict[int, float]):
        return {"keys": sorted(weights), "total": sum(weights.values())}

    @app.post("/b/nested")
    def b_nested(data: Nested):
        return data

    @app.post("/b/alias")
    def b_alias(data: Aliased):
        return {"item_name": data.item_name, "count": data.count}

    @app.post("/b/any")
    def b_any(data: Annotated[Any, fw.Body()] = None):
        return {"data": data, "type": type(data).__name__}

    @app.post("/b/dict-any")
    def b_dict_any(data: dict[str, Any]):
        return {"keys": list(data), "data": data}

    @app.post("/b/strict")
    def b_strict(value: Annotated[int, fw.Body(strict=True, embed=True)]):
        return {"value": value}

    @app.post("/b/union")
    def b_union(pet: Cat | Dog):
        return {"pet": pet, "type": type(pet).__name__}

    @app.post("/b/item-and-request")
    async def b_item_and_request(item: Item, request: fw.Request):
        body = await request.body()
        return {"name": item.name, "len": len(body), "json": await request.json()}

    @app.post("/b/pet")
    def b_pet(pet: Pet):
        return pet

    @app.get("/b/get-body")
    def b_get_body(item: Item | None = None):
        return {"item": item}

    @app.delete("/b/delete-body")
    def b_delete_body(ids: Annotated[list[int], fw.Body(embed=True)]):
        return {"ids": ids}

    @app.post("/b/raise-validation")
    def b_raise_validation():
        raise exceptions.RequestValidationError(
            [{"loc": ("body", "x"), "msg": "made up", "type": "value_error", "input": {"x": 1}}],
            body={"x": 1},
        )

    @app.post("/b/validated")
    def b_validated(data: Validated):
        return data

    @app.post("/b/dataclass")
    def b_dataclass(point: Point):
        return {"point": point, "type": type(point).__name__}

    @app.post("/b/typeddict")
    def b_typeddict(movie: Movie):
        return {"movie": movie, "type": type(movie).__name__}

    @app.post("/b/forbid")
    def b_forbid(filters: FilterParams):
        return filters

    @app.post("/b/optional-embed")
    def b_optional_embed(item: Annotated[Item | None, fw.Body(embed=True)] = None):
        return {"item": item}

    @app.post("/b/raw")
    async def b_raw(request: fw.Request):
        return {"len": len(await request.body())}


def add_form_routes(app: Any, fw: ModuleType) -> None:
    @app.post("/f/login")
    def f_login(
        username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form(min_length=3)]
    ):
        return {"username": username, "password": password}

    @app.post("/f/old-style")
    def f_old_style(username: str = fw.Form(...), age: int = fw.Form(18)):
        return {"username": username, "age": age}

    @app.post("/f/list")
    def f_list(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    @app.post("/f/optional")
    def f_optional(note: Annotated[str | None, fw.Form()] = None, n: Annotated[int, fw.Form()] = 0):
        return {"note": note, "n": n}

    @app.post("/f/alias")
    def f_alias(name: Annotated[str, fw.Form(alias="user-name")]):
        return {"name": name}

    @app.post("/f/model")
    def f_model(data: Annotated[FormData, fw.Form()]):
        return data

    @app.post("/f/tag-model")
    def f_tag_model(data: Annotated[TagForm, fw.Form()]):
        return data

    @app.post("/f/optional-bytes")
    def f_optional_bytes(file: Annotated[bytes | None, fw.File()] = None):
        return {"file": None if file is None else len(file)}

    @app.post("/f/bool")
    def f_bool(
        remember: Annotated[bool, fw.Form()] = False,
        tags: Annotated[list[str], fw.Form()] = [],  # noqa: B006
    ):
        return {"remember": remember, "tags": tags}

    @app.post("/f/bytes")
    def f_bytes(file: Annotated[bytes, fw.File()]):
        return {"size": len(file), "head": file[:20].decode("latin-1")}

    @app.post("/f/upload")
    async def f_upload(file: fw.UploadFile):
        content = await file.read()
        return {
            "filename": file.filename,
            "content_type": file.content_type,
            "size": file.size,
            "content": content.decode("latin-1"),
        }

    @app.post("/f/upload-optional")
    async def f_upload_optional(file: fw.UploadFile | None = None):
        if file is None:
            return {"file": None}
        return {"filename": file.filename}

    @app.post("/f/uploads")
    async def f_uploads(files: list[fw.UploadFile]):
        return [
            {"filename": file.filename, "size": len(await file.read()), "type": file.content_type}
            for file in files
        ]

    @app.post("/f/bytes-list")
    def f_bytes_list(files: Annotated[list[bytes], fw.File(description="Many files")]):
        return {"sizes": [len(file) for file in files]}

    @app.post("/f/file-and-form")
    async def f_file_and_form(
        file: Annotated[fw.UploadFile, fw.File()],
        token: Annotated[str, fw.Form()],
        count: Annotated[int, fw.Form()] = 1,
    ):
        return {"filename": file.filename, "token": token, "count": count}


def add_response_routes(app: Any, fw: ModuleType) -> None:
    responses = submodule(fw, "responses")

    @app.post("/r/user", response_model=UserOut)
    def r_user(user: UserIn):
        return user

    @app.post("/r/user-annotated")
    def r_user_annotated(user: UserIn) -> UserOut:
        return user  # type: ignore[return-value]

    @app.post("/r/decorator-wins", response_model=UserOut)
    def r_decorator_wins(user: UserIn) -> UserIn:
        return user

    @app.get("/r/dict-filtered", response_model=UserOut)
    def r_dict_filtered():
        return {"username": "ann", "email": "a@x", "password": "secret", "other": 1}

    @app.get("/r/annotated-dict")
    def r_annotated_dict() -> dict[str, int]:
        return {"a": 1, "b": 2}

    @app.get("/r/orm", response_model=FromOrm)
    def r_orm():
        return Record(1, "rec", "hidden")

    @app.get("/r/orm-list", response_model=list[FromOrm])
    def r_orm_list():
        return [Record(1, "a", "x"), Record(2, "b", "y")]

    @app.get("/r/products/{key}", response_model=Product, response_model_exclude_unset=True)
    def r_exclude_unset(key: str):
        return PRODUCTS[key]

    @app.get("/r/products-model/{key}", response_model=Product, response_model_exclude_unset=True)
    def r_exclude_unset_model(key: str):
        return Product(**PRODUCTS[key])

    @app.get("/r/defaults/{key}", response_model=Product, response_model_exclude_defaults=True)
    def r_exclude_defaults(key: str):
        return PRODUCTS[key]

    @app.get("/r/none/{key}", response_model=Product, response_model_exclude_none=True)
    def r_exclude_none(key: str):
        return PRODUCTS[key]

    @app.get(
        "/r/include/{key}", response_model=Product, response_model_include={"name", "description"}
    )
    def r_include(key: str):
        return PRODUCTS[key]

    @app.get("/r/exclude/{key}", response_model=Product, response_model_exclude={"tax"})
    def r_exclude(key: str):
        return PRODUCTS[key]

    @app.get("/r/include-list/{key}", response_model=Product, response_model_include=["name"])
    def r_include_list(key: str):
        return PRODUCTS[key]

    # A model of another class is read attribute by attribute: every field it
    # has counts as set, whatever was set when it was built.
    @app.get("/r/other-model-unset", response_model=Product, response_model_exclude_unset=True)
    def r_other_model_unset():
        return ProductDraft(name="pen")

    @app.get("/r/other-model-list", response_model=list[Product], response_model_exclude_unset=True)
    def r_other_model_list():
        return [ProductDraft(price=3), Product(name="cap", price=2)]

    @app.get(
        "/r/other-model-dict", response_model=dict[str, Product], response_model_exclude_unset=True
    )
    def r_other_model_dict():
        return {"k": ProductDraft(tax=7)}

    @app.get("/r/serializer-applied-once", response_model=ScaledPrice)
    def r_serializer_applied_once():
        return ScaledPrice(price=2.5)

    @app.get("/r/alias", response_model=AliasOut)
    def r_alias():
        return {"itemName": "x", "itemPrice": 2}

    @app.get("/r/no-alias", response_model=AliasOut, response_model_by_alias=False)
    def r_no_alias():
        return AliasOut(item_name="x", item_price=2)

    @app.get("/r/list", response_model=list[Product])
    def r_list():
        return list(PRODUCTS.values())

    @app.get("/r/union/{kind}", response_model=Cat | Dog)
    def r_union(kind: str):
        return {"lives": 9} if kind == "cat" else {"kind": "dog", "good": True}

    @app.get("/r/dict-model", response_model=dict[str, Product])
    def r_dict_model():
        return {"foo": PRODUCTS["foo"]}

    @app.get("/r/invalid", response_model=Product)
    def r_invalid():
        return {"name": "no price"}

    @app.get("/r/invalid-annotated")
    def r_invalid_annotated() -> list[int]:
        return ["a", 2]  # type: ignore[list-item]

    @app.get("/r/none-for-model", response_model=Product)
    def r_none_for_model():
        return None

    @app.get("/r/plain-object", response_model=Product)
    def r_plain_object():
        return PlainProduct()

    @app.get("/r/fancy", response_model=Fancy)
    def r_fancy():
        return {"first": "Ada", "last": "Lovelace", "secret": "s3cret"}

    @app.get("/r/fancy-exclude", response_model=Fancy, response_model_exclude={"full", "site"})
    def r_fancy_exclude():
        return Fancy(first="Ada", last="L")

    @app.get("/r/dataclass")
    def r_dataclass() -> Point:
        return Point(1)  # type: ignore[return-value]

    @app.get("/r/dataclass-plain")
    def r_dataclass_plain():
        return {"points": [Point(1, 2)], "fancy": Fancy(first="a", last="b")}

    @app.get("/r/typeddict")
    def r_typeddict() -> Movie:
        return {"title": "Up", "year": "2009", "extra": 1}  # type: ignore[typeddict-item]

    @app.get("/r/none-model", response_model=Product | None)
    def r_none_model():
        return None

    @app.get("/r/model-none", response_model=None)
    def r_model_none() -> Any:
        return {"free": "form"}

    @app.get("/r/coerced", response_model=Product)
    def r_coerced():
        return {"name": 5, "price": "1.5"}

    @app.get("/r/set-headers")
    def r_set_headers(response: fw.Response):
        response.headers["X-Custom"] = "yes"
        response.set_cookie("flavor", "mint", max_age=60, httponly=True)
        response.status_code = 202
        return {"ok": True}

    @app.get("/r/headers-then-raise")
    def r_headers_then_raise(response: fw.Response):
        response.headers["X-Lost"] = "1"
        raise fw.HTTPException(status_code=409, detail="conflict")

    @app.get("/r/headers-and-returned-response")
    def r_headers_and_returned_response(response: fw.Response):
        response.headers["X-Param"] = "1"
        response.set_cookie("param", "1")
        return responses.JSONResponse({"returned": True}, headers={"X-Returned": "1"})

    @app.get("/r/two-cookies")
    def r_two_cookies(response: fw.Response):
        response.set_cookie("a", "1")
        response.set_cookie("b", "2", secure=True, samesite="strict", path="/r")
        return "cookies"

    @app.get("/r/pet", response_model=Pet, response_model_exclude={"owner": {"password"}})
    def r_pet_exclude_nested():
        return {"name": "Rex", "owner": {"name": "Ann", "password": "x"}}

    @app.get("/r/pet-unset", response_model=Pet, response_model_exclude_unset=True)
    def r_pet_unset():
        return Pet(name="Rex", owner=Owner(name="Ann", nickname=None))

    @app.get("/r/pet-include", response_model=Pet, response_model_include={"owner": {"name"}})
    def r_pet_include():
        return {"name": "Rex", "owner": {"name": "Ann"}}

    @app.get("/r/set-status/{code}", status_code=200)
    def r_set_status(code: int, response: fw.Response):
        response.status_code = code
        return {"code": code}

    @app.post("/r/created", status_code=201)
    def r_created():
        return {"created": True}

    @app.post("/r/created-model", status_code=201, response_model=UserOut)
    def r_created_model(user: UserIn):
        return user

    @app.delete("/r/no-content", status_code=204)
    def r_no_content():
        return None

    @app.get("/r/not-modified", status_code=304)
    def r_not_modified():
        return {"ignored": True}

    @app.get("/r/no-content-response", status_code=204)
    def r_no_content_response(response: fw.Response):
        response.headers["X-Kept"] = "1"

    @app.get("/r/plain", response_class=responses.PlainTextResponse)
    def r_plain():
        return "hello plain"

    @app.get("/r/html", response_class=responses.HTMLResponse)
    def r_html():
        return "<h1>hi</h1>"

    @app.get("/r/passthrough")
    def r_passthrough():
        return responses.JSONResponse({"passed": True}, status_code=203, headers={"X-P": "1"})

    @app.get("/r/passthrough-model", response_model=Product)
    def r_passthrough_model():
        return responses.PlainTextResponse("not a product", status_code=200)

    @app.get("/r/response-annotation")
    def r_response_annotation() -> fw.Response:
        return fw.Response(content=b"raw", media_type="application/octet-stream")

    @app.get("/r/redirect")
    def r_redirect():
        return responses.RedirectResponse("/r/plain", status_code=302)

    @app.get("/r/encoded")
    def r_encoded():
        return {
            "when": datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.UTC),
            "day": datetime.date(2024, 5, 17),
            "amount": decimal.Decimal("1.50"),
            "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "colors": [Color.red, Level.high],
            "text": "héllo ☃",
            "float": 1.0,
        }

    @app.get("/r/model-encoded", response_model=Nested)
    def r_model_encoded():
        return {
            "when": "2024-05-17T12:30:00Z",
            "amount": "1.50",
            "key": "12345678-1234-5678-1234-567812345678",
            "images": [{"url": "http://x", "name": "x"}],
        }

    @app.get("/r/error")
    def r_error():
        raise fw.HTTPException(status_code=400, detail={"why": ["bad"]}, headers={"X-E": "1"})

    @app.get("/r/teapot")
    def r_teapot():
        raise Teapot()

    router = fw.APIRouter(prefix="/r/router", default_response_class=responses.PlainTextResponse)

    @router.get("/default")
    def r_router_default():
        return "router default"

    @router.get("/override", response_class=responses.JSONResponse)
    def r_router_override():
        return {"json": True}

    app.include_router(router)

    included = fw.APIRouter()

    @included.get("/html")
    def r_included_html():
        return "<p>included</p>"

    app.include_router(
        included, prefix="/r/included", default_response_class=responses.HTMLResponse
    )


def add_limit_routes(app: Any, fw: ModuleType) -> None:
    @app.post("/l/route", max_body_size=10)
    async def l_route(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @app.post("/l/route-form", max_body_size=200)
    def l_route_form(name: Annotated[str, fw.Form()] = ""):
        return {"name": name}

    @app.post("/l/fields", form_limits={"max_fields": 2})
    def l_fields(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    @app.post("/l/files", form_limits={"max_files": 1})
    async def l_files(files: list[fw.UploadFile]):
        return {"count": len(files)}

    @app.post("/l/part", form_limits={"max_part_size": 5})
    def l_part(name: Annotated[str, fw.Form()], file: Annotated[bytes | None, fw.File()] = None):
        return {"name": name, "file": None if file is None else len(file)}

    @app.post("/l/all-limits", max_body_size=1000, form_limits={"max_fields": 1, "max_files": 0})
    def l_all_limits(a: Annotated[str, fw.Form()] = ""):
        return {"a": a}

    @app.post("/l/raw", max_body_size=10)
    async def l_raw(request: fw.Request):
        return {"len": len(await request.body())}

    lenient = fw.APIRouter(prefix="/l/lenient-router", strict_content_type=False)

    @lenient.post("/item")
    def l_lenient_item(item: Item):
        return item

    app.include_router(lenient)

    def route_lenient(item: Item):
        return {"route": item}

    # FastAPI.add_api_route has no strict_content_type; APIRouter.add_api_route has.
    plain = fw.APIRouter()
    plain.add_api_route(
        "/l/lenient-route", route_lenient, methods=["POST"], strict_content_type=False
    )
    app.include_router(plain)


def custom_error_app(fw: ModuleType) -> Any:
    """A sub-app whose RequestValidationError handler is overridden."""
    exceptions, handlers = submodule(fw, "exceptions"), submodule(fw, "exception_handlers")
    responses = submodule(fw, "responses")
    app = fw.FastAPI()

    @app.exception_handler(exceptions.RequestValidationError)
    async def on_invalid(request, exc):
        if request.url.path.endswith("/delegate"):
            response = await handlers.request_validation_exception_handler(request, exc)
            response.headers["X-Delegated"] = "yes"
            return response
        errors = [f"{'/'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors()]
        body = exc.body
        if type(body).__name__ == "FormData":
            body = [(key, value) for key, value in body.multi_items() if isinstance(value, str)]
        errors.append(f"body: {type(exc.body).__name__} {body!r}")
        return responses.PlainTextResponse("\n".join(errors), status_code=400)

    @app.exception_handler(exceptions.ResponseValidationError)
    async def on_bad_response(request, exc):
        return responses.JSONResponse({"response_errors": exc.errors()}, status_code=502)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request, exc):
        text = f"handled {exc.status_code}: {exc.detail}"
        return responses.PlainTextResponse(text, status_code=exc.status_code)

    @app.exception_handler(Teapot)
    async def on_teapot(request, exc):
        return responses.JSONResponse({"teapot": True}, status_code=418)

    @app.get("/delegate")
    def custom_delegate(n: int):
        return {"n": n}

    @app.get("/n")
    def custom_n(n: int, m: Annotated[int, fw.Query(lt=5)] = 0):
        return {"n": n, "m": m}

    @app.post("/item")
    def custom_item(item: Item):
        return item

    @app.post("/login")
    def custom_login(name: Annotated[str, fw.Form(min_length=2)]):
        return {"name": name}

    @app.post("/limited", max_body_size=5)
    async def custom_limited(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @app.post("/form-limited", form_limits={"max_fields": 1})
    def custom_form_limited(a: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"a": a}

    @app.get("/teapot")
    def custom_teapot():
        raise Teapot()

    @app.get("/bad-response", response_model=Item)
    def custom_bad_response():
        return {"price": "x"}

    @app.get("/bad-list")
    def custom_bad_list() -> list[Item]:
        return [{"name": "a", "price": 1}, {"name": 2}]  # type: ignore[list-item]

    return app


def lenient_app(fw: ModuleType) -> Any:
    """A sub-app with ``strict_content_type=False``: JSON without a Content-Type is parsed."""
    app = fw.FastAPI(strict_content_type=False)

    @app.post("/item")
    def lenient_item(item: Item):
        return item

    strict = fw.APIRouter(strict_content_type=True)

    @strict.post("/strict-item")
    def strict_item(item: Item):
        return item

    app.include_router(strict)
    return app


def limited_app(fw: ModuleType) -> Any:
    """A sub-app with limits on the app, a router, an include and routes: most specific wins."""
    app = fw.FastAPI(max_body_size=50, form_limits={"max_fields": 3})

    @app.post("/app")
    async def limited_app_route(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @app.post("/route-bigger", max_body_size=100)
    async def limited_route_bigger(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @app.post("/route-smaller", max_body_size=5)
    async def limited_route_smaller(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    router = fw.APIRouter(prefix="/router", max_body_size=20)

    @router.post("/plain")
    async def limited_router_plain(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @router.post("/route", max_body_size=80)
    async def limited_router_route(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    app.include_router(router)

    included = fw.APIRouter(prefix="/included")

    @included.post("/plain")
    async def limited_included_plain(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    @included.post("/route", max_body_size=90)
    async def limited_included_route(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    app.include_router(included, max_body_size=30)

    both = fw.APIRouter(prefix="/both", max_body_size=40)

    @both.post("/plain")
    async def limited_both_plain(data: Annotated[Any, fw.Body()] = None):
        return {"data": data}

    app.include_router(both, max_body_size=70)

    form_router = fw.APIRouter(prefix="/form-router", form_limits={"max_fields": 1})

    @form_router.post("/tags")
    def limited_form_router(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    app.include_router(form_router, form_limits={"max_fields": 2})

    form_include = fw.APIRouter(prefix="/form-include")

    @form_include.post("/tags")
    def limited_form_include(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    app.include_router(form_include, form_limits={"max_fields": 2})

    part_include = fw.APIRouter(prefix="/part-include")

    @part_include.post("/tags")
    def limited_part_include(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    app.include_router(part_include, max_body_size=500, form_limits={"max_part_size": 3})

    @app.post("/form")
    def limited_form(name: Annotated[str, fw.Form()] = ""):
        return {"name": name}

    @app.post("/form-list")
    def limited_form_list(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    @app.post("/form-list-route", form_limits={"max_fields": 5})
    def limited_form_list_route(tags: Annotated[list[str], fw.Form()] = []):  # noqa: B006
        return {"tags": tags}

    @app.post("/manual-form")
    async def limited_manual_form(request: fw.Request):
        form = await request.form()
        return {"fields": len(form)}

    @app.post("/raw")
    async def limited_raw(request: fw.Request):
        return {"len": len(await request.body())}

    @app.get("/get")
    def limited_get():
        return "ok"

    return app


def html_app(fw: ModuleType) -> Any:
    """A sub-app whose default response class is HTMLResponse."""
    responses = submodule(fw, "responses")
    app = fw.FastAPI(default_response_class=responses.HTMLResponse)

    @app.get("/page")
    def html_page(title: str = "t"):
        return f"<title>{title}</title>"

    @app.get("/json", response_class=responses.JSONResponse)
    def html_json():
        return {"json": True}

    @app.get("/error")
    def html_error(n: int):
        return str(n)

    return app


def fastcore_app() -> Any:
    """``build_app(fastcore)``, for ``uvicorn tests.apps.params_app:fastcore_app --factory``."""
    return build_app(importlib.import_module("fastcore"))


def fastapi_app() -> Any:
    """``build_app(fastapi)``, the reference, served the same way."""
    return build_app(importlib.import_module("fastapi"))
