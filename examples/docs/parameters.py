"""Path, query, header and cookie parameters: the app behind docs/parameters.md.

uvicorn examples.docs.parameters:app
curl "http://127.0.0.1:8000/books/7?page=2&in_stock=yes"
"""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from fastcore import Cookie, FastAPI, Header, Path, Query

app = FastAPI(title="parameters")


class Genre(StrEnum):
    fiction = "fiction"
    poetry = "poetry"
    history = "history"


# Path and plain query parameters: the type annotation is the whole declaration.
@app.get("/books/{book_id}")
def read_book(book_id: int, page: int = 1, in_stock: bool | None = None):
    return {"book_id": book_id, "page": page, "in_stock": in_stock}


# The two ways to declare constraints; both validate the same way.
@app.get("/search")
def search(
    text: Annotated[str, Query(min_length=3, max_length=40)],
    limit: Annotated[int, Query(gt=0, le=50)] = 10,
):
    return {"text": text, "limit": limit}


@app.get("/search-classic")
def search_classic(text: str = Query(min_length=3, max_length=40), limit: int = Query(10, gt=0)):
    return {"text": text, "limit": limit}


@app.get("/shelves/{shelf}")
def read_shelf(
    shelf: Annotated[str, Path(pattern=r"^[A-Z]\d{2}$")],
    sort: Literal["title", "year"] = "title",
    genre: Genre | None = None,
):
    return {"shelf": shelf, "sort": sort, "genre": genre}


# An alias names the parameter on the wire; the function keeps a Python name.
@app.get("/catalogue")
def catalogue(
    published_after: Annotated[int | None, Query(alias="published-after")] = None,
    tag: Annotated[list[str] | None, Query()] = None,
    ids: Annotated[list[int] | None, Query(alias="id")] = None,
):
    return {"published_after": published_after, "tag": tag, "ids": ids}


@app.get("/whoami")
def whoami(
    user_agent: Annotated[str | None, Header()] = None,
    x_request_id: Annotated[str, Header()] = "none",
    x_role: Annotated[list[str] | None, Header()] = None,
    session: Annotated[str | None, Cookie()] = None,
):
    return {
        "user_agent": user_agent,
        "x_request_id": x_request_id,
        "x_role": x_role,
        "session": session,
    }


# A model groups several query parameters; extra="forbid" refuses unknown ones.
class Paging(BaseModel):
    model_config = {"extra": "forbid"}

    offset: int = Field(0, ge=0)
    limit: int = Field(20, gt=0, le=100)
    order: Literal["asc", "desc"] = "asc"
    tags: list[str] = []


@app.get("/reviews")
def list_reviews(paging: Annotated[Paging, Query()]):
    return paging


class ClientHeaders(BaseModel):
    user_agent: str
    x_tenant: str
    accept_language: str | None = None


@app.get("/tenant")
def tenant(headers: Annotated[ClientHeaders, Header()]):
    return headers


class Preferences(BaseModel):
    model_config = {"extra": "forbid"}

    theme: Literal["light", "dark"] = "light"
    lang: str = "en"


@app.get("/preferences")
def preferences(prefs: Annotated[Preferences, Cookie()]):
    return prefs
