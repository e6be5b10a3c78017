"""Accounts and log-in: sign up, get a token, read your own account."""

from typing import Annotated

from examples.shop.models import Token, User, UserCreate
from examples.shop.responses import LOG_IN_REFUSED, PROTECTED, UNREADABLE_BODY, USERNAME_TAKEN
from examples.shop.security import (
    authenticate,
    create_access_token,
    get_current_active_user,
    hash_password,
    store,
)
from fastcore import APIRouter, Depends, HTTPException, Security, status
from fastcore.security import OAuth2PasswordRequestForm

router = APIRouter(tags=["users"])

# Everyone may read and write their own items; granting more is up to the app.
DEFAULT_SCOPES = ["me", "items", "items:write"]


@router.post("/token", response_model=Token, responses=LOG_IN_REFUSED)
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    """Exchange a username and password for a bearer token.

    The token carries the scopes asked for in the form that the user holds.
    """
    user = authenticate(form.username, form.password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    granted = [scope for scope in form.scopes if scope in user.scopes]
    return Token(access_token=create_access_token(user.username, granted), token_type="bearer")


@router.post(
    "/users",
    response_model=User,
    status_code=status.HTTP_201_CREATED,
    responses={**USERNAME_TAKEN, **UNREADABLE_BODY},
)
def sign_up(new_user: UserCreate):
    """Create an account. The password is stored only as an Argon2 hash."""
    user = User(**new_user.model_dump(exclude={"password"}), scopes=DEFAULT_SCOPES)
    if not store.add_user(user, hash_password(new_user.password)):
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Username taken")
    return user


@router.get("/users/me", response_model=User, responses=PROTECTED)
async def read_me(user: Annotated[User, Security(get_current_active_user, scopes=["me"])]):
    """The account the token belongs to."""
    return user
