"""Harness: query-string parsing, and the raw values each query group collects.

The input is the raw ``query_string`` of an ASGI scope. Compared on both
sides: ``parse_query``; ``coerce`` of every value parsed, for every native
kind (what the fast path makes of the text, which must also be what
Pydantic makes of it, when the core takes it natively); and ``ParamGroup.collect`` of
the pairs for the query groups of the fuzzed endpoints (scalars, lists,
aliases, a model declared as a group), last value winning, and again
first value winning as headers are read. None of these documents an
exception.
"""

from __future__ import annotations

from pydantic import TypeAdapter

from .compare import attempt, expect_same
from .request_plans import groups_for
from .sides import Side
from .wire import expand

NAME = "query"

KINDS = ("AS_STR", "AS_INT", "AS_FLOAT", "AS_BOOL", "AS_OTHER")
# What a native value must equal: Pydantic's reading of the same text.
PYDANTIC = {
    "AS_STR": TypeAdapter(str),
    "AS_INT": TypeAdapter(int),
    "AS_FLOAT": TypeAdapter(float),
    "AS_BOOL": TypeAdapter(bool),
}

SEEDS = (
    b"",
    b"q=hello&n=3&price=2.5&flag=true",
    b"r=x&id=1&id=2&id=-3&tags=a&tags=&weights=1.5&weights=-0.0&bits=on&bits=no",
    b"n=%2B1&n=1_000&n=1e3&n=%20%207&n=-0&n=007",
    b"price=.5&price=1.&price=nan&price=-inf&price=1.2.3",
    b"flag=YES&flag=True&flag=t&strict-flag=0",
    b"a+b=c+d&%41=%zz&%e2%82%ac=%ff%fe&=&&=x&y",
    b"limit=5&tags=x&tags=y&order=desc&offset=&extra=1&extra=2",
    b"color=blue&code=abc&pick=two&exact=7&share=0.25",
    b"n=" + b"9" * 4001,
    b"n=-" + b"1" * 4000 + b".5",
    b"q=%C3%A9%E2%80%8F&q=\xe9\xff",
    b"&&&;;;===",
    b"n=(9)*3999&n=-(9)*4000&price=(1)*4000.(5)*4000(&id=1)*1000",
)
DICTIONARY = (
    b"&", b"=", b"+", b"%", b"%2B", b"%20", b"%00", b"%C3%A9", b"%FF", b"-", b".", b"_", b"e",
    b"q=", b"n=", b"r=", b"id=", b"tags=", b"weights=", b"bits=", b"flag=", b"strict-flag=",
    b"limit=", b"order=", b"offset=", b"color=", b"code=", b"pick=", b"exact=", b"share=",
    b"true", b"false", b"on", b"off", b"yes", b"no", b"nan", b"inf", b"1_0", b"1e3",
)  # fmt: skip


def check(data: bytes, subject: Side, oracle: Side) -> None:
    data = expand(data)
    got = attempt(subject.params.parse_query, data)
    pairs = attempt(oracle.params.parse_query, data)
    expect_same(NAME, "parse_query", got, pairs)
    for value in dict.fromkeys(value for _, value in pairs):
        for kind in KINDS:
            native = attempt(oracle.params.coerce, getattr(oracle.params, kind), value)
            expect_same(
                NAME,
                f"coerce {kind}",
                attempt(subject.params.coerce, getattr(subject.params, kind), value),
                native,
            )
            if native is not oracle.params.NOT_NATIVE and kind in PYDANTIC:
                # The fast path may only take spellings Pydantic reads the same way.
                validated = attempt(PYDANTIC[kind].validate_python, value)
                expect_same(NAME, f"coerce {kind} vs Pydantic", native, validated)
    subject_groups, oracle_groups = groups_for(subject.params), groups_for(oracle.params)
    for endpoint, by_location in oracle_groups.items():
        oracle_group = by_location["query"]
        if oracle_group is None:
            continue
        subject_group = subject_groups[endpoint]["query"]
        for first_wins in (False, True):
            expect_same(
                NAME,
                f"collect {endpoint} first_wins={first_wins}",
                attempt(subject_group.collect, pairs, first_wins),
                attempt(oracle_group.collect, pairs, first_wins),
            )
