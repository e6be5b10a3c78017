"""Dependencies with Depends() and Security(): the app behind docs/dependencies.md.

uvicorn examples.docs.dependencies:app
curl "http://127.0.0.1:8000/books?offset=1"
curl -H 'X-Token: alice-token' http://127.0.0.1:8000/me
"""

from typing import Annotated, Literal

from fastcore import (
    APIRouter,
    BackgroundTasks,
    Depends,
    FastAPI,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    Security,
)
from fastcore.security import SecurityScopes

# The functions that ran, in order, so that the docs can show it; tests clear it.
calls: list[str] = []

BOOKS = [
    {"id": 1, "title": "Dune", "author": "Herbert", "year": 1965},
    {"id": 2, "title": "Emma", "author": "Austen", "year": 1815},
    {"id": 3, "title": "Ubik", "author": "Dick", "year": 1969},
    {"id": 4, "title": "Persuasion", "author": "Austen", "year": 1817},
]
STARS = {1: 4.5, 2: 4.0}
USERS = {
    "alice-token": {"name": "alice", "scopes": ["books:read", "books:write", "reviews:write"]},
    "bob-token": {"name": "bob", "scopes": ["books:read"]},
}


# An app-wide dependency: it runs first for every route, and the Response it
# receives lends its headers to the response the endpoint sends.
def api_version(response: Response) -> None:
    calls.append("api_version")
    response.headers["X-API-Version"] = "2"


app = FastAPI(title="dependencies", dependencies=[Depends(api_version)])


# A function dependency: its parameters are read from the request like an endpoint's.
def paging(offset: int = 0, limit: Annotated[int, Query(gt=0, le=3)] = 2) -> dict:
    return {"offset": offset, "limit": limit}


@app.get("/books")
def list_books(page: Annotated[dict, Depends(paging)]):
    window = BOOKS[page["offset"] : page["offset"] + page["limit"]]
    return {"page": page, "titles": [book["title"] for book in window]}


@app.get("/authors/{author}/books")
def books_by(
    author: Annotated[str, Path(min_length=2)],
    page: Annotated[dict, Depends(paging)],
    sort: Literal["title", "year"] = "title",
):
    found = sorted((book for book in BOOKS if book["author"] == author), key=lambda b: b[sort])
    titles = [book["title"] for book in found]
    return {"author": author, "titles": titles[page["offset"] : page["offset"] + page["limit"]]}


# A def dependency runs in the thread pool, an async one on the event loop.
def load_book(book_id: int) -> dict:
    for book in BOOKS:
        if book["id"] == book_id:
            return book
    raise HTTPException(status_code=404, detail="Book not found")


async def average_stars(book_id: int) -> float | None:
    return STARS.get(book_id)


@app.get("/books/{book_id}")
async def read_book(
    book: Annotated[dict, Depends(load_book)],
    stars: Annotated[float | None, Depends(average_stars)],
):
    return {**book, "stars": stars}


# A class: calling it builds the instance, so __init__'s parameters are the ones read.
class BookFilter:
    def __init__(self, author: str | None = None, before: int | None = None):
        self.author = author
        self.before = before

    def matches(self, book: dict) -> bool:
        if self.author is not None and book["author"] != self.author:
            return False
        return self.before is None or book["year"] < self.before


@app.get("/search")
def search(filters: Annotated[BookFilter, Depends()]):
    return {"titles": [book["title"] for book in BOOKS if filters.matches(book)]}


# A callable instance: __call__'s parameters are read; __init__ configures it once.
class PageSize:
    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, size: int = 2) -> int:
        return min(size, self.maximum)


small_pages = PageSize(maximum=2)
large_pages = PageSize(maximum=50)


@app.get("/shelves/small")
def small_shelf(size: Annotated[int, Depends(small_pages)]):
    return {"size": size}


@app.get("/shelves/large")
def large_shelf(size: Annotated[int, Depends(large_pages)]):
    return {"size": size}


# Sub-dependencies: current_user needs read_token, and both are cached per request.
def read_token(x_token: Annotated[str, Header()]) -> str:
    calls.append("read_token")
    return x_token


def current_user(token: Annotated[str, Depends(read_token)]) -> dict:
    calls.append("current_user")
    user = USERS.get(token)
    if user is None:
        raise HTTPException(
            status_code=401, detail="Unknown token", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


# An Annotated alias: declare the dependency once, use it as a type everywhere.
CurrentUser = Annotated[dict, Depends(current_user)]


@app.get("/me")
def me(user: CurrentUser, token: Annotated[str, Depends(read_token)]):
    calls.append("me")
    return {"name": user["name"], "token": token}


@app.get("/me/uncached")
def me_uncached(user: CurrentUser, token: Annotated[str, Depends(read_token, use_cache=False)]):
    calls.append("me_uncached")
    return {"name": user["name"], "token": token}


# Request in a dependency; the cache decides how often it runs.
def count_visit(request: Request) -> int:
    request.state.visits = getattr(request.state, "visits", 0) + 1
    return request.state.visits


@app.get("/visits")
def visits(
    first: Annotated[int, Depends(count_visit)],
    second: Annotated[int, Depends(count_visit)],
    fresh: Annotated[int, Depends(count_visit, use_cache=False)],
):
    return {"first": first, "second": second, "fresh": fresh}


@app.get("/visits/fresh-first")
def visits_fresh_first(
    fresh: Annotated[int, Depends(count_visit, use_cache=False)],
    first: Annotated[int, Depends(count_visit)],
    second: Annotated[int, Depends(count_visit)],
):
    return {"fresh": fresh, "first": first, "second": second}


# BackgroundTasks in a dependency is the same object the endpoint receives.
def audit(request: Request, background_tasks: BackgroundTasks) -> None:
    background_tasks.add_task(calls.append, f"audit {request.method} {request.url.path}")


@app.post("/books/{book_id}/loans", status_code=201, dependencies=[Depends(audit)])
def borrow(book: Annotated[dict, Depends(load_book)], user: CurrentUser, tasks: BackgroundTasks):
    tasks.add_task(calls.append, f"email {user['name']}")
    calls.append("borrow")
    return {"title": book["title"], "borrower": user["name"]}


# dependencies=[...]: run for their effect (or their exception), value unused.
def verify_key(x_key: Annotated[str, Header()]) -> None:
    calls.append("verify_key")
    if x_key != "letmein":
        raise HTTPException(status_code=403, detail="Invalid X-Key header")


def require_writer(user: CurrentUser) -> None:
    calls.append("require_writer")
    if "books:write" not in user["scopes"]:
        raise HTTPException(status_code=403, detail="Not allowed to change books")


admin = APIRouter(prefix="/admin", dependencies=[Depends(current_user)])


@admin.post("/books/{book_id}/archive", dependencies=[Depends(require_writer)])
def archive_book(book: Annotated[dict, Depends(load_book)], user: CurrentUser):
    calls.append("archive_book")
    return {"archived": book["title"], "by": user["name"]}


app.include_router(admin, dependencies=[Depends(verify_key)])


# Security(): a dependency plus the OAuth2 scopes it requires. SecurityScopes
# receives every scope asked for along the chain that leads to it.
def authorized_user(
    security_scopes: SecurityScopes, token: Annotated[str, Depends(read_token)]
) -> dict:
    calls.append(f"authorized_user {security_scopes.scopes}")
    challenge = f'Bearer scope="{security_scopes.scope_str}"'
    user = USERS.get(token)
    if user is None:
        raise HTTPException(
            status_code=401, detail="Unknown token", headers={"WWW-Authenticate": challenge}
        )
    missing = [scope for scope in security_scopes.scopes if scope not in user["scopes"]]
    if missing:
        raise HTTPException(
            status_code=403,
            detail={"required": security_scopes.scopes, "missing": missing},
            headers={"WWW-Authenticate": challenge},
        )
    return user


def reviewer(user: Annotated[dict, Security(authorized_user, scopes=["books:read"])]) -> dict:
    return user


@app.get("/reviews")
def list_reviews(user: Annotated[dict, Security(authorized_user, scopes=["books:read"])]):
    return {"reader": user["name"], "reviews": [{"book_id": 1, "stars": 5}]}


@app.post("/reviews", status_code=201)
def add_review(
    book_id: int,
    stars: Annotated[int, Query(ge=1, le=5)],
    user: Annotated[dict, Security(reviewer, scopes=["reviews:write"])],
):
    return {"book_id": book_id, "stars": stars, "by": user["name"]}


# The same dependency asked for with other scopes is another call; the same
# scopes in another order share one.
@app.get("/reviews/mine")
def my_reviews(
    reader: Annotated[dict, Security(authorized_user, scopes=["books:read"])],
    writer: Annotated[dict, Security(authorized_user, scopes=["books:read", "reviews:write"])],
    again: Annotated[dict, Security(authorized_user, scopes=["reviews:write", "books:read"])],
):
    return {"reader": reader["name"], "writer": writer["name"]}
