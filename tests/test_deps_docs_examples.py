"""What docs/dependencies.md, docs/yield-dependencies.md and docs/testing-with-overrides.md show.

Each page has one example module in examples/docs/; every request/response pair
a page shows is replayed here, with the order of events the page gives (the
modules record them in a list: ``calls`` or ``events``). The tests under
"docs/testing-with-overrides.md" are the ones that page quotes. All of it was
recorded from FastAPI 0.165 running the same modules with the import swapped,
so a failure here is a difference from FastAPI.

The example modules are imported inside the tests, not at the top, so that an
example that cannot be imported fails its own tests instead of stopping the
collection of the whole suite.
"""

import importlib
from datetime import UTC, datetime
from types import ModuleType
from typing import Annotated, Any

import httpx
import pytest

from fastcore import Depends, FastAPI, Header, Response
from fastcore.exceptions import DependencyScopeError, FastAPIError
from fastcore.testclient import TestClient


def example(name: str) -> ModuleType:
    return importlib.import_module(f"examples.docs.{name}")


def send(name: str, method: str, url: str, **options: Any) -> tuple[httpx.Response, list[str]]:
    """Send one request to ``app`` of ``examples/docs/<name>.py``; return it with what it recorded.

    ``raise_server_exceptions=False`` in ``options`` goes to the client, the rest to the request.
    """
    module = example(name)
    record = module.calls if hasattr(module, "calls") else module.events
    record.clear()
    raise_server_exceptions = options.pop("raise_server_exceptions", True)
    client = TestClient(module.app, raise_server_exceptions=raise_server_exceptions)
    response = client.request(method, url, **options)
    return response, list(record)


def int_parsing(loc: list[str | int], value: str) -> dict[str, Any]:
    return {
        "type": "int_parsing",
        "loc": loc,
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": value,
    }


def missing(loc: list[str | int]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


ALICE = {"X-Token": "alice-token"}
BOB = {"X-Token": "bob-token"}
EVE = {"X-Token": "eve-token"}


# -------------------- docs/dependencies.md, examples/docs/dependencies.py
def test_dependencies_function():
    response, calls = send("dependencies", "GET", "/books?offset=1")
    assert response.status_code == 200
    assert response.headers["x-api-version"] == "2"
    assert response.json() == {"page": {"offset": 1, "limit": 2}, "titles": ["Emma", "Ubik"]}
    assert calls == ["api_version"]


def test_dependencies_function_invalid_parameter():
    response, _ = send("dependencies", "GET", "/books?limit=9")
    assert response.status_code == 422
    assert "x-api-version" not in response.headers
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be less than or equal to 3",
                "input": "9",
                "ctx": {"le": 3},
            }
        ]
    }


def test_dependencies_author_books():
    response, _ = send("dependencies", "GET", "/authors/Austen/books?sort=year")
    assert response.status_code == 200
    assert response.json() == {"author": "Austen", "titles": ["Emma", "Persuasion"]}


def test_dependencies_errors_of_dependency_come_first():
    response, _ = send("dependencies", "GET", "/authors/A/books?limit=9&sort=pages")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be less than or equal to 3",
                "input": "9",
                "ctx": {"le": 3},
            },
            {
                "type": "string_too_short",
                "loc": ["path", "author"],
                "msg": "String should have at least 2 characters",
                "input": "A",
                "ctx": {"min_length": 2},
            },
            {
                "type": "literal_error",
                "loc": ["query", "sort"],
                "msg": "Input should be 'title' or 'year'",
                "input": "pages",
                "ctx": {"expected": "'title' or 'year'"},
            },
        ]
    }


def test_dependencies_def_and_async():
    response, _ = send("dependencies", "GET", "/books/1")
    assert response.status_code == 200
    assert response.json() == {
        "id": 1,
        "title": "Dune",
        "author": "Herbert",
        "year": 1965,
        "stars": 4.5,
    }


def test_dependencies_http_exception_in_dependency():
    response, _ = send("dependencies", "GET", "/books/9")
    assert response.status_code == 404
    assert "x-api-version" not in response.headers
    assert response.json() == {"detail": "Book not found"}


def test_dependencies_same_parameter_in_two_dependencies():
    response, _ = send("dependencies", "GET", "/books/x")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [int_parsing(["path", "book_id"], "x"), int_parsing(["path", "book_id"], "x")]
    }


def test_dependencies_class():
    response, _ = send("dependencies", "GET", "/search?author=Austen&before=1816")
    assert response.status_code == 200
    assert response.json() == {"titles": ["Emma"]}


def test_dependencies_class_invalid():
    response, _ = send("dependencies", "GET", "/search?before=soon")
    assert response.status_code == 422
    assert response.json() == {"detail": [int_parsing(["query", "before"], "soon")]}


def test_dependencies_callable_instances():
    small, _ = send("dependencies", "GET", "/shelves/small?size=10")
    large, _ = send("dependencies", "GET", "/shelves/large?size=10")
    default, _ = send("dependencies", "GET", "/shelves/large")
    assert (small.status_code, small.json()) == (200, {"size": 2})
    assert (large.status_code, large.json()) == (200, {"size": 10})
    assert (default.status_code, default.json()) == (200, {"size": 2})


def test_dependencies_sub_dependency_runs_once():
    response, calls = send("dependencies", "GET", "/me", headers=ALICE)
    assert response.status_code == 200
    assert response.json() == {"name": "alice", "token": "alice-token"}
    assert calls == ["api_version", "read_token", "current_user", "me"]


def test_dependencies_sub_dependency_raises():
    response, calls = send("dependencies", "GET", "/me", headers=EVE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Unknown token"}
    assert calls == ["api_version", "read_token", "current_user"]


def test_dependencies_missing_header_reported_per_declaration():
    response, calls = send("dependencies", "GET", "/me")
    assert response.status_code == 422
    assert response.json() == {"detail": [missing(["header", "x-token"])] * 2}
    assert calls == ["api_version"]


def test_dependencies_use_cache_false():
    response, calls = send("dependencies", "GET", "/me/uncached", headers=ALICE)
    assert response.status_code == 200
    assert response.json() == {"name": "alice", "token": "alice-token"}
    assert calls == ["api_version", "read_token", "current_user", "read_token", "me_uncached"]


def test_dependencies_request_and_cache():
    response, _ = send("dependencies", "GET", "/visits")
    assert response.status_code == 200
    assert response.json() == {"first": 1, "second": 1, "fresh": 2}


def test_dependencies_uncached_value_is_stored_for_later_declarations():
    response, _ = send("dependencies", "GET", "/visits/fresh-first")
    assert response.status_code == 200
    assert response.json() == {"fresh": 1, "first": 1, "second": 1}


def test_dependencies_background_tasks():
    response, calls = send("dependencies", "POST", "/books/2/loans", headers=BOB)
    assert response.status_code == 201
    assert response.json() == {"title": "Emma", "borrower": "bob"}
    assert calls == [
        "api_version",
        "read_token",
        "current_user",
        "borrow",
        "audit POST /books/2/loans",
        "email bob",
    ]


def test_dependencies_background_tasks_dropped_on_error():
    response, calls = send("dependencies", "POST", "/books/9/loans", headers=BOB)
    assert response.status_code == 404
    assert response.json() == {"detail": "Book not found"}
    assert calls == ["api_version"]


def test_dependencies_layers_in_order():
    headers = {**ALICE, "X-Key": "letmein"}
    response, calls = send("dependencies", "POST", "/admin/books/2/archive", headers=headers)
    assert response.status_code == 200
    assert response.headers["x-api-version"] == "2"
    assert response.json() == {"archived": "Emma", "by": "alice"}
    assert calls == [
        "api_version",
        "verify_key",
        "read_token",
        "current_user",
        "require_writer",
        "archive_book",
    ]


def test_dependencies_layers_decorator_refuses():
    headers = {**BOB, "X-Key": "letmein"}
    response, calls = send("dependencies", "POST", "/admin/books/2/archive", headers=headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Not allowed to change books"}
    assert calls == ["api_version", "verify_key", "read_token", "current_user", "require_writer"]


def test_dependencies_layers_include_router_refuses():
    headers = {**ALICE, "X-Key": "nope"}
    response, calls = send("dependencies", "POST", "/admin/books/2/archive", headers=headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid X-Key header"}
    assert calls == ["api_version", "verify_key"]


def test_dependencies_http_exception_beats_earlier_validation_errors():
    response, calls = send("dependencies", "POST", "/admin/books/2/archive", headers=EVE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown token"}
    assert calls == ["api_version", "read_token", "current_user"]


def test_dependencies_layers_all_missing():
    response, _ = send("dependencies", "POST", "/admin/books/2/archive")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [missing(["header", "x-key"])] + [missing(["header", "x-token"])] * 3
    }


def test_dependencies_security():
    response, calls = send("dependencies", "GET", "/reviews", headers=BOB)
    assert response.status_code == 200
    assert response.json() == {"reader": "bob", "reviews": [{"book_id": 1, "stars": 5}]}
    assert calls == ["api_version", "read_token", "authorized_user ['books:read']"]


def test_dependencies_security_unknown_token():
    response, _ = send("dependencies", "GET", "/reviews", headers=EVE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer scope="books:read"'
    assert response.json() == {"detail": "Unknown token"}


def test_dependencies_security_scopes_accumulate():
    response, calls = send("dependencies", "POST", "/reviews?book_id=1&stars=5", headers=ALICE)
    assert response.status_code == 201
    assert response.json() == {"book_id": 1, "stars": 5, "by": "alice"}
    assert calls == ["api_version", "read_token", "authorized_user ['reviews:write', 'books:read']"]


def test_dependencies_security_scope_missing():
    response, _ = send("dependencies", "POST", "/reviews?book_id=1&stars=5", headers=BOB)
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == 'Bearer scope="reviews:write books:read"'
    assert response.json() == {
        "detail": {"required": ["reviews:write", "books:read"], "missing": ["reviews:write"]}
    }


def test_dependencies_run_before_the_endpoint_parameters_are_checked():
    response, calls = send("dependencies", "POST", "/reviews?book_id=1&stars=9", headers=ALICE)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "stars"],
                "msg": "Input should be less than or equal to 5",
                "input": "9",
                "ctx": {"le": 5},
            }
        ]
    }
    assert calls == ["api_version", "read_token", "authorized_user ['reviews:write', 'books:read']"]


def test_dependencies_security_cache_per_scope_set():
    response, calls = send("dependencies", "GET", "/reviews/mine", headers=ALICE)
    assert response.status_code == 200
    assert response.json() == {"reader": "alice", "writer": "alice"}
    assert calls == [
        "api_version",
        "read_token",
        "authorized_user ['books:read']",
        "authorized_user ['books:read', 'reviews:write']",
    ]


# -------------------- docs/yield-dependencies.md, examples/docs/yield_dependencies.py
def test_yield_request_scope():
    response, events = send("yield_dependencies", "POST", "/orders?item=lamp")
    assert response.status_code == 201
    assert response.json() == {"ordered": "lamp", "quantity": 1}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock lamp",
        "endpoint: order 1 lamp",
        "response sent",
        "background: email receipt for lamp",
        "unlock lamp",
        "transaction: commit",
        "session: close",
    ]


def test_yield_function_scope():
    response, events = send("yield_dependencies", "POST", "/orders/confirmed?item=lamp")
    assert response.status_code == 201
    assert response.json() == {"ordered": "lamp", "quantity": 1}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock lamp",
        "endpoint: order 1 lamp",
        "transaction: commit",
        "response sent",
        "background: email receipt for lamp",
        "unlock lamp",
        "session: close",
    ]


def test_yield_endpoint_exception_seen_at_yield():
    response, events = send("yield_dependencies", "POST", "/orders?item=lamp&quantity=5")
    assert response.status_code == 409
    assert response.json() == {"detail": "lamp is out of stock"}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock lamp",
        "endpoint: order 5 lamp",
        "unlock lamp",
        "transaction: roll back on OutOfStock",
        "session: close",
        "handler: out of stock",
        "response sent",
    ]


def test_yield_endpoint_exception_function_scope_first():
    response, events = send("yield_dependencies", "POST", "/orders/confirmed?item=lamp&quantity=5")
    assert response.status_code == 409
    assert response.json() == {"detail": "lamp is out of stock"}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock lamp",
        "endpoint: order 5 lamp",
        "transaction: roll back on OutOfStock",
        "unlock lamp",
        "session: close",
        "handler: out of stock",
        "response sent",
    ]


def test_yield_http_exception_before_yield():
    response, events = send("yield_dependencies", "POST", "/orders?item=sofa")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such item: sofa"}
    assert events == [
        "session: open",
        "transaction: begin",
        "transaction: roll back on HTTPException",
        "session: close",
        "response sent",
    ]


def test_yield_http_exception_beats_validation_error():
    response, events = send("yield_dependencies", "POST", "/orders?item=sofa&quantity=two")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such item: sofa"}
    assert events == [
        "session: open",
        "transaction: begin",
        "transaction: roll back on HTTPException",
        "session: close",
        "response sent",
    ]


def test_yield_validation_error_seen_at_yield():
    response, events = send("yield_dependencies", "POST", "/orders?item=lamp&quantity=two")
    assert response.status_code == 422
    assert response.json() == {"detail": [int_parsing(["query", "quantity"], "two")]}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock lamp",
        "unlock lamp",
        "transaction: roll back on RequestValidationError",
        "session: close",
        "response sent",
    ]


def test_yield_http_exception_after_yield_function_scope():
    response, events = send("yield_dependencies", "POST", "/orders/confirmed?item=chair")
    assert response.status_code == 409
    assert response.json() == {"detail": "The chair was sold meanwhile"}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock chair",
        "endpoint: order 1 chair",
        "unlock chair",
        "session: close",
        "response sent",
    ]


def test_yield_http_exception_after_yield_request_scope_is_too_late():
    response, events = send(
        "yield_dependencies", "POST", "/orders?item=chair", raise_server_exceptions=False
    )
    assert response.status_code == 201
    assert response.json() == {"ordered": "chair", "quantity": 1}
    assert events == [
        "session: open",
        "transaction: begin",
        "lock chair",
        "endpoint: order 1 chair",
        "response sent",
        "background: email receipt for chair",
        "unlock chair",
        "session: close",
    ]


def test_yield_http_exception_after_yield_request_scope_reaches_the_server():
    with pytest.raises(RuntimeError, match="response already started"):
        send("yield_dependencies", "POST", "/orders?item=chair")


def test_yield_teardown_raises_another_exception():
    response, events = send("yield_dependencies", "GET", "/translated")
    assert response.status_code == 410
    assert response.json() == {"detail": "desk is no longer sold"}
    assert events == ["translating: OutOfStock becomes a 410", "response sent"]


def test_yield_missing_parameter_of_a_yield_dependency():
    response, events = send("yield_dependencies", "POST", "/orders")
    assert response.status_code == 422
    assert response.json() == {"detail": [missing(["query", "item"])]}
    assert events == [
        "session: open",
        "transaction: begin",
        "transaction: roll back on RequestValidationError",
        "session: close",
        "response sent",
    ]


def test_yield_swallowed_exception_is_a_500():
    response, events = send("yield_dependencies", "GET", "/careless", raise_server_exceptions=False)
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert events == ["careless: exception swallowed"]


def test_yield_swallowed_exception_raises_fastapi_error():
    with pytest.raises(FastAPIError):
        send("yield_dependencies", "GET", "/careless")


def test_yield_request_scope_cannot_depend_on_function_scope():
    def connection():
        yield "connection"

    def cursor(conn: Annotated[str, Depends(connection, scope="function")]):
        yield conn

    app = FastAPI()
    with pytest.raises(DependencyScopeError) as caught:

        @app.get("/rows")
        def rows(cur: Annotated[str, Depends(cursor)]):
            return []

    assert str(caught.value) == (
        'The dependency "cursor" has a scope of "request", '
        'it cannot depend on dependencies with scope "function".'
    )

    def plain_cursor(conn: Annotated[str, Depends(connection, scope="function")]) -> str:
        return conn

    @app.get("/plain-rows")
    def plain_rows(cur: Annotated[str, Depends(plain_cursor)]):
        return [cur]

    assert TestClient(app).get("/plain-rows").json() == ["connection"]


def test_yield_function_scope_teardown_cannot_change_the_response():
    def box():
        content = {"state": "open"}
        yield content
        content["state"] = "closed"

    def late_header(response: Response):
        yield
        response.headers["X-Late"] = "yes"

    app = FastAPI()

    @app.get("/box")
    def read_box(
        content: Annotated[dict, Depends(box, scope="function")],
        late: Annotated[None, Depends(late_header, scope="function")],
    ):
        return content

    response = TestClient(app).get("/box")
    assert response.json() == {"state": "open"}
    assert "x-late" not in response.headers


# -------------------- docs/testing-with-overrides.md, examples/docs/overrides.py
# From here on, the tests are the ones the page shows, except that the page
# imports from examples.docs.overrides once, at the top of its test module.
ADA = {"Authorization": "Bearer t-ada", "X-Client-Id": "tests"}


@pytest.fixture
def notes_app():
    from examples.docs.overrides import app, events

    events.clear()
    yield app
    app.dependency_overrides.clear()


def test_without_overrides(notes_app):
    from examples.docs.overrides import events

    client = TestClient(notes_app)
    response = client.get("/notes", headers=ADA)
    assert response.status_code == 200
    assert response.json() == {
        "user": "ada",
        "storage": "production",
        "notes": ["buy milk", "call Charles", "fix the engine"],
    }
    assert events == ["production storage: open", "production storage: close"]

    response = client.get("/notes", headers={"X-Client-Id": "tests"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}

    response = client.get("/notes?limit=500&offset=-1", headers=ADA)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["query", "offset"],
        ["query", "limit"],
    ]


def test_override_current_user(notes_app):
    from examples.docs.overrides import current_user

    notes_app.dependency_overrides[current_user] = lambda: "ada"
    client = TestClient(notes_app)
    response = client.get("/notes?limit=2", headers={"X-Client-Id": "tests"})
    assert response.status_code == 200
    assert response.json() == {
        "user": "ada",
        "storage": "production",
        "notes": ["buy milk", "call Charles"],
    }


def test_override_yield_dependency(notes_app):
    from examples.docs.overrides import Storage, events, get_storage

    def memory_storage():
        events.append("memory storage: open")
        yield Storage("memory", {"ada": ["test note"]})
        events.append("memory storage: close")

    notes_app.dependency_overrides[get_storage] = memory_storage
    client = TestClient(notes_app)
    response = client.get("/notes", headers=ADA)
    assert response.status_code == 200
    assert response.json() == {"user": "ada", "storage": "memory", "notes": ["test note"]}
    assert events == ["memory storage: open", "memory storage: close"]


def test_override_router_dependency(notes_app):
    from examples.docs.overrides import current_user, rate_limit

    notes_app.dependency_overrides[current_user] = lambda: "ada"
    notes_app.dependency_overrides[rate_limit] = lambda: None
    client = TestClient(notes_app)
    response = client.get("/notes?limit=1")
    assert response.status_code == 200
    assert response.json() == {"user": "ada", "storage": "production", "notes": ["buy milk"]}


def test_override_replaces_the_parameters(notes_app):
    from examples.docs.overrides import Storage, current_user, get_storage, paging

    def user_from_header(x_test_user: Annotated[str, Header()]) -> str:
        return x_test_user

    def first_note_only() -> slice:
        return slice(0, 1)

    notes_app.dependency_overrides[current_user] = user_from_header
    notes_app.dependency_overrides[paging] = first_note_only
    notes_app.dependency_overrides[get_storage] = lambda: Storage("memory", {"grace": ["a", "b"]})
    client = TestClient(notes_app)

    headers = {"X-Test-User": "grace", "X-Client-Id": "tests"}
    response = client.get("/notes?limit=500&offset=-1", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"user": "grace", "storage": "memory", "notes": ["a"]}

    response = client.get("/notes", headers={"X-Client-Id": "tests"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["header", "x-test-user"],
                "msg": "Field required",
                "input": None,
            }
        ]
    }


def test_override_class_dependency(notes_app):
    from examples.docs.overrides import Clock, Storage, current_user, get_storage

    class FrozenClock:
        def now(self) -> datetime:
            return datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    notes_app.dependency_overrides[Clock] = FrozenClock
    notes_app.dependency_overrides[current_user] = lambda: "ada"
    notes_app.dependency_overrides[get_storage] = lambda: Storage("memory", {})
    client = TestClient(notes_app)
    response = client.post("/notes?text=hello", headers={"X-Client-Id": "tests"})
    assert response.status_code == 201
    assert response.json() == {
        "user": "ada",
        "text": "hello",
        "created": "2024-05-01T12:00:00+00:00",
    }


def test_override_sub_dependency(notes_app):
    from examples.docs.overrides import read_token

    client = TestClient(notes_app)
    notes_app.dependency_overrides[read_token] = lambda: "t-ada"
    response = client.get("/notes?limit=1", headers={"X-Client-Id": "tests"})
    assert response.status_code == 200
    assert response.json() == {"user": "ada", "storage": "production", "notes": ["buy milk"]}

    notes_app.dependency_overrides[read_token] = lambda: "t-nobody"
    response = client.get("/notes", headers={"X-Client-Id": "tests"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token"}

    del notes_app.dependency_overrides[read_token]
    response = client.get("/notes", headers={"X-Client-Id": "tests"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


def test_override_receives_security_scopes():
    from examples.docs.dependencies import app, authorized_user
    from fastcore.security import SecurityScopes

    def any_scope_granted(security_scopes: SecurityScopes) -> dict:
        return {"name": f"tester with {security_scopes.scope_str}"}

    app.dependency_overrides[authorized_user] = any_scope_granted
    try:
        response = TestClient(app).post("/reviews?book_id=1&stars=5")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 201
    assert response.json() == {
        "book_id": 1,
        "stars": 5,
        "by": "tester with reviews:write books:read",
    }
