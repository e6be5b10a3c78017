"""A notes app whose dependencies reach outside: the app behind docs/testing-with-overrides.md.

Its tests replace those dependencies with app.dependency_overrides.

uvicorn examples.docs.overrides:app
curl -H 'Authorization: Bearer t-ada' -H 'X-Client-Id: me' http://127.0.0.1:8000/notes
"""

from collections import Counter
from datetime import UTC, datetime
from typing import Annotated

from fastcore import APIRouter, Depends, FastAPI, Header, HTTPException, Query

# Which storage was opened and closed, in order; tests clear it.
events: list[str] = []

# Stands in for a database server.
PRODUCTION_NOTES = {"ada": ["buy milk", "call Charles", "fix the engine"]}

# Stands in for an identity provider.
TOKENS = {"t-ada": "ada"}

REQUESTS_PER_CLIENT = 100
requests_seen: Counter[str] = Counter()


class Storage:
    def __init__(self, name: str, notes: dict[str, list[str]]):
        self.name = name
        self.notes = notes

    def notes_of(self, user: str) -> list[str]:
        return self.notes.get(user, [])

    def add(self, user: str, text: str) -> None:
        self.notes.setdefault(user, []).append(text)


def get_storage():
    events.append("production storage: open")
    try:
        yield Storage("production", PRODUCTION_NOTES)
    finally:
        events.append("production storage: close")


def read_token(authorization: Annotated[str | None, Header()] = None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(
            status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"}
        )
    return token


def current_user(token: Annotated[str, Depends(read_token)]) -> str:
    user = TOKENS.get(token)
    if user is None:
        raise HTTPException(
            status_code=401, detail="Invalid token", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


def paging(
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(gt=0, le=20)] = 10
) -> slice:
    return slice(offset, offset + limit)


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def rate_limit(x_client_id: Annotated[str, Header()]) -> None:
    requests_seen[x_client_id] += 1
    if requests_seen[x_client_id] > REQUESTS_PER_CLIENT:
        raise HTTPException(status_code=429, detail="Too many requests")


CurrentUser = Annotated[str, Depends(current_user)]
StorageDep = Annotated[Storage, Depends(get_storage)]

app = FastAPI(title="notes")
notes = APIRouter(dependencies=[Depends(rate_limit)])


@notes.get("/notes")
def list_notes(user: CurrentUser, storage: StorageDep, window: Annotated[slice, Depends(paging)]):
    return {"user": user, "storage": storage.name, "notes": storage.notes_of(user)[window]}


@notes.post("/notes", status_code=201)
def add_note(text: str, user: CurrentUser, storage: StorageDep, clock: Annotated[Clock, Depends()]):
    storage.add(user, text)
    return {"user": user, "text": text, "created": clock.now().isoformat()}


app.include_router(notes)
