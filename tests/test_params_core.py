"""The parameter core, on both cores: parsing, coercion, collection and validation.

Every test takes the ``params`` fixture (tests/conftest.py), so it runs once on
the compiled ``fastcore._params`` and once on the pure ``fastcore_py.params``.
Parameters are built the way the declaration layer builds them: a ``ParamSpec``
whose adapter is ``TypeAdapter(Annotated[annotation, field_info])`` (the field
info without its default or alias), and per group one ``SchemaValidator`` over
a typed dict of the ``AS_OTHER`` parameters. Values are compared together with
their types, because ``3 == 3.0 == True``.
"""

from __future__ import annotations

import enum
import inspect
import json
from datetime import datetime
from types import ModuleType
from typing import Annotated, Any
from urllib.parse import parse_qsl

import pytest
from pydantic import BaseModel, Field, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, SchemaValidator, core_schema
from starlette.requests import cookie_parser

import fastcore_py.params as pure_params
from fastcore.params import Body, Form, Header, Query


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Filters(BaseModel):
    limit: int = 10
    tags: list[str] = []
    q: str | None = None


class Item(BaseModel):
    name: str
    price: float = 0.0


def typed(value: Any) -> Any:
    """``value`` with the type of everything in it, so that 1, 1.0 and True differ."""
    if type(value) is dict:
        return {key: typed(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(typed(item) for item in value)
    return (type(value), value)


def make_spec(
    params: ModuleType,
    name: str,
    annotation: Any,
    info: FieldInfo | None = None,
    *,
    key: str | None = None,
    kind: int | None = None,
    many: bool = False,
    whole: bool = False,
) -> Any:
    """A ``ParamSpec`` for ``Annotated[annotation, info]``, as the declaration layer makes it."""
    info = Query() if info is None else info
    validation_info = FieldInfo.merge_field_infos(
        info, default=PydanticUndefined, default_factory=None, alias=None, validation_alias=None
    )
    return params.ParamSpec(
        name,
        name if key is None else key,
        params.AS_OTHER if kind is None else kind,
        many,
        whole,
        info.is_required(),
        info.default,
        info.default_factory,
        TypeAdapter(Annotated[annotation, validation_info]),
    )


def make_validator(specs: list[Any]) -> Any:
    """One Pydantic call for the raw values of ``specs``, keyed by wire key."""
    if not specs:
        return None
    fields = {
        spec.key: core_schema.typed_dict_field(spec.adapter.core_schema, required=False)
        for spec in specs
    }
    return SchemaValidator(core_schema.typed_dict_schema(fields))


def make_group(
    params: ModuleType,
    location: str,
    *specs: Any,
    blank_is_missing: bool = False,
    many_keys: frozenset[str] = frozenset(),
    model_fields: tuple[tuple[str, str], ...] = (),
    validator: Any = None,
) -> Any:
    if validator is None:
        validator = make_validator([spec for spec in specs if spec.kind == params.AS_OTHER])
    many_keys = many_keys | {spec.key for spec in specs if spec.many}
    return params.ParamGroup(location, specs, validator, many_keys, blank_is_missing, model_fields)


def resolve(group: Any, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Any] | None]:
    arguments: dict[str, Any] = {}
    errors = group.resolve(raw, arguments)
    return arguments, errors


def missing(*loc: Any) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


class CountingValidator:
    """Wraps a validator and records what ``validate_python`` is called with."""

    def __init__(self, validator: Any) -> None:
        self.validator = validator
        self.calls: list[Any] = []

    def validate_python(self, value: Any) -> Any:
        self.calls.append(dict(value))
        return self.validator.validate_python(value)


# -- the public surface ------------------------------------------------------------


def test_kinds_and_sentinels(params):
    kinds = [params.AS_STR, params.AS_INT, params.AS_FLOAT, params.AS_BOOL, params.AS_OTHER]
    assert kinds == [0, 1, 2, 3, 4]
    assert all(type(kind) is int for kind in kinds)
    assert repr(params.NOT_NATIVE) == "NOT_NATIVE"
    assert repr(params.MISSING) == "MISSING"
    assert params.NOT_NATIVE is not params.MISSING


def test_both_cores_document_the_same_api(params):
    """Same docstrings and signatures on both sides: a reader can switch files."""
    for name, theirs in vars(pure_params).items():
        if name.startswith("_") or getattr(theirs, "__module__", None) != pure_params.__name__:
            continue
        ours = getattr(params, name)
        assert ours.__doc__ == theirs.__doc__, name
        if inspect.isfunction(theirs):
            assert inspect.signature(ours) == inspect.signature(theirs), name
            continue
        for method, their_method in vars(theirs).items():
            if method.startswith("_") or not inspect.isfunction(their_method):
                continue
            our_method = getattr(ours, method)
            assert our_method.__doc__ == their_method.__doc__, f"{name}.{method}"
            assert inspect.signature(our_method) == inspect.signature(their_method), method


def test_spec_and_group_attributes_are_readable(params):
    spec = params.ParamSpec("q", "q-key", params.AS_INT, True, False, False, 3, list, None)
    assert (spec.name, spec.key, spec.kind, spec.many, spec.whole) == (
        "q",
        "q-key",
        params.AS_INT,
        True,
        False,
    )
    assert (spec.required, spec.default, spec.factory, spec.adapter) == (False, 3, list, None)
    whole = params.ParamSpec("f", "\x00f", params.AS_OTHER, False, True, False, None, None, None)
    fields = (("a-b", "a_b"), ("c", "c"))
    group = params.ParamGroup("query", (spec, whole), None, frozenset({"q-key"}), True, fields)
    assert group.location == "query"
    assert group.params == (spec, whole)
    assert group.validator is None
    assert group.many_keys == frozenset({"q-key"})
    assert group.blank_is_missing is True
    assert group.model_fields == fields
    assert group.model_spellings == frozenset({"a-b", "a_b", "c"})
    assert group.keys == frozenset({"q-key"})  # a whole param has no key of its own
    assert group.wants_all is True
    body = params.JsonBody(spec, None, True, False)
    assert (body.param, body.group, body.strict, body.from_bytes) == (spec, None, True, False)


# -- parse_query -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        (b"", []),
        (b"a=1&b=2", [("a", "1"), ("b", "2")]),
        (b"a=1&a=2&a=1", [("a", "1"), ("a", "2"), ("a", "1")]),
        (b"a+b=c+d", [("a b", "c d")]),
        (b"q=%2B+%2b", [("q", "+ +")]),
        (b"q=%41%42%43", [("q", "ABC")]),
        (b"q=%C3%A9t%C3%A9", [("q", "été")]),
        (b"q=%ff", [("q", "\ufffd")]),  # invalid UTF-8: a replacement character
        (b"q=%e9t%e9", [("q", "\ufffdt\ufffd")]),
        (b"q=%C3", [("q", "\ufffd")]),  # a truncated sequence
        (b"q=%2", [("q", "%2")]),  # not an escape: kept as it is
        (b"q=%zz%", [("q", "%zz%")]),
        (b"q=\xe9", [("q", "\xe9")]),  # raw bytes are read as latin-1
        (b"%3D=%26", [("=", "&")]),
        (b"a=", [("a", "")]),
        (b"a", [("a", "")]),
        (b"a&&b", [("a", ""), ("b", "")]),
        (b"&", []),
        (b"&&=&", [("", "")]),
        (b"=x", [("", "x")]),
        (b"=", [("", "")]),
        (b"a=b=c", [("a", "b=c")]),
        (b"a;b=1", [("a;b", "1")]),  # only & separates pairs
        (b"a=%00", [("a", "\x00")]),
    ],
)
def test_parse_query(params, query_string, expected):
    assert params.parse_query(query_string) == expected
    assert expected == parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)


# -- parse_cookies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        ("a=1", {"a": "1"}),
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("a=1;b=2", {"a": "1", "b": "2"}),
        ("  a  =  1  ;  b = x y  ", {"a": "1", "b": "x y"}),
        ("a=1; a=2", {"a": "2"}),  # the last wins
        ('a="x y"', {"a": "x y"}),
        ('a="\\"q\\""', {"a": '"q"'}),
        ('a="\\012"', {"a": "\n"}),
        ('a="', {"a": '"'}),
        ('a=""', {"a": ""}),
        ('a="x', {"a": '"x'}),
        ("novalue", {"": "novalue"}),  # no "=": a value with an empty name
        ("a=1; novalue; b=2", {"a": "1", "": "novalue", "b": "2"}),
        ("=1", {"": "1"}),
        ("a=", {"a": ""}),
        ("a=b=c", {"a": "b=c"}),
        (";;  ;", {}),
        ("a=%20", {"a": "%20"}),  # no percent-decoding
    ],
)
def test_parse_cookies(params, header, expected):
    assert params.parse_cookies(header) == expected
    assert expected == cookie_parser(header)


# -- coerce ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind_name", "text", "expected"),
    [
        ("AS_STR", "x", (str, "x")),
        ("AS_STR", "", (str, "")),
        ("AS_STR", " 1 ", (str, " 1 ")),
        ("AS_INT", "0", (int, 0)),
        ("AS_INT", "-12", (int, -12)),
        ("AS_INT", "007", (int, 7)),
        ("AS_INT", "-0", (int, 0)),
        ("AS_FLOAT", "3.25", (float, 3.25)),
        ("AS_FLOAT", "3", (float, 3.0)),
        ("AS_FLOAT", "-0.5", (float, -0.5)),
        ("AS_FLOAT", "007.50", (float, 7.5)),
        ("AS_BOOL", "1", (bool, True)),
        ("AS_BOOL", "on", (bool, True)),
        ("AS_BOOL", "t", (bool, True)),
        ("AS_BOOL", "true", (bool, True)),
        ("AS_BOOL", "y", (bool, True)),
        ("AS_BOOL", "yes", (bool, True)),
        ("AS_BOOL", "0", (bool, False)),
        ("AS_BOOL", "off", (bool, False)),
        ("AS_BOOL", "f", (bool, False)),
        ("AS_BOOL", "false", (bool, False)),
        ("AS_BOOL", "n", (bool, False)),
        ("AS_BOOL", "no", (bool, False)),
    ],
)
def test_coerce_native(params, kind_name, text, expected):
    value = params.coerce(getattr(params, kind_name), text)
    assert (type(value), value) == expected


@pytest.mark.parametrize(
    ("kind_name", "text"),
    [
        *[
            ("AS_INT", text)
            for text in ("+1", " 1", "1 ", "1e3", "1_000", "", "-", "--1", "1.", "1.0", "0x1f")
        ],
        *[("AS_INT", text) for text in ("٣", "１", "1\n", "\t1", "1-")],
        *[
            ("AS_FLOAT", text)
            for text in ("1.", ".5", "-.5", "+1.5", "1e3", "1E3", "inf", "nan", "", "-", ".")
        ],
        *[("AS_FLOAT", text) for text in ("1.2.3", " 1.5", "1,5", "1_0.5", "١.٥", "-1.-5")],
        *[("AS_BOOL", text) for text in ("YES", "True", "TRUE", "On", "", "2", "on ", " no", "x")],
        ("AS_OTHER", "1"),
    ],
)
def test_coerce_leaves_uncertain_spellings_to_pydantic(params, kind_name, text):
    assert params.coerce(getattr(params, kind_name), text) is params.NOT_NATIVE


class Text(str):
    pass


@pytest.mark.parametrize("raw", [1, 1.0, True, None, b"1", ["1"], Text("1"), Text("true")])
@pytest.mark.parametrize("kind_name", ["AS_STR", "AS_INT", "AS_FLOAT", "AS_BOOL", "AS_OTHER"])
def test_coerce_handles_only_exact_strings(params, kind_name, raw):
    assert params.coerce(getattr(params, kind_name), raw) is params.NOT_NATIVE


def test_coerce_unknown_kind_is_not_native(params):
    assert params.coerce(99, "1") is params.NOT_NATIVE
    assert params.coerce(-1, "1") is params.NOT_NATIVE


def test_coerce_digit_limit(params):
    """Up to 4000 digits are parsed natively; longer numbers are Pydantic's to decide."""
    assert params.coerce(params.AS_INT, "9" * 4000) == int("9" * 4000)
    assert params.coerce(params.AS_INT, "-" + "9" * 4000) == -int("9" * 4000)
    assert params.coerce(params.AS_INT, "9" * 4001) is params.NOT_NATIVE
    assert params.coerce(params.AS_FLOAT, "1" * 4000 + "." + "5" * 4000) == float("inf")
    assert params.coerce(params.AS_FLOAT, "1." + "5" * 4001) is params.NOT_NATIVE
    assert params.coerce(params.AS_FLOAT, "1" * 4001 + ".5") is params.NOT_NATIVE


# -- ParamGroup.collect ----------------------------------------------------------------


def plain_group(params: ModuleType, *keys: str, many: tuple[str, ...] = ()) -> Any:
    specs = [make_spec(params, key, str, Query(None), kind=params.AS_STR) for key in keys]
    specs += [make_spec(params, key, list[str], Query(None), many=True) for key in many]
    return make_group(params, "query", *specs)


def test_collect_last_value_wins_unless_first_wins(params):
    group = plain_group(params, "a", "b")
    pairs = [("a", "1"), ("b", "x"), ("a", "2"), ("a", "3")]
    assert group.collect(pairs, False) == {"a": "3", "b": "x"}
    assert group.collect(pairs, True) == {"a": "1", "b": "x"}


def test_collect_many_keys_keep_every_value_in_order(params):
    group = plain_group(params, "a", many=("xs",))
    pairs = [("xs", "1"), ("a", "1"), ("xs", "3"), ("xs", "2"), ("xs", "")]
    for first_wins in (False, True):
        assert group.collect(pairs, first_wins) == {"xs": ["1", "3", "2", ""], "a": "1"}


def test_collect_leaves_out_unwanted_keys(params):
    group = plain_group(params, "a", many=("xs",))
    pairs = [("z", "1"), ("A", "2"), ("a ", "3"), ("", "4"), ("x", "5")]
    assert group.collect(pairs, False) == {}
    assert group.collect([], False) == {}
    assert group.collect(iter([("a", "1")]), False) == {"a": "1"}


def test_collect_headers_decodes_latin1_and_keeps_the_first(params):
    specs = [
        make_spec(params, "x_token", str, Header(None), key="x-token", kind=params.AS_STR),
        make_spec(params, "accept", list[str], Header(None), many=True),
    ]
    group = make_group(params, "header", *specs)
    headers = [
        (b"x-token", b"caf\xe9"),
        (b"accept", b"a"),
        (b"host", b"h"),
        (b"x-token", b"second"),
        (b"accept", b"b"),
    ]
    assert group.collect_headers(headers) == {"x-token": "café", "accept": ["a", "b"]}


def model_group(params: ModuleType, location: str = "query") -> Any:
    spec = make_spec(params, "filters", Filters, Query(), key="\x00filters", whole=True)
    return make_group(
        params,
        location,
        spec,
        many_keys=frozenset({"tags"}),
        model_fields=(("limit", "limit"), ("tags", "tags"), ("q", "q")),
    )


def test_collect_for_a_model_sees_every_key_its_own_first(params):
    group = model_group(params)
    assert group.wants_all
    pairs = [("other", "1"), ("q", "a"), ("tags", "x"), ("q", "b"), ("dup", "1"), ("dup", "2")]
    raw = group.collect(pairs, False)
    assert raw == {"tags": ["x"], "q": "b", "other": "1", "dup": ["1", "2"]}
    assert list(raw) == ["tags", "q", "other", "dup"]  # model keys first, in field order
    assert group.collect(pairs, True)["q"] == "a"


class HeaderFilters(BaseModel):
    x_limit: int = 0
    x_tags: list[str] = []


def header_model_group(params: ModuleType) -> Any:
    spec = make_spec(params, "h", HeaderFilters, Header(), key="\x00h", whole=True)
    fields = (("x-limit", "x_limit"), ("x-tags", "x_tags"))
    return make_group(params, "header", spec, many_keys=frozenset({"x-tags"}), model_fields=fields)


def test_collect_for_a_model_renames_wire_keys_to_field_names(params):
    group = header_model_group(params)
    pairs = [
        ("x_limit", "1"),
        ("x-limit", "2"),
        ("x-tags", "a"),
        ("x-other", "3"),
        ("x-limit", "4"),
    ]
    # Neither spelling of a field is passed on again as an extra key.
    assert group.collect(pairs, True) == {"x_limit": "2", "x_tags": ["a"], "x-other": "3"}
    assert group.collect(pairs, False) == {"x_limit": "4", "x_tags": ["a"], "x-other": "3"}
    headers = [(b"x-limit", b"7"), (b"x-tags", b"a"), (b"x-tags", b"b")]
    assert resolve(group, group.collect_headers(headers)) == (
        {"h": HeaderFilters(x_limit=7, x_tags=["a", "b"])},
        None,
    )


# -- ParamGroup.resolve: the fast path -------------------------------------------------


def native_group(params: ModuleType) -> Any:
    return make_group(
        params,
        "query",
        make_spec(params, "n", int, kind=params.AS_INT),
        make_spec(params, "f", float, Query(1.5), kind=params.AS_FLOAT),
        make_spec(params, "b", bool, Query(False), kind=params.AS_BOOL),
        make_spec(params, "s", str | None, Query(None), kind=params.AS_STR),
        make_spec(
            params, "xs", list[int], Query(default_factory=list), kind=params.AS_INT, many=True
        ),
    )


def test_resolve_native_values(params):
    group = native_group(params)
    raw = {"n": "-3", "f": "2", "b": "yes", "s": "", "xs": ["1", "02"], "zz": "ignored"}
    arguments, errors = resolve(group, raw)
    assert errors is None
    assert typed(arguments) == {
        "n": (int, -3),
        "f": (float, 2.0),
        "b": (bool, True),
        "s": (str, ""),
        "xs": [(int, 1), (int, 2)],
    }


def test_resolve_defaults_for_absent_values(params):
    group = native_group(params)
    arguments, errors = resolve(group, {"n": "1"})
    assert errors is None
    assert typed(arguments) == {
        "n": (int, 1),
        "f": (float, 1.5),
        "b": (bool, False),
        "s": (type(None), None),
        "xs": [],
    }


def test_resolve_empty_list_is_absent(params):
    group = native_group(params)
    assert resolve(group, {"n": "1", "xs": []})[0]["xs"] == []
    required = make_group(params, "query", make_spec(params, "xs", list[int], many=True))
    assert resolve(required, {"xs": []}) == ({}, [missing("query", "xs")])


def test_resolve_factory_default_is_fresh_per_call(params):
    group = native_group(params)
    first, _ = resolve(group, {"n": "1"})
    second, _ = resolve(group, {"n": "1"})
    assert first["xs"] == second["xs"] == []
    assert first["xs"] is not second["xs"]


def test_resolve_uncertain_spellings_go_to_pydantic(params):
    group = native_group(params)
    raw = {"n": "+1_000", "f": "1e3", "b": "YES", "xs": [" 4", "5"]}
    arguments, errors = resolve(group, raw)
    assert errors is None
    assert typed(arguments) == {
        "n": (int, 1000),
        "f": (float, 1000.0),
        "b": (bool, True),
        "s": (type(None), None),
        "xs": [(int, 4), (int, 5)],
    }


def test_resolve_calls_pydantic_once_for_every_other_param(params):
    specs = [
        make_spec(params, "n", int, kind=params.AS_INT),
        make_spec(params, "c", Annotated[int, Field(ge=0)], Query(5)),
        make_spec(params, "e", Color, Query(Color.red)),
        make_spec(params, "ids", set[int], Query(default_factory=set), many=True),
    ]
    validator = CountingValidator(make_validator([spec for spec in specs[1:]]))
    group = make_group(params, "query", *specs, validator=validator)
    arguments, errors = resolve(group, {"n": "1", "c": "7", "e": "blue", "ids": ["2", "2"]})
    assert errors is None
    assert typed(arguments) == {
        "n": (int, 1),
        "c": (int, 7),
        "e": (Color, Color.blue),
        "ids": (set, {2}),
    }
    assert validator.calls == [{"c": "7", "e": "blue", "ids": ["2", "2"]}]
    # Absent ones are not sent (their defaults are the core's to give), nor is an empty dict.
    validator.calls.clear()
    arguments, errors = resolve(group, {"n": "1"})
    assert typed(arguments) == {
        "n": (int, 1),
        "c": (int, 5),
        "e": (Color, Color.red),
        "ids": (set, set()),
    }
    assert validator.calls == []


def test_resolve_without_other_params_never_calls_pydantic(params):
    specs = [make_spec(params, "n", int, kind=params.AS_INT)]
    validator = CountingValidator(None)
    group = make_group(params, "query", *specs, validator=validator)
    assert resolve(group, {"n": "5"}) == ({"n": 5}, None)
    assert validator.calls == []


def test_resolve_uses_the_wire_key(params):
    spec = make_spec(
        params, "item_id", int, Query(alias="item-id"), key="item-id", kind=params.AS_INT
    )
    group = make_group(params, "query", spec)
    assert resolve(group, {"item-id": "3", "item_id": "4"}) == ({"item_id": 3}, None)
    assert resolve(group, {"item_id": "4"}) == ({}, [missing("query", "item-id")])


# -- ParamGroup.resolve: errors ------------------------------------------------------


def test_resolve_missing_required(params):
    group = native_group(params)
    assert resolve(group, {})[1] == [missing("query", "n")]
    assert resolve(group, {"f": "x"})[1] == [
        missing("query", "n"),
        {
            "type": "float_parsing",
            "loc": ("query", "f"),
            "msg": "Input should be a valid number, unable to parse string as a number",
            "input": "x",
        },
    ]


def test_resolve_errors_are_located_by_key(params):
    group = make_group(
        params,
        "query",
        make_spec(params, "n", int, kind=params.AS_INT),
        make_spec(params, "c", int, Query(ge=3)),
        make_spec(params, "xs", list[int], Query(), kind=params.AS_INT, many=True),
    )
    arguments, errors = resolve(group, {"n": "1", "c": "2", "xs": ["1", "x"]})
    assert errors == [
        {
            "type": "greater_than_equal",
            "loc": ("query", "c"),
            "msg": "Input should be greater than or equal to 3",
            "input": "2",
            "ctx": {"ge": 3},
        },
        {
            "type": "int_parsing",
            "loc": ("query", "xs", 1),
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "x",
        },
    ]
    assert arguments["n"] == 1  # what did validate is still there; the caller drops it


def test_resolve_enum_error(params):
    group = make_group(params, "cookie", make_spec(params, "color", Color))
    assert resolve(group, {"color": "green"})[1] == [
        {
            "type": "enum",
            "loc": ("cookie", "color"),
            "msg": "Input should be 'red' or 'blue'",
            "input": "green",
            "ctx": {"expected": "'red' or 'blue'"},
        }
    ]


def test_resolve_slowly_agrees_with_resolve(params):
    group = native_group(params)
    for raw in ({"n": "1", "xs": ["2"]}, {"n": "x"}, {}, {"n": "1", "b": "maybe"}):
        fast, slow = {}, {}
        assert group.resolve(raw, fast) == group.resolve_slowly(raw, slow)
        assert typed(fast) == typed(slow)


# -- whole params: a model declared as a group of parameters -----------------------------


def test_resolve_whole_model(params):
    group = model_group(params)
    arguments, errors = resolve(group, {"limit": "5", "tags": ["a", "b"], "other": "x"})
    assert errors is None
    assert typed(arguments) == {"filters": (Filters, Filters(limit=5, tags=["a", "b"]))}
    assert resolve(group, {})[0] == {"filters": Filters()}


def test_resolve_whole_model_errors_are_located_by_field(params):
    group = model_group(params, "header")
    assert resolve(group, {"limit": "many", "tags": "x"})[1] == [
        {
            "type": "int_parsing",
            "loc": ("header", "limit"),
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "many",
        },
        {
            "type": "list_type",
            "loc": ("header", "tags"),
            "msg": "Input should be a valid list",
            "input": "x",
        },
    ]


# -- forms: blank values --------------------------------------------------------------------


def test_blank_is_missing_in_forms(params):
    group = make_group(
        params,
        "body",
        make_spec(params, "name", str, Form(), kind=params.AS_STR),
        make_spec(params, "age", int, Form(0), kind=params.AS_INT),
        blank_is_missing=True,
    )
    assert resolve(group, {"name": "", "age": ""}) == ({"age": 0}, [missing("body", "name")])
    assert resolve(group, {"name": "x", "age": ""}) == ({"name": "x", "age": 0}, None)


def test_blank_is_a_value_elsewhere(params):
    group = make_group(
        params,
        "query",
        make_spec(params, "name", str, kind=params.AS_STR),
        make_spec(params, "age", int, Query(0), kind=params.AS_INT),
    )
    arguments, errors = resolve(group, {"name": "", "age": ""})
    assert arguments["name"] == ""
    assert errors == [
        {
            "type": "int_parsing",
            "loc": ("query", "age"),
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "",
        }
    ]


# -- JsonBody ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON ; charset=utf-8", True),
        (" application/json", True),
        ("application/vnd.api+json", True),
        ("application/ld+json; profile=x", True),
        ("application/jsonx", False),
        ("application/json-seq", False),
        ("application/xjson", False),
        ("text/json", False),
        ("text/plain", False),
        ("multipart/form-data; boundary=x", False),
        ("json", False),
    ],
)
def test_is_json(params, content_type, expected):
    for strict in (True, False):
        assert params.JsonBody(None, None, strict, True).is_json(content_type) is expected


def test_is_json_without_content_type(params):
    assert params.JsonBody(None, None, True, True).is_json(None) is False
    assert params.JsonBody(None, None, False, True).is_json(None) is True


def item_body(params: ModuleType, info: FieldInfo | None = None, strict: bool = True) -> Any:
    return params.JsonBody(make_spec(params, "item", Item, info or Body()), None, strict, True)


def resolve_body(body: Any, data: bytes, content_type: str | None = "application/json") -> Any:
    arguments: dict[str, Any] = {}
    errors = body.resolve(data, content_type, arguments)
    return arguments, errors


def test_body_param(params):
    body = item_body(params)
    arguments, errors = resolve_body(body, b'{"name": "x", "price": 2}')
    assert errors is None
    assert typed(arguments) == {"item": (Item, Item(name="x", price=2.0))}
    for content_type in ("application/vnd.api+json", "application/json; charset=utf-8"):
        assert resolve_body(body, b'{"name": "y"}', content_type)[0] == {"item": Item(name="y")}


def test_body_param_errors_are_located_in_body(params):
    body = item_body(params)
    assert resolve_body(body, b'{"price": "x"}')[1] == [
        {
            "type": "missing",
            "loc": ("body", "name"),
            "msg": "Field required",
            "input": {"price": "x"},
        },
        {
            "type": "float_parsing",
            "loc": ("body", "price"),
            "msg": "Input should be a valid number, unable to parse string as a number",
            "input": "x",
        },
    ]
    assert resolve_body(body, b"[1]")[1] == [
        {
            "type": "model_attributes_type",
            "loc": ("body",),
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": [1],
        }
    ]


def test_empty_body(params):
    assert resolve_body(item_body(params), b"") == ({}, [missing("body")])
    default = Item(name="d")
    optional = item_body(params, Body(default))
    assert resolve_body(optional, b"") == ({"item": default}, None)
    assert resolve_body(optional, b"", None) == ({"item": default}, None)


@pytest.mark.parametrize(
    ("data", "position", "message"),
    [
        (b"{", 1, "Expecting property name enclosed in double quotes"),
        (b'{"name": "x"', 12, "Expecting ',' delimiter"),
        (b"[1,]", 3, "Expecting value"),
        (b"nul", 0, "Expecting value"),
        (b'{"name": "x"} x', 14, "Extra data"),
    ],
)
def test_invalid_json(params, data, position, message):
    error = {
        "type": "json_invalid",
        "loc": ("body", position),
        "msg": "JSON decode error",
        "input": {},
        "ctx": {"error": message},
    }
    assert resolve_body(item_body(params), data) == ({}, [error])


def test_body_that_is_not_utf8_is_not_a_validation_error(params):
    """json.loads fails with a UnicodeDecodeError, which FastAPI answers with a 400."""
    with pytest.raises(UnicodeDecodeError):
        resolve_body(item_body(params), b'{"name": "\xff"}')
    with pytest.raises(UnicodeDecodeError):
        resolve_body(group_body(params), b"\xff")


def test_json_nested_too_deep_raises_recursion_error(params):
    """Documented by ``JsonBody.resolve`` (the endpoint answers it with a 400, as FastAPI
    does): found undocumented by the fuzz target ``body`` (tests/fuzz)."""
    for data in (b"[" * 5000, b'{"a":' * 5000, b"[" * 5000 + b"]" * 5000):
        with pytest.raises(RecursionError):
            resolve_body(item_body(params), data)
        with pytest.raises(RecursionError):
            resolve_body(group_body(params), data)


def test_json_that_only_python_reads(params):
    """A UTF-8 BOM or UTF-16 body: Pydantic's parser refuses it, json.loads does not."""
    body = item_body(params)
    for data in (b'\xef\xbb\xbf{"name": "x"}', '{"name": "x"}'.encode("utf-16")):
        assert resolve_body(body, data) == ({"item": Item(name="x")}, None)


def test_non_json_content_type_passes_the_raw_bytes(params):
    raw = params.JsonBody(make_spec(params, "data", bytes, Body()), None, True, True)
    data = b'{"name": "x"}'
    for content_type in ("text/plain", "application/jsonx", None):
        assert typed(resolve_body(raw, data, content_type)[0]) == {"data": (bytes, data)}
    assert resolve_body(item_body(params), data, "text/plain")[1] == [
        {
            "type": "model_attributes_type",
            "loc": ("body",),
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": data,
        }
    ]


def test_missing_content_type_is_json_unless_strict(params):
    data = b'{"name": "x"}'
    assert resolve_body(item_body(params, strict=False), data, None)[0] == {"item": Item(name="x")}
    assert resolve_body(item_body(params, strict=True), data, None)[1][0]["input"] == data


def group_body(params: ModuleType, strict: bool = True) -> Any:
    specs = (
        make_spec(params, "a", int, Body()),
        make_spec(params, "item", Item | None, Body(None)),
        make_spec(params, "ids", list[int], Body(default_factory=list)),
    )
    group = params.ParamGroup("body", specs, make_validator(list(specs)), frozenset(), False, ())
    return params.JsonBody(None, group, strict, False)


def test_group_body(params):
    body = group_body(params)
    arguments, errors = resolve_body(body, b'{"a": "3", "item": {"name": "x"}, "zz": 1}')
    assert errors is None
    assert typed(arguments) == {
        "a": (int, 3),
        "item": (Item, Item(name="x")),
        "ids": [],
    }
    assert resolve_body(body, b'{"a": 1, "ids": [1, "x"]}')[1] == [
        {
            "type": "int_parsing",
            "loc": ("body", "ids", 1),
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "x",
        }
    ]


def test_group_body_empty_or_not_json(params):
    """No body, or one not read as JSON: required fields are errors, the others defaults."""
    expected = ({"item": None, "ids": []}, [missing("body", "a")])
    assert resolve_body(group_body(params), b"", "application/json") == expected
    assert resolve_body(group_body(params), b'{"a": 1}', "text/plain") == expected
    assert resolve_body(group_body(params), b'{"a": 1}', None) == expected


def test_group_body_not_an_object(params):
    """FastAPI finds no field in a body that is not an object, optional ones included."""
    expected = ({}, [missing("body", "a"), missing("body", "item"), missing("body", "ids")])
    for data, content_type in [
        (b"[1]", "application/json"),
        (b'"a"', "application/json"),
        (b"null", "application/json"),
        (b"3", "application/json"),
    ]:
        assert resolve_body(group_body(params), data, content_type) == expected, data


# -- where FastAPI's way is subtle -------------------------------------------------------


def test_empty_content_type_is_none(params):
    assert params.JsonBody(None, None, False, True).is_json("") is True
    assert params.JsonBody(None, None, True, True).is_json("") is False


def test_content_type_with_two_slashes_is_not_json(params):
    # FastAPI's media-type parser reads it as text/plain.
    assert params.JsonBody(None, None, True, True).is_json("application/x/+json") is False


def test_strict_body_is_validated_after_parsing(params):
    """Without ``from_bytes`` the body is parsed first, and strict refuses a str as FastAPI does."""
    spec = make_spec(params, "when", datetime, Body(strict=True))
    text = b'"2020-01-01T00:00:00"'
    arguments, errors = resolve_body(params.JsonBody(spec, None, True, False), text)
    assert [error["type"] for error in errors or ()] == ["datetime_type"]
    arguments, errors = resolve_body(params.JsonBody(spec, None, True, True), text)
    assert errors is None and arguments["when"] == datetime(2020, 1, 1)


def test_json_error_keeps_the_decoder_position_and_message(params):
    try:
        json.loads(b'{"a" 1}')
    except json.JSONDecodeError as error:
        assert params.json_error(error) == {
            "type": "json_invalid",
            "loc": ("body", 5),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting ':' delimiter"},
        }
    assert params.missing_error(("query", "q")) == missing("query", "q")
