"""Arguments the framework fills in: Request, Response and BackgroundTasks.

The same app is built against fastcore and, when it is installed, FastAPI;
both must answer alike and run the background tasks after the response.
"""

# No ``from __future__ import annotations``: the endpoints' annotations name the
# framework under test, which must be resolvable when the route is added.
import importlib
from typing import Any

import pytest

import fastcore

FRAMEWORKS = [fastcore]
try:
    import fastapi

    FRAMEWORKS.append(fastapi)
except ImportError:  # pragma: no cover - FastAPI is in the test extra
    pass


def build(framework: Any, events: list[str]) -> Any:
    responses = importlib.import_module(f"{framework.__name__}.responses")
    app = framework.FastAPI()

    @app.get("/tasks")
    def add_tasks(
        request: framework.Request,
        tasks: framework.BackgroundTasks,
        response: framework.Response,
    ) -> dict[str, Any]:
        tasks.add_task(events.append, f"first {request.url.path}")
        tasks.add_task(events.append, "second")
        response.headers["x-tasks"] = "2"
        events.append("endpoint")
        return {"queued": len(tasks.tasks)}

    @app.get("/returned")
    async def returned(tasks: framework.BackgroundTasks) -> Any:
        tasks.add_task(events.append, "after the returned response")
        return responses.PlainTextResponse("plain")

    return app


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda module: module.__name__)
def test_background_tasks_run_after_the_response(framework):
    events: list[str] = []
    client = importlib.import_module(f"{framework.__name__}.testclient").TestClient(
        build(framework, events)
    )
    response = client.get("/tasks")
    assert (response.status_code, response.json()) == (200, {"queued": 2})
    assert response.headers["x-tasks"] == "2"
    assert events == ["endpoint", "first /tasks", "second"]

    events.clear()
    response = client.get("/returned")
    assert (response.status_code, response.text) == (200, "plain")
    assert events == ["after the returned response"]
