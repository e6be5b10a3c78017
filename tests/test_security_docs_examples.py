"""What docs/security.md shows, replayed against examples/docs/security.py and the example app.

Every request/response pair the page shows is a test here, asserting the status,
the body and the ``WWW-Authenticate`` header the page points out; so are the
tables of what each scheme gives, the OpenAPI excerpts, and the answers of the
shop that ``make run`` serves (``examples/app.py``). The values were recorded
from FastAPI 0.165 running the same modules with the import swapped, so a
failure here is a difference from FastAPI. The page's Python blocks are checked
to be verbatim excerpts of the code they quote.

The example modules are imported inside the tests, so that one that cannot be
imported fails its own tests instead of stopping the collection of the suite.
"""

import base64
import functools
import importlib
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import jwt
import pytest

from fastcore import APIRouter, Depends, FastAPI, HTTPException, Security, security
from fastcore.testclient import TestClient
from tests import json_excerpts

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "security.md"
QUOTED_FILES = [
    "examples/docs/security.py",
    "examples/shop/security.py",
    "examples/shop/routers/users.py",
    "examples/shop/routers/items.py",
]


@functools.cache
def client(app: str = "app") -> TestClient:
    """A client for ``app`` (or another app) of ``examples/docs/security.py``."""
    example = importlib.import_module("examples.docs.security")
    return TestClient(getattr(example, app))


@pytest.mark.parametrize("line", [line for line, _ in json_excerpts.excerpts(PAGE)])
def test_json_excerpt_is_what_is_served(line: int) -> None:
    """The page's OpenAPI excerpts, in the served document with their keys in its order."""
    excerpt = dict(json_excerpts.excerpts(PAGE))[line]
    served = json_excerpts.served_documents(importlib.import_module("examples.docs.security"))
    assert json_excerpts.closest(excerpt, served) == []


def basic(credentials: str | bytes) -> dict[str, str]:
    raw = credentials.encode() if isinstance(credentials, str) else credentials
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


NOT_AUTHENTICATED = {"detail": "Not authenticated"}


def assert_refused(response: Any, challenge: str, body: Any = NOT_AUTHENTICATED) -> None:
    assert response.status_code == 401
    assert response.json() == body
    assert response.headers["www-authenticate"] == challenge


def missing(field: str) -> dict[str, Any]:
    return {"type": "missing", "loc": ["body", field], "msg": "Field required", "input": None}


# -------------------- the page quotes the code as it is
def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def test_python_blocks_are_excerpts_of_the_quoted_files():
    sources = [(ROOT / name).read_text() for name in QUOTED_FILES]
    blocks = python_blocks(PAGE.read_text())
    assert len(blocks) == 16
    for block in blocks:
        assert any(block in source for source in sources), block


def anchor(heading: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_to_sections_exist():
    links = re.findall(r"\]\(([\w\-.]*)#([\w\-]+)\)", PAGE.read_text())
    assert len(links) >= 6
    for page, section in links:
        text = (PAGE.parent / page).read_text() if page else PAGE.read_text()
        headings = re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)
        assert section in [anchor(heading) for heading in headings], (page, section)


# -------------------- "The schemes at a glance"
SCHEMES: dict[str, tuple[Any, str]] = {
    # name in the table: (a factory taking auto_error, the challenge of its 401)
    'APIKeyHeader(name="X-Key")': (
        lambda **kw: security.APIKeyHeader(name="X-Key", **kw),
        "APIKey",
    ),
    'APIKeyQuery(name="key")': (lambda **kw: security.APIKeyQuery(name="key", **kw), "APIKey"),
    'APIKeyCookie(name="key")': (lambda **kw: security.APIKeyCookie(name="key", **kw), "APIKey"),
    "HTTPBasic()": (lambda **kw: security.HTTPBasic(**kw), "Basic"),
    'HTTPBasic(realm="admin")': (
        lambda **kw: security.HTTPBasic(realm="admin", **kw),
        'Basic realm="admin"',
    ),
    "HTTPBearer()": (lambda **kw: security.HTTPBearer(**kw), "Bearer"),
    "HTTPDigest()": (lambda **kw: security.HTTPDigest(**kw), "Digest"),
    'OAuth2PasswordBearer(tokenUrl="token")': (
        lambda **kw: security.OAuth2PasswordBearer(tokenUrl="token", **kw),
        "Bearer",
    ),
    "OAuth2AuthorizationCodeBearer(...)": (
        lambda **kw: security.OAuth2AuthorizationCodeBearer(
            authorizationUrl="https://auth.example.com/authorize",
            tokenUrl="https://auth.example.com/token",
            **kw,
        ),
        "Bearer",
    ),
    "OpenIdConnect(...)": (
        lambda **kw: security.OpenIdConnect(
            openIdConnectUrl="https://auth.example.com/.well-known/openid-configuration", **kw
        ),
        "Bearer",
    ),
}


@functools.cache
def scheme_client(name: str) -> TestClient:
    """``/required`` and ``/optional`` (``auto_error=False``) echo what the scheme gives."""
    factory, _ = SCHEMES[name]
    required, optional = factory(), factory(auto_error=False)
    app = FastAPI()

    @app.get("/required")
    async def read_required(value: Annotated[Any, Depends(required)]):
        return {"value": value}

    @app.get("/optional")
    async def read_optional(value: Annotated[Any, Depends(optional)]):
        return {"value": value}

    return TestClient(app)


@pytest.mark.parametrize("name", list(SCHEMES))
def test_glance_nothing_to_read(name: str):
    _, challenge = SCHEMES[name]
    assert_refused(scheme_client(name).get("/required"), challenge)
    optional = scheme_client(name).get("/optional")
    assert optional.status_code == 200
    assert optional.json() == {"value": None}


REFUSED = "401"
GLANCE_ROWS = [
    # (scheme, query string, headers, with auto_error=True, with auto_error=False)
    ('APIKeyHeader(name="X-Key")', "", {}, REFUSED, None),
    ('APIKeyHeader(name="X-Key")', "", [("X-Key", "k1"), ("X-Key", "k2")], "k1", "k1"),
    ('APIKeyQuery(name="key")', "?key=k1&key=k2", {}, "k2", "k2"),
    ('APIKeyCookie(name="key")', "", {"Cookie": "key="}, REFUSED, None),
    ("HTTPBasic()", "", {"Authorization": "Bearer abc"}, REFUSED, None),
    ("HTTPBasic()", "", {"Authorization": "Basic !!!"}, REFUSED, REFUSED),
    (
        "HTTPBasic()",
        "",
        {"Authorization": "Basic YWRhOmxvdmU6bGFjZQ=="},
        {"username": "ada", "password": "love:lace"},
        {"username": "ada", "password": "love:lace"},
    ),
    ("HTTPBearer()", "", {"Authorization": "Bearer"}, REFUSED, None),
    ("HTTPDigest()", "", {"Authorization": "Basic abc"}, REFUSED, None),
    ('OAuth2PasswordBearer(tokenUrl="token")', "", {"Authorization": "Bearer"}, "", ""),
    ('OAuth2PasswordBearer(tokenUrl="token")', "", {"Authorization": "Basic abc"}, REFUSED, None),
    ("OpenIdConnect(...)", "", {"Authorization": "Basic abc"}, "Basic abc", "Basic abc"),
    # Not rows of the table, but what the list above it says.
    ('APIKeyHeader(name="X-Key")', "", {"X-Key": ""}, REFUSED, None),
    ('APIKeyQuery(name="key")', "?key=", {}, REFUSED, None),
    ("HTTPBasic()", "", {"Authorization": "Basic"}, REFUSED, REFUSED),
    ("HTTPBasic()", "", basic("ada"), REFUSED, REFUSED),
    ("HTTPBasic()", "", basic("adé:x".encode()), REFUSED, REFUSED),
    ("HTTPBearer()", "", {"Authorization": "Bearer   "}, REFUSED, None),
    ("HTTPBearer()", "", {"Authorization": "Basic abc"}, REFUSED, None),
    ("HTTPDigest()", "", {"Authorization": "Digest"}, REFUSED, None),
    (
        "HTTPDigest()",
        "",
        {"Authorization": "digest a=1"},
        {"scheme": "digest", "credentials": "a=1"},
        {"scheme": "digest", "credentials": "a=1"},
    ),
    ("OAuth2AuthorizationCodeBearer(...)", "", {"Authorization": "Bearer"}, "", ""),
    ("OAuth2AuthorizationCodeBearer(...)", "", {"Authorization": "Basic abc"}, REFUSED, None),
    ("OAuth2AuthorizationCodeBearer(...)", "", {"Authorization": "bearer xyz"}, "xyz", "xyz"),
    ("OpenIdConnect(...)", "", {"Authorization": ""}, REFUSED, None),
]


@pytest.mark.parametrize(("name", "query", "headers", "strict", "lenient"), GLANCE_ROWS)
def test_glance_auto_error(name: str, query: str, headers: Any, strict: Any, lenient: Any):
    _, challenge = SCHEMES[name]
    for path, expected in [("/required", strict), ("/optional", lenient)]:
        response = scheme_client(name).get(path + query, headers=headers)
        if expected == REFUSED:
            assert_refused(response, challenge)
        else:
            assert response.status_code == 200
            assert response.json() == {"value": expected}


# -------------------- "API keys"
def test_api_key():
    response = client().get("/reports", headers={"X-API-Key": "reports-2f9c"})
    assert response.status_code == 200
    assert response.json() == {"client": "reporting", "reports": ["sales", "stock"]}


def test_api_key_header_name_in_any_case():
    response = client().get("/reports", headers={"x-api-key": "reports-2f9c"})
    assert response.status_code == 200
    assert response.json() == {"client": "reporting", "reports": ["sales", "stock"]}


def test_api_key_unknown():
    response = client().get("/reports", headers={"X-API-Key": "nope"})
    assert_refused(response, "APIKey", {"detail": "Unknown API key"})


def test_api_key_empty():
    assert_refused(client().get("/reports", headers={"X-API-Key": ""}), "APIKey")


def test_api_key_missing():
    assert_refused(client().get("/reports"), "APIKey")


def test_api_key_latin1_bytes_are_an_unknown_key():
    response = client().get("/reports", headers={"X-API-Key": "café".encode("latin-1")})
    assert_refused(response, "APIKey", {"detail": "Unknown API key"})
    response = client().get("/exports?api_key=café")
    assert_refused(response, "APIKey", {"detail": "Unknown API key"})


def test_compare_digest_refuses_non_ascii_str():
    """Why same_secret encodes: compare_digest on such a str raises, and the client gets a 500."""
    with pytest.raises(TypeError):
        secrets.compare_digest("café", "reports-2f9c")

    scheme = security.APIKeyHeader(name="X-API-Key")
    app = FastAPI()

    @app.get("/reports")
    def naive(key: Annotated[str, Depends(scheme)]):
        if not secrets.compare_digest(key, "reports-2f9c"):
            raise HTTPException(status_code=401, detail="Unknown API key")
        return {"ok": True}

    naive_client = TestClient(app, raise_server_exceptions=False)
    assert naive_client.get("/reports", headers={"X-API-Key": "nope"}).status_code == 401
    response = naive_client.get("/reports", headers={"X-API-Key": "café".encode("latin-1")})
    assert response.status_code == 500


EXPORTS = {"client": "billing", "exports": ["sales.csv"]}


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/exports?api_key=billing-81d0", {}),
        ("/exports", {"Cookie": "api_key=billing-81d0"}),
        ("/exports?api_key=nope&api_key=billing-81d0", {}),
        ("/exports", {"X-API-Key": "billing-81d0"}),
    ],
)
def test_api_key_three_places(url: str, headers: dict[str, str]):
    response = client().get(url, headers=headers)
    assert response.status_code == 200
    assert response.json() == EXPORTS


def test_api_key_three_places_none_given():
    detail = {"detail": "Send an API key in X-API-Key, ?api_key= or the api_key cookie"}
    assert_refused(client().get("/exports?api_key="), "APIKey", detail)
    assert_refused(client().get("/exports"), "APIKey", detail)


def test_optional_api_key():
    response = client().get("/greeting")
    assert response.status_code == 200
    assert response.json() == {"hello": "stranger"}
    response = client().get("/greeting", headers={"X-API-Key": "reports-2f9c"})
    assert response.status_code == 200
    assert response.json() == {"hello": "reporting"}
    response = client().get("/greeting", headers={"X-API-Key": "nope"})
    assert_refused(response, "APIKey", {"detail": "Unknown API key"})


# -------------------- "HTTP Basic"
ADMIN_CHALLENGE = 'Basic realm="admin"'


def test_basic():
    assert basic("ada:lovelace") == {"Authorization": "Basic YWRhOmxvdmVsYWNl"}
    response = client().get("/admin/whoami", headers=basic("ada:lovelace"))
    assert response.status_code == 200
    assert response.json() == {"username": "ada"}
    response = client().get("/admin/whoami", headers={"Authorization": "basic YWRhOmxvdmVsYWNl"})
    assert response.status_code == 200
    assert response.json() == {"username": "ada"}


def test_basic_wrong_password():
    assert basic("ada:wrong") == {"Authorization": "Basic YWRhOndyb25n"}
    response = client().get("/admin/whoami", headers=basic("ada:wrong"))
    assert_refused(response, ADMIN_CHALLENGE, {"detail": "Incorrect username or password"})
    response = client().get("/admin/whoami", headers=basic("nobody:lovelace"))
    assert_refused(response, ADMIN_CHALLENGE, {"detail": "Incorrect username or password"})


@pytest.mark.parametrize(
    "authorization",
    ["Basic YWRh", "Basic !!!", "Basic YWTDqTp4", "Bearer abc", None],
)
def test_basic_not_authenticated(authorization: str | None):
    assert basic("ada") == {"Authorization": "Basic YWRh"}
    assert basic("adé:x".encode()) == {"Authorization": "Basic YWTDqTp4"}
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_refused(client().get("/admin/whoami", headers=headers), ADMIN_CHALLENGE)


# -------------------- "Bearer tokens and Digest"
@pytest.mark.parametrize(
    ("authorization", "body"),
    [
        ("Bearer abc.def", {"scheme": "Bearer", "credentials": "abc.def"}),
        ("bearer   abc  ", {"scheme": "bearer", "credentials": "abc"}),
    ],
)
def test_bearer(authorization: str, body: dict[str, str]):
    response = client().get("/bearer", headers={"Authorization": authorization})
    assert response.status_code == 200
    assert response.json() == body


@pytest.mark.parametrize("authorization", [None, "Bearer", "Basic abc"])
def test_bearer_not_authenticated(authorization: str | None):
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_refused(client().get("/bearer", headers=headers), "Bearer")


def test_digest():
    parameters = 'username="ada", realm="admin", nonce="4f2a", uri="/digest", response="9c1e"'
    response = client().get("/digest", headers={"Authorization": "Digest " + parameters})
    assert response.status_code == 200
    assert response.json() == {"scheme": "Digest", "credentials": parameters}
    assert response.text == (
        '{"scheme":"Digest","credentials":"username=\\"ada\\", realm=\\"admin\\", '
        'nonce=\\"4f2a\\", uri=\\"/digest\\", response=\\"9c1e\\""}'
    )


def test_digest_not_authenticated():
    assert_refused(client().get("/digest"), "Digest")


# -------------------- "OAuth2 with a password"
def log_in(path: str = "/token", **form: str) -> Any:
    return client().post(path, data=form)


def test_log_in_grants_the_scopes_held():
    response = log_in(username="grace", password="hopper", scope="profile reports")
    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["access_token", "scope", "token_type"]
    assert body["token_type"] == "bearer"
    assert body["scope"] == "profile"


def test_log_in_form_fields():
    """What the form gives when only username and password are sent, and scope split."""
    form = security.OAuth2PasswordRequestForm(username="ada", password="lovelace")
    assert vars(form) == {
        "grant_type": None,
        "username": "ada",
        "password": "lovelace",
        "scopes": [],
        "client_id": None,
        "client_secret": None,
    }
    form = security.OAuth2PasswordRequestForm(
        username="ada", password="lovelace", scope="reports  profile"
    )
    assert form.scopes == ["reports", "profile"]


def test_log_in_wrong_password():
    response = log_in(username="ada", password="nope")
    assert_refused(response, "Bearer", {"detail": "Incorrect username or password"})


def test_log_in_other_grant_type():
    response = log_in(username="ada", password="lovelace", grant_type="refresh_token")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "grant_type"],
                "msg": "String should match pattern '^password$'",
                "input": "refresh_token",
                "ctx": {"pattern": "^password$"},
            }
        ]
    }


def test_log_in_strict_needs_grant_type():
    response = log_in("/token/strict", username="ada", password="lovelace")
    assert response.status_code == 422
    assert response.json() == {"detail": [missing("grant_type")]}


def test_log_in_strict():
    response = log_in(
        "/token/strict",
        grant_type="password",
        username="ada",
        password="lovelace",
        scope="reports profile extra",
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "reports profile"


def test_log_in_with_json_is_not_a_form():
    response = client().post("/token", json={"username": "ada", "password": "lovelace"})
    assert response.status_code == 422
    assert response.json() == {"detail": [missing("username"), missing("password")]}


def grace_token() -> str:
    return log_in(username="grace", password="hopper", scope="profile reports").json()[
        "access_token"
    ]


def ada_token() -> str:
    return log_in(username="ada", password="lovelace", scope="profile reports").json()[
        "access_token"
    ]


def test_token_with_its_scopes():
    response = client().get("/profile", headers=bearer(grace_token()))
    assert response.status_code == 200
    assert response.json() == {"username": "grace", "scopes": ["profile"]}
    response = client().get("/reports/monthly", headers=bearer(ada_token()))
    assert response.status_code == 200
    assert response.json() == {"for": "ada", "month": "2024-05", "sales": 1432}


def test_token_without_the_scope():
    response = client().get("/reports/monthly", headers=bearer(grace_token()))
    assert response.status_code == 403
    assert response.json() == {"detail": "Missing scope: reports"}
    assert (
        response.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="reports"'
    )


@pytest.mark.parametrize("authorization", ["Bearer nope", "Bearer"])
def test_token_unknown(authorization: str):
    response = client().get("/profile", headers={"Authorization": authorization})
    assert_refused(response, "Bearer", {"detail": "Invalid or expired token"})


@pytest.mark.parametrize("authorization", [None, "Basic abc"])
def test_token_not_authenticated(authorization: str | None):
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_refused(client().get("/profile", headers=headers), "Bearer")


# -------------------- "Tokens from elsewhere"
@pytest.mark.parametrize(
    ("url", "authorization", "body"),
    [
        ("/partner/orders", "Bearer xyz", {"token": "xyz"}),
        ("/partner/orders", "Bearer", {"token": ""}),
        ("/sso", "Bearer id.token.here", {"authorization": "Bearer id.token.here"}),
        ("/sso", "Basic xyz", {"authorization": "Basic xyz"}),
    ],
)
def test_tokens_from_elsewhere(url: str, authorization: str, body: dict[str, str]):
    response = client().get(url, headers={"Authorization": authorization})
    assert response.status_code == 200
    assert response.json() == body


def test_tokens_from_elsewhere_refused():
    response = client().get("/partner/orders", headers={"Authorization": "Basic xyz"})
    assert_refused(response, "Bearer")
    assert_refused(client().get("/sso"), "Bearer")


# -------------------- "In the OpenAPI document"
SECURITY_SCHEMES = {
    "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "APIKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
    "APIKeyCookie": {"type": "apiKey", "in": "cookie", "name": "api_key"},
    "HTTPBasic": {"type": "http", "scheme": "basic"},
    "HTTPBearer": {
        "type": "http",
        "description": "A token from the partner portal",
        "scheme": "bearer",
        "bearerFormat": "opaque",
    },
    "HTTPDigest": {"type": "http", "scheme": "digest"},
    "OAuth2PasswordBearer": {
        "type": "oauth2",
        "flows": {
            "password": {
                "scopes": {"profile": "Read your profile.", "reports": "Read the reports."},
                "tokenUrl": "token",
            }
        },
    },
    "OAuth2AuthorizationCodeBearer": {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "scopes": {"orders": "Read your orders."},
                "authorizationUrl": "https://auth.example.com/authorize",
                "tokenUrl": "https://auth.example.com/token",
            }
        },
    },
    "OpenIdConnect": {
        "type": "openIdConnect",
        "openIdConnectUrl": "https://auth.example.com/.well-known/openid-configuration",
    },
}

OPERATION_SECURITY = {
    ("get", "/reports"): [{"APIKeyHeader": []}],
    ("get", "/greeting"): [{"APIKeyHeader": []}],
    ("get", "/exports"): [{"APIKeyHeader": []}, {"APIKeyQuery": []}, {"APIKeyCookie": []}],
    ("get", "/admin/whoami"): [{"HTTPBasic": []}],
    ("get", "/bearer"): [{"HTTPBearer": []}],
    ("get", "/digest"): [{"HTTPDigest": []}],
    ("get", "/profile"): [{"OAuth2PasswordBearer": ["profile"]}],
    ("get", "/reports/monthly"): [{"OAuth2PasswordBearer": ["reports"]}],
    ("get", "/partner/orders"): [{"OAuth2AuthorizationCodeBearer": ["orders"]}],
    ("get", "/sso"): [{"OpenIdConnect": []}],
    ("post", "/token"): None,
    ("post", "/token/strict"): None,
}


def test_openapi_security_schemes():
    document = client().get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == SECURITY_SCHEMES
    assert "security" not in document


def test_openapi_operation_security():
    paths = client().get("/openapi.json").json()["paths"]
    found = {
        (method, path): operation.get("security")
        for path, operations in paths.items()
        for method, operation in operations.items()
    }
    assert found == OPERATION_SECURITY


def test_openapi_scheme_names():
    document = client("names_app").get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Staff-Key"},
        "AuditKey": {"type": "apiKey", "in": "header", "name": "X-Audit-Key"},
    }
    paths = document["paths"]
    assert paths["/partner"]["get"]["security"] == [{"APIKeyHeader": []}]
    assert paths["/staff"]["get"]["security"] == [{"APIKeyHeader": []}]
    assert paths["/audit"]["get"]["security"] == [{"APIKeyHeader": []}, {"AuditKey": []}]


def test_scheme_names_requests():
    names = client("names_app")
    response = names.get("/partner", headers={"X-Partner-Key": "p"})
    assert response.status_code == 200
    assert response.json() == {"partner_key": "p"}
    assert_refused(names.get("/audit", headers={"X-Staff-Key": "s"}), "APIKey")
    assert_refused(names.get("/audit", headers={"X-Audit-Key": "a"}), "APIKey")
    response = names.get("/audit", headers={"X-Staff-Key": "s", "X-Audit-Key": "a"})
    assert response.status_code == 200
    assert response.json() == {"staff_key": "s", "audit_key": "a"}


def test_openapi_schemes_of_routes_routers_and_app():
    """The page's list: a scheme in dependencies=[...] of a route, a router or the app counts."""
    key = security.APIKeyHeader(name="X-Key")
    oauth2 = security.OAuth2PasswordBearer(tokenUrl="token")
    basic_scheme = security.HTTPBasic()
    app = FastAPI(dependencies=[Depends(key)])
    router = APIRouter(dependencies=[Depends(basic_scheme)])

    @router.get("/a", dependencies=[Security(oauth2, scopes=["t"])])
    def read_a():
        return 1

    app.include_router(router, dependencies=[Security(oauth2, scopes=["s"])])
    operation = app.openapi()["paths"]["/a"]["get"]
    assert operation["security"] == [
        {"APIKeyHeader": []},
        {"OAuth2PasswordBearer": ["s", "t"]},
        {"HTTPBasic": []},
    ]


def test_docs_page_and_oauth2_redirect():
    assert client().get("/docs").status_code == 200
    assert client().get("/docs/oauth2-redirect").status_code == 200


# -------------------- "The example app: JWT log-in with scopes"
@functools.cache
def pristine_shop() -> tuple[Any, Any, tuple[Any, ...]]:
    """The example app, its store, and the store's content when it was imported."""
    from examples.app import app
    from examples.shop.security import store

    return app, store, (dict(store.users), dict(store.items), store.next_item_id)


def restore(store: Any, saved: tuple[Any, ...]) -> None:
    users, items, next_item_id = saved
    with store.lock:
        store.users.clear()
        store.users.update(users)
        store.items.clear()
        store.items.update(items)
        store.next_item_id = next_item_id


@pytest.fixture
def shop() -> Iterator[TestClient]:
    """A client of the example app with its demo data; what a test changes is undone."""
    app, store, saved = pristine_shop()
    restore(store, saved)
    yield TestClient(app)
    restore(store, saved)


@functools.cache
def shop_token(username: str, password: str, scope: str | None) -> str:
    app, _, _ = pristine_shop()
    form = {"username": username, "password": password}
    if scope is not None:
        form["scope"] = scope
    response = TestClient(app).post("/token", data=form)
    assert response.status_code == 200
    return response.json()["access_token"]


ALL_SCOPES = "me items items:write"
ALICE = {
    "username": "alice",
    "email": "alice@example.com",
    "full_name": "Alice Liddell",
    "disabled": False,
    "scopes": ["me", "items", "items:write"],
}
HAMMER = {
    "name": "Hammer",
    "description": None,
    "price": 12.5,
    "tags": ["tools"],
    "id": 1,
    "owner": "alice",
}
SAW = {
    "name": "Saw",
    "description": None,
    "price": 20.0,
    "tags": ["tools"],
    "id": 2,
    "owner": "alice",
}
LADDER = {
    "name": "Ladder",
    "description": "Three metres",
    "price": 89.0,
    "tags": [],
    "id": 3,
    "owner": "bob",
}


def alice() -> dict[str, str]:
    return bearer(shop_token("alice", "wonderland", ALL_SCOPES))


def test_shop_log_in(shop: TestClient):
    form = {"username": "alice", "password": "wonderland", "scope": ALL_SCOPES}
    response = shop.post("/token", data=form)
    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["access_token", "token_type"]
    assert body["token_type"] == "bearer"
    assert body["access_token"].startswith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.")
    assert jwt.get_unverified_header(body["access_token"]) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert list(claims) == ["sub", "scopes", "iat", "exp"]
    assert claims["sub"] == "alice"
    assert claims["scopes"] == ["me", "items", "items:write"]
    assert claims["exp"] - claims["iat"] == 30 * 60


@pytest.mark.parametrize("username", ["alice", "mallory"])
def test_shop_log_in_refused(shop: TestClient, username: str):
    response = shop.post("/token", data={"username": username, "password": "nope"})
    assert_refused(response, "Bearer", {"detail": "Incorrect username or password"})


def test_shop_read_me(shop: TestClient):
    response = shop.get("/users/me", headers=alice())
    assert response.status_code == 200
    assert response.json() == ALICE
    assert list(response.json()) == list(ALICE)


def test_shop_read_me_without_token(shop: TestClient):
    assert_refused(shop.get("/users/me"), "Bearer")


def shop_secret_key() -> str:
    pristine_shop()
    return importlib.import_module("examples.shop.security").SECRET_KEY


def signed(claims: dict[str, Any], key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, shop_secret_key() if key is None else key, algorithm=algorithm)


def bad_tokens() -> dict[str, str]:
    now = datetime.now(UTC)
    later = now + timedelta(minutes=5)
    return {
        "garbage": "not.a.jwt",
        "expired": signed(
            {"sub": "alice", "scopes": ["me"], "iat": now - timedelta(hours=1), "exp": now}
        ),
        "another key": signed(
            {"sub": "alice", "scopes": ["me"], "exp": later}, key="another-key-" * 3
        ),
        "unsigned": jwt.encode(
            {"sub": "alice", "scopes": ["me"], "exp": later}, None, algorithm="none"
        ),
        "no exp": signed({"sub": "alice", "scopes": ["me"]}),
        "no sub": signed({"scopes": ["me"], "exp": later}),
        "unknown user": signed({"sub": "ghost", "scopes": ["me"], "exp": later}),
    }


@pytest.mark.parametrize(
    "kind", ["garbage", "expired", "another key", "unsigned", "no exp", "no sub", "unknown user"]
)
def test_shop_bad_token(shop: TestClient, kind: str):
    response = shop.get("/users/me", headers=bearer(bad_tokens()[kind]))
    assert_refused(response, 'Bearer scope="me"', {"detail": "Could not validate credentials"})


def test_shop_items(shop: TestClient):
    response = shop.get("/items?tag=tools", headers=alice())
    assert response.status_code == 200
    assert response.json() == [HAMMER, SAW]
    assert [list(item) for item in response.json()] == [list(HAMMER), list(SAW)]


def test_shop_create_item(shop: TestClient):
    response = shop.post("/items", headers=alice(), json={"name": "Drill", "price": 50})
    assert response.status_code == 201
    assert response.json() == {
        "name": "Drill",
        "description": None,
        "price": 50.0,
        "tags": [],
        "id": 4,
        "owner": "alice",
    }


def test_shop_change_someone_elses_item(shop: TestClient):
    response = shop.patch("/items/3", headers=alice(), json={"price": 1})
    assert response.status_code == 403
    assert response.json() == {"detail": "Not your item"}


def test_shop_token_without_a_scope(shop: TestClient):
    bob_reads = bearer(shop_token("bob", "the-builder", "items"))
    response = shop.get("/items", headers=bob_reads)
    assert response.status_code == 200
    assert response.json() == [HAMMER, SAW, LADDER]
    response = shop.get("/users/me", headers=bob_reads)
    assert_refused(response, 'Bearer scope="me"', {"detail": "Not enough permissions"})
    response = shop.post("/items", headers=bob_reads, json={"name": "Drill", "price": 50})
    assert_refused(response, 'Bearer scope="items:write"', {"detail": "Not enough permissions"})


def test_shop_token_with_no_scope_at_all(shop: TestClient):
    token = shop_token("bob", "the-builder", None)
    assert jwt.decode(token, options={"verify_signature": False})["scopes"] == []
    response = shop.get("/items", headers=bearer(token))
    assert_refused(response, 'Bearer scope="items"', {"detail": "Not enough permissions"})


def test_shop_scope_not_held_is_dropped(shop: TestClient):
    token = shop_token("bob", "the-builder", "items admin")
    assert jwt.decode(token, options={"verify_signature": False})["scopes"] == ["items"]


def test_shop_sign_up(shop: TestClient):
    new_user = {"username": "carol", "email": "carol@example.com", "password": "correct-horse"}
    response = shop.post("/users", json=new_user)
    assert response.status_code == 201
    assert response.json() == {
        "username": "carol",
        "email": "carol@example.com",
        "full_name": None,
        "disabled": False,
        "scopes": ["me", "items", "items:write"],
    }
    _, store, _ = pristine_shop()
    assert store.users["carol"].password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    response = shop.post("/users", json=new_user)
    assert response.status_code == 409
    assert response.json() == {"detail": "Username taken"}


def test_shop_disabled_user(shop: TestClient):
    from examples.shop.store import StoredUser

    _, store, _ = pristine_shop()
    bob = store.users["bob"]
    store.users["bob"] = StoredUser(
        bob.user.model_copy(update={"disabled": True}), bob.password_hash
    )
    response = shop.get("/users/me", headers=bearer(shop_token("bob", "the-builder", "me")))
    assert response.status_code == 400
    assert response.json() == {"detail": "Inactive user"}


def test_shop_openapi(shop: TestClient):
    document = shop.get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {
                "password": {
                    "scopes": {
                        "me": "Read your own account.",
                        "items": "Read items.",
                        "items:write": "Create, change and delete your items.",
                    },
                    "tokenUrl": "token",
                }
            },
        }
    }
    found = {
        (method, path): operation.get("security")
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    reader = [{"OAuth2PasswordBearer": ["items"]}]
    writer = [{"OAuth2PasswordBearer": ["items:write"]}]
    assert found == {
        ("post", "/token"): None,
        ("post", "/users"): None,
        ("get", "/users/me"): [{"OAuth2PasswordBearer": ["me"]}],
        ("get", "/items"): reader,
        ("get", "/items/{item_id}"): reader,
        ("post", "/items"): writer,
        ("patch", "/items/{item_id}"): writer,
        ("delete", "/items/{item_id}"): writer,
    }


def test_shop_docs_preselect_the_scopes(shop: TestClient):
    page = shop.get("/docs").text
    assert 'ui.initOAuth({"scopes": "me items items:write"})' in page


def test_shop_argon2_hashes():
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    hasher = PasswordHasher()
    first, second = hasher.hash("wonderland"), hasher.hash("wonderland")
    assert first != second
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(first, "wonderland")
    with pytest.raises(VerifyMismatchError):
        hasher.verify(first, "nope")
    assert issubclass(VerifyMismatchError, VerificationError)
    with pytest.raises(InvalidHashError):
        hasher.verify("not a hash", "wonderland")


def test_shop_short_key_warning():
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        jwt.encode({"sub": "alice"}, "short", algorithm="HS256")
