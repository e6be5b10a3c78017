"""Harness: header parsing, an ASGI ``headers`` list read by each header group.

The input is a header block (``name: value`` lines, see ``wire``), read as
a server delivers it (lower-case names, stripped values) and as written,
and given to
``ParamGroup.collect_headers`` of the header groups of the fuzzed endpoints:
scalars and lists under hyphenated and aliased names, and a model declared
as a group of headers. Bytes are decoded as latin-1, the first value of a
repeated header wins, a list takes them all. ``collect_headers`` documents
no exception.
"""

from __future__ import annotations

from .compare import attempt, expect_same
from .request_plans import groups_for
from .sides import Side
from .wire import expand, header_list

NAME = "headers"

SEEDS = (
    b"",
    b"x-token: abc\nx-num: 12\naccept: text/html\naccept: */*",
    b"X-Token: first\nx-token: second\nX-NUM: -0\nuser-agent: curl/8",
    b"x-rate: 1e3\nx-rate: 0.5\nx-num: +7",
    b"x-trace: t1\nx-tags: a\nx-tags: b\nx-count: 3\nx-other: 1\nx-other: 2",
    b"x_token: underscore\nx-count: \nx-tags:",
    b"x-token: caf\xc3\xa9 \xff\x00\tend\r\naccept:\t \r\n",
    b"no colon here\n: empty name\nx-num: " + b"9" * 4001,
    b"(accept: a\n)*300x-token: (t)*9000",
)
DICTIONARY = (
    b"\n", b": ", b"\r\n", b"x-token", b"x-num", b"accept", b"user-agent", b"x-rate", b"x-trace",
    b"x-tags", b"x-count", b"cookie", b"\xff", b"\x00", b"-0", b"1.5", b"1e3", b"+",
)  # fmt: skip


def check(data: bytes, subject: Side, oracle: Side) -> None:
    subject_groups, oracle_groups = groups_for(subject.params), groups_for(oracle.params)
    for normalize in (True, False):
        headers = header_list(expand(data), normalize)
        for endpoint, by_location in oracle_groups.items():
            oracle_group = by_location["header"]
            if oracle_group is None:
                continue
            expect_same(
                NAME,
                f"collect_headers {endpoint} normalize={normalize}",
                attempt(subject_groups[endpoint]["header"].collect_headers, headers),
                attempt(oracle_group.collect_headers, headers),
            )
