"""API keys, HTTP authentication, OAuth2 and OpenID Connect: the app behind docs/security.md.

uvicorn examples.docs.security:app
curl -H 'X-API-Key: reports-2f9c' http://127.0.0.1:8000/reports
curl -u ada:lovelace http://127.0.0.1:8000/admin/whoami
curl -d username=ada -d password=lovelace -d scope=profile http://127.0.0.1:8000/token
then open http://127.0.0.1:8000/docs and press Authorize
"""

import secrets
from typing import Annotated

from fastcore import Depends, FastAPI, HTTPException, Security, status
from fastcore.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
    OpenIdConnect,
    SecurityScopes,
)

app = FastAPI(title="security")


# -------------------- API keys
# Who holds which key. A real app would load these from its configuration.
API_KEYS = {"reports-2f9c": "reporting", "billing-81d0": "billing"}

api_key_header = APIKeyHeader(name="X-API-Key")


def same_secret(given: str, expected: str) -> bool:
    """Compare in constant time; as bytes, since compare_digest refuses non-ASCII str."""
    return secrets.compare_digest(given.encode(), expected.encode())


def client_of(key: str) -> str:
    for known, client in API_KEYS.items():
        if same_secret(key, known):
            return client
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Unknown API key",
        headers={"WWW-Authenticate": "APIKey"},
    )


def api_client(key: Annotated[str, Depends(api_key_header)]) -> str:
    return client_of(key)


@app.get("/reports")
def list_reports(client: Annotated[str, Depends(api_client)]):
    return {"client": client, "reports": ["sales", "stock"]}


# The same key accepted in a header, a query parameter or a cookie: with
# auto_error=False a missing key gives None, and the dependency decides.
key_in_header = APIKeyHeader(name="X-API-Key", auto_error=False)
key_in_query = APIKeyQuery(name="api_key", auto_error=False)
key_in_cookie = APIKeyCookie(name="api_key", auto_error=False)


def any_api_client(
    from_header: Annotated[str | None, Depends(key_in_header)],
    from_query: Annotated[str | None, Depends(key_in_query)],
    from_cookie: Annotated[str | None, Depends(key_in_cookie)],
) -> str:
    key = from_header or from_query or from_cookie
    if key is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Send an API key in X-API-Key, ?api_key= or the api_key cookie",
            headers={"WWW-Authenticate": "APIKey"},
        )
    return client_of(key)


@app.get("/exports")
def list_exports(client: Annotated[str, Depends(any_api_client)]):
    return {"client": client, "exports": ["sales.csv"]}


# Optional authentication: everyone is answered, known clients by name.
@app.get("/greeting")
def greeting(key: Annotated[str | None, Depends(key_in_header)]):
    return {"hello": client_of(key) if key else "stranger"}


# -------------------- HTTP Basic
# Stand-ins for a user table. Real apps store password hashes, never passwords:
# the shop example (examples/shop/security.py) does, with Argon2.
USERS = {
    "ada": {"password": "lovelace", "scopes": ["profile", "reports"]},
    "grace": {"password": "hopper", "scopes": ["profile"]},
}

basic = HTTPBasic(realm="admin")


def basic_user(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> str:
    user = USERS.get(credentials.username)
    if user is None or not same_secret(credentials.password, user["password"]):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": 'Basic realm="admin"'},
        )
    return credentials.username


@app.get("/admin/whoami")
def admin_whoami(username: Annotated[str, Depends(basic_user)]):
    return {"username": username}


# -------------------- HTTP Bearer and Digest: the credentials, undecoded
bearer = HTTPBearer(bearerFormat="opaque", description="A token from the partner portal")
digest = HTTPDigest()


@app.get("/bearer")
def show_bearer(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}


@app.get("/digest")
def show_digest(credentials: Annotated[HTTPAuthorizationCredentials, Depends(digest)]):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}


# -------------------- OAuth2, password flow, with scopes
SCOPES = {"profile": "Read your profile.", "reports": "Read the reports."}
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", scopes=SCOPES)

# Issued tokens: token -> who it was issued to and the scopes it grants.
TOKENS: dict[str, dict] = {}


def issue_token(form: OAuth2PasswordRequestForm) -> dict:
    user = USERS.get(form.username)
    if user is None or not same_secret(form.password, user["password"]):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    granted = [scope for scope in form.scopes if scope in user["scopes"]]
    token = secrets.token_urlsafe(24)
    TOKENS[token] = {"username": form.username, "scopes": granted}
    return {"access_token": token, "token_type": "bearer", "scope": " ".join(granted)}


@app.post("/token")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    return issue_token(form)


@app.post("/token/strict")
def log_in_strict(form: Annotated[OAuth2PasswordRequestFormStrict, Depends()]):
    return issue_token(form)


def current_user(
    security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2_scheme)]
) -> dict:
    grant = TOKENS.get(token)
    if grant is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid or expired token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    missing = [scope for scope in security_scopes.scopes if scope not in grant["scopes"]]
    if missing:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=f"Missing scope: {' '.join(missing)}",
            headers={
                "WWW-Authenticate": (
                    f'Bearer error="insufficient_scope", scope="{security_scopes.scope_str}"'
                )
            },
        )
    return grant


@app.get("/profile")
def read_profile(user: Annotated[dict, Security(current_user, scopes=["profile"])]):
    return user


@app.get("/reports/monthly")
def monthly_report(user: Annotated[dict, Security(current_user, scopes=["reports"])]):
    return {"for": user["username"], "month": "2024-05", "sales": 1432}


# -------------------- Tokens from someone else: authorization code flow, OpenID Connect
# The schemes only read the Authorization header; checking the token with the
# provider that issued it is up to the app.
partner_oauth = OAuth2AuthorizationCodeBearer(
    authorizationUrl="https://auth.example.com/authorize",
    tokenUrl="https://auth.example.com/token",
    scopes={"orders": "Read your orders."},
)
oidc = OpenIdConnect(openIdConnectUrl="https://auth.example.com/.well-known/openid-configuration")


@app.get("/partner/orders")
def partner_orders(token: Annotated[str, Security(partner_oauth, scopes=["orders"])]):
    return {"token": token}


@app.get("/sso")
def sso(authorization: Annotated[str, Depends(oidc)]):
    return {"authorization": authorization}


# -------------------- Scheme names, the keys of components.securitySchemes
# partner_key and staff_key are both "APIKeyHeader" there: the document keeps only one.
names_app = FastAPI(title="scheme names")

partner_key = APIKeyHeader(name="X-Partner-Key")
staff_key = APIKeyHeader(name="X-Staff-Key")
audit_key = APIKeyHeader(name="X-Audit-Key", scheme_name="AuditKey")


@names_app.get("/partner")
def partner_area(key: Annotated[str, Depends(partner_key)]):
    return {"partner_key": key}


@names_app.get("/staff")
def staff_area(key: Annotated[str, Depends(staff_key)]):
    return {"staff_key": key}


@names_app.get("/audit")
def audit_log(staff: Annotated[str, Depends(staff_key)], audit: Annotated[str, Depends(audit_key)]):
    return {"staff_key": staff, "audit_key": audit}
