"""The endpoints every framework serves, the request sent to each, and the response expected.

Every app in ``bench/apps`` implements these routes; ``check`` compares what
an app answered with what the case expects, so that no framework is measured
doing less (or other) work than the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bench.models import ITEM, ITEM_BODY, MESSAGE, MODELS, PLAINTEXT

#: The parametrised routes ``/resource{i}/{item_id}`` of every benchmark app.
ROUTES = 200
#: The routes of the app whose start-up and first ``/openapi.json`` are timed.
STARTUP_ROUTES = 500

WEBSOCKET_PATH = "/ws"
WEBSOCKET_MESSAGE = "ping " * 8

JSON = "application/json"
JSON_HEADERS = ((b"content-type", b"application/json"),)


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    media_type: str = JSON
    expected: Any = field(default=None, compare=False)

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def check(self, status: int, content_type: str, body: bytes) -> str | None:
        """Why this response is not the expected one, or None when it is."""
        if status != 200:
            return f"status {status}: {body[:200]!r}"
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != self.media_type:
            return f"content-type {content_type!r}, expected {self.media_type}"
        try:
            got = json.loads(body) if self.media_type == JSON else body.decode()
        except ValueError as exc:
            return f"unreadable body ({exc}): {body[:200]!r}"
        if got != self.expected:
            return f"body {got!r}, expected {self.expected!r}"
        return None


class Mismatch(Exception):
    """Some apps answered otherwise than their cases expect: nothing should be measured."""

    def __init__(self, where: str, problems: dict[str, dict[str, str]]) -> None:
        lines = [f"{where}: some apps do not answer as expected"]
        for framework, found in problems.items():
            lines += [f"  {framework} {case}: {why}" for case, why in found.items()]
        super().__init__("\n".join(lines))


def _resource(route: int) -> Case:
    position = "first" if route == 0 else "last"
    return Case(
        f"route_{position}",
        f"GET /resource{route}/7 ({position} of {ROUTES} routes)",
        "GET",
        f"/resource{route}/7",
        expected={"route": route, "item_id": 7},
    )


CASES = [
    Case("plaintext", "GET /plaintext", "GET", "/plaintext", media_type="text/plain",
         expected=PLAINTEXT),
    Case("json", "GET /json (small dict)", "GET", "/json", expected=MESSAGE),
    Case("item", "GET /items/{id}?q=&limit= (model)", "GET", "/items/42", "q=red&limit=5",
         expected={"item_id": 42, "q": "red", "limit": 5}),
    Case("create", "POST /items (6-field body)", "POST", "/items", body=ITEM_BODY,
         headers=JSON_HEADERS, expected=ITEM),
    Case("chain", "GET /chain (3-level dependencies)", "GET", "/chain", expected={"value": 3}),
    Case("tree", "GET /tree (10 dependencies)", "GET", "/tree", "page=2",
         expected={
             "perms": ["read", "ann@db-eu"],
             "audited": True,
             "cache": "cache-eu-1700000000",
             "paging": {"page": 2, "size": 20},
         }),
    Case("models", "GET /models (100 models)", "GET", "/models",
         expected=[item.model_dump(mode="json") for item in MODELS]),
    _resource(0),
    _resource(ROUTES - 1),
]  # fmt: skip
BY_KEY = {case.key: case for case in CASES}
