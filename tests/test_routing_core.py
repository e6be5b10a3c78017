"""The route table, on both cores: what ``RouteTable.match`` answers for a path and method.

Every test takes the ``core`` fixture (tests/conftest.py), so it runs once on
the compiled ``fastcore._routing`` and once on the pure ``fastcore_py.routing``.
Targets are plain strings, so a result can be compared with ``==``; parameter
values are compared together with their types, because ``3 == 3.0``.
"""

from __future__ import annotations

import inspect
import sys
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

import fastcore_py.routing as pure_routing

GET = frozenset({"GET"})
POST = frozenset({"POST"})
UUID_TEXT = "12345678-9abc-def0-1234-56789abcdef0"
PURE = SimpleNamespace(routing=pure_routing)  # stands in for the `core` fixture


def make_table(
    core: Any, *routes: tuple[str, frozenset[str] | None, object], **options: Any
) -> Any:
    table = core.routing.RouteTable(**options)
    for template, methods, target in routes:
        table.add(template, methods, target)
    return table


def typed(params: dict[str, Any] | None) -> dict[str, tuple[type, Any]] | None:
    """Parameters with the type of each value, so that 3 and 3.0 differ."""
    return None if params is None else {name: (type(v), v) for name, v in params.items()}


def found(core: Any, table: Any, method: str, path: str) -> tuple[object, dict | None]:
    """Assert that ``path`` is FOUND; return its target and typed params."""
    outcome, target, params, redirect = table.match(method, path)
    assert (outcome, redirect) == (core.routing.FOUND, None), (method, path, outcome, target)
    return target, typed(params)


def outcome_of(table: Any, method: str, path: str) -> int:
    return table.match(method, path)[0]


# -- the public surface ------------------------------------------------------------


def test_outcome_constants_are_distinct(core):
    routing = core.routing
    values = {routing.FOUND, routing.METHOD_NOT_ALLOWED, routing.REDIRECT, routing.NOT_FOUND}
    assert len(values) == 4


def test_len_counts_registered_routes(core):
    table = make_table(core)
    assert len(table) == 0
    table.add("/a", None, "a")
    table.add("/a", None, "again")
    table.add("/{x}", GET, "x")
    assert len(table) == 3


def test_redirect_slashes_is_an_attribute(core):
    assert core.routing.RouteTable().redirect_slashes is True
    assert core.routing.RouteTable(redirect_slashes=False).redirect_slashes is False
    assert core.routing.RouteTable(False).redirect_slashes is False


def test_both_cores_document_the_same_api(core):
    """Same docstrings and signatures on both sides: a reader can switch files."""
    for name in ("add", "match"):
        ours, theirs = (
            getattr(core.routing.RouteTable, name),
            getattr(pure_routing.RouteTable, name),
        )
        assert ours.__doc__ == theirs.__doc__
        assert inspect.signature(ours) == inspect.signature(theirs)
    assert core.routing.RouteTable.__doc__ == pure_routing.RouteTable.__doc__


# -- static paths ------------------------------------------------------------------


def test_static_paths(core):
    table = make_table(core, ("/", GET, "root"), ("/users", GET, "users"), ("/users/me", GET, "me"))
    assert table.match("GET", "/") == (core.routing.FOUND, "root", {}, None)
    assert table.match("GET", "/users") == (core.routing.FOUND, "users", {}, None)
    assert table.match("GET", "/users/me") == (core.routing.FOUND, "me", {}, None)
    assert table.match("GET", "/users/you") == (core.routing.NOT_FOUND, None, None, None)
    assert table.match("GET", "/Users") == (core.routing.NOT_FOUND, None, None, None)


def test_static_path_with_wrong_method_is_405(core):
    table = make_table(core, ("/users", GET, "users"))
    assert table.match("POST", "/users") == (core.routing.METHOD_NOT_ALLOWED, "users", {}, None)


def test_methods_none_accepts_any_method(core):
    table = make_table(core, ("/any", None, "any"))
    for method in ("GET", "POST", "DELETE", "BREW", ""):
        assert table.match(method, "/any") == (core.routing.FOUND, "any", {}, None)


def test_literal_braces_that_are_not_parameters(core):
    table = make_table(core, ("/{1}/{-x}", GET, "braces"))
    assert found(core, table, "GET", "/{1}/{-x}") == ("braces", {})
    assert outcome_of(table, "GET", "/1/x") == core.routing.NOT_FOUND


def test_str_subclasses_are_accepted(core):
    class Text(str):
        pass

    table = make_table(core, (Text("/a/{x}"), GET, "x"), (Text("/b"), GET, "b"))
    assert found(core, table, Text("GET"), Text("/a/1")) == ("x", {"x": (str, "1")})
    assert found(core, table, "GET", Text("/b")) == ("b", {})
    assert table.match(Text("GET"), Text("/b/")) == (core.routing.REDIRECT, None, None, "/b")


# -- convertors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "segment", "expected"),
    [
        ("/{v}", "abc", (str, "abc")),
        ("/{v:str}", "ünï cödé %20", (str, "ünï cödé %20")),
        ("/{v:str}", "a\nb", (str, "a\nb")),
        ("/{v:int}", "42", (int, 42)),
        ("/{v:int}", "007", (int, 7)),
        ("/{v:int}", "0", (int, 0)),
        ("/{v:float}", "1.5", (float, 1.5)),
        ("/{v:float}", "3", (float, 3.0)),
        ("/{v:float}", "007.250", (float, 7.25)),
        ("/{v:uuid}", UUID_TEXT, (uuid.UUID, uuid.UUID(UUID_TEXT))),
        ("/{v:uuid}", UUID_TEXT.upper(), (uuid.UUID, uuid.UUID(UUID_TEXT))),
        ("/{v:uuid}", UUID_TEXT.replace("-", ""), (uuid.UUID, uuid.UUID(UUID_TEXT))),
        ("/{v:uuid}", UUID_TEXT[:13] + UUID_TEXT[14:], (uuid.UUID, uuid.UUID(UUID_TEXT))),
        ("/{v:path}", "a/b/c", (str, "a/b/c")),
        ("/{v:path}", "", (str, "")),
    ],
)
def test_convertor_gives_typed_value(core, template, segment, expected):
    table = make_table(core, (template, GET, "t"))
    assert found(core, table, "GET", "/" + segment) == ("t", {"v": expected})


@pytest.mark.parametrize(
    ("convertor", "segment"),
    [
        ("str", ""),
        ("int", ""),
        ("int", "٣"),  # ARABIC-INDIC DIGIT THREE: a digit to str.isdigit, not to [0-9]
        ("int", "１"),  # FULLWIDTH DIGIT ONE
        ("int", "-1"),
        ("int", "+1"),
        ("int", " 1"),
        ("int", "1_000"),
        ("int", "1.0"),
        ("int", "0x1f"),
        ("float", ""),
        ("float", "1."),
        ("float", ".5"),
        ("float", "1e3"),
        ("float", "-1.5"),
        ("float", "inf"),
        ("float", "nan"),
        ("float", "1.2.3"),
        ("float", "١.٥"),
        ("uuid", ""),
        ("uuid", "{" + UUID_TEXT + "}"),
        ("uuid", "urn:uuid:" + UUID_TEXT),
        ("uuid", UUID_TEXT[:-1]),
        ("uuid", UUID_TEXT + "0"),
        ("uuid", UUID_TEXT.replace("a", "g")),
        ("uuid", UUID_TEXT.replace("-", "_")),
        ("uuid", UUID_TEXT[:8] + "-" + UUID_TEXT[8:-1]),
    ],
)
def test_convertor_rejects_bad_value(core, convertor, segment):
    table = make_table(core, (f"/x/{{v:{convertor}}}", GET, "t"), redirect_slashes=False)
    assert table.match("GET", "/x/" + segment) == (core.routing.NOT_FOUND, None, None, None)


def test_path_convertor_stops_at_newline(core):
    # '.' in the path regex does not match "\n", exactly as in Starlette.
    table = make_table(core, ("/static/{p:path}", None, "static"))
    assert outcome_of(table, "GET", "/static/a\nb") == core.routing.NOT_FOUND


def test_int_longer_than_python_digit_limit_is_not_found(core):
    table = make_table(
        core,
        ("/n/{v:int}", GET, "whole"),
        ("/m/{v:int}.json", GET, "mixed"),
        redirect_slashes=False,
    )
    limit = sys.get_int_max_str_digits()
    assert found(core, table, "GET", "/n/" + "9" * limit)[1]["v"][0] is int
    for path in ("/n/" + "9" * 5000, "/m/" + "9" * 5000 + ".json"):
        assert table.match("GET", path) == (core.routing.NOT_FOUND, None, None, None)


def test_long_int_falls_through_to_the_next_route(core):
    table = make_table(core, ("/n/{v:int}", GET, "int"), ("/n/{v}", GET, "str"))
    assert found(core, table, "GET", "/n/" + "1" * 5000) == ("str", {"v": (str, "1" * 5000)})


def test_empty_segments_never_match_a_parameter(core):
    table = make_table(
        core,
        ("/a/{x}", GET, "one"),
        ("/b/{x}/{y}", GET, "two"),
        ("/c/{x}.{y}", GET, "mixed"),
        redirect_slashes=False,
    )
    for path in ("/a/", "/b//y", "/b/x/", "/b//", "/c/.", "/c/x.", "/c/.y", "//"):
        assert outcome_of(table, "GET", path) == core.routing.NOT_FOUND, path


# -- mixed segments and path parameters ----------------------------------------------


def test_mixed_segment(core):
    table = make_table(core, ("/files/{name}.{ext}", GET, "file"))
    assert found(core, table, "GET", "/files/report.pdf") == (
        "file",
        {"name": (str, "report"), "ext": (str, "pdf")},
    )
    # The regex is greedy, as in Starlette: the last dot splits.
    assert found(core, table, "GET", "/files/a.tar.gz")[1] == {
        "name": (str, "a.tar"),
        "ext": (str, "gz"),
    }
    assert outcome_of(table, "GET", "/files/noext") == core.routing.NOT_FOUND


def test_mixed_segment_with_typed_parameters(core):
    table = make_table(
        core,
        ("/range/{start:int}-{end:int}", GET, "range"),
        ("/v{major:int}.{minor:float}", GET, "version"),
        ("/u/{id:uuid}.json", GET, "uuid"),
    )
    assert found(core, table, "GET", "/range/10-20")[1] == {"start": (int, 10), "end": (int, 20)}
    assert found(core, table, "GET", "/v2.1.5")[1] == {"major": (int, 2), "minor": (float, 1.5)}
    assert found(core, table, "GET", f"/u/{UUID_TEXT}.json")[1] == {
        "id": (uuid.UUID, uuid.UUID(UUID_TEXT))
    }
    assert outcome_of(table, "GET", "/range/a-20") == core.routing.NOT_FOUND
    assert found(core, table, "GET", f"/u/{UUID_TEXT.upper().replace('-', '')}.json")[1] == {
        "id": (uuid.UUID, uuid.UUID(UUID_TEXT))
    }


def test_path_parameter_at_the_end(core):
    table = make_table(core, ("/files/{p:path}", GET, "files"))
    assert found(core, table, "GET", "/files/a/b/c.txt")[1] == {"p": (str, "a/b/c.txt")}
    assert found(core, table, "GET", "/files/")[1] == {"p": (str, "")}
    assert found(core, table, "GET", "/files//x/")[1] == {"p": (str, "/x/")}
    assert table.match("GET", "/files") == (core.routing.REDIRECT, None, None, "/files/")
    assert outcome_of(table, "GET", "/filesx/a") == core.routing.NOT_FOUND


def test_path_parameter_in_the_middle(core):
    table = make_table(core, ("/a/{p:path}/meta", GET, "meta"), redirect_slashes=False)
    assert found(core, table, "GET", "/a/x/meta")[1] == {"p": (str, "x")}
    assert found(core, table, "GET", "/a/x/y/z/meta")[1] == {"p": (str, "x/y/z")}
    assert found(core, table, "GET", "/a//meta")[1] == {"p": (str, "")}
    assert found(core, table, "GET", "/a/meta/meta")[1] == {"p": (str, "meta")}
    for path in ("/a/meta", "/a/x/meta/", "/a/x/metadata", "/b/x/meta"):
        assert outcome_of(table, "GET", path) == core.routing.NOT_FOUND, path


def test_path_parameter_after_other_parameters(core):
    table = make_table(core, ("/{tenant}/{n:int}/{rest:path}", GET, "t"))
    assert found(core, table, "GET", "/acme/3/x/y")[1] == {
        "tenant": (str, "acme"),
        "n": (int, 3),
        "rest": (str, "x/y"),
    }
    assert outcome_of(table, "GET", "/acme/x/y") == core.routing.NOT_FOUND


def test_path_parameter_with_text_around_it(core):
    table = make_table(core, ("/dl/v{n:int}-{p:path}.zip", GET, "zip"))
    assert found(core, table, "GET", "/dl/v2-a/b.zip")[1] == {"n": (int, 2), "p": (str, "a/b")}


def test_mount_as_prefix_path_parameter(core):
    """A mount is registered as ``prefix/{path:path}`` with methods None."""
    table = make_table(core, ("/static/{path:path}", None, "static"), ("/api", GET, "api"))
    assert table.match("DELETE", "/static/css/site.css") == (
        core.routing.FOUND,
        "static",
        {"path": "css/site.css"},
        None,
    )
    assert found(core, table, "GET", "/static/")[1] == {"path": (str, "")}
    assert table.match("GET", "/static") == (core.routing.REDIRECT, None, None, "/static/")
    assert outcome_of(table, "GET", "/staticx") == core.routing.NOT_FOUND


def test_root_mount(core):
    table = make_table(core, ("/{path:path}", None, "root"))
    assert found(core, table, "GET", "/")[1] == {"path": (str, "")}
    assert found(core, table, "POST", "/any/thing/")[1] == {"path": (str, "any/thing/")}
    # Not starting with "/": never matched, but "" + "/" is, as in Starlette.
    assert table.match("GET", "") == (core.routing.REDIRECT, None, None, "/")
    assert table.match("GET", "*") == (core.routing.NOT_FOUND, None, None, None)


def test_routes_before_a_root_mount_win(core):
    table = make_table(
        core, ("/api/{n:int}", GET, "api"), ("/{path:path}", None, "spa"), ("/late", GET, "late")
    )
    assert found(core, table, "GET", "/api/1") == ("api", {"n": (int, 1)})
    assert found(core, table, "GET", "/api/x") == ("spa", {"path": (str, "api/x")})
    assert found(core, table, "GET", "/late") == ("spa", {"path": (str, "late")})


# -- registration order ------------------------------------------------------------


def test_static_before_parameter_wins(core):
    table = make_table(core, ("/users/me", GET, "me"), ("/users/{name}", GET, "user"))
    assert found(core, table, "GET", "/users/me") == ("me", {})
    assert found(core, table, "GET", "/users/you") == ("user", {"name": (str, "you")})


def test_parameter_before_static_wins(core):
    table = make_table(core, ("/users/{name}", GET, "user"), ("/users/me", GET, "me"))
    assert found(core, table, "GET", "/users/me") == ("user", {"name": (str, "me")})


def test_order_between_convertors(core):
    table = make_table(core, ("/i/{v:int}", GET, "int"), ("/i/{v}", GET, "str"))
    assert found(core, table, "GET", "/i/5") == ("int", {"v": (int, 5)})
    assert found(core, table, "GET", "/i/x") == ("str", {"v": (str, "x")})
    table = make_table(core, ("/i/{v}", GET, "str"), ("/i/{v:int}", GET, "int"))
    assert found(core, table, "GET", "/i/5") == ("str", {"v": (str, "5")})


def test_order_between_deep_and_shallow_branches(core):
    table = make_table(
        core,
        ("/{a}/{b}/c", GET, "params"),
        ("/x/y/c", GET, "literal"),
        ("/x/{b}/c", GET, "mixed"),
    )
    assert found(core, table, "GET", "/x/y/c")[0] == "params"
    table = make_table(
        core,
        ("/x/{b}/c", GET, "mixed"),
        ("/{a}/{b}/c", GET, "params"),
        ("/x/y/c", GET, "literal"),
    )
    assert found(core, table, "GET", "/x/y/c")[0] == "mixed"
    assert found(core, table, "GET", "/z/y/c")[0] == "params"


def test_order_between_tail_and_segments(core):
    table = make_table(core, ("/f/{p:path}", GET, "tail"), ("/f/{name}", GET, "name"))
    assert found(core, table, "GET", "/f/x")[0] == "tail"
    table = make_table(core, ("/f/{name}", GET, "name"), ("/f/{p:path}", GET, "tail"))
    assert found(core, table, "GET", "/f/x")[0] == "name"
    assert found(core, table, "GET", "/f/x/y")[0] == "tail"


def test_duplicate_template_first_wins(core):
    table = make_table(core, ("/d/{x}", GET, "first"), ("/d/{x}", GET, "second"))
    assert found(core, table, "GET", "/d/1")[0] == "first"


def test_shared_shape_keeps_each_routes_names(core):
    table = make_table(
        core,
        ("/u/{id:int}/a", GET, "a"),
        ("/u/{uid:int}/b", GET, "b"),
        ("/{x}.{y}", GET, "xy"),
        ("/{stem}.{suffix}", POST, "stem"),
    )
    assert found(core, table, "GET", "/u/3/a") == ("a", {"id": (int, 3)})
    assert found(core, table, "GET", "/u/3/b") == ("b", {"uid": (int, 3)})
    assert found(core, table, "GET", "/f.txt") == ("xy", {"x": (str, "f"), "y": (str, "txt")})
    assert found(core, table, "POST", "/f.txt") == (
        "stem",
        {"stem": (str, "f"), "suffix": (str, "txt")},
    )


# -- 405 -----------------------------------------------------------------------------


def test_405_target_is_first_path_match(core):
    table = make_table(core, ("/x", GET, "get"), ("/x", POST, "post"))
    assert table.match("DELETE", "/x") == (core.routing.METHOD_NOT_ALLOWED, "get", {}, None)
    table = make_table(core, ("/{p}", frozenset({"PUT"}), "put"), ("/x", GET, "get"))
    assert table.match("DELETE", "/x") == (
        core.routing.METHOD_NOT_ALLOWED,
        "put",
        {"p": "x"},
        None,
    )


def test_405_target_from_the_tree_is_first_path_match(core):
    table = make_table(
        core,
        ("/i/{v:int}", frozenset({"PUT"}), "int-put"),
        ("/i/{v}", GET, "str-get"),
        ("/i/{v:int}", POST, "int-post"),
    )
    assert table.match("DELETE", "/i/7") == (
        core.routing.METHOD_NOT_ALLOWED,
        "int-put",
        {"v": 7},
        None,
    )
    table = make_table(
        core, ("/i/{v}", frozenset({"PUT"}), "str-put"), ("/i/{v:int}", GET, "int-get")
    )
    assert table.match("DELETE", "/i/7") == (
        core.routing.METHOD_NOT_ALLOWED,
        "str-put",
        {"v": "7"},
        None,
    )


def test_found_beats_an_earlier_partial(core):
    table = make_table(core, ("/x", GET, "get"), ("/{p}", POST, "post"))
    assert table.match("POST", "/x") == (core.routing.FOUND, "post", {"p": "x"}, None)
    table = make_table(core, ("/i/{v:int}", GET, "get"), ("/i/{v:path}", POST, "post"))
    assert table.match("POST", "/i/1") == (core.routing.FOUND, "post", {"v": "1"}, None)


# -- redirect_slashes ----------------------------------------------------------------


def test_redirect_removes_trailing_slash(core):
    table = make_table(core, ("/users", GET, "users"), ("/items/{n:int}", GET, "item"))
    assert table.match("GET", "/users/") == (core.routing.REDIRECT, None, None, "/users")
    assert table.match("GET", "/items/5/") == (core.routing.REDIRECT, None, None, "/items/5")


def test_redirect_adds_trailing_slash(core):
    table = make_table(core, ("/dir/", GET, "dir"), ("/d/{x}/", GET, "d"))
    assert table.match("GET", "/dir") == (core.routing.REDIRECT, None, None, "/dir/")
    assert table.match("GET", "/d/1") == (core.routing.REDIRECT, None, None, "/d/1/")


def test_redirect_to_a_path_that_only_allows_other_methods(core):
    table = make_table(core, ("/a", POST, "a"))
    assert table.match("GET", "/a/") == (core.routing.REDIRECT, None, None, "/a")


def test_no_redirect_when_the_original_path_gets_405(core):
    table = make_table(core, ("/a", GET, "a"), ("/a/", POST, "a/"))
    assert table.match("GET", "/a/") == (core.routing.METHOD_NOT_ALLOWED, "a/", {}, None)


def test_no_redirect_for_root(core):
    table = make_table(core, ("/x", GET, "x"))
    assert table.match("GET", "/") == (core.routing.NOT_FOUND, None, None, None)


def test_redirect_slashes_off(core):
    table = make_table(core, ("/users", GET, "u"), ("/dir/", GET, "d"), redirect_slashes=False)
    assert table.match("GET", "/users/") == (core.routing.NOT_FOUND, None, None, None)
    assert table.match("GET", "/dir") == (core.routing.NOT_FOUND, None, None, None)


def test_redirect_slashes_can_be_switched_later(core):
    table = make_table(core, ("/users", GET, "u"))
    table.redirect_slashes = False
    assert outcome_of(table, "GET", "/users/") == core.routing.NOT_FOUND
    table.redirect_slashes = True
    assert outcome_of(table, "GET", "/users/") == core.routing.REDIRECT


# -- paths that are not paths ----------------------------------------------------------


@pytest.mark.parametrize("path", ["*", "", "users", "users/", "?", "\x00", "http://h/users"])
def test_paths_not_starting_with_slash_never_match(core, path):
    table = make_table(
        core,
        ("/users", GET, "u"),
        ("/{x}", GET, "x"),
        ("/d/{p:path}", GET, "p"),
        redirect_slashes=False,
    )
    assert table.match("GET", path) == (core.routing.NOT_FOUND, None, None, None)


# -- invalid templates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "",
        "users",
        "{x}",
        "*",
        "/{x:bogus}",
        "/{x:Int}",
        "/a/{x:int}/{y:nope}",
        "/{a}/{a}",
        "/{a}/{a:int}",
        "/{a}.{a}",
        "/{a}/{a:path}",
    ],
)
def test_invalid_template_is_refused(core, template):
    table = make_table(core, ("/ok", GET, "ok"))
    with pytest.raises(ValueError):
        table.add(template, GET, "bad")
    assert len(table) == 1
    assert table.match("GET", "/ok") == (core.routing.FOUND, "ok", {}, None)


# -- the static cache ------------------------------------------------------------------


def test_routes_added_after_matching_are_seen(core):
    table = make_table(core, ("/a", GET, "a"))
    assert found(core, table, "GET", "/a")[0] == "a"
    assert outcome_of(table, "GET", "/b") == core.routing.NOT_FOUND
    table.add("/b", GET, "b")
    assert found(core, table, "GET", "/b")[0] == "b"
    assert outcome_of(table, "POST", "/a") == core.routing.METHOD_NOT_ALLOWED
    table.add("/a", POST, "a-post")
    assert found(core, table, "POST", "/a")[0] == "a-post"
    # A later parametrised route joins the static path's candidates, behind it.
    table.add("/{x}", frozenset({"PUT"}), "x")
    assert found(core, table, "PUT", "/a") == ("x", {"x": (str, "a")})
    assert found(core, table, "GET", "/a")[0] == "a"


def test_params_are_fresh_dicts(core):
    table = make_table(core, ("/{x}", GET, "x"), ("/s", POST, "s"), ("/t/{y:int}", GET, "t"))
    for path in ("/s", "/t/1"):  # a static path's precomputed params, and a tree walk
        first = table.match("GET", path)[2]
        first["injected"] = True
        first.clear()
        second = table.match("GET", path)[2]
        assert second is not first
        assert "injected" not in second and second
    # 405 answers too
    first = table.match("DELETE", "/s")[2]
    first["injected"] = True
    assert table.match("DELETE", "/s")[2] == {"x": "s"}


# -- size and depth --------------------------------------------------------------------


def test_very_long_paths_do_not_crash(core):
    table = make_table(
        core,
        ("/a/b/c", GET, "abc"),
        ("/a/{x}/c", GET, "axc"),
        ("/{x}/{y}/{z}", GET, "xyz"),
        ("/m/{p:path}", GET, "mount"),
    )
    long_path = "/a" * 100_000
    assert table.match("GET", long_path) == (core.routing.NOT_FOUND, None, None, None)
    assert table.match("GET", long_path + "/") == (core.routing.NOT_FOUND, None, None, None)
    assert found(core, table, "GET", "/m" + "/x" * 10_000)[1] == {
        "p": (str, "/".join(["x"] * 10_000))
    }
    assert outcome_of(table, "GET", "/" * 10_000) == core.routing.NOT_FOUND


def test_deep_templates_within_the_recursion_limit(core):
    depth = 300
    static = "".join(f"/s{i}" for i in range(depth))
    params = "".join(f"/{{p{i}:int}}" for i in range(depth))
    table = make_table(core, (static, GET, "static"), (params, GET, "params"))
    assert found(core, table, "GET", static)[0] == "static"
    target, values = found(core, table, "GET", "/7" * depth)
    assert target == "params" and values == {f"p{i}": (int, 7) for i in range(depth)}


def test_templates_deeper_than_the_recursion_limit(core):
    """Found with the fuzz target ``templates`` (tests/fuzz), which finds it again
    within minutes on the unfixed cores.

    The walk recursed once per template segment: a route of about 1,000
    segments made the pure core raise RecursionError at every match (the
    static answers are built by the same walk), and one of 100,000 overflowed
    the C stack of the compiled core (a segfault). Segments past the tree's
    depth are now matched as one regular expression, like a path's rest.
    """
    depth = 5 * sys.getrecursionlimit()
    static = "".join(f"/s{i}" for i in range(depth))
    params = "".join(f"/{{p{i}:int}}" for i in range(depth))
    table = make_table(core, (static, GET, "static"), (params, POST, "params"), ("/ok", GET, "ok"))
    assert found(core, table, "GET", "/ok")[0] == "ok"
    assert found(core, table, "GET", static)[0] == "static"
    target, values = found(core, table, "POST", "/7" * depth)
    assert target == "params" and values == {f"p{i}": (int, 7) for i in range(depth)}
    assert table.match("GET", "/7" * depth)[:2] == (core.routing.METHOD_NOT_ALLOWED, "params")
    assert table.match("GET", static + "/") == (core.routing.REDIRECT, None, None, static)
    assert outcome_of(table, "POST", "/7" * (depth - 1) + "/x") == core.routing.NOT_FOUND
    flat = make_table(core, ("/a" * 200_000, GET, "deep"))
    assert found(core, flat, "GET", "/a" * 200_000)[0] == "deep"


def test_segments_past_the_tree_depth_match_as_in_the_tree(core):
    """Beyond the tree's depth a template's segments keep their meaning exactly."""
    prefix = "/x" * 100
    tail = "/f{n:int}/{a}.{b}/{u:uuid}/{r:float}/{s}/{p:path}"
    table = make_table(core, (prefix + tail, GET, "deep"), (prefix + "/{1}/-", GET, "braces"))
    target, values = found(core, table, "GET", prefix + f"/f12/x.y.z/{UUID_TEXT}/1.5/é/a/b")
    assert target == "deep"
    assert values == {
        "n": (int, 12),
        "a": (str, "x.y"),
        "b": (str, "z"),
        "u": (uuid.UUID, uuid.UUID(UUID_TEXT)),
        "r": (float, 1.5),
        "s": (str, "é"),
        "p": (str, "a/b"),
    }
    for bad in ("/f1.5/x.y/{u}/1/s/", "/f1/xy/{u}/1/s/", "/f1/x.y/{u}/1./s/", "/f1/x.y/{u}/1//"):
        assert outcome_of(table, "GET", prefix + bad.format(u=UUID_TEXT)) == core.routing.NOT_FOUND
    assert found(core, table, "GET", prefix + "/{1}/-")[0] == "braces"


# The two tests below spy on the PURE core only (its _Search.walk and _Edge.capture are
# Python methods that monkeypatch can wrap); the compiled walk is the same code in C.


def test_pure_walk_never_goes_deeper_than_the_tree(monkeypatch):
    search_class = pure_routing._Search
    walk = search_class.walk
    deepest = []

    def spy(self, node, depth, offset, values):
        deepest.append(depth)
        return walk(self, node, depth, offset, values)

    monkeypatch.setattr(search_class, "walk", spy)
    table = make_table(PURE, ("/a/b/c", GET, "abc"), ("/{x}/{y}/{z}", GET, "xyz"))
    table.match("GET", "/a" * 100_000)
    assert max(deepest) <= 3


def test_pure_matching_cost_does_not_grow_with_route_count(monkeypatch):
    """Counting work rather than timing it.

    With 1,000 parametrised routes, matching the last one visits as many tree
    nodes and tries as many parameter captures as matching the first one.
    """
    routing = pure_routing
    counts = {"walk": 0, "capture": 0}

    def counting(name, original):
        def spy(*args):
            counts[name] += 1
            return original(*args)

        return spy

    monkeypatch.setattr(routing._Search, "walk", counting("walk", routing._Search.walk))
    monkeypatch.setattr(routing._Edge, "capture", counting("capture", routing._Edge.capture))
    table = make_table(PURE, *[(f"/res{i}/{{id:int}}/items/{{item}}", GET, i) for i in range(1000)])

    def work(path: str) -> tuple[int, int]:
        counts.update(walk=0, capture=0)
        table.match("GET", path)
        return counts["walk"], counts["capture"]

    first, last = work("/res0/1/items/x"), work("/res999/1/items/x")
    assert table.match("GET", "/res999/1/items/x")[1] == 999
    assert first == last
    assert first[0] <= 5 and first[1] <= 2
