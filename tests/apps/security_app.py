"""One app using every security scheme, for either framework.

``build_app(fastapi)`` and ``build_app(fastcore)`` build the same app; everything
framework-specific comes from the module passed in and its ``security`` submodules. Each
route answers with what its scheme gave the endpoint, as JSON: ``describe()`` names the type
(``HTTPBasicCredentials``, ``str``, ``None``, ...) and dumps the value, so the two apps can
be compared byte for byte, errors included.

Routes come in pairs: ``/<scheme>`` (``auto_error=True``: a missing or malformed credential
is answered by the scheme itself) and ``/<scheme>/optional`` (``auto_error=False``: the
endpoint receives ``None``).

No ``from __future__ import annotations`` here: the frameworks must see real annotations.
"""

import importlib
from types import ModuleType
from typing import Annotated, Any

from pydantic import BaseModel


def submodule(fw: ModuleType, name: str) -> ModuleType:
    """``fw.security``, ``fw.security.http``, ...: the same submodule of either framework."""
    return importlib.import_module(f"{fw.__name__}.{name}")


def describe(value: Any) -> Any:
    """What the endpoint received, the same way for both frameworks."""
    if isinstance(value, BaseModel):
        return {"type": type(value).__name__, "value": value.model_dump()}
    if hasattr(value, "scopes") and hasattr(value, "username"):  # a password form
        return {"type": type(value).__name__, "value": dict(vars(value))}
    return {"type": type(value).__name__, "value": value}


def build_app(fw: ModuleType) -> Any:
    """The app, built with ``fw`` (``fastapi`` or ``fastcore``); only that module differs."""
    app = fw.FastAPI()
    add_api_key_routes(app, fw)
    add_http_routes(app, fw)
    add_oauth2_routes(app, fw)
    add_open_id_connect_routes(app, fw)
    add_scope_routes(app, fw)
    add_form_routes(app, fw)
    add_websocket_routes(app, fw)
    return app


def add_pair(app: Any, fw: ModuleType, path: str, make: Any) -> None:
    """``path`` with ``make(auto_error=True)``, ``path/optional`` with ``auto_error=False``."""
    for suffix, auto_error in (("", True), ("/optional", False)):
        add_route(app, fw, path + suffix, make(auto_error=auto_error))


def add_route(app: Any, fw: ModuleType, path: str, scheme: Any) -> None:
    @app.get(path)
    async def endpoint(value: Any = fw.Depends(scheme)):
        return describe(value)


def add_api_key_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")
    add_pair(app, fw, "/key/header", lambda **kw: security.APIKeyHeader(name="X-API-Key", **kw))
    add_pair(app, fw, "/key/query", lambda **kw: security.APIKeyQuery(name="api_key", **kw))
    add_pair(app, fw, "/key/cookie", lambda **kw: security.APIKeyCookie(name="session", **kw))
    add_route(
        app,
        fw,
        "/key/described",
        security.APIKeyHeader(name="key", scheme_name="Described", description="A key"),
    )


def add_http_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")
    http = submodule(fw, "security.http")
    add_pair(app, fw, "/basic", lambda **kw: security.HTTPBasic(**kw))
    add_pair(app, fw, "/basic/realm", lambda **kw: security.HTTPBasic(realm="simple", **kw))
    add_route(app, fw, "/basic/quoted-realm", security.HTTPBasic(realm='a "quoted" realm'))
    add_pair(app, fw, "/bearer", lambda **kw: security.HTTPBearer(**kw))
    add_route(app, fw, "/bearer/jwt", security.HTTPBearer(bearerFormat="JWT"))
    add_pair(app, fw, "/digest", lambda **kw: security.HTTPDigest(**kw))
    add_pair(app, fw, "/http-base", lambda **kw: http.HTTPBase(scheme="Custom", **kw))

    basic = security.HTTPBasic()

    @app.get("/basic/check")
    def check_basic(credentials: Annotated[Any, fw.Depends(basic)]):
        # What the tutorial does: refuse a wrong password with the scheme's own header.
        if (credentials.username, credentials.password) != ("alice", "secret"):
            raise fw.HTTPException(
                status_code=401,
                detail="Incorrect username or password",
                headers={"WWW-Authenticate": "Basic"},
            )
        return {"username": credentials.username}


def add_oauth2_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")
    scopes = {"me": "Read information about the current user.", "items": "Read items."}
    add_pair(
        app,
        fw,
        "/oauth2/password",
        lambda **kw: security.OAuth2PasswordBearer(tokenUrl="token", scopes=scopes, **kw),
    )
    add_pair(
        app,
        fw,
        "/oauth2/code",
        lambda **kw: security.OAuth2AuthorizationCodeBearer(
            authorizationUrl="authorize", tokenUrl="token", refreshUrl="refresh", **kw
        ),
    )
    add_pair(
        app,
        fw,
        "/oauth2/flows",
        lambda **kw: security.OAuth2(
            flows={"clientCredentials": {"tokenUrl": "token", "scopes": scopes}}, **kw
        ),
    )


def add_open_id_connect_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")
    add_pair(
        app,
        fw,
        "/oidc",
        lambda **kw: security.OpenIdConnect(
            openIdConnectUrl="https://example.com/.well-known/openid-configuration", **kw
        ),
    )


def add_scope_routes(app: Any, fw: ModuleType) -> None:
    """The tutorial's scopes: a token dependency checking the scopes every caller asked for."""
    security = submodule(fw, "security")
    oauth2 = security.OAuth2PasswordBearer(
        tokenUrl="token", scopes={"me": "Me", "items": "Items", "admin": "Admin"}
    )
    granted = {"alice": ["me", "items"], "root": ["me", "items", "admin"], "bob": []}

    def current_user(
        security_scopes: security.SecurityScopes, token: Annotated[str, fw.Depends(oauth2)]
    ):
        if security_scopes.scopes:
            authenticate = f'Bearer scope="{security_scopes.scope_str}"'
        else:
            authenticate = "Bearer"
        if token not in granted:
            raise fw.HTTPException(
                status_code=401,
                detail="Could not validate credentials",
                headers={"WWW-Authenticate": authenticate},
            )
        for scope in security_scopes.scopes:
            if scope not in granted[token]:
                raise fw.HTTPException(
                    status_code=401,
                    detail="Not enough permissions",
                    headers={"WWW-Authenticate": authenticate},
                )
        return {"user": token, "scopes": security_scopes.scopes}

    @app.get("/scopes/me")
    def me(user: Annotated[dict, fw.Security(current_user, scopes=["me"])]):
        return user

    @app.get("/scopes/items")
    def items(user: Annotated[dict, fw.Security(current_user, scopes=["me", "items"])]):
        return user

    @app.get("/scopes/admin", dependencies=[fw.Security(current_user, scopes=["admin"])])
    def admin(user: Annotated[dict, fw.Security(current_user, scopes=["me"])]):
        return user

    @app.get("/scopes/none")
    def no_scopes(user: Annotated[dict, fw.Depends(current_user)]):
        return user


def add_form_routes(app: Any, fw: ModuleType) -> None:
    security = submodule(fw, "security")

    @app.post("/token")
    def token(form: Annotated[security.OAuth2PasswordRequestForm, fw.Depends()]):
        return describe(form)

    @app.post("/token/strict")
    def token_strict(form: Annotated[security.OAuth2PasswordRequestFormStrict, fw.Depends()]):
        return describe(form)

    @app.post("/token/checked")
    def token_checked(form: security.OAuth2PasswordRequestForm = fw.Depends()):
        if form.grant_type not in (None, "password"):
            raise fw.HTTPException(status_code=400, detail="unsupported_grant_type")
        if (form.username, form.password) != ("alice", "secret"):
            raise fw.HTTPException(status_code=400, detail="Incorrect username or password")
        return {"access_token": form.username, "token_type": "bearer", "scopes": form.scopes}


def add_websocket_routes(app: Any, fw: ModuleType) -> None:
    """Schemes read an ``HTTPConnection``: they work for WebSocket routes too (where the
    framework has WebSocket routes)."""
    if not hasattr(app, "websocket"):
        return
    security = submodule(fw, "security")
    header = security.APIKeyHeader(name="X-API-Key", auto_error=False)
    bearer = security.HTTPBearer(auto_error=False)

    @app.websocket("/ws")
    async def socket(
        websocket: fw.WebSocket,
        key: Annotated[Any, fw.Depends(header)],
        credentials: Annotated[Any, fw.Depends(bearer)],
    ):
        await websocket.accept()
        await websocket.send_json({"key": describe(key), "bearer": describe(credentials)})
        await websocket.close()
