"""The example app ``make run`` serves: the same answers and document as on FastAPI.

``tests/apps/example_conversation.py`` runs the example in a fresh interpreter,
on fastcore (this pass's core) or on FastAPI 0.165 with only the import
swapped, and reports its OpenAPI document and the answers to a fixed
conversation: log-ins, scopes, items, errors. The two reports must be equal.
"""

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.servers import ROOT, uvicorn_server

# Tokens carry their issue time, so both runs sign with this key and compare
# everything but the tokens themselves.
ENVIRONMENT = {**os.environ, "SHOP_SECRET_KEY": "test-only-secret-key-of-32-bytes!"}


def report(framework: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.apps.example_conversation", framework]
    finished = subprocess.run(
        command, cwd=ROOT, env=ENVIRONMENT, capture_output=True, text=True, check=True
    )
    return json.loads(finished.stdout)


@pytest.fixture(scope="module")
def fastcore_report() -> dict[str, Any]:
    return report("fastcore")


def test_conversation_answers(fastcore_report: dict[str, Any]) -> None:
    statuses = [(answer["request"], answer["status"]) for answer in fastcore_report["conversation"]]
    assert statuses == [
        ("GET /", 200),
        ("POST /token", 401),
        ("POST /token", 401),
        ("POST /token", 422),
        ("GET /users/me", 401),
        ("GET /users/me", 200),
        ("GET /users/me", 401),
        ("GET /users/me", 401),
        ("GET /users/me", 401),
        ("GET /items", 200),
        ("GET /items?q=SA&tag=tools", 200),
        ("GET /items?limit=0&offset=-1", 422),
        ("GET /items/2", 200),
        ("GET /items/99", 404),
        ("GET /items/0", 422),
        ("POST /items", 401),
        ("POST /items", 201),
        ("POST /items", 422),
        ("PATCH /items/4", 200),
        ("PATCH /items/3", 403),
        ("DELETE /items/4", 204),
        ("DELETE /items/4", 404),
        ("POST /users", 422),
        ("POST /users", 422),
        ("POST /users", 201),
        ("POST /users", 409),
    ]
    answers = fastcore_report["conversation"]
    assert answers[5]["body"]["username"] == "alice"
    # bob's token was granted only "items", so /users/me asks for "me".
    assert answers[6]["www-authenticate"] == 'Bearer scope="me"'
    assert [item["name"] for item in answers[10]["body"]] == ["Saw"]
    assert answers[18]["body"]["price"] == 45.5


def test_document_validates_and_offers_the_password_flow(
    fastcore_report: dict[str, Any],
) -> None:
    document = fastcore_report["openapi"]
    validate(document)
    flow = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["tokenUrl"] == "token"
    assert set(flow["scopes"]) == {"me", "items", "items:write"}
    create = document["paths"]["/items"]["post"]
    assert create["security"] == [{"OAuth2PasswordBearer": ["items:write"]}]


def test_same_as_fastapi(fastcore_report: dict[str, Any]) -> None:
    pytest.importorskip("fastapi")
    reference = report("fastapi")
    # The texts first: they show a difference in key order, which == on dicts ignores.
    for key in ["openapi_text", "openapi_served", "openapi_served_behind_a_proxy"]:
        assert fastcore_report[key] == reference[key], key
    assert fastcore_report == reference


def test_served_by_uvicorn() -> None:
    with uvicorn_server("examples.app:app") as port:
        base = f"http://127.0.0.1:{port}"
        form = {"username": "bob", "password": "the-builder", "scope": "items"}
        log_in = urllib.request.Request(
            f"{base}/token", data=urllib.parse.urlencode(form).encode(), method="POST"
        )
        with urllib.request.urlopen(log_in, timeout=10) as response:
            token = json.load(response)["access_token"]
        items = urllib.request.Request(
            f"{base}/items", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(items, timeout=10) as response:
            assert [item["name"] for item in json.load(response)] == ["Hammer", "Saw", "Ladder"]
