"""OpenAPI and the interactive docs: the apps behind docs/openapi.md.

uvicorn examples.docs.openapi:app
curl http://127.0.0.1:8000/openapi.json
then open http://127.0.0.1:8000/docs and http://127.0.0.1:8000/redoc

The other apps of this module are served the same way, e.g.
uvicorn examples.docs.openapi:custom_docs_app
"""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, HttpUrl

from fastcore import APIRouter, Body, FastAPI, HTTPException, Request
from fastcore.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastcore.openapi.utils import get_openapi
from fastcore.responses import PlainTextResponse
from fastcore.routing import APIRoute

DESCRIPTION = """\
Loose-leaf tea, by the gram.

* **Teas**: browse the catalogue.
* **Orders**: place an order and get the invoice sent to you.
"""

# -------------------- the main app: metadata, tags, operations
app = FastAPI(
    title="Tea Shop",
    version="2.1.0",
    summary="Teas, orders and invoices.",
    description=DESCRIPTION,
    terms_of_service="https://tea.example.com/terms",
    contact={
        "name": "Tea Shop support",
        "url": "https://tea.example.com/support",
        "email": "support@tea.example.com",
    },
    license_info={"name": "Apache 2.0", "identifier": "Apache-2.0"},
    openapi_tags=[
        {"name": "teas", "description": "The catalogue."},
        {
            "name": "orders",
            "description": "Placing orders and following them.",
            "externalDocs": {
                "description": "How ordering works",
                "url": "https://tea.example.com/help/orders",
            },
        },
    ],
    servers=[
        {"url": "https://tea.example.com", "description": "Production"},
        {"url": "https://staging.tea.example.com", "description": "Staging"},
    ],
    swagger_ui_parameters={"deepLinking": False, "defaultModelsExpandDepth": -1},
    swagger_ui_init_oauth={"clientId": "tea-docs", "usePkceWithAuthorizationCodeGrant": True},
)


class Tea(BaseModel):
    id: int
    name: str
    kind: Literal["green", "black", "oolong", "white"]
    price: float = Field(description="Euros per 100 g")


class Message(BaseModel):
    detail: str


TEAS = {
    1: Tea(id=1, name="Sencha", kind="green", price=6.5),
    2: Tea(id=2, name="Assam", kind="black", price=4.0),
}


@app.get("/teas", tags=["teas"])
def list_teas() -> list[Tea]:
    """Every tea in the catalogue, cheapest first.

    Prices are in euros per 100 g.
    \f
    Only the text above the form feed goes into the OpenAPI document;
    this part stays in the code.
    """
    return sorted(TEAS.values(), key=lambda tea: tea.price)


@app.get(
    "/teas/{tea_id}",
    tags=["teas"],
    summary="Read one tea",
    description="The tea with this id.",
    response_description="The tea, with its current price",
    responses={404: {"model": Message, "description": "No tea has this id"}},
)
def read_tea(tea_id: int) -> Tea:
    if tea_id not in TEAS:
        raise HTTPException(status_code=404, detail="Tea not found")
    return TEAS[tea_id]


@app.get("/teas/by-name/{name}", tags=["teas"], deprecated=True)
def read_tea_by_name(name: str) -> Tea:
    """Use `/teas/{tea_id}` instead."""
    for tea in TEAS.values():
        if tea.name.lower() == name.lower():
            return tea
    raise HTTPException(status_code=404, detail="Tea not found")


@app.get("/stock", include_in_schema=False)
def stock() -> dict[str, int]:
    return {"Sencha": 1200, "Assam": 300}


# Extra responses: another status with its own model, another media type.
@app.get(
    "/teas/{tea_id}/label",
    tags=["teas"],
    operation_id="tea_label",
    responses={
        200: {
            "content": {"text/plain": {"example": "Sencha (green)"}},
            "description": "The label, as JSON or as plain text",
        },
        404: {"model": Message},
    },
)
def read_label(tea_id: int, request: Request):
    tea = TEAS.get(tea_id)
    if tea is None:
        raise HTTPException(status_code=404, detail="Tea not found")
    label = f"{tea.name} ({tea.kind})"
    if "text/plain" in request.headers.get("accept", ""):
        return PlainTextResponse(label)
    return {"label": label}


# openapi_extra: a body the endpoint reads itself, described by hand.
@app.post(
    "/teas/import",
    tags=["teas"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        "x-internal-note": "imports are checked by hand before they go live",
    },
)
async def import_teas(request: Request) -> dict[str, int]:
    text = (await request.body()).decode()
    rows = [line for line in text.splitlines()[1:] if line.strip()]
    return {"imported": len(rows)}


# -------------------- callbacks and webhooks
class OrderLine(BaseModel):
    tea_id: int
    grams: int = Field(gt=0)


class Order(BaseModel):
    lines: list[OrderLine]


class Receipt(BaseModel):
    id: int
    total: float


class Invoice(BaseModel):
    order_id: int
    total: float
    paid: bool = False


class Acknowledgement(BaseModel):
    ok: bool


# The requests *your client's server* must accept: documented, never served by this app.
invoice_callbacks = APIRouter()


@invoice_callbacks.post("{$request.query.callback_url}/invoices/{$response.body#/id}")
def invoice_notification(invoice: Invoice) -> Acknowledgement:
    """We send the invoice here once the order ships."""


@app.post("/orders", tags=["orders"], status_code=201, callbacks=invoice_callbacks.routes)
def place_order(order: Order, callback_url: HttpUrl | None = None) -> Receipt:
    """Place an order; with `callback_url`, the invoice is sent there later."""
    total = sum(TEAS[line.tea_id].price * line.grams / 100 for line in order.lines)
    return Receipt(id=1, total=round(total, 2))


class Shipment(BaseModel):
    order_id: int
    carrier: str


# Webhooks: requests this app sends to URLs its users registered elsewhere.
@app.webhooks.post("order-shipped")
def order_shipped(shipment: Shipment):
    """An order left the warehouse."""


# -------------------- operation ids
def tag_and_name(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


client_app = FastAPI(title="Tea Shop", generate_unique_id_function=tag_and_name)


@client_app.get("/teas", tags=["teas"])
def list_teas_for_clients() -> list[Tea]:
    return list(TEAS.values())


@client_app.post("/teas/{tea_id}/reviews", tags=["teas"])
def review_tea(
    tea_id: int,
    stars: Annotated[int, Body(ge=1, le=5)],
    comment: Annotated[str, Body(max_length=500)] = "",
):
    return {"tea_id": tea_id, "stars": stars, "comment": comment}


# -------------------- other URLs, or none
moved_app = FastAPI(
    title="Tea Shop", openapi_url="/api/v2/openapi.json", docs_url="/api/docs", redoc_url=None
)


@moved_app.get("/api/v2/teas")
def list_teas_moved() -> list[Tea]:
    return list(TEAS.values())


private_app = FastAPI(title="Tea Shop", openapi_url=None)


@private_app.get("/teas")
def list_teas_privately() -> list[Tea]:
    return list(TEAS.values())


# Served under /shop by a proxy that strips the prefix: uvicorn --root-path /shop
proxied_app = FastAPI(title="Tea Shop")


@proxied_app.get("/teas")
def list_teas_behind_proxy() -> list[Tea]:
    return list(TEAS.values())


# The docs pages with their scripts from the CDN, as FastAPI serves them.
cdn_app = FastAPI(title="Tea Shop", docs_cdn=True)


# -------------------- a document of your own
custom_app = FastAPI(title="Tea Shop")
builds: list[str] = []


@custom_app.get("/teas")
def list_teas_custom() -> list[Tea]:
    return list(TEAS.values())


def custom_openapi():
    if custom_app.openapi_schema:
        return custom_app.openapi_schema
    builds.append("built")
    schema = get_openapi(
        title="Tea Shop",
        version="3.0.0",
        summary="Now with a logo.",
        routes=custom_app.routes,
    )
    schema["info"]["x-logo"] = {"url": "https://tea.example.com/logo.png"}
    custom_app.openapi_schema = schema
    return custom_app.openapi_schema


custom_app.openapi = custom_openapi


# -------------------- docs pages of your own
custom_docs_app = FastAPI(title="Tea Shop", docs_url=None, redoc_url=None)


@custom_docs_app.get("/docs", include_in_schema=False)
def swagger_ui():
    return get_swagger_ui_html(
        openapi_url=custom_docs_app.openapi_url,
        title="Tea Shop - API explorer",
        oauth2_redirect_url=custom_docs_app.swagger_ui_oauth2_redirect_url,
        swagger_ui_parameters={"syntaxHighlight": False},
    )


@custom_docs_app.get(custom_docs_app.swagger_ui_oauth2_redirect_url, include_in_schema=False)
def swagger_ui_redirect():
    return get_swagger_ui_oauth2_redirect_html()


@custom_docs_app.get("/redoc", include_in_schema=False)
def redoc():
    return get_redoc_html(
        openapi_url=custom_docs_app.openapi_url,
        title="Tea Shop - reference",
        redoc_js_url="https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js",
        with_google_fonts=False,
    )


@custom_docs_app.get("/teas")
def list_teas_documented() -> list[Tea]:
    return list(TEAS.values())
