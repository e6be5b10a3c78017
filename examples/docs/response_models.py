"""Response models, status codes and response classes: the app behind docs/response-models.md.

uvicorn examples.docs.response_models:app
curl http://127.0.0.1:8000/users/1
"""

from pydantic import BaseModel, ConfigDict, Field

from fastcore import APIRouter, FastAPI, HTTPException, Response
from fastcore.responses import HTMLResponse, PlainTextResponse

app = FastAPI(title="response models")


class UserIn(BaseModel):
    username: str
    password: str
    email: str


class UserOut(BaseModel):
    username: str
    email: str


class Product(BaseModel):
    name: str
    price: float
    description: str | None = None
    discount: float = 0.0
    tags: list[str] = []


class Tag(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    tag_id: int = Field(alias="tagId")
    label: str


# A plain object, as an ORM would return a row: data in attributes, not keys.
class AccountRow:
    def __init__(self, id: int, owner: str, balance: float, pin: str):
        self.id = id
        self.owner = owner
        self.balance = balance
        self.pin = pin


class Account(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner: str
    balance: float


class Balance(BaseModel):
    balance: float


PRODUCTS = {
    "lamp": {"name": "Lamp", "price": 35.5},
    "desk": {"name": "Desk", "price": 120.0, "description": None, "discount": 0.0},
    "chair": {"name": "Chair", "price": 60.0, "description": "Oak", "tags": ["wood"]},
}


# response_model filters the returned value: the password never leaves.
@app.post("/users", response_model=UserOut, status_code=201)
def create_user(user: UserIn):
    return user


# The return annotation does the same job as response_model=.
@app.get("/users/{user_id}")
def read_user(user_id: int) -> UserOut:
    return UserOut(username=f"user{user_id}", email=f"user{user_id}@example.com")


@app.get("/products", response_model=list[Product])
def list_products():
    return list(PRODUCTS.values())


@app.get("/products/{key}", response_model=Product, response_model_exclude_unset=True)
def read_product(key: str):
    return PRODUCTS[key]


@app.get("/products/{key}/defaults-dropped", response_model_exclude_defaults=True)
def read_product_without_defaults(key: str) -> Product:
    return Product(**PRODUCTS[key])


@app.get("/products/{key}/nones-dropped", response_model_exclude_none=True)
def read_product_without_nones(key: str) -> Product:
    return Product(**PRODUCTS[key])


@app.get(
    "/products/{key}/summary", response_model=Product, response_model_include={"name", "price"}
)
def product_summary(key: str):
    return PRODUCTS[key]


@app.get("/products/{key}/public", response_model=Product, response_model_exclude={"discount"})
def product_public(key: str):
    return PRODUCTS[key]


@app.get("/tags/{tag_id}")
def read_tag(tag_id: int) -> Tag:
    return Tag(tag_id=tag_id, label="new")


@app.get("/tags/{tag_id}/python-names", response_model=Tag, response_model_by_alias=False)
def read_tag_python_names(tag_id: int):
    return Tag(tag_id=tag_id, label="new")


@app.get("/accounts/{account_id}", response_model=Account)
def read_account(account_id: int):
    return AccountRow(id=account_id, owner="ada", balance=12.5, pin="0000")


@app.get("/accounts/{account_id}/balance", response_model=Balance)
def read_balance(account_id: int):
    return AccountRow(id=account_id, owner="ada", balance=12.5, pin="0000")


# A Response parameter sets headers, cookies or the status code of the reply.
@app.put("/products/{key}")
def upsert_product(key: str, product: Product, response: Response) -> Product:
    if key not in PRODUCTS:
        response.status_code = 201
    response.headers["X-Product-Key"] = key
    response.set_cookie("last_product", key)
    return product


@app.delete("/products/{key}", status_code=204)
def delete_product(key: str) -> None:
    if key not in PRODUCTS:
        raise HTTPException(status_code=404, detail="Product not found")


@app.get("/hello", response_class=PlainTextResponse)
def hello():
    return "Hello, world"


@app.get("/page", response_class=HTMLResponse)
def page():
    return "<h1>Products</h1>"


# default_response_class sets the class for every route of a router (or app).
text = APIRouter(prefix="/text", default_response_class=PlainTextResponse)


@text.get("/motd")
def message_of_the_day():
    return "Everything is 10% off today"


app.include_router(text)


# A returned value the response model rejects is a server error, not a client one.
@app.get("/broken", response_model=Product)
def broken():
    return {"name": "Ghost"}
