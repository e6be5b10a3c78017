"""Harness: route tables built from fuzzed templates, then matched with fuzzed requests.

Where ``routes`` keeps one table and varies the request, this target varies
the table too, which exercises how each core parses templates and grows its
segment tree. The input is lines: ``+ /template`` adds a route for any
method, ``+ GET,POST /template`` one for those methods, and any other line
is a request, ``METHOD /path`` (see ``wire.request_line``); in any line,
``(text)*N`` stands for N copies of ``text`` (``wire.expand``), which lets
the fuzzer reach deep templates and long paths. Each side builds
two tables from the same lines, with ``redirect_slashes`` on and off, and
every request is matched after every route added, since each addition
invalidates the table's static-path answers.

``RouteTable.add`` documents ``ValueError`` for a template it refuses
(no leading ``/``, an unknown convertor, a parameter named twice): the same
refusal on both sides is an answer. ``match`` documents no exception.
"""

from __future__ import annotations

from typing import Any

from .compare import attempt, expect_same
from .sides import Side
from .wire import expand, request_line, text_path

NAME = "templates"
# Room for trees far deeper than Python's recursion limit: a recursion per segment
# shows there, in the pure core, long before it could overflow the C stack.
MAX_EXPANDED = 1 << 16

SEEDS = (
    b"+ /users/{id:int}\n+ GET /users/me\nGET /users/me\nGET /users/12\nGET /users/12/",
    b"+ GET,POST /a/{x}.{y}\n+ /a/{x:int}-{y:float}\nPOST /a/1-2.5\nGET /a/b.c.d",
    b"+ /files/{p:path}/meta\n+ /files/{p:path}\nGET /files/a/b/meta\nGET /files/",
    b"+ /{x:uuid}.u\nGET /12345678-9abc-def0-1234-56789abcdef0.u\nGET /00000000000000000000.u",
    b"+ nope\n+ /{x:nope}\n+ /{x}/{x:int}\n+ /{1}\nGET /{1}",
    b"+ /s/\n+ PUT /s\nGET /s\nGET /s/\nPUT /s//",
    b"+ /{a}{b}\n+ /{a:int}{b:int}\nGET /123\nGET /ab",
    b"+ /m/{path:path}\n+ /\nGET /m\nGET /m/\nGET //",
    b"+ /x/{a:float}.json\n+ /x/{b:str}.json\nGET /x/1.5.json\nGET /x/.json",
    b"+ (/a)*3\n+ POST (/{x:int})*4\nGET (/a)*3\nPOST (/7)*4\nGET (/7)*4/",
    b"+ /r(/{p}.{q})*2(/s)*2\nGET /r/a.b/c.d/s/s\nGET /r/a.b/c/s/s",
)
DICTIONARY = (
    b"\n+ /", b"\n+ GET /", b"\n+ GET,POST /", b"\nGET /", b"\nPOST /", b"{x}", b"{y:int}",
    b"{z:float}", b"{u:uuid}", b"{p:path}", b"{w:str}", b"{1}", b".", b"-", b"/", b"//",
    b"12345678-9abc-def0-1234-56789abcdef0", b"1.5", b"007", b"(/a)*9", b")*99", b"(",
)  # fmt: skip


def _route(line: bytes) -> tuple[Any, str]:
    """``(methods, template)`` of a ``+ [METHODS] /template`` line."""
    rest = line[2:]
    methods: Any = None
    if not rest.startswith(b"/"):
        named, space, template = rest.partition(b" ")
        if space:
            methods = frozenset(named.decode("latin-1").split(","))
            rest = template
    return methods, text_path(rest)


def check(data: bytes, subject: Side, oracle: Side) -> None:
    lines = [expand(line, MAX_EXPANDED) for line in data.split(b"\n")]
    routes = [_route(line) for line in lines if line.startswith(b"+ ")]
    requests = [request_line(line) for line in lines if not line.startswith(b"+ ")]
    for redirect_slashes in (True, False):
        tables = (
            subject.routing.RouteTable(redirect_slashes),
            oracle.routing.RouteTable(redirect_slashes),
        )
        for index, (methods, template) in enumerate(routes):
            added = [attempt(table.add, template, methods, index) for table in tables]
            expect_same(NAME, "add", *added, documented=(ValueError,))
            expect_same(NAME, "len", *(attempt(len, table) for table in tables))
            for method, path in requests:
                matched = [attempt(table.match, method, path) for table in tables]
                expect_same(NAME, "match", *matched)
