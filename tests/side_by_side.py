"""What the side-by-side tests share: an app built for each framework, requests as cases,
and what a request left behind (status, headers, body, events) to compare.

A test module's ``build_app(fw, events)`` builds its app against ``fw`` (``fastapi`` or
``fastcore``), recording events in ``events``; ``serve`` gives it a TestClient.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

# Headers whose values depend on the moment and the server, not the framework.
IGNORED_HEADERS = {"date", "server"}


@dataclass
class Served:
    """One framework's app, its TestClient and the list its app records events in."""

    app: Any
    client: Any
    events: list[str]


def serve(
    build_app: Callable[[ModuleType, list[str]], Any], fw: ModuleType, client_class: type
) -> Iterator[Served]:
    """Serve ``build_app(fw, events)`` through one TestClient, entered for the whole use."""
    events: list[str] = []
    app = build_app(fw, events)
    with client_class(app, raise_server_exceptions=False) as client:
        yield Served(app, client, events)


def serve_fastapi(build_app: Callable[[ModuleType, list[str]], Any]) -> Iterator[Served]:
    """``serve`` for FastAPI, skipping the test where FastAPI is not installed."""
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    yield from serve(build_app, fastapi, testclient.TestClient)


def case(method: str, url: str, label: str | None = None, **kwargs: Any) -> Any:
    """One request; ``label`` tells requests to the same URL apart in the test id."""
    return pytest.param(
        method, url, kwargs, id=f"{method} {url}" + (f" ({label})" if label else "")
    )


def get(url: str, label: str | None = None, **kwargs: Any) -> Any:
    return case("GET", url, label, **kwargs)


def post(url: str, label: str | None = None, **kwargs: Any) -> Any:
    return case("POST", url, label, **kwargs)


def send(served: Served, method: str, url: str, kwargs: dict[str, Any]) -> Any:
    """One request, redirects not followed, with the events of earlier ones cleared."""
    served.events.clear()
    return served.client.request(method, url, follow_redirects=False, **kwargs)


def observed(served: Served, method: str, url: str, kwargs: dict[str, Any]) -> Any:
    """Status, headers (but the ignored ones), body and events of one request."""
    response = send(served, method, url, kwargs)
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in IGNORED_HEADERS]
    return response.status_code, headers, response.content, list(served.events)
