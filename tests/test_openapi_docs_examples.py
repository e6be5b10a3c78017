"""What docs/openapi.md shows, replayed against the apps of examples/docs/openapi.py.

Every document excerpt, page detail and request/response pair the page gives is
asserted here. The expected values were recorded from FastAPI 0.165 running the
same module with the import swapped (and ``docs_cdn=True`` removed, FastAPI's
pages always using the CDN), so a failure here is a difference from FastAPI.

The exception is where the docs pages load their scripts and styles from: the
tests named ``test_assets_*`` check fastcore's vendored assets, which FastAPI
does not have; they are the only tests here that FastAPI fails.

The example module is imported inside the tests, not at the top, so that an
example that cannot be imported fails its own tests instead of stopping the
collection of the whole suite.
"""

import importlib
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from fastcore import APIRouter, FastAPI
from fastcore.exceptions import FastAPIDeprecationWarning
from fastcore.testclient import TestClient
from tests import json_excerpts

PAGE = Path(__file__).resolve().parent.parent / "docs" / "openapi.md"


def example() -> ModuleType:
    return importlib.import_module("examples.docs.openapi")


def client(app: str, **options: Any) -> TestClient:
    """A client for ``<app>`` of examples/docs/openapi.py; ``options`` go to ``TestClient``."""
    return TestClient(getattr(example(), app), **options)


def get(app: str, url: str, **options: Any) -> httpx.Response:
    return client(app).get(url, **options)


def document(app: str, url: str = "/openapi.json") -> dict[str, Any]:
    response = get(app, url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def operation(app: str, path: str, method: str) -> dict[str, Any]:
    return document(app)["paths"][path][method]


def html(response: httpx.Response) -> str:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def swagger_setup(page: str) -> dict[str, Any]:
    """What a Swagger UI page asks for: title, document URL, options, OAuth2 settings."""
    block = page[page.index("SwaggerUIBundle({") : page.index("presets:")]
    options = {
        json.loads(key): json.loads(value)
        for key, value in re.findall(r'^\s*("(?:[^"\\]|\\.)*"): (.*),$', block, flags=re.M)
    }
    redirect = re.findall(r"oauth2RedirectUrl: window\.location\.origin \+ '([^']*)'", page)
    init_oauth = re.findall(r"ui\.initOAuth\((.*)\)", page)
    return {
        "title": re.findall(r"<title>(.*)</title>", page),
        "url": re.findall(r"url: '([^']*)',", block),
        "options": options,
        "oauth2RedirectUrl": redirect,
        "initOAuth": [json.loads(argument) for argument in init_oauth],
    }


def redoc_setup(page: str) -> dict[str, Any]:
    return {
        "title": re.findall(r"<title>(.*)</title>", page),
        "spec-url": re.findall(r'<redoc spec-url="([^"]*)"></redoc>', page),
    }


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def skeleton(page: str) -> str:
    """The page without comments, asset URLs and Google Fonts, each run of whitespace as one
    space: what is left is the same in FastAPI's pages and in fastcore's."""
    page = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    page = re.sub(r'<link href="https://fonts\.googleapis\.com/[^"]*" rel="stylesheet">', "", page)
    page = re.sub(r'(src|href)="[^"]*"', r'\1="..."', page)
    return re.sub(r"\s+", " ", page).strip()


SWAGGER_DEFAULTS = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}

VALIDATION_ERROR_RESPONSE = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
    },
}

TEA_SCHEMA = {
    "properties": {
        "id": {"type": "integer", "title": "Id"},
        "name": {"type": "string", "title": "Name"},
        "kind": {
            "type": "string",
            "enum": ["green", "black", "oolong", "white"],
            "title": "Kind",
        },
        "price": {"type": "number", "title": "Price", "description": "Euros per 100 g"},
    },
    "type": "object",
    "required": ["id", "name", "kind", "price"],
    "title": "Tea",
}


def tea_id_parameter() -> dict[str, Any]:
    return {
        "name": "tea_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "title": "Tea Id"},
    }


def json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# -------------------- the page's JSON excerpts, keys in the order served
@pytest.mark.parametrize("line", [line for line, _ in json_excerpts.excerpts(PAGE)])
def test_json_excerpt_is_what_is_served(line):
    excerpt = dict(json_excerpts.excerpts(PAGE))[line]
    served = json_excerpts.served_documents(example())
    assert json_excerpts.closest(excerpt, served) == []


# -------------------- the three URLs
def test_openapi_json_is_served():
    doc = document("app")
    assert doc["openapi"] == "3.1.0"
    assert list(doc) == ["openapi", "info", "servers", "paths", "webhooks", "components", "tags"]


def test_docs_and_redoc_pages_are_served():
    assert "SwaggerUIBundle" in html(get("app", "/docs"))
    assert "<redoc spec-url" in html(get("app", "/redoc"))


def test_oauth2_redirect_page_is_served():
    page = html(get("app", "/docs/oauth2-redirect"))
    assert "<title>Swagger UI: OAuth2 Redirect</title>" in page
    assert "window.opener.swaggerUIRedirectOauth2" in page


def test_the_doc_urls_are_not_in_the_document():
    assert sorted(document("app")["paths"]) == [
        "/orders",
        "/teas",
        "/teas/by-name/{name}",
        "/teas/import",
        "/teas/{tea_id}",
        "/teas/{tea_id}/label",
    ]


# -------------------- app metadata
def test_info():
    assert document("app")["info"] == {
        "title": "Tea Shop",
        "summary": "Teas, orders and invoices.",
        "description": (
            "Loose-leaf tea, by the gram.\n\n"
            "* **Teas**: browse the catalogue.\n"
            "* **Orders**: place an order and get the invoice sent to you.\n"
        ),
        "termsOfService": "https://tea.example.com/terms",
        "contact": {
            "name": "Tea Shop support",
            "url": "https://tea.example.com/support",
            "email": "support@tea.example.com",
        },
        "license": {"name": "Apache 2.0", "identifier": "Apache-2.0"},
        "version": "2.1.0",
    }


def test_servers():
    assert document("app")["servers"] == [
        {"url": "https://tea.example.com", "description": "Production"},
        {"url": "https://staging.tea.example.com", "description": "Staging"},
    ]


def test_tags_keep_their_order_and_descriptions():
    assert document("app")["tags"] == [
        {"name": "teas", "description": "The catalogue."},
        {
            "name": "orders",
            "description": "Placing orders and following them.",
            "externalDocs": {
                "description": "How ordering works",
                "url": "https://tea.example.com/help/orders",
            },
        },
    ]


def test_a_tag_list_need_not_match_the_tags_in_use():
    app = FastAPI(openapi_tags=[{"name": "unused"}, {"name": "teas"}])

    @app.get("/teas", tags=["teas", "catalogue"])
    def teas():
        return []

    doc = TestClient(app).get("/openapi.json").json()
    assert doc["tags"] == [{"name": "unused"}, {"name": "teas"}]
    assert doc["paths"]["/teas"]["get"]["tags"] == ["teas", "catalogue"]


def test_no_metadata_given():
    doc = document("client_app")
    assert doc["info"] == {"title": "Tea Shop", "version": "0.1.0"}
    assert "servers" not in doc
    assert "tags" not in doc


def test_defaults_and_external_docs():
    app = FastAPI(openapi_external_docs={"url": "https://tea.example.com/help"})
    doc = TestClient(app).get("/openapi.json").json()
    assert doc == {
        "openapi": "3.1.0",
        "info": {"title": "FastAPI", "version": "0.1.0"},
        "paths": {},
        "externalDocs": {"url": "https://tea.example.com/help"},
    }


# -------------------- behind a proxy
def test_root_path_is_the_first_server():
    response = client("proxied_app", root_path="/shop").get("/shop/openapi.json")
    assert response.status_code == 200
    assert response.json()["servers"] == [{"url": "/shop"}]
    assert response.json()["paths"]["/teas"]["get"]["operationId"] == (
        "list_teas_behind_proxy_teas_get"
    )


def test_root_path_in_the_docs_pages():
    proxied = client("proxied_app", root_path="/shop")
    swagger = swagger_setup(html(proxied.get("/shop/docs")))
    assert swagger["url"] == ["/shop/openapi.json"]
    assert swagger["oauth2RedirectUrl"] == ["/shop/docs/oauth2-redirect"]
    assert redoc_setup(html(proxied.get("/shop/redoc")))["spec-url"] == ["/shop/openapi.json"]


def test_root_path_before_the_servers_of_the_app():
    app = FastAPI(servers=[{"url": "https://tea.example.com"}])
    doc = TestClient(app, root_path="/shop").get("/shop/openapi.json").json()
    assert doc["servers"] == [{"url": "/shop"}, {"url": "https://tea.example.com"}]


def test_root_path_already_a_server():
    app = FastAPI(servers=[{"url": "https://tea.example.com"}, {"url": "/shop"}])
    doc = TestClient(app, root_path="/shop").get("/shop/openapi.json").json()
    assert doc["servers"] == [{"url": "https://tea.example.com"}, {"url": "/shop"}]


def test_root_path_kept_out_of_servers():
    app = FastAPI(root_path_in_servers=False)
    doc = TestClient(app, root_path="/shop").get("/shop/openapi.json").json()
    assert "servers" not in doc


def test_root_path_given_to_the_app():
    with pytest.warns(FastAPIDeprecationWarning, match="root_path"):
        app = FastAPI(root_path="/shop")
    response = TestClient(app).get("/shop/openapi.json")
    assert response.json()["servers"] == [{"url": "/shop"}]
    page = TestClient(app).get("/shop/docs").text
    assert swagger_setup(page)["url"] == ["/shop/openapi.json"]


# -------------------- operations
def test_docstring_up_to_the_form_feed():
    assert operation("app", "/teas", "get") == {
        "tags": ["teas"],
        "summary": "List Teas",
        "description": (
            "Every tea in the catalogue, cheapest first.\n\nPrices are in euros per 100 g."
        ),
        "operationId": "list_teas_teas_get",
        "responses": {
            "200": {
                "description": "Successful Response",
                "content": json_schema(
                    {"items": ref("Tea"), "type": "array", "title": "Response List Teas Teas Get"}
                ),
            }
        },
    }


def test_summary_description_and_responses():
    assert operation("app", "/teas/{tea_id}", "get") == {
        "tags": ["teas"],
        "summary": "Read one tea",
        "description": "The tea with this id.",
        "operationId": "read_tea_teas__tea_id__get",
        "parameters": [tea_id_parameter()],
        "responses": {
            "200": {
                "description": "The tea, with its current price",
                "content": json_schema(ref("Tea")),
            },
            "404": {"description": "No tea has this id", "content": json_schema(ref("Message"))},
            "422": VALIDATION_ERROR_RESPONSE,
        },
    }


def test_read_tea():
    response = get("app", "/teas/2")
    assert response.status_code == 200
    assert response.json() == {"id": 2, "name": "Assam", "kind": "black", "price": 4.0}


def test_read_tea_not_found():
    response = get("app", "/teas/9")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tea not found"}


def test_list_teas():
    response = get("app", "/teas")
    assert response.status_code == 200
    assert [tea["name"] for tea in response.json()] == ["Assam", "Sencha"]


def test_deprecated_operation():
    assert operation("app", "/teas/by-name/{name}", "get") == {
        "tags": ["teas"],
        "summary": "Read Tea By Name",
        "description": "Use `/teas/{tea_id}` instead.",
        "operationId": "read_tea_by_name_teas_by_name__name__get",
        "deprecated": True,
        "parameters": [
            {
                "name": "name",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "title": "Name"},
            }
        ],
        "responses": {
            "200": {"description": "Successful Response", "content": json_schema(ref("Tea"))},
            "422": VALIDATION_ERROR_RESPONSE,
        },
    }


def test_deprecated_operation_still_answers():
    response = get("app", "/teas/by-name/sencha")
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "Sencha", "kind": "green", "price": 6.5}


def test_route_left_out_of_the_schema_still_answers():
    assert "/stock" not in document("app")["paths"]
    response = get("app", "/stock")
    assert response.status_code == 200
    assert response.json() == {"Sencha": 1200, "Assam": 300}


def test_include_in_schema_on_routers():
    app = FastAPI()
    hidden = APIRouter(include_in_schema=False)
    admin = APIRouter()

    @hidden.get("/health")
    def health():
        return "ok"

    @admin.get("/stats")
    def stats():
        return {}

    app.include_router(hidden)
    app.include_router(admin, prefix="/admin", include_in_schema=False)
    test_client = TestClient(app)
    assert test_client.get("/openapi.json").json()["paths"] == {}
    assert test_client.get("/health").status_code == 200
    assert test_client.get("/admin/stats").status_code == 200


def test_router_tags_deprecated_responses_and_callbacks():
    callbacks = APIRouter()

    @callbacks.post("{$request.query.url}")
    def notify():
        pass

    app = FastAPI(responses={500: {"description": "Oven on fire"}})
    router = APIRouter(tags=["router"], responses={404: {"model": dict[str, str]}})

    @router.get("/a", tags=["route"])
    def a():
        return 1

    app.include_router(
        router,
        tags=["include"],
        deprecated=True,
        responses={409: {"description": "Conflict"}},
        callbacks=callbacks.routes,
    )
    a_get = TestClient(app).get("/openapi.json").json()["paths"]["/a"]["get"]
    assert a_get["tags"] == ["include", "router", "route"]
    assert a_get["deprecated"] is True
    assert sorted(a_get["responses"]) == ["200", "404", "409", "500"]
    assert a_get["responses"]["409"] == {"description": "Conflict"}
    assert a_get["responses"]["500"] == {"description": "Oven on fire"}
    assert list(a_get["callbacks"]) == ["notify"]


# -------------------- extra responses
def test_extra_responses():
    assert operation("app", "/teas/{tea_id}/label", "get") == {
        "tags": ["teas"],
        "summary": "Read Label",
        "operationId": "tea_label",
        "parameters": [tea_id_parameter()],
        "responses": {
            "200": {
                "description": "The label, as JSON or as plain text",
                "content": {
                    "application/json": {"schema": {}},
                    "text/plain": {"example": "Sencha (green)"},
                },
            },
            "404": {"description": "Not Found", "content": json_schema(ref("Message"))},
            "422": VALIDATION_ERROR_RESPONSE,
        },
    }


def test_label_as_json():
    response = get("app", "/teas/1/label")
    assert response.status_code == 200
    assert response.json() == {"label": "Sencha (green)"}


def test_label_as_text():
    response = get("app", "/teas/1/label", headers={"Accept": "text/plain"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Sencha (green)"


def test_label_not_found():
    response = get("app", "/teas/9/label")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tea not found"}


# -------------------- openapi_extra
def test_openapi_extra():
    assert operation("app", "/teas/import", "post") == {
        "tags": ["teas"],
        "summary": "Import Teas",
        "operationId": "import_teas_teas_import_post",
        "requestBody": {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "required": True,
        },
        "responses": {
            "200": {
                "description": "Successful Response",
                "content": json_schema(
                    {
                        "additionalProperties": {"type": "integer"},
                        "type": "object",
                        "title": "Response Import Teas Teas Import Post",
                    }
                ),
            }
        },
        "x-internal-note": "imports are checked by hand before they go live",
    }


def test_openapi_extra_adds_to_lists():
    app = FastAPI()

    @app.get("/teas", openapi_extra={"parameters": [{"name": "X-Shop", "in": "header"}]})
    def teas(limit: int = 10):
        return []

    parameters = TestClient(app).get("/openapi.json").json()["paths"]["/teas"]["get"]["parameters"]
    assert [parameter["name"] for parameter in parameters] == ["limit", "X-Shop"]


def test_import_reads_the_body_itself():
    response = client("app").post(
        "/teas/import",
        content="name,kind,price\nGyokuro,green,12\nDarjeeling,black,7.5\n",
        headers={"content-type": "text/csv"},
    )
    assert response.status_code == 200
    assert response.json() == {"imported": 2}


# -------------------- callbacks and webhooks
INVOICE_CALLBACK = {
    "invoice_notification": {
        "{$request.query.callback_url}/invoices/{$response.body#/id}": {
            "post": {
                "summary": "Invoice Notification",
                "description": "We send the invoice here once the order ships.",
                "operationId": (
                    "invoice_notification__request_query_callback_url__invoices"
                    "___response_body__id__post"
                ),
                "requestBody": {"required": True, "content": json_schema(ref("Invoice"))},
                "responses": {
                    "200": {
                        "description": "Successful Response",
                        "content": json_schema(ref("Acknowledgement")),
                    },
                    "422": VALIDATION_ERROR_RESPONSE,
                },
            }
        }
    }
}


def test_callbacks():
    assert operation("app", "/orders", "post") == {
        "tags": ["orders"],
        "summary": "Place Order",
        "description": "Place an order; with `callback_url`, the invoice is sent there later.",
        "operationId": "place_order_orders_post",
        "parameters": [
            {
                "name": "callback_url",
                "in": "query",
                "required": False,
                "schema": {
                    "anyOf": [
                        {"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083},
                        {"type": "null"},
                    ],
                    "title": "Callback Url",
                },
            }
        ],
        "requestBody": {"required": True, "content": json_schema(ref("Order"))},
        "callbacks": INVOICE_CALLBACK,
        "responses": {
            "201": {"description": "Successful Response", "content": json_schema(ref("Receipt"))},
            "422": VALIDATION_ERROR_RESPONSE,
        },
    }


def test_place_order():
    response = client("app").post(
        "/orders?callback_url=https://client.example.com/hooks",
        json={"lines": [{"tea_id": 1, "grams": 200}, {"tea_id": 2, "grams": 50}]},
    )
    assert response.status_code == 201
    assert response.json() == {"id": 1, "total": 15.0}


def test_callback_is_not_served():
    paths = [getattr(route, "path", "") for route in example().app.routes]
    assert not [path for path in paths if "invoices" in path]


def test_webhooks():
    assert document("app")["webhooks"] == {
        "order-shipped": {
            "post": {
                "summary": "Order Shipped",
                "description": "An order left the warehouse.",
                "operationId": "order_shippedorder_shipped_post",
                "requestBody": {"content": json_schema(ref("Shipment")), "required": True},
                "responses": {
                    "200": {"description": "Successful Response", "content": json_schema({})},
                    "422": VALIDATION_ERROR_RESPONSE,
                },
            }
        }
    }


def test_webhooks_from_a_router():
    hooks = APIRouter()

    @hooks.post("stock-low", operation_id="stock_low")
    def stock_low(tea_id: int):
        """A tea is running out."""

    app = FastAPI(webhooks=hooks)
    doc = TestClient(app).get("/openapi.json").json()
    assert doc["paths"] == {}
    assert list(doc["webhooks"]) == ["stock-low"]
    assert doc["webhooks"]["stock-low"]["post"]["operationId"] == "stock_low"
    assert app.webhooks is hooks


def test_webhook_is_not_served():
    assert get("app", "/order-shipped").status_code == 404
    assert client("app").post("/order-shipped", json={}).status_code == 404


def test_components():
    schemas = document("app")["components"]["schemas"]
    assert list(schemas) == [
        "Acknowledgement",
        "HTTPValidationError",
        "Invoice",
        "Message",
        "Order",
        "OrderLine",
        "Receipt",
        "Shipment",
        "Tea",
        "ValidationError",
    ]
    assert schemas["Tea"] == TEA_SCHEMA
    assert schemas["Shipment"] == {
        "properties": {
            "order_id": {"type": "integer", "title": "Order Id"},
            "carrier": {"type": "string", "title": "Carrier"},
        },
        "type": "object",
        "required": ["order_id", "carrier"],
        "title": "Shipment",
    }


# -------------------- operation ids
def test_generate_unique_id_function():
    doc = document("client_app")
    assert doc["paths"]["/teas"]["get"]["operationId"] == "teas-list_teas_for_clients"
    assert doc["paths"]["/teas"]["get"]["responses"]["200"]["content"] == json_schema(
        {"items": ref("Tea"), "type": "array", "title": "Response Teas-List Teas For Clients"}
    )
    review = doc["paths"]["/teas/{tea_id}/reviews"]["post"]
    assert review["operationId"] == "teas-review_tea"
    assert review["requestBody"] == {
        "required": True,
        "content": json_schema(ref("Body_teas-review_tea")),
    }
    assert doc["components"]["schemas"]["Body_teas-review_tea"] == {
        "properties": {
            "stars": {"type": "integer", "maximum": 5.0, "minimum": 1.0, "title": "Stars"},
            "comment": {"type": "string", "maxLength": 500, "title": "Comment", "default": ""},
        },
        "type": "object",
        "required": ["stars"],
        "title": "Body_teas-review_tea",
    }


def test_review_tea():
    response = client("client_app").post("/teas/2/reviews", json={"stars": 4})
    assert response.status_code == 200
    assert response.json() == {"tea_id": 2, "stars": 4, "comment": ""}


def test_the_closest_generate_unique_id_function_wins():
    def prefixed(prefix: str):
        return lambda route: f"{prefix}-{route.name}"

    app = FastAPI(generate_unique_id_function=prefixed("app"))
    own = APIRouter(generate_unique_id_function=prefixed("router"))
    plain = APIRouter()

    @own.get("/a")
    def a():
        return 1

    @own.get("/b", generate_unique_id_function=prefixed("route"))
    def b():
        return 1

    @plain.get("/c")
    def c():
        return 1

    @app.get("/d")
    def d():
        return 1

    app.include_router(own, generate_unique_id_function=prefixed("include"))
    app.include_router(plain, generate_unique_id_function=prefixed("include"))
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    assert {path: paths[path]["get"]["operationId"] for path in paths} == {
        "/d": "app-d",
        "/a": "router-a",
        "/b": "route-b",
        "/c": "include-c",
    }


# -------------------- where the document and the pages are served
def test_moved_urls():
    moved = client("moved_app")
    assert moved.get("/api/v2/openapi.json").status_code == 200
    assert moved.get("/api/docs").status_code == 200
    assert moved.get("/docs/oauth2-redirect").status_code == 200
    for url in ("/openapi.json", "/docs", "/redoc", "/api/redoc"):
        assert moved.get(url).status_code == 404, url


def test_moved_docs_page_loads_the_moved_document():
    setup = swagger_setup(html(get("moved_app", "/api/docs")))
    assert setup["url"] == ["/api/v2/openapi.json"]
    assert setup["oauth2RedirectUrl"] == ["/docs/oauth2-redirect"]


def test_no_openapi_url_no_docs():
    private = client("private_app")
    for url in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
        assert private.get(url).status_code == 404, url
    assert private.get("/teas").status_code == 200


def test_no_oauth2_redirect_page():
    app = FastAPI(swagger_ui_oauth2_redirect_url=None)
    test_client = TestClient(app)
    assert test_client.get("/docs/oauth2-redirect").status_code == 404
    assert swagger_setup(html(test_client.get("/docs")))["oauth2RedirectUrl"] == []


# -------------------- configuring Swagger UI
def test_swagger_ui_parameters_and_init_oauth():
    assert swagger_setup(html(get("app", "/docs"))) == {
        "title": ["Tea Shop - Swagger UI"],
        "url": ["/openapi.json"],
        "options": {**SWAGGER_DEFAULTS, "deepLinking": False, "defaultModelsExpandDepth": -1},
        "oauth2RedirectUrl": ["/docs/oauth2-redirect"],
        "initOAuth": [{"clientId": "tea-docs", "usePkceWithAuthorizationCodeGrant": True}],
    }


def test_default_swagger_ui_page():
    assert swagger_setup(html(get("client_app", "/docs"))) == {
        "title": ["Tea Shop - Swagger UI"],
        "url": ["/openapi.json"],
        "options": SWAGGER_DEFAULTS,
        "oauth2RedirectUrl": ["/docs/oauth2-redirect"],
        "initOAuth": [],
    }


def test_docs_page_is_fastapis_but_for_the_assets():
    assert skeleton(html(get("app", "/docs"))) == (
        '<!DOCTYPE html> <html> <head> <meta name="viewport" content="width=device-width, '
        'initial-scale=1.0"> <link type="text/css" rel="stylesheet" href="..."> '
        '<link rel="shortcut icon" href="..."> <title>Tea Shop - Swagger UI</title> </head> '
        '<body> <div id="swagger-ui"> </div> <script src="..."></script> <script> '
        'const ui = SwaggerUIBundle({ url: \'/openapi.json\', "dom_id": "#swagger-ui", '
        '"layout": "BaseLayout", "deepLinking": false, "showExtensions": true, '
        '"showCommonExtensions": true, "defaultModelsExpandDepth": -1, '
        "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect', presets: [ "
        "SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset ], }) "
        'ui.initOAuth({"clientId": "tea-docs", "usePkceWithAuthorizationCodeGrant": true}) '
        "</script> </body> </html>"
    )


def test_redoc_page_is_fastapis_but_for_the_assets():
    page = html(get("app", "/redoc"))
    assert redoc_setup(page) == {"title": ["Tea Shop - ReDoc"], "spec-url": ["/openapi.json"]}
    assert skeleton(page) == (
        '<!DOCTYPE html> <html> <head> <title>Tea Shop - ReDoc</title> <meta charset="utf-8"/> '
        '<meta name="viewport" content="width=device-width, initial-scale=1"> '
        '<link rel="shortcut icon" href="..."> <style> body { margin: 0; padding: 0; } </style> '
        "</head> <body> <noscript> ReDoc requires Javascript to function. Please enable it to "
        'browse the documentation. </noscript> <redoc spec-url="/openapi.json"></redoc> '
        '<script src="..."> </script> </body> </html>'
    )


# -------------------- a document of your own
def test_custom_openapi():
    custom = client("custom_app")
    first = custom.get("/openapi.json").json()
    second = custom.get("/openapi.json").json()
    assert first == second
    assert first["info"] == {
        "title": "Tea Shop",
        "summary": "Now with a logo.",
        "version": "3.0.0",
        "x-logo": {"url": "https://tea.example.com/logo.png"},
    }
    assert list(first["paths"]) == ["/teas"]
    assert example().builds == ["built"]
    assert example().custom_app.openapi() is example().custom_app.openapi_schema


def test_custom_openapi_in_the_docs_pages():
    # The pages load whatever /openapi.json serves; they are not built from app.openapi().
    assert swagger_setup(html(get("custom_app", "/docs")))["url"] == ["/openapi.json"]


def test_resetting_the_cached_document():
    app = FastAPI()

    @app.get("/first")
    def first():
        return 1

    test_client = TestClient(app)
    assert list(test_client.get("/openapi.json").json()["paths"]) == ["/first"]
    assert app.openapi_schema is not None

    @app.get("/second")
    def second():
        return 2

    app.openapi_schema = None
    assert list(test_client.get("/openapi.json").json()["paths"]) == ["/first", "/second"]


# -------------------- docs pages of your own
def test_custom_swagger_ui_page():
    assert swagger_setup(html(get("custom_docs_app", "/docs"))) == {
        "title": ["Tea Shop - API explorer"],
        "url": ["/openapi.json"],
        "options": {**SWAGGER_DEFAULTS, "syntaxHighlight": False},
        "oauth2RedirectUrl": ["/docs/oauth2-redirect"],
        "initOAuth": [],
    }


def test_custom_oauth2_redirect_page():
    page = html(get("custom_docs_app", "/docs/oauth2-redirect"))
    assert "window.opener.swaggerUIRedirectOauth2" in page


def test_custom_redoc_page():
    page = html(get("custom_docs_app", "/redoc"))
    assert redoc_setup(page) == {"title": ["Tea Shop - reference"], "spec-url": ["/openapi.json"]}
    # Asset URLs that are given are used as they are, Google Fonts left out on request.
    assert asset_urls(page)[-1] == (
        "https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js"
    )
    assert "fonts.googleapis.com" not in page


def test_get_redoc_html_links_google_fonts_by_default():
    from fastcore.openapi.docs import get_redoc_html

    page = bytes(get_redoc_html(openapi_url="/openapi.json", title="Tea Shop").body).decode()
    assert (
        '<link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|'
        'Roboto:300,400,700" rel="stylesheet">'
    ) in page


def test_custom_pages_stay_out_of_the_document():
    assert list(document("custom_docs_app")["paths"]) == ["/teas"]


# -------------------- the CDN pages
def test_cdn_pages_load_fastapis_urls():
    swagger = html(get("cdn_app", "/docs"))
    assert asset_urls(swagger) == [
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
        "https://fastapi.tiangolo.com/img/favicon.png",
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js",
    ]
    redoc = html(get("cdn_app", "/redoc"))
    assert asset_urls(redoc) == [
        "https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700",
        "https://fastapi.tiangolo.com/img/favicon.png",
        "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
    ]


def test_cdn_app_serves_no_assets():
    assert get("cdn_app", "/_fastcore/static/swagger-ui/swagger-ui.css").status_code == 404


def test_no_openapi_url_serves_no_assets():
    assert get("private_app", "/_fastcore/static/swagger-ui/swagger-ui.css").status_code == 404


# -------------------- the vendored assets (fastcore only)
VENDORED_SWAGGER = [
    "/_fastcore/static/swagger-ui/swagger-ui.css",
    "/_fastcore/static/swagger-ui/favicon-32x32.png",
    "/_fastcore/static/swagger-ui/swagger-ui-bundle.js",
]
VENDORED_REDOC = [
    "/_fastcore/static/swagger-ui/favicon-32x32.png",
    "/_fastcore/static/redoc/redoc.standalone.js",
]


def test_assets_of_the_default_pages():
    assert asset_urls(html(get("app", "/docs"))) == VENDORED_SWAGGER
    assert asset_urls(html(get("app", "/redoc"))) == VENDORED_REDOC


def test_assets_are_served_by_the_app():
    app = client("app")
    for url, content_type in [
        ("/_fastcore/static/swagger-ui/swagger-ui.css", "text/css; charset=utf-8"),
        ("/_fastcore/static/swagger-ui/favicon-32x32.png", "image/png"),
        ("/_fastcore/static/swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("/_fastcore/static/redoc/redoc.standalone.js", "text/javascript; charset=utf-8"),
    ]:
        response = app.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == content_type


def test_assets_are_not_in_the_document():
    assert not [path for path in document("app")["paths"] if "_fastcore" in path]


def test_assets_below_the_root_path():
    proxied = client("proxied_app", root_path="/shop")
    swagger, redoc = html(proxied.get("/shop/docs")), html(proxied.get("/shop/redoc"))
    assert asset_urls(swagger) == ["/shop" + url for url in VENDORED_SWAGGER]
    assert asset_urls(redoc) == ["/shop" + url for url in VENDORED_REDOC]
    assert proxied.get("/shop/_fastcore/static/redoc/redoc.standalone.js").status_code == 200


def test_assets_with_moved_docs_and_no_docs_url():
    assert asset_urls(html(get("moved_app", "/api/docs"))) == VENDORED_SWAGGER
    assert get("moved_app", "/_fastcore/static/swagger-ui/swagger-ui.css").status_code == 200
    # docs_url=None and redoc_url=None keep the assets, for pages of your own.
    assert get("custom_docs_app", "/_fastcore/static/swagger-ui/swagger-ui.css").status_code == 200


def test_assets_default_in_custom_pages():
    assert asset_urls(html(get("custom_docs_app", "/docs"))) == VENDORED_SWAGGER
    assert asset_urls(html(get("custom_docs_app", "/redoc")))[0] == VENDORED_REDOC[0]


def test_assets_helpers_below_a_root_path():
    from fastcore.openapi.docs import redoc_asset_urls, swagger_ui_asset_urls

    assert swagger_ui_asset_urls("/shop") == {
        "swagger_js_url": "/shop/_fastcore/static/swagger-ui/swagger-ui-bundle.js",
        "swagger_css_url": "/shop/_fastcore/static/swagger-ui/swagger-ui.css",
        "swagger_favicon_url": "/shop/_fastcore/static/swagger-ui/favicon-32x32.png",
    }
    assert redoc_asset_urls("/shop") == {
        "redoc_js_url": "/shop/_fastcore/static/redoc/redoc.standalone.js",
        "redoc_favicon_url": "/shop/_fastcore/static/swagger-ui/favicon-32x32.png",
    }
    assert swagger_ui_asset_urls(cdn=True)["swagger_js_url"] == (
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
    )
