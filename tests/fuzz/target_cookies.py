"""Harness: cookie parsing, ``Cookie`` headers in, the cookies each cookie group reads.

The input is one or more ``Cookie`` header values, one per line, as bytes
(the scope carries them so); each is decoded as latin-1, as the request
reads it, and parsed with ``parse_cookies``. The cookies of all the headers
are then merged, a later header winning (Starlette's ``request.cookies``),
and handed to the cookie groups of the fuzzed endpoints: a model group
collects them the way it collects query pairs. ``parse_cookies`` and
``collect`` document no exception.
"""

from __future__ import annotations

from typing import Any

from .compare import Raised, attempt, expect_same
from .request_plans import groups_for
from .sides import Side
from .wire import expand

NAME = "cookies"

SEEDS = (
    b"",
    b"session=abc; visits=3; ratio=0.5; remember=yes",
    b'theme="dark"; font-size=14; session_id="a\\"b\\\\c\\073"',
    b'a=1; a=2;;  ; =x; justvalue; b = spaced ; c="unterminated',
    b"session=first\nsession=second; visits=-1",
    b'k="\\377\\000\\12"; q=""; r="x"y"',
    b"caf\xc3\xa9=\xe9\xff; \x00=\x01",
    b"visits=" + b"9" * 4001,
    b"(a=1; )*500session=(x)*5000",
)
DICTIONARY = (
    b"; ", b"=", b'"', b"\\", b"\\073", b"\\\"", b"\n", b"session", b"visits", b"ratio",
    b"remember", b"theme", b"font-size", b"session_id", b"\t", b" ",
)  # fmt: skip


def _merged(headers: list[str], parse_cookies: Any) -> Any:
    cookies: dict[str, str] = {}
    for header in headers:
        parsed = attempt(parse_cookies, header)
        if type(parsed) is Raised:
            return parsed
        cookies.update(parsed)
    return cookies


def check(data: bytes, subject: Side, oracle: Side) -> None:
    headers = [line.decode("latin-1") for line in expand(data).split(b"\n")]
    for header in headers:
        expect_same(
            NAME,
            "parse_cookies",
            attempt(subject.params.parse_cookies, header),
            attempt(oracle.params.parse_cookies, header),
        )
    cookies = _merged(headers, oracle.params.parse_cookies)
    subject_groups, oracle_groups = groups_for(subject.params), groups_for(oracle.params)
    for endpoint, by_location in oracle_groups.items():
        oracle_group = by_location["cookie"]
        if oracle_group is None or not oracle_group.wants_all:
            continue  # a group of plain cookies reads the merged dict as it is
        expect_same(
            NAME,
            f"collect {endpoint}",
            attempt(subject_groups[endpoint]["cookie"].collect, cookies.items(), False),
            attempt(oracle_group.collect, cookies.items(), False),
        )
