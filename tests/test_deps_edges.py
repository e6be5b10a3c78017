"""Dependency set-ups where fastcore deliberately differs from FastAPI 0.165."""

import pytest

import fastcore
from fastcore.exceptions import FastAPIError
from fastcore.testclient import TestClient


async def resource():
    yield "resource"


def test_a_limited_yield_dependency_that_would_wait_for_itself_is_refused():
    # FastAPI accepts this route and then hangs on every request: the second use
    # waits for the slot the first holds until after the response.
    app = fastcore.FastAPI()
    limited = fastcore.Depends(resource, use_cache=False, max_concurrency=1)
    with pytest.raises(FastAPIError, match=r"x\(\): parameter 'b'.*max_concurrency=1.*2 times"):

        @app.get("/x")
        def x(a: str = limited, b: str = limited):
            return [a, b]


def test_a_limited_yield_dependency_used_twice_through_the_cache_is_served():
    app = fastcore.FastAPI()
    cached = fastcore.Depends(resource, max_concurrency=1)

    @app.get("/y")
    def y(a: str = cached, b: str = cached):
        return [a, b]

    assert TestClient(app).get("/y").json() == ["resource", "resource"]
