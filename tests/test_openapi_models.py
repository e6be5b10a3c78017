"""``fastcore.openapi.models`` against ``fastapi.openapi.models``: same names, same fields and
aliases, same configuration, and the same result when a document goes through them.

A document is validated by each set of models and dumped back (``by_alias=True``, without
``None``s, and also without unset fields); both dumps must be equal, and equal to the
document itself when it was written in canonical form. Documents: one FastAPI generates
for an app with security schemes, callbacks and webhooks, and one written by hand that uses
every kind of object and most JSON Schema keywords. Invalid documents must fail with the
same errors.
"""

import copy
import enum
import inspect
import warnings
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from fastcore.openapi import models

# Names fastapi.openapi.models has only because it imported them (typing helpers, Pydantic
# classes): not part of what the module defines.
THEIR_IMPORTS = {
    "Annotated",
    "Any",
    "AnyUrl",
    "BaseModel",
    "Callable",
    "Enum",
    "Field",
    "GetJsonSchemaHandler",
    "Iterable",
    "Literal",
    "Mapping",
    "Optional",
    "TypedDict",
    "Union",
    "typing_deprecated",
    "with_info_plain_validator_function",
}
OUR_IMPORTS = THEIR_IMPORTS | {"ConfigDict", "core_schema"}


@pytest.fixture(scope="module")
def reference() -> Any:
    return pytest.importorskip("fastapi.openapi.models")


def public(module: Any, imported: set[str]) -> set[str]:
    names = {name for name in dir(module) if not name.startswith("_")} - imported
    return {name for name in names if not inspect.ismodule(getattr(module, name))}


def test_importable_from_fastcore_openapi():
    import fastcore.openapi
    from fastcore.openapi import models as imported

    assert imported is models
    assert fastcore.openapi.models is models


def test_same_public_names(reference):
    assert public(models, OUR_IMPORTS) == public(reference, THEIR_IMPORTS)


def model_names(module: Any) -> list[str]:
    return sorted(
        name
        for name in public(module, THEIR_IMPORTS)
        if inspect.isclass(getattr(module, name)) and issubclass(getattr(module, name), BaseModel)
    )


def test_every_model_listed(reference):
    assert model_names(models) == model_names(reference)
    assert len(model_names(models)) == 36


def field_table(cls: type[BaseModel]) -> list[tuple[Any, ...]]:
    """Each field by what validation and dumping depend on (not its annotation's spelling)."""
    return [
        (
            name,
            field.alias,
            field.is_required(),
            repr(field.default),
            [repr(item) for item in field.metadata],
            field.deprecated is not None,
        )
        for name, field in cls.model_fields.items()
    ]


@pytest.mark.parametrize("name", model_names(models))
def test_same_fields_aliases_and_config(reference, name):
    ours, theirs = getattr(models, name), getattr(reference, name)
    assert field_table(ours) == field_table(theirs)
    assert dict(ours.model_config) == dict(theirs.model_config)
    assert [c.__name__ for c in ours.__mro__] == [c.__name__ for c in theirs.__mro__]
    # The JSON schema sums up every annotation: types, unions, constraints, nesting.
    assert ours.model_json_schema() == theirs.model_json_schema()
    assert ours.model_json_schema(mode="serialization") == theirs.model_json_schema(
        mode="serialization"
    )


@pytest.mark.parametrize("name", ["APIKeyIn", "ParameterInType", "SecuritySchemeType"])
def test_same_enums(reference, name):
    ours, theirs = getattr(models, name), getattr(reference, name)
    assert issubclass(ours, enum.Enum)
    assert [(m.name, m.value) for m in ours] == [(m.name, m.value) for m in theirs]


def test_same_aliases_for_unions_and_literals(reference):
    for name in ("SchemaType", "SchemaOrBool", "SecurityScheme"):
        ours, theirs = getattr(models, name), getattr(reference, name)
        assert TypeAdapter(ours).json_schema() == TypeAdapter(theirs).json_schema()


def test_example_is_an_open_typed_dict(reference):
    assert models.Example.__total__ is False
    assert models.Example.__optional_keys__ == reference.Example.__optional_keys__
    assert models.Example.__pydantic_config__ == reference.Example.__pydantic_config__
    value = {"summary": "s", "value": None, "x-extra": 1}
    assert TypeAdapter(models.Example).validate_python(value) == value


def _outcome(adapter: TypeAdapter, value: str) -> object:
    """The validated value, or the error types: with email-validator installed,
    both refuse a bad address; without it, both keep it as a string."""
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        return [detail["type"] for detail in error.errors()]


def test_email_str_like_fastapi(reference):
    for value in ("someone@example.com", "not an address"):
        ours = _outcome(TypeAdapter(models.EmailStr), value)
        assert ours == _outcome(TypeAdapter(reference.EmailStr), value)
    assert TypeAdapter(models.EmailStr).json_schema() == {"type": "string", "format": "email"}


def test_schema_example_is_deprecated():
    schema = models.Schema.model_validate({"example": 3})
    with pytest.warns(DeprecationWarning):
        assert schema.example == 3


def test_aliases_on_both_sides():
    parameter = models.Parameter.model_validate({"name": "q", "in": "query", "schema": {}})
    assert parameter.in_ is models.ParameterInType.query
    assert parameter.schema_ == models.Schema()
    reference = models.Reference.model_validate({"$ref": "#/x"})
    assert reference.ref == "#/x"
    assert reference.model_dump(by_alias=True) == {"$ref": "#/x"}
    with pytest.raises(ValidationError):
        models.Reference(ref="#/x")  # fields are filled by alias only, as in FastAPI


# --- documents ----------------------------------------------------------------------------

HAND_WRITTEN: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Everything",
        "summary": "s",
        "description": "d",
        "termsOfService": "https://example.com/terms",
        "contact": {"name": "n", "url": "https://example.com/", "email": "a@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
        "version": "1.0",
        "x-logo": {"url": "https://example.com/logo.png"},
    },
    "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
    "servers": [
        {
            "url": "https://{host}/v1",
            "description": "main",
            "variables": {"host": {"enum": ["a.example.com"], "default": "a.example.com"}},
        },
        {"url": "/relative"},
    ],
    "paths": {
        "/items/{id}": {
            "summary": "an item",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"$ref": "#/components/parameters/Trace"},
            ],
            "get": {
                "tags": ["items"],
                "operationId": "get_item",
                "externalDocs": {"url": "https://example.com/docs"},
                "parameters": [
                    {
                        "name": "filter",
                        "in": "query",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "additionalProperties": True}
                            }
                        },
                    },
                    {
                        "name": "session",
                        "in": "cookie",
                        "deprecated": True,
                        "style": "form",
                        "explode": False,
                        "allowReserved": True,
                        "example": "abc",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {
                            "X-Rate": {"schema": {"type": "integer"}, "required": True},
                            "X-Ref": {"$ref": "#/components/headers/Rate"},
                        },
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Item"},
                                "examples": {
                                    "one": {"summary": "one", "value": {"id": 1}},
                                    "two": {"$ref": "#/components/examples/Two"},
                                },
                            }
                        },
                        "links": {
                            "owner": {
                                "operationId": "get_owner",
                                "parameters": {"id": "$response.body#/owner"},
                                "requestBody": {"x": 1},
                                "server": {"url": "https://owners.example.com"},
                            },
                            "ref": {"$ref": "#/components/links/L"},
                        },
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "default": {"description": "error", "x-note": "n"},
                },
                "security": [{"key": []}, {"oauth": ["read", "write"]}, {}],
                "servers": [{"url": "https://other.example.com"}],
                "x-internal": True,
            },
            "put": {
                "requestBody": {
                    "description": "upload",
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {
                                        "type": "string",
                                        "contentMediaType": "application/octet-stream",
                                        "contentEncoding": "base64",
                                    },
                                    "meta": {"type": "object"},
                                },
                            },
                            "encoding": {
                                "meta": {
                                    "contentType": "application/json",
                                    "headers": {"X-Part": {"schema": {"type": "string"}}},
                                    "style": "form",
                                    "explode": True,
                                    "allowReserved": False,
                                }
                            },
                        }
                    },
                },
                "callbacks": {
                    "done": {
                        "{$request.body#/callback}": {
                            "post": {"responses": {"200": {"description": "ok"}}}
                        }
                    },
                    "shared": {"$ref": "#/components/callbacks/Shared"},
                },
                "responses": {"204": {"description": "done"}},
                "deprecated": True,
            },
            "delete": {"responses": {"204": {"description": "gone"}}},
            "options": {},
            "head": {},
            "patch": {"requestBody": {"$ref": "#/components/requestBodies/Patch"}},
            "trace": {},
            "servers": [{"url": "https://items.example.com"}],
        },
        "/elsewhere": {"$ref": "#/components/pathItems/Elsewhere"},
    },
    "webhooks": {
        "created": {"post": {"requestBody": {"content": {"application/json": {}}}}},
        "ref": {"$ref": "#/components/pathItems/Elsewhere"},
    },
    "components": {
        "schemas": {
            "Item": {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://example.com/item",
                "$anchor": "item",
                "$dynamicAnchor": "node",
                "$comment": "c",
                "$defs": {"Id": {"type": "integer", "minimum": 1}, "Any": True},
                "title": "Item",
                "description": "An item",
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"$ref": "#/components/schemas/Item/$defs/Id"},
                    "name": {
                        "type": ["string", "null"],
                        "minLength": 1,
                        "maxLength": 10,
                        "pattern": "^[a-z]+$",
                        "default": "x",
                        "examples": ["abc"],
                        "readOnly": True,
                    },
                    "price": {
                        "type": "number",
                        "multipleOf": 0.5,
                        "exclusiveMinimum": 0,
                        "maximum": 1000,
                        "exclusiveMaximum": 1001,
                        "writeOnly": True,
                    },
                    "tags": {
                        "type": "array",
                        "items": {"type": "string", "enum": ["a", "b"]},
                        "prefixItems": [{"const": "first"}, False],
                        "contains": {"const": "a"},
                        "minContains": 1,
                        "maxContains": 2,
                        "minItems": 0,
                        "maxItems": 5,
                        "uniqueItems": True,
                        "unevaluatedItems": False,
                    },
                    "kind": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Cat"},
                            {"$ref": "#/components/schemas/Dog"},
                        ],
                        "discriminator": {
                            "propertyName": "pet_type",
                            "mapping": {"cat": "#/components/schemas/Cat"},
                        },
                    },
                    "legacy": {"type": "string", "example": "old", "deprecated": True},
                    "xml": {
                        "type": "string",
                        "xml": {"name": "n", "namespace": "https://x", "prefix": "p"},
                    },
                    "doc": {"externalDocs": {"url": "https://example.com/doc"}},
                    "format": {"type": "string", "format": "date-time"},
                },
                "patternProperties": {"^x-": {"type": "string"}},
                "additionalProperties": False,
                "propertyNames": {"maxLength": 20},
                "unevaluatedProperties": False,
                "minProperties": 1,
                "maxProperties": 50,
                "dependentRequired": {"price": ["name"]},
                "dependentSchemas": {"tags": {"required": ["name"]}},
                "if": {"properties": {"id": {"const": 0}}},
                "then": {"required": ["name"]},
                "else": True,
                "not": {"required": ["forbidden"]},
                "allOf": [True],
                "anyOf": [{"required": ["id"]}],
                "x-extension": {"kept": True},
            },
            "Cat": {"type": "object", "properties": {"pet_type": {"const": "cat"}}},
            "Dog": {"$dynamicRef": "#node", "contentSchema": {"type": "string"}},
            "Ref": {"$ref": "#/components/schemas/Cat"},
            "Vocabulary": {"$vocabulary": "https://example.com/vocab"},
        },
        "responses": {"NotFound": {"description": "missing"}},
        "parameters": {"Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}},
        "examples": {"Two": {"externalValue": "https://example.com/two.json"}},
        "requestBodies": {"Patch": {"content": {"application/merge-patch+json": {}}}},
        "headers": {"Rate": {"description": "rate", "schema": {"type": "integer"}}},
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key", "description": "d"},
            "basic": {"type": "http", "scheme": "basic"},
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "implicit": {"authorizationUrl": "https://a", "scopes": {"read": "r"}},
                    "password": {"tokenUrl": "/token", "refreshUrl": "/r", "scopes": {}},
                    "clientCredentials": {"tokenUrl": "/token", "scopes": {}},
                    "authorizationCode": {
                        "authorizationUrl": "/a",
                        "tokenUrl": "/t",
                        "scopes": {"write": "w"},
                    },
                },
            },
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.wk"},
            "shared": {"$ref": "#/components/securitySchemes/key"},
        },
        "links": {"L": {"operationRef": "#/paths/~1items~1{id}/get", "description": "l"}},
        "callbacks": {
            "Shared": {"{$url}": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "Loose": {"not a path item map": 1},
        },
        "pathItems": {"Elsewhere": {"get": {"responses": {"200": {"description": "ok"}}}}},
    },
    "security": [{"basic": []}],
    "tags": [
        {"name": "items", "description": "d", "externalDocs": {"url": "https://example.com/t"}}
    ],
    "externalDocs": {"description": "more", "url": "https://example.com/more"},
    "x-top-level": [1, 2],
}


def generated_document() -> dict[str, Any]:
    """What FastAPI itself generates for an app with security, callbacks and webhooks."""
    fastapi = pytest.importorskip("fastapi")
    security = pytest.importorskip("fastapi.security")
    from pydantic import BaseModel as Model

    class Item(Model):
        name: str
        tags: list[str] = []
        parent: "Item | None" = None

    app = fastapi.FastAPI(
        title="Generated",
        version="2",
        servers=[{"url": "https://example.com", "description": "prod"}],
        contact={"name": "n", "email": "a@example.com", "url": "https://example.com"},
        license_info={"name": "MIT", "identifier": "MIT"},
        openapi_tags=[{"name": "items", "externalDocs": {"url": "https://example.com/t"}}],
    )
    callbacks = fastapi.APIRouter()

    @callbacks.post("{$callback_url}/events", response_model=Item)
    def event(body: Item):  # pragma: no cover - documented only
        pass

    oauth2 = security.OAuth2PasswordBearer("token", scopes={"items": "Items"}, refreshUrl="/r")

    @app.post("/items", callbacks=callbacks.routes, tags=["items"], status_code=201)
    def create(
        item: Item,
        q: int = fastapi.Query(3, ge=1, le=10, description="q"),
        token: str = fastapi.Security(oauth2, scopes=["items"]),
        basic: Any = fastapi.Depends(security.HTTPBasic(realm="r", description="basic")),
        key: str = fastapi.Depends(security.APIKeyHeader(name="X-Key")),
        cookie: str = fastapi.Depends(security.APIKeyCookie(name="c", auto_error=False)),
        oidc: str = fastapi.Depends(security.OpenIdConnect(openIdConnectUrl="https://x/wk")),
        bearer: Any = fastapi.Depends(security.HTTPBearer(bearerFormat="JWT")),
        code: str = fastapi.Depends(security.OAuth2AuthorizationCodeBearer("/a", "/t")),
    ) -> Item:  # pragma: no cover - documented only
        return item

    @app.post("/token", openapi_extra={"x-internal": True})
    def token(form: Any = fastapi.Depends(security.OAuth2PasswordRequestFormStrict)):
        pass  # pragma: no cover - documented only

    @app.get("/files/{path:path}", deprecated=True, responses={404: {"description": "no"}})
    def files(path: str, digest: Any = fastapi.Depends(security.HTTPDigest())):
        pass  # pragma: no cover - documented only

    @app.webhooks.post("item-created")
    def item_created(item: Item):  # pragma: no cover - documented only
        pass

    return app.openapi()


def dumps(module: Any, document: dict[str, Any]) -> list[Any]:
    model = module.OpenAPI.model_validate(copy.deepcopy(document))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [
            model.model_dump(by_alias=True, exclude_none=True, mode="json"),
            model.model_dump(by_alias=True, exclude_unset=True, mode="json"),
            comparable(model.model_dump(by_alias=True, exclude_none=True)),
            comparable(model.model_dump()),
        ]


def comparable(value: Any) -> Any:
    """A Python-mode dump with each enum member named by class and value: the two modules'
    enums are distinct classes, equal only in what they hold."""
    if isinstance(value, enum.Enum):
        return (type(value).__name__, value.value)
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return type(value)(comparable(item) for item in value)
    return value


def test_hand_written_document_round_trips():
    # Runs without FastAPI: the document is in canonical form, so it comes back unchanged.
    assert dumps(models, HAND_WRITTEN)[0] == HAND_WRITTEN
    assert dumps(models, HAND_WRITTEN)[1] == HAND_WRITTEN


def test_hand_written_document_like_fastapi(reference):
    assert dumps(models, HAND_WRITTEN) == dumps(reference, HAND_WRITTEN)


def test_generated_document_like_fastapi(reference):
    document = generated_document()
    assert set(document["components"]["securitySchemes"]) == {
        "OAuth2PasswordBearer",
        "HTTPBasic",
        "APIKeyHeader",
        "APIKeyCookie",
        "OpenIdConnect",
        "HTTPBearer",
        "OAuth2AuthorizationCodeBearer",
        "HTTPDigest",
    }
    assert "callbacks" in document["paths"]["/items"]["post"] and document["webhooks"]
    ours = dumps(models, document)
    assert ours == dumps(reference, document)
    assert ours[0] == document


def test_fastcore_generated_document_like_fastapi(reference):
    """Whatever fastcore's own generator writes reads the same through both sets of models."""
    import fastcore

    app = fastcore.FastAPI(title="t", version="1")

    @app.get("/items/{item_id}")
    def read(item_id: int, q: str | None = None):  # pragma: no cover - documented only
        return {}

    document = app.openapi()
    assert dumps(models, document) == dumps(reference, document)


def test_security_scheme_union_picks_the_same_model(reference):
    schemes = HAND_WRITTEN["components"]["securitySchemes"]
    ours = models.Components.model_validate({"securitySchemes": schemes})
    theirs = reference.Components.model_validate({"securitySchemes": schemes})
    assert ours.securitySchemes is not None and theirs.securitySchemes is not None
    assert {k: type(v).__name__ for k, v in ours.securitySchemes.items()} == {
        k: type(v).__name__ for k, v in theirs.securitySchemes.items()
    }


# Documents that break a rule somewhere. Not all of them are refused: where a field also
# accepts ``Any`` (path items under ``paths``, responses of an operation) a broken object is
# kept as a plain mapping, and since the security scheme ``type`` is an enum, not a literal,
# ``{"type": "oauth2"}`` without flows validates as an ``HTTPBearer`` (whose fields all have
# defaults: any mapping does). Both modules must
# agree on each: the same errors, or the same dump.
ODD_DOCUMENTS = [
    ("no info", {"info": None}, "refused"),
    ("no title", {"info": {"version": "1"}}, "refused"),
    ("parameter without in", {"components": {"parameters": {"p": {"name": "q"}}}}, "refused"),
    (
        "bad parameter in",
        {"components": {"parameters": {"p": {"name": "q", "in": "body"}}}},
        "refused",
    ),
    ("parameter in a path item", {"paths": {"/": {"get": {"parameters": [{}]}}}}, "kept"),
    ("multipleOf 0", {"components": {"schemas": {"A": {"multipleOf": 0}}}}, "refused"),
    ("negative minLength", {"components": {"schemas": {"A": {"minLength": -1}}}}, "refused"),
    ("bad type", {"components": {"schemas": {"A": {"type": "date"}}}}, "refused"),
    ("empty server enum", {"servers": [{"url": "/", "variables": {"v": {"enum": []}}}]}, "refused"),
    (
        "bad contact url",
        {"info": {"title": "t", "version": "1", "contact": {"url": "::"}}},
        "refused",
    ),
    (
        "bad scheme type",
        {"components": {"securitySchemes": {"x": {"type": "mutualTLS"}}}},
        "refused",
    ),
    ("http without scheme", {"components": {"securitySchemes": {"x": {"type": "http"}}}}, "kept"),
    (
        "oauth2 without flows",
        {"components": {"securitySchemes": {"x": {"type": "oauth2"}}}},
        "kept",
    ),
    ("api key without name", {"components": {"securitySchemes": {"x": {"in": "query"}}}}, "kept"),
    ("response without description", {"components": {"responses": {"r": {}}}}, "refused"),
    ("operation response", {"paths": {"/": {"get": {"responses": {"200": {}}}}}}, "kept"),
    ("request body without content", {"components": {"requestBodies": {"b": {}}}}, "refused"),
    ("bad discriminator", {"components": {"schemas": {"A": {"discriminator": {}}}}}, "refused"),
    ("bad webhook", {"webhooks": {"w": {"get": {"parameters": 3}}}}, "refused"),
    ("loose callback", {"components": {"callbacks": {"c": [1, 2]}}}, "kept"),
]


def outcome(module: Any, document: dict[str, Any]) -> tuple[str, Any]:
    base = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    try:
        model = module.OpenAPI.model_validate({**base, **document})
    except ValidationError as exc:
        return "refused", exc.errors(include_url=False)
    return "kept", model.model_dump(by_alias=True, exclude_none=True, mode="json")


@pytest.mark.parametrize(
    ("label", "document", "verdict"), ODD_DOCUMENTS, ids=[label for label, *_ in ODD_DOCUMENTS]
)
def test_odd_documents_like_fastapi(reference, label, document, verdict):
    ours = outcome(models, document)
    assert ours[0] == verdict
    assert ours == outcome(reference, document)
