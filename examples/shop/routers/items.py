"""Items: anyone with the ``items`` scope reads them; owners change their own."""

from typing import Annotated

from examples.shop.models import Item, ItemIn, ItemUpdate, User
from examples.shop.responses import NOT_FOUND, NOT_OWNER, PROTECTED, PROTECTED_WITH_BODY
from examples.shop.security import get_current_active_user, store
from fastcore import APIRouter, HTTPException, Path, Query, Security, status

router = APIRouter(prefix="/items", tags=["items"], responses=PROTECTED)

Reader = Annotated[User, Security(get_current_active_user, scopes=["items"])]
Writer = Annotated[User, Security(get_current_active_user, scopes=["items:write"])]
ItemId = Annotated[int, Path(ge=1, description="The item's number")]


def find_item(item_id: int) -> Item:
    item = store.items.get(item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    return item


def find_own_item(item_id: int, user: User) -> Item:
    item = find_item(item_id)
    if item.owner != user.username:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Not your item")
    return item


@router.get("", response_model=list[Item])
def list_items(
    _: Reader,
    q: Annotated[str | None, Query(max_length=50, description="Part of the name")] = None,
    tag: Annotated[list[str] | None, Query(description="Tags it must carry")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    """Items in the order they were added, filtered by name and tags."""
    found = [
        item
        for item in store.items.values()
        if (q is None or q.lower() in item.name.lower()) and all(t in item.tags for t in tag or [])
    ]
    return found[offset : offset + limit]


@router.get("/{item_id}", response_model=Item, responses=NOT_FOUND)
def read_item(item_id: ItemId, _: Reader):
    return find_item(item_id)


@router.post(
    "", response_model=Item, status_code=status.HTTP_201_CREATED, responses=PROTECTED_WITH_BODY
)
def create_item(item: ItemIn, user: Writer):
    """Add an item, owned by the current user."""
    return store.add_item(item, owner=user.username)


@router.patch(
    "/{item_id}",
    response_model=Item,
    responses={**NOT_FOUND, **NOT_OWNER, **PROTECTED_WITH_BODY},
)
def update_item(item_id: ItemId, changes: ItemUpdate, user: Writer):
    """Change some fields of one of your items."""
    find_own_item(item_id, user)
    updated = store.update_item(item_id, changes)
    if updated is None:  # deleted by another request since the check
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    return updated


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **NOT_OWNER},
)
def delete_item(item_id: ItemId, user: Writer) -> None:
    find_own_item(item_id, user)
    store.delete_item(item_id)
