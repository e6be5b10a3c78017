"""Random requests to the side-by-side app: fastcore must answer as FastAPI does.

test_params_compat.py replays a fixed table of requests; here Hypothesis
builds query strings, headers, cookies, bodies and content types from
fragments that tend to matter (repeated keys, blanks, bad percent-escapes,
non-UTF-8 bytes, surrogates in JSON, numbers in odd spellings) and sends
each request to both apps. The status and the body must be equal, except
where FastAPI fails with a 500: fastcore must then answer with a 4xx
instead (see test_bad_input.py for those cases).
"""

import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastcore
from fastcore.testclient import TestClient
from tests.apps.params_app import build_app

fastapi = pytest.importorskip("fastapi")

# Endpoints whose answer depends only on the request (not those built to fail).
PATHS = [
    "/q/int", "/q/float", "/q/bool", "/q/str", "/q/optional-int", "/q/list-int",
    "/q/list-required", "/q/alias", "/q/num", "/q/str-constraints", "/q/strict",
    "/q/enum", "/q/literal", "/q/uuid", "/q/dates", "/q/decimal", "/q/model",
    "/q/search", "/q/json", "/q/tuple", "/q/set", "/q/scalar-union", "/q/union-list",
    "/h/basic", "/h/required", "/h/int", "/h/list", "/h/list-int", "/h/no-convert",
    "/h/alias", "/c/basic", "/c/required", "/c/alias", "/b/item", "/b/optional",
    "/b/two", "/b/embed", "/b/singular", "/b/bytes", "/b/scalar", "/b/scalars",
    "/b/list", "/b/list-int", "/b/dict", "/b/nested", "/b/strict", "/b/union",
    "/b/pet", "/b/dataclass", "/b/forbid", "/b/optional-embed", "/f/login", "/f/list",
    "/f/optional", "/f/alias", "/f/model", "/f/bool", "/f/bytes",
]  # fmt: skip
QUERY_KEYS = ["n", "x", "q", "tags", "limit", "a", "item", "data", "v", ""]
QUERY_VALUES = [
    "1", "-3", "+1", "1.5", "1e3", "1_0", "", "%ff", "%zz", "%ED%A0%80", "true", "YES",
    "a+b", "%5B1%2C2%5D", "[1,2]", "12345678-1234-5678-1234-567812345678", "2020-01-01",
]  # fmt: skip
HEADER_NAMES = ["x-token", "x_token", "n", "x-n", "tags", "cookie", "user-agent", "x-up"]
HEADER_VALUES = ["1", "a", "", "x=1", "session=a; count=2", '"q"', "\xff", " 7 ", "-1"]
JSON_FRAGMENTS = [
    "{", "}", "[", "]", '"', ":", ",", "1", "-1.5", "1e400", "null", "true", '"a"',
    '"name"', '"price"', '"item"', '"\\ud800"', '"\\u00e9"', " ",
]  # fmt: skip
CONTENT_TYPES = [
    None, "application/json", "application/json; charset=utf-8", "text/plain",
    "application/vnd.api+json", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
]  # fmt: skip


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict]:
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.sampled_from(QUERY_VALUES)), max_size=4)
    )
    query = "&".join(f"{key}={value}" if key else value for key, value in pairs)
    headers = draw(
        st.lists(
            st.tuples(st.sampled_from(HEADER_NAMES), st.sampled_from(HEADER_VALUES)), max_size=3
        )
    )
    body = draw(
        st.one_of(
            st.lists(st.sampled_from(JSON_FRAGMENTS), max_size=10).map(
                lambda parts: "".join(parts).encode()
            ),
            st.binary(max_size=12),
            st.sampled_from(
                [b'{"name": "a", "price": 1}', b"a=1&b=x&tags=1&tags=2", b"username=u&password=p"]
            ),
        )
    )
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if content_type is not None:
        headers.append(("content-type", content_type))
    path = draw(st.sampled_from(PATHS))
    method = "GET" if path[1] in "qhc" else "POST"
    url = f"{path}?{query}" if query else path
    encoded = [(name.encode(), value.encode("latin-1")) for name, value in headers]
    return method, url, {"content": body, "headers": encoded}


@pytest.fixture(scope="module")
def clients() -> tuple[TestClient, object]:
    reference = importlib.import_module("fastapi.testclient").TestClient
    return (
        TestClient(build_app(fastcore), raise_server_exceptions=False),
        reference(build_app(fastapi), raise_server_exceptions=False),
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=requests())
def test_random_requests_answered_as_fastapi_answers(clients, request):
    ours, reference = clients
    method, url, kwargs = request
    expected = reference.request(method, url, **kwargs)
    got = ours.request(method, url, **kwargs)
    if expected.status_code >= 500:
        assert 400 <= got.status_code < 500, (method, url, kwargs, got.content)
        return
    assert (got.status_code, got.content) == (expected.status_code, expected.content)
