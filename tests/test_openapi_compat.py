"""The OpenAPI document, side by side with FastAPI's, and checked against the specification.

One app uses the document-level options (info, servers, tags), callbacks,
webhooks, hidden routes, extra responses, response classes and a 204; the
side-by-side apps of the parameter, dependency and security tests are
compared too, as JSON text with the keys in their order, and as the bytes
``/openapi.json`` serves. Every document must also validate as OpenAPI 3.1.
"""

import importlib
import json
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

import fastcore
from tests.apps import deps_app, params_app, security_app

fastapi = pytest.importorskip("fastapi")


class Invoice(BaseModel):
    id: str
    total: float


class Event(BaseModel):
    ok: bool


def documented_app(fw: ModuleType) -> Any:
    responses = importlib.import_module(f"{fw.__name__}.responses")
    callbacks = fw.APIRouter()

    @callbacks.post("{$callback_url}/invoices/{$request.body.id}", response_model=Event)
    def invoice_notification(body: Event):
        pass

    app = fw.FastAPI(
        title="Billing",
        version="2.1",
        summary="Invoices",
        description="Sends invoices",
        terms_of_service="https://example.com/terms",
        contact={"name": "Billing team", "email": "billing@example.com"},
        license_info={"name": "MIT"},
        servers=[{"url": "https://api.example.com"}],
        openapi_tags=[{"name": "invoices", "description": "Invoice operations"}],
    )

    @app.post(
        "/invoices",
        callbacks=callbacks.routes,
        tags=["invoices"],
        deprecated=True,
        openapi_extra={"x-audited": True},
    )
    def create_invoice(invoice: Invoice, callback_url: str | None = None):
        """Create an invoice.

        \fThis part is for the code, not for the document.
        """
        return {}

    @app.webhooks.post("new-subscription")
    def new_subscription(body: Invoice):
        pass

    @app.get("/hidden", include_in_schema=False)
    def hidden():
        return 1

    @app.get(
        "/page",
        response_class=responses.HTMLResponse,
        responses={
            404: {"model": Event, "description": "Not there"},
            "5XX": {"description": "Down"},
        },
    )
    def page():
        return "<p>page</p>"

    @app.delete("/invoices/{invoice_id}", status_code=204)
    def delete_invoice(invoice_id: str):
        return None

    return app


APPS = {
    "documented": documented_app,
    "params": params_app.build_app,
    "deps": lambda fw: deps_app.build_app(fw, []),
    "security": security_app.build_app,
}


@pytest.mark.parametrize("name", APPS)
def test_same_document_as_fastapi(name):
    build = APPS[name]
    ours, reference = build(fastcore).openapi(), build(fastapi).openapi()
    # Compared as JSON text, keys in their order: 0 and 0.0 are equal in Python, not on
    # the wire, and users diff the bytes served.
    assert json.dumps(ours, indent=1) == json.dumps(reference, indent=1)


@pytest.mark.parametrize("name", APPS)
def test_same_bytes_served_as_fastapi(name):
    served = []
    for fw in (fastcore, fastapi):
        client = importlib.import_module(f"{fw.__name__}.testclient").TestClient
        response = client(APPS[name](fw)).get("/openapi.json")
        served.append((response.status_code, response.headers["content-type"], response.content))
    assert served[0] == served[1]


@pytest.mark.parametrize("name", APPS)
def test_document_is_valid_openapi(name):
    validate = pytest.importorskip("openapi_spec_validator").validate
    validate(APPS[name](fastcore).openapi())


def test_document_is_served_and_cached():
    from fastcore.testclient import TestClient

    app = documented_app(fastcore)
    client = TestClient(app)
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == app.openapi()
    assert app.openapi() is app.openapi()
    assert "/hidden" not in response.json()["paths"]
