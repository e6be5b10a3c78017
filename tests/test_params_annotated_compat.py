"""Plain pydantic ``Field()`` in ``Annotated``, and optional parameter models, beside FastAPI.

``build_app(fastapi)`` and ``build_app(fastcore)`` build the same app; every request in
``CASES`` goes to both and must get the same status code and the same body bytes, and the
two OpenAPI documents must be equal. What FastAPI 0.165 does, as observed:

* ``Field()`` inside ``Annotated`` does not say where a parameter is read from: the
  parameter is placed as if nothing were declared (a model, list or dict: the body; a
  scalar: the query, or the path when the template names it; an upload: a file). Its
  constraints are validated and documented, its alias, title, description, examples and
  the like are used, its default is not (a default_factory is). Beside ``Query()`` and
  the other declarations every ``FieldInfo`` in ``Annotated`` adds up, later ones winning,
  and the last declaration says where; ``Depends()`` wins over any ``Field()``. With a
  declaration as the default value (``= Query(3)``) a ``Field()`` in ``Annotated`` is
  dropped altogether; a plain ``Field()`` as the default value is refused.
* A model declared ``Model | None`` with ``Query()``, ``Header()``, ``Cookie()``,
  ``Form()`` or ``File()`` is read from its fields when any of them is sent (blank or
  not), with the errors of a required model; when none is sent it takes its default, or,
  without one, is missing as a whole (``loc`` is just the place). Its fields are
  documented as not required when it has a default.
* A form model's blank field of one value is no value; cookies have one value each (a
  list of them is a ``list_type`` error); a header model's alias matches in any case.
"""

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from pydantic import BaseModel, ConfigDict, Field

import fastcore
from fastcore.testclient import TestClient

# --- shared models -------------------------------------------------------------------------


class Item(BaseModel):
    name: str
    price: float = 1.0


class Tag(BaseModel):
    label: str
    weight: int = 1


class Filters(BaseModel):
    limit: int
    tags: list[str] = []


class Token(BaseModel):
    x_token: str
    other_one: int = Field(4, alias="OtherOne")
    many_vals: list[str] = []


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    weight: int = 1
    tags: list[str] = []


def zero() -> int:
    return 0


def seven() -> int:
    return 7


# --- the app -------------------------------------------------------------------------------


def build_app(fw: ModuleType) -> Any:
    """The same app for ``fastapi`` or ``fastcore``: ``/field/...`` and ``/model/...``."""
    app = fw.FastAPI()

    # A plain Field() in Annotated: placed as if undeclared, constraints kept.

    @app.post("/field/model")
    def field_model(item: Annotated[Item, Field(description="The item", examples=[{"name": "e"}])]):
        return item

    @app.post("/field/two-models")
    def field_two_models(
        item: Annotated[Item, Field(description="First")],
        other: Annotated[Item, Field(title="Other")],
        plain: Item,
        described: Annotated[Item, fw.Body(description="Body")],
    ):
        return [item, other, plain, described]

    @app.get("/field/scalar")
    def field_scalar(
        q: Annotated[int, Field(gt=0)] = 1,
        r: Annotated[str, Field(alias="rr", title="R", description="An r", min_length=2)] = "ab",
        v: Annotated[int, Field(validation_alias="vv")] = 2,
        z: Annotated[int, Field(gt=0)] = 0,  # a default is not validated
    ):
        return {"q": q, "r": r, "v": v, "z": z}

    @app.get("/field/required")
    def field_required(q: Annotated[int, Field(gt=0, alias="qq", title="TQ", description="dq")]):
        return {"q": q}

    @app.get("/field/path/{p}")
    def field_path(p: Annotated[int, Field(gt=0, description="pp")]):
        return {"p": p}

    @app.get("/field/path-alias/{p}")
    def field_path_alias(p: Annotated[str, Field(alias="pp", min_length=3)]):
        return {"p": p}

    @app.post("/field/list")
    def field_list(items: Annotated[list[Item], Field(min_length=2, description="Items")]):
        return items

    @app.post("/field/list-default")
    def field_list_default(q: Annotated[list[int], Field(min_length=1)] = [1]):  # noqa: B006
        return {"q": q}

    @app.post("/field/dict")
    def field_dict(d: Annotated[dict[str, int], Field(description="Counts")]):
        return d

    @app.get("/field/with-query")
    def field_with_query(
        a: Annotated[int, Field(gt=0), fw.Query(lt=10)] = 1,
        b: Annotated[int, fw.Query(lt=10), Field(gt=0)] = 1,
        c: Annotated[int, fw.Query(description="A", title="TA"), Field(description="B")] = 1,
        d: Annotated[int, Field(gt=0), Field(lt=10, description="Two fields")] = 2,
    ):
        return {"a": a, "b": b, "c": c, "d": d}

    @app.get("/field/with-header")
    def field_with_header(
        h: Annotated[int, fw.Header(), Field(gt=0)] = 1,
        k: Annotated[str, Field(alias="x-k"), fw.Header()] = "d",
        m: Annotated[int, fw.Query(gt=0), fw.Header(lt=9)] = 2,
    ):
        return {"h": h, "k": k, "m": m}

    @app.post("/field/embed")
    def field_embed(item: Annotated[Item, fw.Body(embed=True), Field(description="x")]):
        return item

    @app.post("/field/file")
    def field_file(f: Annotated[fw.UploadFile, Field(description="A file")]):
        return {"filename": f.filename}

    @app.post("/field/form")
    def field_form(q: Annotated[str, fw.Form(), Field(min_length=2)]):
        return {"q": q}

    @app.get("/field/defaults")
    def field_defaults(
        a: Annotated[int, Field(default=3)],
        b: Annotated[int | None, Field(default=None)],
        c: Annotated[int, Field(default_factory=seven)],
        d: Annotated[int, fw.Query(default_factory=seven)],
    ):
        return {"a": a, "b": b, "c": c, "d": d}

    @app.get("/field/optional")
    def field_optional(q: Annotated[int | None, Field(gt=0)] = None):
        return {"q": q}

    @app.get("/field/overridden")
    def field_overridden(q: Annotated[int, Field(gt=0)] = fw.Query(3, lt=9)):
        return {"q": q}

    @app.get("/field/depends")
    def field_depends(
        a: Annotated[int, Field(gt=0), fw.Depends(zero)],
        b: Annotated[int, fw.Depends(zero), Field(gt=0)],
        c: Annotated[int, Field(gt=0)] = fw.Depends(zero),
    ):
        return {"a": a, "b": b, "c": c}

    def dependency(
        q: Annotated[int, Field(gt=0)] = 1, b: Annotated[Item | None, Field(title="B")] = None
    ) -> dict[str, Any]:
        return {"q": q, "b": b}

    @app.post("/field/in-dependency")
    def field_in_dependency(found: Annotated[dict[str, Any], fw.Depends(dependency)]):
        return found

    @app.get("/field/documented")
    def field_documented(
        q: Annotated[
            int, Field(gt=0, deprecated=True, examples=[1], json_schema_extra={"x-y": 1})
        ] = 1,
    ):
        return {"q": q}

    # Optional parameter models: read when any of their fields is sent.

    @app.post("/model/form")
    def model_form(other: Annotated[str, fw.Form()], tag: Annotated[Tag | None, fw.Form()] = None):
        return {"other": other, "tag": tag}

    @app.post("/model/form-only")
    def model_form_only(tag: Annotated[Tag | None, fw.Form()] = None):
        return {"tag": tag}

    @app.post("/model/form-required")
    def model_form_required(
        tag: Annotated[Optional[Tag], fw.Form()],  # noqa: UP045 (as users write it)
        other: Annotated[str, fw.Form()],
    ):
        return {"tag": tag, "other": other}

    @app.post("/model/form-fallback")
    def model_form_fallback(tag: Annotated[Tag | None, fw.Form()] = Tag(label="d")):  # noqa: B008
        return {"tag": tag}

    @app.post("/model/file")
    def model_file(tag: Annotated[Tag | None, fw.File()] = None):
        return {"tag": tag}

    @app.post("/model/form-default")
    def model_form_default(tag: Annotated[Tag, fw.Form()] = Tag(label="dflt", weight=9)):  # noqa: B008
        return {"tag": tag}

    @app.post("/model/form-blank")
    def model_form_blank(model: Annotated[Strict, fw.Form()]):
        return model

    @app.post("/model/form-blank-optional")
    def model_form_blank_optional(model: Annotated[Strict | None, fw.Form()] = None):
        return {"model": model}

    @app.get("/model/query")
    def model_query(f: Annotated[Filters | None, fw.Query()] = None, x: int = 0):
        return {"f": f, "x": x}

    @app.get("/model/query-required")
    def model_query_required(f: Annotated[Optional[Filters], fw.Query()]):  # noqa: UP045
        return {"f": f}

    @app.get("/model/query-two")
    def model_query_two(
        f: Annotated[Filters | None, fw.Query()] = None,
        t: Annotated[Tag | None, fw.Query()] = None,
    ):
        return {"f": f, "t": t}

    @app.get("/model/query-strict")
    def model_query_strict(m: Annotated[Strict | None, fw.Query()] = None):
        return {"m": m}

    @app.get("/model/cookie-strict")
    def model_cookie_strict(m: Annotated[Optional[Strict], fw.Cookie()]):  # noqa: UP045
        return {"m": m}

    @app.get("/model/query-fallback")
    def model_query_fallback(f: Annotated[Filters | None, fw.Query()] = Filters(limit=3)):  # noqa: B008
        return {"f": f}

    @app.get("/model/header")
    def model_header(h: Annotated[Token | None, fw.Header()] = None):
        return {"h": h}

    @app.get("/model/header-underscores")
    def model_header_underscores(
        h: Annotated[Token | None, fw.Header(convert_underscores=False)] = None,
    ):
        return {"h": h}

    @app.get("/model/header-required")
    def model_header_required(h: Annotated[Optional[Tag], fw.Header()]):  # noqa: UP045
        return {"h": h}

    @app.get("/model/header-plain")
    def model_header_plain(h: Annotated[Token, fw.Header()]):
        return {"h": h}

    @app.get("/model/cookie")
    def model_cookie(c: Annotated[Filters | None, fw.Cookie()] = None):
        return {"c": c}

    @app.get("/model/cookie-list")
    def model_cookie_list(v: Annotated[list[str], fw.Cookie()] = []):  # noqa: B006
        return {"v": v}

    return app


# Documented differently by fastcore.openapi (see test_optional_form_models_documented).
OPTIONAL_FORM_PATHS = (
    "/model/form",
    "/model/form-only",
    "/model/form-required",
    "/model/form-fallback",
    "/model/file",
    "/model/form-blank-optional",
)

# --- requests ------------------------------------------------------------------------------


def case(method: str, url: str, label: str | None = None, **kwargs: Any) -> Any:
    test_id = f"{method} {url}" + (f" ({label})" if label else "")
    return pytest.param(method, url, kwargs, id=test_id)


def get(url: str, label: str | None = None, **kwargs: Any) -> Any:
    return case("GET", url, label, **kwargs)


def post(url: str, label: str | None = None, **kwargs: Any) -> Any:
    return case("POST", url, label, **kwargs)


def json_body(value: Any) -> dict[str, Any]:
    return {"content": json.dumps(value).encode(), "headers": {"content-type": "application/json"}}


def form(data: str) -> dict[str, Any]:
    return {
        "content": data.encode(),
        "headers": {"content-type": "application/x-www-form-urlencoded"},
    }


def headers(**values: str) -> dict[str, Any]:
    return {"headers": values}


def cookies(header: str) -> dict[str, Any]:
    return {"headers": {"cookie": header}}


ITEM = {"name": "x"}

FIELD_CASES = [
    post("/field/model", **json_body(ITEM)),
    post("/field/model", "missing name", **json_body({})),
    post("/field/model", "no body"),
    post("/field/model?name=x"),
    post(
        "/field/two-models",
        **json_body({"item": ITEM, "other": ITEM, "plain": ITEM, "described": ITEM}),
    ),
    post("/field/two-models", "one missing", **json_body({"item": ITEM, "plain": ITEM})),
    post("/field/two-models", "bad", **json_body({"item": {"name": 1}, "other": {}})),
    get("/field/scalar"),
    get("/field/scalar?q=0"),
    get("/field/scalar?q=5&rr=abc&vv=3"),
    get("/field/scalar?rr=a"),
    get("/field/scalar?r=abc&v=9"),
    get("/field/required"),
    get("/field/required?q=5"),
    get("/field/required?qq=5"),
    get("/field/required?qq=0"),
    get("/field/path/0"),
    get("/field/path/4"),
    get("/field/path/x"),
    get("/field/path-alias/abc"),
    post("/field/list", **json_body([ITEM])),
    post("/field/list", "two", **json_body([ITEM, {"name": "y"}])),
    post("/field/list", "not a list", **json_body(ITEM)),
    post("/field/list-default"),
    post("/field/list-default?q=1&q=2"),
    post("/field/list-default", "a list", **json_body([3, 4])),
    post("/field/list-default", "empty", **json_body([])),
    post("/field/dict", **json_body({"a": 1})),
    post("/field/dict", "bad", **json_body({"a": "x"})),
    get("/field/with-query"),
    get("/field/with-query?a=0&b=0&d=0"),
    get("/field/with-query?a=10&b=10&d=10"),
    get("/field/with-query?a=5&b=5&c=0&d=5"),
    get("/field/with-header"),
    get("/field/with-header", "headers", **headers(h="0", m="0")),
    get("/field/with-header", "header values", **headers(h="3", m="4", **{"x-k": "kk"})),
    get("/field/with-header", "header limits", **headers(m="9")),
    get("/field/with-header?h=0&m=0&x-k=q"),
    post("/field/embed", **json_body({"item": ITEM})),
    post("/field/embed", "not embedded", **json_body(ITEM)),
    post("/field/file", files={"f": ("a.txt", b"x")}),
    post("/field/file", "nothing"),
    post("/field/form", **form("q=a")),
    post("/field/form", "long enough", **form("q=abc")),
    get("/field/defaults"),
    get("/field/defaults?a=1&b=2"),
    get("/field/defaults?a=1&b=2&c=3&d=4"),
    get("/field/optional"),
    get("/field/optional?q=0"),
    get("/field/optional?q=3"),
    get("/field/overridden"),
    get("/field/overridden?q=0"),
    get("/field/overridden?q=10"),
    get("/field/depends"),
    get("/field/depends?a=5&b=5&c=5"),
    post("/field/in-dependency"),
    post("/field/in-dependency?q=0"),
    post("/field/in-dependency?q=4", **json_body(ITEM)),
    post("/field/in-dependency", "bad body", **json_body({"b": ITEM})),
    get("/field/documented?q=0"),
]

MODEL_CASES = [
    post("/model/form", "all", **form("other=o&label=L&weight=2")),
    post("/model/form", "default weight", **form("other=o&label=L")),
    post("/model/form", "label missing", **form("other=o&weight=2")),
    post("/model/form", "two errors", **form("other=o&weight=x")),
    post("/model/form", "none of its fields", **form("other=o")),
    post("/model/form", "other keys only", **form("other=o&junk=1")),
    post("/model/form", "blank label", **form("other=o&label=")),
    post("/model/form", "blank weight", **form("other=o&weight=")),
    post("/model/form", "blank label, weight", **form("other=o&label=&weight=3")),
    post("/model/form", "repeated label", **form("other=o&label=a&label=b")),
    post("/model/form", "nothing"),
    post("/model/form", "json", **json_body({"other": "o", "label": "x"})),
    post("/model/form-only", "label", **form("label=L")),
    post("/model/form-only", "weight", **form("weight=3")),
    post("/model/form-only", "junk", **form("junk=3")),
    post("/model/form-only", "nothing"),
    post("/model/form-only", "multipart", files={"label": (None, b"M")}),
    post("/model/form-required", "label", **form("label=L&other=o")),
    post("/model/form-required", "other only", **form("other=o")),
    post("/model/form-required", "nothing"),
    post("/model/form-fallback", "nothing"),
    post("/model/form-fallback", "weight", **form("weight=2")),
    post("/model/form-fallback", "label", **form("label=L")),
    post("/model/file", "label", files={"label": (None, b"l")}),
    post("/model/file", "nothing"),
    post("/model/form-default", "label", **form("label=L")),
    post("/model/form-default", "weight", **form("weight=2")),
    post("/model/form-default", "nothing"),
    post("/model/form-blank", "blank label", **form("label=")),
    post("/model/form-blank", "blank label, weight", **form("label=&weight=3")),
    post("/model/form-blank", "blank weight", **form("label=a&weight=")),
    post("/model/form-blank", "blank junk", **form("label=a&junk=")),
    post("/model/form-blank", "blank list item", **form("label=a&tags=&tags=b")),
    post("/model/form-blank", "blank list", **form("label=a&tags=")),
    post("/model/form-blank", "blank junk twice", **form("label=a&junk=&junk=")),
    post("/model/form-blank", "last blank", **form("label=a&label=")),
    post("/model/form-blank", "errors", **form("weight=x&junk=")),
    post("/model/form-blank-optional", "blank junk", **form("junk=")),
    post("/model/form-blank-optional", "blank list", **form("tags=")),
    post("/model/form-blank-optional", "last blank", **form("label=a&label=")),
    get("/model/query?limit=2&tags=a&tags=b"),
    get("/model/query?tags=a"),
    get("/model/query?tags="),
    get("/model/query?limit="),
    get("/model/query?limit=x"),
    get("/model/query?x=1"),
    get("/model/query"),
    get("/model/query-required"),
    get("/model/query-required?limit=1"),
    get("/model/query-required?x=1"),
    get("/model/query-two?limit=1"),
    get("/model/query-two?label=1"),
    get("/model/query-two?label=1&limit=2"),
    get("/model/query-two?weight=1"),
    get("/model/query-strict?junk="),
    get("/model/query-strict?label=a&junk=1"),
    get("/model/query-strict"),
    get("/model/cookie-strict", "other", **cookies("z=1")),
    get("/model/cookie-strict", "label", **cookies("label=L")),
    get("/model/cookie-strict", "nothing"),
    get("/model/query-fallback"),
    get("/model/query-fallback?tags=z"),
    get("/model/query-fallback?limit=5"),
    get("/model/header", "token", **headers(**{"x-token": "T"})),
    get("/model/header", "underscores", **headers(x_token="T")),
    get("/model/header", "alias", **headers(OtherOne="5")),
    get("/model/header", "alias in lower case", **headers(otherone="5")),
    get("/model/header", "alias with hyphens", **headers(**{"other-one": "5"})),
    get("/model/header", "list", **headers(**{"x-token": "T", "many-vals": "a"})),
    get("/model/header", "nothing"),
    get("/model/header-underscores", "hyphens", **headers(**{"x-token": "T"})),
    get("/model/header-underscores", "underscores", **headers(x_token="T", many_vals="v")),
    get("/model/header-required", "label", **headers(label="L", weight="4")),
    get("/model/header-required", "weight", **headers(weight="4")),
    get("/model/header-required", "nothing"),
    get("/model/header-plain", "alias", **headers(**{"x-token": "t", "OtherOne": "x"})),
    get("/model/header-plain", "lower case", **headers(**{"x-token": "t", "otherone": "5"})),
    get("/model/header-plain", "nothing"),
    get("/model/cookie", "all", **cookies("limit=3; tags=a")),
    get("/model/cookie", "tags", **cookies("tags=a")),
    get("/model/cookie", "other", **cookies("other=1")),
    get("/model/cookie", "nothing"),
    get("/model/cookie-list", "one", **cookies("v=a")),
    get("/model/cookie-list", "two", **cookies("v=a; v=b")),
    get("/model/cookie-list", "nothing"),
]

CASES = FIELD_CASES + MODEL_CASES


def send(client: Any, method: str, url: str, kwargs: dict[str, Any]) -> Any:
    return client.request(method, url, follow_redirects=False, **kwargs)


def observed(response: Any) -> tuple[int, bytes]:
    return response.status_code, response.content


# Entered once per module: one event loop for all requests is much faster than one each.
@pytest.fixture(scope="module")
def ours() -> Iterator[TestClient]:
    with TestClient(build_app(fastcore), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def reference() -> Iterator[Any]:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    with testclient.TestClient(build_app(fastapi), raise_server_exceptions=False) as client:
        yield client


def test_case_ids_are_unique() -> None:
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(("method", "url", "kwargs"), CASES)
def test_same_response_as_fastapi(
    reference: Any, ours: TestClient, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    expected = observed(send(reference, method, url, kwargs))
    assert observed(send(ours, method, url, kwargs)) == expected


def without_optional_form_models(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    for path in OPTIONAL_FORM_PATHS:
        del document["paths"][path]
    schemas = document["components"]["schemas"]
    for name in [name for name in schemas if name.startswith("Body_model_")]:
        del schemas[name]
    return document


def test_openapi_document_like_fastapi(reference: Any, ours: TestClient) -> None:
    expected = without_optional_form_models(reference.get("/openapi.json").json())
    document = without_optional_form_models(ours.get("/openapi.json").json())
    for path, operations in expected["paths"].items():
        assert document["paths"].get(path) == operations, path
    assert json.dumps(document, indent=1) == json.dumps(expected, indent=1)


@pytest.mark.xfail(
    strict=True,
    reason="fastcore.openapi documents an optional form model as a required one; FastAPI: "
    "allOf [anyOf [not (anyOf required <field>...), anyOf [$ref] + title]]",
)
def test_optional_form_models_documented_like_fastapi(reference: Any, ours: TestClient) -> None:
    expected = reference.get("/openapi.json").json()
    document = ours.get("/openapi.json").json()
    for path in OPTIONAL_FORM_PATHS:
        assert document["paths"][path] == expected["paths"][path], path


@pytest.mark.xfail(
    strict=True,
    reason="the params core collects one dict for all the models of one place: each model "
    "sees every model's fields first, where FastAPI gives it its own fields first, then the "
    "other keys in the order sent, one value each unless repeated",
)
def test_two_models_in_one_place_see_their_own_fields_first(
    reference: Any, ours: TestClient
) -> None:
    url = "/model/query-two?tags=a&weight=1&limit=x"
    assert observed(ours.get(url)) == observed(reference.get(url))


# --- declarations refused ------------------------------------------------------------------


def refusal(fw: ModuleType, endpoint: Any) -> type[BaseException] | None:
    """The type of error with which ``fw`` refuses the route, or None."""
    try:
        fw.FastAPI().get("/")(endpoint)
    except Exception as error:  # noqa: BLE001 (compared with FastAPI's)
        return type(error)
    return None


def refused_declarations(fw: ModuleType) -> dict[str, Any]:
    def plain_field_default(q: int = Field(3)):
        return q

    def plain_field_model_default(item: Item = Field(description="d")):
        return item

    def field_twice(q: Annotated[int, Field(gt=0)] = Field(3)):
        return q

    def query_then_field_default(q: Annotated[int, fw.Query()] = Field(3)):
        return q

    def default_in_query(q: Annotated[int, fw.Query(default=3)]):
        return q

    def default_in_field_beside_query(q: Annotated[int, fw.Query(), Field(default=3)]):
        return q

    def default_in_field_before_query(q: Annotated[int, Field(default=3), fw.Query()]):
        return q

    def default_and_factory(q: Annotated[int, Field(default_factory=seven)] = 5):
        return q

    def query_default_and_factory(q: Annotated[int, fw.Query(default_factory=seven)] = 5):
        return q

    def accepted(q: Annotated[int, Field(gt=0)] = fw.Query(3)):
        return q

    return {endpoint.__name__: endpoint for endpoint in locals().values() if callable(endpoint)}


@pytest.mark.parametrize("name", list(refused_declarations(fastcore)))
def test_declarations_refused_like_fastapi(name: str) -> None:
    fastapi = pytest.importorskip("fastapi")
    ours = refusal(fastcore, refused_declarations(fastcore)[name])
    assert ours == refusal(fastapi, refused_declarations(fastapi)[name])
    assert (ours is None) == (name == "accepted")
