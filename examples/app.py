"""The example app that ``make run`` serves on http://127.0.0.1:8000.

A small shop API (``examples/shop/``): accounts, JWT log-in with OAuth2 scopes,
and items that their owners change. It is written exactly as a FastAPI app would
be; only the import differs. Open http://127.0.0.1:8000/docs, press Authorize and
log in as ``alice`` / ``wonderland`` (or ``bob`` / ``the-builder``), then try the
operations. From a shell:

    curl -d username=alice -d password=wonderland -d "scope=me items items:write" \\
        http://127.0.0.1:8000/token
    curl -H "Authorization: Bearer <access_token>" http://127.0.0.1:8000/items
"""

from examples.shop.models import ItemIn, User
from examples.shop.routers import items, users
from examples.shop.security import SCOPES, hash_password, store
from fastcore import FastAPI

app = FastAPI(
    title="fastcore shop",
    version="1.0.0",
    summary="The example app of fastcore: accounts, JWT log-in with scopes, items.",
    openapi_tags=[
        {"name": "users", "description": "Sign up, log in and read your account."},
        {"name": "items", "description": "Read items; create, change and delete your own."},
    ],
    swagger_ui_init_oauth={"scopes": " ".join(SCOPES)},
)
app.include_router(users.router)
app.include_router(items.router)


@app.get("/", include_in_schema=False)
def read_root():
    return {"name": app.title, "docs": "/docs", "redoc": "/redoc", "openapi": "/openapi.json"}


def add_demo_data() -> None:
    """Two demo accounts and a few items, so the docs have something to show."""
    for username, password, full_name in [
        ("alice", "wonderland", "Alice Liddell"),
        ("bob", "the-builder", "Bob Builder"),
    ]:
        user = User(
            username=username,
            email=f"{username}@example.com",
            full_name=full_name,
            scopes=users.DEFAULT_SCOPES,
        )
        store.add_user(user, hash_password(password))
    store.add_item(ItemIn(name="Hammer", price=12.5, tags=["tools"]), owner="alice")
    store.add_item(ItemIn(name="Saw", price=20.0, tags=["tools"]), owner="alice")
    store.add_item(ItemIn(name="Ladder", price=89.0, description="Three metres"), owner="bob")


add_demo_data()
