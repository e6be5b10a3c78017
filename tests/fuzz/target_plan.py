"""Harness: a whole request read through the request plans, errors included.

The input is a request head (``/path?query`` and header lines, see
``wire``). Each side does what a route's plan does per request, with its
own core only: the path is matched on the side's route table for the
fuzzed endpoints (``request_plans``), then, for every endpoint, each
location's group reads its raw values (path parameters, query pairs, the
headers, the cookies of every ``Cookie`` header) and validates them with
``resolve``, and again with ``resolve_slowly``, the one-parameter-at-a-time
path that errors take. Compared at each stage: raw values in their order,
the endpoint arguments (with their types) and FastAPI's error list; and,
within the oracle, ``resolve`` against ``resolve_slowly``, which must agree
(the fast path may only take what validating each parameter alone takes).
``resolve`` reports invalid input as errors and documents no exception.
"""

from __future__ import annotations

from typing import Any

from .compare import Raised, attempt, expect_same
from .request_plans import ENDPOINTS, LOCATIONS, groups_for
from .sides import Side, per_module
from .wire import RequestHead, expand, request_head

NAME = "plan"

SEEDS = (
    b"/items/3/0.5?r=x\nx-token: t",
    b"/items/-1/nan?r=&n=1e3&limit=0&price=abc&share=1&flag=maybe&id=1&id=x&weights=1.5"
    b"&bits=on&bits=2&color=green&code=A&pick=three&exact=7&strict-flag=YES",
    b"/typed/12/3.25?r=y&tags=a&tags=b&q=%C3%A9\nx-token: a\nx-token: b\nx-num: -0\n"
    b"accept: a\naccept: b\nuser-agent: fuzz\nx-rate: -1\n"
    b"cookie: session=s; visits=-2; ratio=x; remember=on\ncookie: visits=4",
    b"/grouped?limit=5&tags=a&tags=b&order=up&offset=&unknown=1\n"
    b"x-trace: t\nx-tags: 1\nx-tags: 2\nx-count: many\n"
    b'cookie: session_id="abc"; font-size=99; theme=dark; extra=1',
    b"/grouped?limit=500\ncookie: theme=dark",
    b"/grouped/\nx-count: " + b"9" * 4001,
    b"/items/" + b"1" * 4001 + b"/1." + b"0" * 4001 + b"?r=1&n=" + b"7" * 4001,
    b"/nowhere?r=\xff%ff\nx-token: \xe9",
    b"/items/(9)*3999/(1)*50.(5)*4001?r=x(&id=(7)*4001)*3(&tags=a)*200\nx-token: t",
)
DICTIONARY = (
    b"/items/", b"/typed/", b"/grouped", b"?", b"&", b"=", b"\n", b": ", b"r=", b"q=", b"n=",
    b"limit=", b"price=", b"share=", b"flag=", b"strict-flag=", b"tags=", b"id=", b"weights=",
    b"bits=", b"color=", b"code=", b"pick=", b"exact=", b"order=", b"offset=", b"x-token",
    b"x-num", b"accept", b"user-agent", b"x-rate", b"x-trace", b"x-tags", b"x-count",
    b"cookie: ", b"session=", b"visits=", b"ratio=", b"remember=", b"theme=", b"font-size=",
    b"session_id=", b"; ", b"true", b"off", b"nan", b"-0", b"1e3", b"%C3%A9", b"blue",
)  # fmt: skip


@per_module
def route_table(routing: Any) -> Any:
    table = routing.RouteTable(True)
    for endpoint in ENDPOINTS:
        for template in endpoint.templates:
            table.add(template, frozenset({"GET"}), endpoint.name)
    return table


class _Reading:
    """One side's reading of one request: each stage's answer, for comparison."""

    def __init__(self, side: Side, request: RequestHead) -> None:
        self.params = side.params
        self.found = side.routing.FOUND
        self.groups = groups_for(side.params)
        self.request = request
        self.match = attempt(route_table(side.routing).match, "GET", request.path)
        self.pairs = attempt(side.params.parse_query, request.query_string)
        self.cookies = self._cookies()

    def _cookies(self) -> Any:
        cookies: dict[str, str] = {}
        for name, value in self.request.headers:
            if name == b"cookie":
                parsed = attempt(self.params.parse_cookies, value.decode("latin-1"))
                if type(parsed) is Raised:
                    return parsed
                cookies.update(parsed)
        return cookies

    def raw(self, endpoint: str, location: str) -> Any:
        """What ``location``'s group of ``endpoint`` validates (or a ``Raised``)."""
        group = self.groups[endpoint][location]
        if location == "path":
            found = (
                type(self.match) is tuple
                and self.match[0] == self.found
                and self.match[1] == endpoint
            )
            return dict(self.match[2]) if found else {}
        if location == "query":
            if type(self.pairs) is Raised:
                return self.pairs
            return attempt(group.collect, self.pairs, False)
        if location == "header":
            return attempt(group.collect_headers, self.request.headers)
        if type(self.cookies) is Raised or not group.wants_all:
            return self.cookies
        return attempt(group.collect, self.cookies.items(), False)

    def validated(self, endpoint: str, location: str, raw: Any, slowly: bool) -> Any:
        group = self.groups[endpoint][location]
        arguments: dict[str, Any] = {}
        errors = attempt(group.resolve_slowly if slowly else group.resolve, raw, arguments)
        return errors if type(errors) is Raised else (errors, arguments)


def check(data: bytes, subject: Side, oracle: Side) -> None:
    request = request_head(expand(data))
    got, expected = _Reading(subject, request), _Reading(oracle, request)
    expect_same(NAME, "match", got.match, expected.match)
    expect_same(NAME, "parse_query", got.pairs, expected.pairs)
    expect_same(NAME, "parse_cookies", got.cookies, expected.cookies)
    for endpoint in ENDPOINTS:
        for location in LOCATIONS:
            if expected.groups[endpoint.name][location] is None:
                continue
            where = f"{endpoint.name} {location}"
            raw = expected.raw(endpoint.name, location)
            expect_same(NAME, f"raw values {where}", got.raw(endpoint.name, location), raw)
            if type(raw) is Raised:
                continue
            answers = []
            for slowly in (False, True):
                answer = expected.validated(endpoint.name, location, dict(raw), slowly)
                expect_same(
                    NAME,
                    f"{'resolve_slowly' if slowly else 'resolve'} {where}",
                    got.validated(endpoint.name, location, dict(raw), slowly),
                    answer,
                )
                answers.append(answer)
            # The native fast path and the one Pydantic call per group must give
            # what validating each parameter alone (FastAPI's way) gives. In any
            # order: the endpoint takes its arguments by name.
            fast, slow = (_by_name(answer) for answer in answers)
            expect_same(NAME, f"resolve vs resolve_slowly {where}", fast, slow)


def _by_name(answer: Any) -> Any:
    if type(answer) is Raised:
        return answer
    errors, arguments = answer
    return errors, dict(sorted(arguments.items()))
