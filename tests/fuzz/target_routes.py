"""Harness: route matching, a fixed and varied route table against fuzzed methods and paths.

The table holds static paths, every convertor (``{x}``, ``int``, ``float``,
``uuid``, ``path``), segments that mix literal text and parameters, ``path``
parameters at the end, in the middle and before a suffix, overlapping routes
(registration order decides), method sets, and mounts (registered the way
``fastcore._dispatch`` registers them: the prefix plus ``/{path:path}``,
any method). Each input is matched on two tables built from it: one with
``redirect_slashes`` on, and one with it off that ends in a catch-all mount.
A redirect answer is followed once, so the retried path is compared too.

``RouteTable.match`` documents no exception: any is a bug, as is any
difference between the sides.
"""

from __future__ import annotations

from typing import Any

from .compare import attempt, expect_same
from .sides import Side, per_module
from .wire import expand, request_line

NAME = "routes"

ANY = None  # a route for every method, as mounts are
ROUTES: tuple[tuple[str, Any], ...] = (
    ("/", frozenset({"GET"})),
    ("/users", frozenset({"GET", "POST"})),
    ("/users/", frozenset({"PUT"})),
    ("/users/me", frozenset({"GET"})),
    ("/users/{user_id:int}", frozenset({"GET", "PUT", "DELETE"})),
    ("/users/{name}", frozenset({"PATCH"})),
    ("/users/{user_id:int}/posts/{post_id:uuid}", frozenset({"GET"})),
    ("/users/{user_id}/posts", frozenset({"GET", "POST"})),
    ("/items/{price:float}", frozenset({"GET"})),
    ("/items/{item:str}/", ANY),
    ("/v1/{a}.{b}", ANY),
    ("/v1/f{n:int}", ANY),
    ("/v1/{lo:int}-{hi:int}", frozenset({"GET"})),
    ("/v1/{x:float}.json", ANY),
    ("/v1/{u:uuid}.u", ANY),
    ("/files/{file_path:path}", frozenset({"GET"})),
    ("/files/{file_path:path}/meta", frozenset({"GET", "HEAD"})),
    ("/docs/{name:path}.txt", ANY),
    ("/static/{path:path}", ANY),  # Mount("/static")
    ("/api/{version}/{path:path}", ANY),  # Mount("/api/{version}")
    ("/{tenant}/dashboard", frozenset({"GET"})),
    ("/a/{b}/c/{d:int}", ANY),
    ("/a/b/{c}/{d}", frozenset({"POST"})),
    ("/{1}", ANY),  # not a parameter: "{1}" is literal text
    ("/users/me", frozenset({"POST"})),  # a duplicate: the first one keeps GET
)
CATCH_ALL = ("/{path:path}", ANY)  # Mount("")

# Readable requests; the fuzzer mutates them, and they replay in the test suite.
SEEDS = (
    b"GET /",
    b"GET /users",
    b"POST /users/",
    b"DELETE /users/42",
    b"GET /users/007",
    b"PATCH /users/ada",
    b"GET /users/12/posts/12345678-9abc-def0-1234-56789abcdef0",
    b"GET /users/12/posts/123456789ABCDEF012345678",
    b"POST /users/x/posts/",
    b"GET /items/3.25",
    b"GET /items/1.",
    b"GET /items/\xd9\xa3",
    b"PUT /items/box",
    b"GET /v1/a.b.c",
    b"GET /v1/f12",
    b"GET /v1/3-4",
    b"GET /v1/1.5.json",
    b"GET /v1/12345678-9abc-def0-1234-56789abcdef0.u",
    b"GET /files/a/b/c.txt",
    b"HEAD /files/a//meta",
    b"GET /docs/x/y.txt",
    b"GET /static/",
    b"GET /static",
    b"POST /api/v2/x/y",
    b"GET /acme/dashboard/",
    b"GET /a/b/c/1",
    b"POST /a/b/c/d",
    b"GET /{1}",
    b"GET //",
    b"GET *",
    b"OPTIONS /users/me/",
    b"GET /users/" + b"9" * 4301,
    b"GET /files/a\nb",
    b"GET /caf\xc3\xa9/dashboard",
    b"GET /\xff\xfe/dashboard",
    b"GET /files(/a)*5000/meta",
)
DICTIONARY = (
    b"GET ", b"POST ", b"HEAD ", b"PUT ", b"DELETE ", b"PATCH ", b"/users", b"/me", b"/posts",
    b"/items", b"/v1/", b"/files/", b"/meta", b"/docs/", b".txt", b"/static", b"/api/",
    b"/dashboard", b".json", b".u", b"{1}", b"12345678-9abc-def0-1234-56789abcdef0",
    b"123456789abcdef0123456789abcdef0", b"3.25", b"007", b"//", b"/", b"%2F",
)  # fmt: skip


def _table(routing: Any, redirect_slashes: bool, routes: tuple[tuple[str, Any], ...]) -> Any:
    table = routing.RouteTable(redirect_slashes)
    for index, (template, methods) in enumerate(routes):
        table.add(template, methods, f"{index}:{template}")
    return table


@per_module
def tables(routing: Any) -> tuple[Any, Any]:
    return _table(routing, True, ROUTES), _table(routing, False, (*ROUTES, CATCH_ALL))


def check(data: bytes, subject: Side, oracle: Side) -> None:
    method, path = request_line(expand(data))
    for subject_table, oracle_table in zip(
        tables(subject.routing), tables(oracle.routing), strict=True
    ):
        got = attempt(subject_table.match, method, path)
        expected = attempt(oracle_table.match, method, path)
        expect_same(NAME, "match", got, expected)
        if type(expected) is tuple and expected[0] == oracle.routing.REDIRECT:
            retried = expected[3]
            got = attempt(subject_table.match, method, retried)
            expected = attempt(oracle_table.match, method, retried)
            expect_same(NAME, "match after redirect", got, expected)
