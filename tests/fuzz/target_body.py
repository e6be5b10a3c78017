"""Harness: JSON request bodies read by ``JsonBody.resolve``, errors included.

The input is a ``Content-Type`` on the first line (``-`` for none) and the
body bytes after it. Each body plan of ``request_plans.BODIES`` (one model,
one scalar with a default, a list, a decimal, embedded parameters), built by
the declaration layer with ``strict_content_type`` off and on, reads it on
both sides; the errors, the arguments (with their types) and any exception
must be equal. ``JsonBody.resolve`` documents two exceptions, which
FastAPI answers with a 400: ``ValueError`` for bytes that are not UTF-8, -16
or -32, and ``RecursionError`` for JSON nested deeper than the recursion
limit. How deep exactly depends on the stack below the call, which differs
between the cores by a frame or two; so near the limit a ``RecursionError``
on one side is accepted whatever the other side answers.

Within the oracle, a plan that validates the raw bytes with Pydantic's
``validate_json`` (``from_bytes``) must answer as the same plan reading them
FastAPI's way, ``json.loads`` then ``validate_python``: that shortcut is
only taken for types both readings agree on.
"""

from __future__ import annotations

import sys
from typing import Any

from .compare import Raised, attempt, expect_same
from .request_plans import body_plans_for
from .sides import Side
from .wire import expand

NAME = "body"

SEEDS = (
    b'application/json\n{"name": "x", "price": 1.5, "tags": ["a"], "size": 3}',
    b'-\n{"name": "x", "price": "1e3", "size": 3.0}',
    b"application/json\n[1, 2, 3]",
    b'application/json; charset=utf-8\n{"a": 1, "item": {"name": "n"}, "ids": [1, "2"]}',
    b'application/vnd.api+json\n{"a": "x", "color": "green", "amount": "1.10"}',
    b"text/plain\n12",
    b"application/json\n1.000000000000000000001",
    b"application/json\nNaN",
    b'application/json\n{"name": "\\ud800", "price": 1e400}',
    b'application/json\n{"name": "a", "name": "b", "price": -0.0}',
    b"application/json\n\xef\xbb\xbf{}",
    b'application/json\n\xff\xfe{\x00"\x00}\x00',
    b"application/json\n\xff\xfe\xff",
    b"application/json\n{bad",
    b"application/json\n(9)*5000",
    b"application/json\n",
)
DICTIONARY = (
    b"application/json\n", b"-\n", b"text/plain\n", b"+json", b"; charset=utf-8", b'"name"',
    b'"price"', b'"tags"', b'"size"', b'"a"', b'"item"', b'"ids"', b'"color"', b'"amount"', b"{",
    b"}", b"[", b"]", b":", b",", b"null", b"true", b"NaN", b"Infinity", b"-0.0", b"1e400",
    b'"\\ud800"', b"\\u0000", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00",
)  # fmt: skip


DOCUMENTED = (ValueError, RecursionError)


def _near_the_recursion_limit(body: bytes, *answers: Any) -> bool:
    """Whether some answer is a RecursionError for a body that may nest that deep."""
    if not any(
        type(answer) is Raised and type(answer.error) is RecursionError for answer in answers
    ):
        return False
    return body.count(b"[") + body.count(b"{") >= sys.getrecursionlimit() - 100


def _read(body_plan: Any, body: bytes, content_type: str | None) -> Any:
    arguments: dict[str, Any] = {}
    errors = attempt(body_plan.resolve, body, content_type, arguments)
    return errors if type(errors) is Raised else (errors, arguments)


def check(data: bytes, subject: Side, oracle: Side) -> None:
    first, _, body = expand(data).partition(b"\n")
    content_type = None if first == b"-" else first.decode("latin-1")
    subject_plans, oracle_plans = body_plans_for(subject.params), body_plans_for(oracle.params)
    for key, (oracle_plan, fastapi_way) in oracle_plans.items():
        answer = _read(oracle_plan, body, content_type)
        got = _read(subject_plans[key][0], body, content_type)
        if not _near_the_recursion_limit(body, got, answer):
            expect_same(NAME, f"resolve {key}", got, answer, documented=DOCUMENTED)
        if fastapi_way is not None:
            parsed_first = _read(fastapi_way, body, content_type)
            if not _near_the_recursion_limit(body, answer, parsed_first):
                expect_same(
                    NAME,
                    f"validate_json vs json.loads {key}",
                    answer,
                    parsed_first,
                    documented=DOCUMENTED,
                )
