"""The fuzz harnesses of ``tests/fuzz`` stay honest: they run, and they notice bugs.

Fuzzing itself is ``python -m tests.fuzz`` (it needs atheris); this module
needs nothing beyond the test suite. It replays every target's seeds with
each core as the subject and the pure core as the oracle, so the harness
code cannot rot unnoticed, and it plants a difference in an oracle for
every target, which that target's harness must report on its own seeds.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

import fastcore_py.params as pure_params
import fastcore_py.routing as pure_routing
from tests.fuzz import sides, targets, wire
from tests.fuzz.compare import Finding, Raised, attempt, expect_same, same
from tests.fuzz.runner import Report, parse_log

PURE = sides.pure()


@pytest.mark.parametrize("name", targets.TARGETS)
def test_seeds_replay_with_equal_answers(core, name):
    target = targets.load(name)
    assert target.SEEDS and target.DICTIONARY
    for seed in target.SEEDS:
        target.check(seed, core, PURE)


# -- differences planted in an oracle -------------------------------------------------


def with_params(**changes: Any) -> Any:
    """The pure core, with some of its params module replaced."""
    return sides.Core("planted", pure_routing, SimpleNamespace(**{**vars(pure_params), **changes}))


class LenientRoutes(pure_routing.RouteTable):
    """Takes a template without its leading slash instead of refusing it."""

    def add(self, template: str, methods: Any, target: object) -> None:
        super().add(template if template.startswith("/") else "/" + template, methods, target)


class RoutesWithoutTypes(pure_routing.RouteTable):
    """Answers path parameters as the text matched, not as int/float/UUID."""

    def match(self, method: str, path: str) -> Any:
        outcome, target, params, redirect = super().match(method, path)
        if params:
            params = {name: str(value) for name, value in params.items()}
        return outcome, target, params, redirect


def parse_query_keeping_plus(query_string: bytes) -> Any:
    return pure_params.parse_query(query_string.replace(b"+", b"%2B"))


def parse_cookies_without_unquoting(cookie_header: str) -> Any:
    return {
        name.strip(): value.strip()
        for name, _, value in (chunk.partition("=") for chunk in cookie_header.split(";"))
        if name.strip() or value.strip()
    }


class LastHeaderWins(pure_params.ParamGroup):
    def collect_headers(self, headers: Any) -> Any:
        return super().collect_headers(list(reversed(headers)))


class ForgivingGroup(pure_params.ParamGroup):
    """Lets every invalid value through: drops the error list."""

    def resolve(self, raw: Any, arguments: Any) -> Any:
        super().resolve(raw, arguments)
        return None


class JsonOnlyWhenPlain(pure_params.JsonBody):
    """Forgets that ``application/*+json`` bodies are JSON too."""

    def is_json(self, content_type: str | None) -> bool:
        return super().is_json(content_type) and "+json" not in (content_type or "")

    def resolve(self, body: bytes, content_type: str | None, arguments: Any) -> Any:
        if content_type and "+json" in content_type:
            content_type = "text/plain"
        return super().resolve(body, content_type, arguments)


PLANTED = {
    "routes": (
        sides.Core(
            "planted",
            SimpleNamespace(**{**vars(pure_routing), "RouteTable": RoutesWithoutTypes}),
            pure_params,
        ),
        "match",
    ),
    "templates": (
        sides.Core(
            "planted",
            SimpleNamespace(**{**vars(pure_routing), "RouteTable": LenientRoutes}),
            pure_params,
        ),
        "add",
    ),
    "query": (with_params(parse_query=parse_query_keeping_plus), "parse_query"),
    "headers": (with_params(ParamGroup=LastHeaderWins), "collect_headers search normalize=True"),
    "cookies": (with_params(parse_cookies=parse_cookies_without_unquoting), "parse_cookies"),
    "plan": (with_params(ParamGroup=ForgivingGroup), "resolve search path"),
    "body": (with_params(JsonBody=JsonOnlyWhenPlain), "resolve one_model strict=False"),
}


@pytest.mark.parametrize("name", targets.TARGETS)
def test_a_planted_difference_is_found(name):
    target = targets.load(name)
    oracle, check = PLANTED[name]
    found = []
    for seed in target.SEEDS:
        try:
            target.check(seed, PURE, oracle)
        except Finding as finding:
            found.append(finding)
    assert found, f"no seed of {name} revealed the planted difference"
    assert {finding.kind for finding in found} == {"difference"}
    assert check in {finding.check for finding in found}


def test_an_exception_on_both_sides_is_a_finding_unless_documented():
    def broken_match(method: str, path: str) -> Any:
        raise KeyError(path)

    both = attempt(broken_match, "GET", "/x"), attempt(broken_match, "GET", "/x")
    with pytest.raises(Finding) as raised:
        expect_same("routes", "match", *both)
    assert raised.value.kind == "exception"
    assert raised.value.signature == "routes:match:exception:KeyError:KeyError"
    expect_same("routes", "add", *both, documented=(KeyError,))  # documented: an answer
    with pytest.raises(Finding) as raised:
        expect_same("routes", "match", Raised(KeyError("/x")), ("answer",))
    assert raised.value.kind == "difference"


# -- the comparison itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (1, 1.0),
        (1, True),
        (0.0, -0.0),
        ("1", b"1"),
        ([1], (1,)),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # the order a model sees its keys in
        ({"x": [1, 2]}, {"x": [1, 3]}),
        (ValueError("a"), ValueError("b")),
        (Raised(ValueError("a")), Raised(TypeError("a"))),
    ],
)
def test_answers_that_differ_are_told_apart(left, right):
    assert not same(left, right)
    with pytest.raises(Finding):
        expect_same("t", "c", left, right)


def test_equal_answers_compare_equal_across_cores():
    assert same(math.nan, float("nan"))
    assert same({"a": [1, 2.5, None, "x"]}, {"a": [1, 2.5, None, "x"]})
    # Each core has its own NOT_NATIVE sentinel: the same answer.
    compiled = pytest.importorskip("fastcore._params")
    assert same(compiled.NOT_NATIVE, pure_params.NOT_NATIVE)


# -- reading fuzzer bytes, and the runner's report -----------------------------------------


def test_fuzzer_bytes_read_as_requests():
    assert wire.request_line(b"POST /a b") == ("POST", "/a b")
    assert wire.request_line(b"/x\xff") == ("GET", "/x\udcff")
    assert wire.header_list(b"X-A:  1 \r\nnone\nx-b:2") == [(b"x-a", b"1"), (b"x-b", b"2")]
    assert wire.header_list(b"X-A:  1 ", normalize=False) == [(b"X-A", b"  1 ")]
    head = wire.request_head(b"/p?q=1?\r\ncookie: a=b")
    assert (head.path, head.query_string, head.headers) == ("/p", b"q=1?", [(b"cookie", b"a=b")])
    assert wire.expand(b"/x(/ab)*3/y()*9(z)*") == b"/x/ab/ab/ab/y(z)*"
    assert len(wire.expand(b"(12345678)*99999")) <= wire.MAX_EXPANDED
    assert len(wire.expand(b"(1)*99999", limit=100)) == 100 - len(b"(1)*99999")


def test_runner_reads_libfuzzer_figures():
    log = (
        "#1024\tpulse  cov: 10 ft: 20 corp: 5/60b lim: 4 exec/s: 512 rss: 50Mb\n"
        "#2048\tNEW    cov: 12 ft: 25 corp: 6/70b lim: 4 exec/s: 512 rss: 50Mb L: 3/9\n"
        "Done 2222 runs in 4 second(s)\n"
        "stat::number_of_executed_units: 2222\n"
    )
    report = Report("routes")
    parse_log(log, report)
    assert (report.executions, report.seconds) == (2222, 4.0)
    assert report.coverage == "12 edges / 25 features"
    assert report.corpus == "6 inputs, 70b"
