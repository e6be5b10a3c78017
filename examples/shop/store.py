"""An in-memory store, so the example runs with nothing else installed.

``def`` endpoints run in a thread pool, so every change happens under a lock.
A real app would put a database here; nothing else in the example would change.
"""

import threading
from dataclasses import dataclass, field

from examples.shop.models import Item, ItemIn, ItemUpdate, User


@dataclass
class StoredUser:
    user: User
    password_hash: str


@dataclass
class Store:
    users: dict[str, StoredUser] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    next_item_id: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_user(self, user: User, password_hash: str) -> bool:
        """Add ``user``; False when the username is taken."""
        with self.lock:
            if user.username in self.users:
                return False
            self.users[user.username] = StoredUser(user, password_hash)
            return True

    def add_item(self, item: ItemIn, owner: str) -> Item:
        with self.lock:
            stored = Item(id=self.next_item_id, owner=owner, **item.model_dump())
            self.items[stored.id] = stored
            self.next_item_id += 1
            return stored

    def update_item(self, item_id: int, changes: ItemUpdate) -> Item | None:
        """The changed item, or None if it was deleted meanwhile."""
        with self.lock:
            if item_id not in self.items:
                return None
            updated = self.items[item_id].model_copy(update=changes.model_dump(exclude_none=True))
            self.items[item_id] = updated
            return updated

    def delete_item(self, item_id: int) -> None:
        with self.lock:
            self.items.pop(item_id, None)
