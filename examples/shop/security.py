"""Log-in for the shop: Argon2 password hashes, signed JWT access tokens, OAuth2 scopes.

Set ``SHOP_SECRET_KEY`` to keep tokens valid across restarts and workers; by
default each process makes up its own key.
"""

import os
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from examples.shop.models import User
from examples.shop.store import Store
from fastcore import Depends, HTTPException, Security, status
from fastcore.security import OAuth2PasswordBearer, SecurityScopes

SECRET_KEY = os.environ.get("SHOP_SECRET_KEY") or secrets.token_hex(32)
ALGORITHM = "HS256"
TOKEN_LIFETIME = timedelta(minutes=30)

SCOPES = {
    "me": "Read your own account.",
    "items": "Read items.",
    "items:write": "Create, change and delete your items.",
}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", scopes=SCOPES)
password_hasher = PasswordHasher()
store = Store()

# Checked against when the username is unknown, so that a wrong username takes
# as long as a wrong password and the timing does not tell which one it was.
_DUMMY_HASH = password_hasher.hash("not anyone's password")


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def authenticate(username: str, password: str) -> User | None:
    stored = store.users.get(username)
    try:
        password_hasher.verify(stored.password_hash if stored else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return stored.user if stored else None


def create_access_token(username: str, scopes: list[str]) -> str:
    now = datetime.now(UTC)
    claims = {"sub": username, "scopes": scopes, "iat": now, "exp": now + TOKEN_LIFETIME}
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def get_current_user(
    security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2_scheme)]
) -> User:
    """The user the bearer token names, if the token grants every scope required."""
    if security_scopes.scopes:
        authenticate_value = f'Bearer scope="{security_scopes.scope_str}"'
    else:
        authenticate_value = "Bearer"

    def unauthorized(detail: str) -> HTTPException:
        return HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=detail,
            headers={"WWW-Authenticate": authenticate_value},
        )

    try:
        claims = jwt.decode(
            token, SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.InvalidTokenError:
        raise unauthorized("Could not validate credentials") from None
    stored = store.users.get(claims["sub"])
    if stored is None:
        raise unauthorized("Could not validate credentials")
    granted = claims.get("scopes", [])
    for scope in security_scopes.scopes:
        if scope not in granted:
            raise unauthorized("Not enough permissions")
    return stored.user


def get_current_active_user(user: Annotated[User, Security(get_current_user)]) -> User:
    """The current user, refused if disabled; each endpoint adds the scopes it needs."""
    if user.disabled:
        raise HTTPException(status_code=400, detail="Inactive user")
    return user
