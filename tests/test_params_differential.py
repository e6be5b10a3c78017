"""Differential property tests for the parameter core.

(a) The compiled core and the pure core get the same random query strings,
    cookie headers, texts, raw values and bodies, and must give equal answers:
    results with the type of every value in them, and equal error lists.
(b) Each core is checked against an oracle:

    * ``parse_query`` against ``urllib.parse.parse_qsl`` on the latin-1 text,
      which is what Starlette's ``QueryParams`` does;
    * ``parse_cookies`` against Starlette's ``cookie_parser``;
    * ``coerce``: a native value must be what Pydantic makes of the same text;
    * ``ParamGroup.resolve`` and ``JsonBody.resolve`` on a fixed set of groups:
      the oracle validates each parameter alone with its ``TypeAdapter``
      (``validate_python(value, from_attributes=True)``), as FastAPI does,
      so the native fast path and the one-call-per-group validator must give
      what the slow path gives;
    * end to end, a query string and a header list read through the core
      against Starlette's ``QueryParams``/``Headers`` and FastAPI's rules for
      picking values (last query value, first header, every value of a list).

Texts are biased toward numbers and the spellings where native coercion and
Pydantic could disagree (``+1``, ``1_000``, ``1e3``, ``-0``, `` 7``, ``YES``).
"""

from __future__ import annotations

import email.message
import enum
import importlib
import json
import math
from dataclasses import dataclass, field
from types import ModuleType
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote_plus

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, SchemaValidator, ValidationError, core_schema
from starlette.datastructures import Headers, QueryParams
from starlette.requests import cookie_parser

import fastcore_py.params as pure_params
from fastcore.params import Body, Form, Header, Query

CHEAP = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DIFFERENTIAL = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def compiled_params() -> ModuleType:
    return importlib.import_module("fastcore._params")


# -- comparing answers ------------------------------------------------------------------


def typed(value: Any) -> Any:
    """``value`` with the type of everything in it; floats by repr (NaN, -0.0)."""
    if type(value) is dict:
        return (dict, {key: typed(item) for key, item in value.items()})
    if type(value) in (list, tuple, set, frozenset):
        items = [typed(item) for item in value]
        return (type(value), sorted(items, key=repr) if type(value) in (set, frozenset) else items)
    if type(value) is float:
        return (float, repr(value))
    if isinstance(value, BaseException):
        return (type(value), str(value))
    if isinstance(value, BaseModel):
        return (type(value), typed(value.__dict__))
    return (type(value), value)


def outcome(call: Any, *args: Any) -> Any:
    """What ``call(*args, arguments)`` answers, and what it put into ``arguments``."""
    arguments: dict[str, Any] = {}
    try:
        errors = call(*args, arguments)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return typed(error)
    return typed(errors), typed(arguments)


# -- random texts --------------------------------------------------------------------

SPELLINGS = (
    *("", " ", "0", "-0", "007", "+1", " 7", "7 ", "1_000", "1e3", "1E-2", "-", "--1", "1.", ".5"),
    *("-.5", "1.0", "-0.0", "3.25", "1.2.3", "0x1f", "٣", "１", "nan", "inf", "-inf", "Infinity"),
    *("true", "false", "True", "YES", "yes", "on", "off", "t", "f", "y", "n", "1", "2", "no"),
    *("red", "blue", "RED", "x", "é", "a b", "9" * 30, "-" + "9" * 25 + ".5", "1" * 4001),
)
texts = st.one_of(
    st.sampled_from(SPELLINGS),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"[ +-]?[0-9_]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,3})? ?", fullmatch=True),
    st.text(max_size=6),
)


# -- the fixed groups: definitions shared by both cores and by the oracles ------------------


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = 10
    tags: list[str] = []
    q: str | None = None


class Item(BaseModel):
    name: str
    price: float = 0.0


@dataclass(frozen=True, eq=False)
class Param:
    """One parameter as the declaration layer would describe it."""

    name: str
    annotation: Any
    info: FieldInfo
    kind: str = "AS_OTHER"
    key: str = ""
    many: bool = False
    whole: bool = False
    adapter: TypeAdapter[Any] = field(init=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)
        # The field info without its default or alias, as the declaration layer does.
        info = FieldInfo.merge_field_infos(
            self.info,
            default=PydanticUndefined,
            default_factory=None,
            alias=None,
            validation_alias=None,
        )
        object.__setattr__(self, "adapter", TypeAdapter(Annotated[self.annotation, info]))

    @property
    def required(self) -> bool:
        return self.info.is_required()

    def default_value(self) -> Any:
        factory = self.info.default_factory
        return factory() if factory is not None else self.info.default

    def spec(self, params: ModuleType) -> Any:
        return params.ParamSpec(
            self.name,
            self.key,
            getattr(params, self.kind),
            self.many,
            self.whole,
            self.required,
            self.info.default,
            self.info.default_factory,
            self.adapter,
        )


@dataclass(frozen=True, eq=False)
class Group:
    location: str
    params: tuple[Param, ...]
    blank_is_missing: bool = False
    many_keys: frozenset[str] = frozenset()
    model_fields: tuple[tuple[str, str], ...] = ()
    validator: Any = field(init=False)

    def __post_init__(self) -> None:
        others = [param for param in self.params if param.kind == "AS_OTHER"]
        fields = {
            param.key: core_schema.typed_dict_field(param.adapter.core_schema, required=False)
            for param in others
        }
        validator = SchemaValidator(core_schema.typed_dict_schema(fields)) if fields else None
        object.__setattr__(self, "validator", validator)
        many = self.many_keys | {param.key for param in self.params if param.many}
        object.__setattr__(self, "many_keys", frozenset(many))

    def build(self, params: ModuleType) -> Any:
        specs = tuple(param.spec(params) for param in self.params)
        return params.ParamGroup(
            self.location,
            specs,
            self.validator,
            self.many_keys,
            self.blank_is_missing,
            self.model_fields,
        )

    @property
    def keys(self) -> list[str]:
        """The keys of raw values: wire keys, and a model's field names."""
        names = [name for _, name in self.model_fields]
        return [param.key for param in self.params if not param.whole] + names

    @property
    def wire_keys(self) -> list[str]:
        """The keys sent on the wire."""
        keys = [key for key, _ in self.model_fields]
        return [param.key for param in self.params if not param.whole] + keys

    @property
    def list_keys(self) -> frozenset[str]:
        """The keys of raw values that ``collect`` makes lists."""
        names = {name for key, name in self.model_fields if key in self.many_keys}
        return self.many_keys | names


QUERY = Group(
    "query",
    (
        Param("n", int, Query(), "AS_INT"),
        Param("f", float, Query(1.5), "AS_FLOAT"),
        Param("b", bool, Query(False), "AS_BOOL"),
        Param("s", str | None, Query(None), "AS_STR"),
        Param("req", str, Query(), "AS_STR"),
        Param("c", int, Query(5, ge=0, le=100)),
        Param("e", Color, Query(Color.red)),
        Param("o", int | None, Query(None, alias="o-alias"), "AS_INT", key="o-alias"),
        Param("xs", list[int], Query(default_factory=list), "AS_INT", many=True),
        Param("ys", list[str] | None, Query(None), "AS_STR", many=True),
        Param("fs", list[float], Query(default_factory=lambda: [1.0]), "AS_FLOAT", many=True),
        Param("bs", list[bool], Query(), "AS_BOOL", many=True),
        Param("t", tuple[int, ...], Query(()), many=True),
        Param("ci", list[Annotated[int, Query(gt=0)]], Query(default_factory=list), many=True),
    ),
)
FORM = Group(
    "body",
    (
        Param("name", str, Form(), "AS_STR"),
        Param("age", int, Form(0), "AS_INT"),
        Param("tags", list[str], Form(default_factory=list), "AS_STR", many=True),
        Param("score", float, Form(ge=0)),
    ),
    blank_is_missing=True,
)
MODEL = Group(
    "query",
    (Param("filters", Filters, Query(), key="\x00filters", whole=True),),
    many_keys=frozenset({"tags"}),
    model_fields=(("limit", "limit"), ("tags", "tags"), ("q", "q")),
)


class HeaderFilters(BaseModel):
    x_limit: int = 0
    x_tags: list[str] = []


HEADER_MODEL = Group(
    "header",
    (Param("h", HeaderFilters, Header(), key="\x00h", whole=True),),
    many_keys=frozenset({"x-tags"}),
    model_fields=(("x-limit", "x_limit"), ("x-tags", "x_tags")),
)
HEADER = Group(
    "header",
    (
        Param("x_token", str, Header(), "AS_STR", key="x-token"),
        Param("x_n", int, Header(0), "AS_INT", key="x-n"),
        Param("accept", list[str] | None, Header(None), "AS_STR", many=True),
        Param("x_color", Color | None, Header(None), key="x-color"),
    ),
)
GROUPS = {
    "query": QUERY,
    "form": FORM,
    "model": MODEL,
    "header": HEADER,
    "header_model": HEADER_MODEL,
}
EXTRA_KEYS = ("zz", "", "N", "x_token")


@dataclass(frozen=True, eq=False)
class BodyDef:
    param: Param | None = None
    group: Group | None = None

    def build(self, params: ModuleType, strict: bool) -> Any:
        param = None if self.param is None else self.param.spec(params)
        group = None if self.group is None else self.group.build(params)
        return params.JsonBody(param, group, strict, True)


BODIES = {
    "item": BodyDef(param=Param("item", Item, Body())),
    "int": BodyDef(param=Param("n", int, Body(3))),
    "ints": BodyDef(param=Param("ids", list[int], Body())),
    "group": BodyDef(
        group=Group(
            "body",
            (
                Param("a", int, Body()),
                Param("item", Item | None, Body(None)),
                Param("ids", list[int], Body(default_factory=list)),
                Param("color", Color, Body(Color.red)),
            ),
        )
    ),
}

_built: dict[tuple[str, str, Any], Any] = {}


def built(params: ModuleType, name: str, strict: Any = None) -> Any:
    """The core object for a fixed group or body, built once per core."""
    cache_key = (params.__name__, name, strict)
    if cache_key not in _built:
        if name in GROUPS:
            _built[cache_key] = GROUPS[name].build(params)
        else:
            _built[cache_key] = BODIES[name].build(params, strict)
    return _built[cache_key]


# -- random raw values, bodies and requests -------------------------------------------------


# Valid texts for each wire key, so that the fast path often succeeds to the end.
_ints = st.integers(-(10**6), 10**6).map(str)
_decimals = _ints | st.builds("{}.{}".format, _ints, st.integers(0, 999))
_words = st.sampled_from(("true", "false", "1", "0", "yes", "no", "on", "off", "True", "NO"))
_colors = st.sampled_from(("red", "blue"))
GOOD_TEXTS: dict[str, st.SearchStrategy[str]] = {
    **dict.fromkeys(("n", "o-alias", "xs", "t", "age", "x-n", "limit", "x_limit"), _ints),
    **dict.fromkeys(("f", "fs", "score"), _decimals),
    **dict.fromkeys(("b", "bs"), _words),
    **dict.fromkeys(("c", "ci"), st.integers(-2, 102).map(str)),
    **dict.fromkeys(("e", "x-color"), _colors),
}


def text_for(key: str, valid: bool = False) -> st.SearchStrategy[str]:
    """A valid text for ``key``; unless ``valid``, now and then any text at all."""
    good = GOOD_TEXTS.get(key, st.text(max_size=5))
    return good if valid else st.one_of(*[good] * 7, texts)


@st.composite
def raw_dicts(draw: Any, group: Group, anything: bool = False) -> dict[str, Any]:
    """Raw values as ``collect`` makes them; with ``anything``, any shape at all.

    Half of them are meant to validate: every required key, valid texts only.
    """
    valid = not anything and draw(st.booleans())
    required = {param.key for param in group.params if param.required}
    raw: dict[str, Any] = {}
    for key in group.keys + list(EXTRA_KEYS):
        if valid and key in EXTRA_KEYS:
            continue
        # Extras now and then; the group's keys often, and required ones always if valid.
        if not (valid and key in required) and not draw(
            st.integers(0, 9 if key in EXTRA_KEYS else 3)
        ):
            continue
        if key in group.list_keys:
            raw[key] = draw(st.lists(text_for(key, valid), min_size=valid, max_size=3))
        else:
            raw[key] = draw(text_for(key, valid))
        if anything and draw(st.integers(0, 3)) == 0:
            raw[key] = draw(
                st.lists(texts, max_size=2)
                | texts
                | st.none()
                | st.integers()
                | st.booleans()
                | st.floats()
            )
    return raw


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**25), 10**25)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
json_keys = st.sampled_from(("a", "item", "ids", "color", "name", "price", "n", "zz"))
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(json_keys, children, max_size=4)
    ),
    max_leaves=8,
)
SPECIAL_BODIES = (
    b"",
    b"null",
    b"  {}  ",
    b"{}\n",
    b"[]",
    b'"\\ud800"',
    b'{"name": "\\ud800"}',
    b'{"a": 1, "a": "2"}',
    b"1e400",
    b"[1e400]",
    b'{"a": 1e400}',
    b'{"a": 1.0, "ids": [1.0, 2]}',
    b'{"a": 12345678901234567890123}',
    b"NaN",
    b'{"price": NaN, "name": "x"}',
    b'\xef\xbb\xbf{"name": "x"}',
    '{"name": "x", "a": 1}'.encode("utf-16"),
    b'{"name": "\xff"}',
    b"\xff",
    b"{",
    b'{"a": 1',
    b'{"a": 1} x',
    b"nul",
    b"[1,]",
)


_items = st.fixed_dictionaries(
    {"name": st.text(max_size=4)},
    optional={"price": st.integers(-5, 5) | st.floats(-5, 5) | _decimals, "zz": json_scalars},
)
GOOD_JSON: dict[str, st.SearchStrategy[Any]] = {
    "zz": json_scalars,
    "item": _items | st.none(),
    "n": st.integers(-5, 5) | _ints,
    "ids": st.lists(st.integers(-5, 5) | _ints, max_size=3),
    "a": st.integers(-5, 5) | _ints,
    "color": _colors,
}
GOOD_BODIES: dict[str, st.SearchStrategy[Any]] = {
    "item": _items,
    "int": GOOD_JSON["n"],
    "ints": GOOD_JSON["ids"],
    "group": st.fixed_dictionaries(
        {"a": GOOD_JSON["a"]},
        optional={key: GOOD_JSON[key] for key in ("item", "ids", "color", "zz")},
    ),
}


@st.composite
def bodies(draw: Any, name: str) -> bytes:
    """Mostly a valid JSON body for the body ``name``; else anything, valid JSON or not."""
    choice = draw(st.integers(0, 7))
    if choice == 0:
        return draw(st.sampled_from(SPECIAL_BODIES))
    if choice == 1:
        return draw(st.binary(max_size=12))
    if choice <= 4:
        return json.dumps(draw(GOOD_BODIES[name])).encode()
    data = json.dumps(draw(json_values)).encode()
    if choice == 5:  # cut short, or with a stray byte: mostly invalid JSON
        cut = draw(st.integers(0, len(data)))
        return data[:cut] + draw(st.sampled_from((b"", b",", b"}", b"\x00")))
    return data


CONTENT_TYPES = (
    None,
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON ; x=y",
    "application/vnd.api+json",
    "application/ld+json;profile=x",
    "application/jsonx",
    "application/json-seq",
    "text/json",
    "text/plain",
    "multipart/form-data; boundary=x",
)
# Left out of the oracle: "" (FastAPI takes it as no Content-Type) and types with
# two slashes (FastAPI's email parser takes them as text/plain); see the report.
ODD_CONTENT_TYPES = ("", "application/x/+json")
JSON_CONTENT_TYPES = ("application/json", "application/json; charset=utf-8")


@st.composite
def requests_for_bodies(draw: Any, also_odd_types: bool = False) -> tuple[Any, ...]:
    """(body name, strict, body bytes, Content-Type), the Content-Type mostly JSON."""
    name = draw(st.sampled_from(sorted(BODIES)))
    strict = draw(st.booleans())
    body = draw(bodies(name))
    odd = ODD_CONTENT_TYPES if also_odd_types else ()
    types = st.sampled_from(JSON_CONTENT_TYPES) | st.sampled_from((*CONTENT_TYPES, *odd))
    return name, strict, body, draw(types)


QUERY_BYTES = (
    *(b"a", b"b", b"=", b"&", b"+", b"%", b"%2", b"%41", b"%2b", b"%26", b"%3D", b"%e9"),
    *(b"%C3%A9", b"%ff", b"%C3", b"\xe9", b"\xc3\xa9", b";", b" ", b"%00", b"%%", b"%zz"),
)
query_strings = st.lists(st.sampled_from(QUERY_BYTES), max_size=12).map(b"".join) | st.binary(
    max_size=16
)
cookie_headers = st.lists(
    st.sampled_from(("a", "b", "=", ";", " ", '"', "\\", "\\012", '\\"', "é", "\t", "\xa0", "x y")),
    max_size=12,
).map("".join) | st.text(max_size=12)


@st.composite
def query_for(draw: Any, group: Group) -> bytes:
    """A query string made of the group's keys and others; half of them meant to validate."""
    valid = draw(st.booleans())
    pairs: list[tuple[str, str | None]] = []
    for _ in range(draw(st.integers(0, 10))):
        key = draw(st.sampled_from(group.wire_keys + ([] if valid else list(EXTRA_KEYS))))
        value = draw(text_for(key, valid))
        pairs.append((key, value if valid or draw(st.integers(0, 9)) else None))
    if valid:  # the required keys
        pairs += [("n", draw(_ints)), ("req", draw(st.text(max_size=3))), ("bs", draw(_words))]
    pairs = draw(st.permutations(pairs))
    # Percent-encoded, so that every value arrives as it was; or sent as it is, so
    # that "+", "%", "&" and "=" in values and the latin-1 reading of UTF-8 bytes
    # are exercised too.
    if valid or draw(st.booleans()):
        quoted = [
            quote_plus(key) + ("" if value is None else "=" + quote_plus(value))
            for key, value in pairs
        ]
        return "&".join(quoted).encode()
    text = "&".join(key if value is None else f"{key}={value}" for key, value in pairs)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def header_lists(draw: Any, group: Group) -> list[tuple[bytes, bytes]]:
    headers = []
    for _ in range(draw(st.integers(0, 8))):
        name = draw(st.sampled_from([*group.wire_keys, "host", "x_token", "x-other"]))
        value = draw(text_for(name)).encode("latin-1", "replace")
        headers.append((name.encode("latin-1"), value))
    if draw(st.booleans()):
        headers.append((b"x-token", draw(st.text(max_size=3)).encode("latin-1", "replace")))
    return draw(st.permutations(headers))


# -- oracles -------------------------------------------------------------------------


MISSING = object()


def missing_error(*loc: Any) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def validate_alone(param: Param, value: Any, where: tuple[Any, ...]) -> tuple[Any, list[Any]]:
    """``(value, [])`` or ``(MISSING, errors)``: FastAPI's ``ModelField.validate``."""
    try:
        return param.adapter.validate_python(value, from_attributes=True), []
    except ValidationError as error:
        details = error.errors(include_url=False)
        return MISSING, [{**detail, "loc": (*where, *detail["loc"])} for detail in details]


def slow_oracle(group: Group, raw: dict[str, Any]) -> tuple[Any, Any]:
    """Each parameter alone with its TypeAdapter, as FastAPI validates it."""
    arguments: dict[str, Any] = {}
    errors: list[Any] = []
    for param in group.params:
        if param.whole:
            value, found = validate_alone(param, raw, (group.location,))
        else:
            value = raw.get(param.key, MISSING)
            absent = (
                value is MISSING
                or (param.many and len(value) == 0)
                or (group.blank_is_missing and value == "")
            )
            if absent:
                if param.required:
                    errors.append(missing_error(group.location, param.key))
                else:
                    arguments[param.name] = param.default_value()
                continue
            value, found = validate_alone(param, value, (group.location, param.key))
        errors += found
        if value is not MISSING:
            arguments[param.name] = value
    return typed(errors or None), typed(arguments)


def fastapi_is_json(content_type: str | None, strict: bool) -> bool:
    """FastAPI's test of a Content-Type, with the standard library's header parser."""
    if not content_type:
        return not strict
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def body_oracle(body: BodyDef, data: bytes, content_type: str | None, strict: bool) -> Any:
    value: Any = MISSING
    if data:
        value = data
        if fastapi_is_json(content_type, strict):
            try:
                value = json.loads(data)
            except json.JSONDecodeError as error:
                invalid = {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
                return typed([invalid]), typed({})
            except ValueError as error:  # not UTF-8/16/32: raised, for a 400
                return typed(error)
    if body.group is not None:
        if value is MISSING or type(value) is bytes:  # no body, or not read as JSON
            return slow_oracle(body.group, {})
        if type(value) is not dict:  # FastAPI finds no field, optional or not
            missing = [missing_error("body", param.key) for param in body.group.params]
            return typed(missing), typed({})
        return slow_oracle(body.group, value)
    param = body.param
    assert param is not None
    if value is MISSING:
        if param.required:
            return typed([missing_error("body")]), typed({})
        return typed(None), typed({param.name: param.default_value()})
    value, errors = validate_alone(param, value, ("body",))
    return typed(errors or None), typed({} if value is MISSING else {param.name: value})


# -- (a) compiled core against pure core --------------------------------------------------

compiled_only = pytest.mark.compiled_only


@compiled_only
@CHEAP
@given(query_string=query_strings)
def test_cores_agree_on_parse_query(query_string):
    compiled = compiled_params().parse_query(query_string)
    assert typed(compiled) == typed(pure_params.parse_query(query_string))


@compiled_only
@CHEAP
@given(header=cookie_headers)
def test_cores_agree_on_parse_cookies(header):
    compiled = compiled_params().parse_cookies(header)
    assert typed(compiled) == typed(pure_params.parse_cookies(header))


@compiled_only
@CHEAP
@given(
    kind=st.integers(-1, 6),
    raw=texts | st.none() | st.integers() | st.floats() | st.binary(max_size=3) | st.lists(texts),
)
def test_cores_agree_on_coerce(kind, raw):
    compiled = compiled_params().coerce(kind, raw)
    expected = pure_params.coerce(kind, raw)
    if expected is pure_params.NOT_NATIVE:
        assert compiled is compiled_params().NOT_NATIVE
    else:
        assert typed(compiled) == typed(expected)


@compiled_only
@DIFFERENTIAL
@given(data=st.data())
def test_cores_agree_on_collect(data):
    name = data.draw(st.sampled_from(sorted(GROUPS)), label="group")
    group = GROUPS[name]
    keys = st.sampled_from([*group.wire_keys, *group.keys, *EXTRA_KEYS])
    pairs = data.draw(st.lists(st.tuples(keys, texts), max_size=10), label="pairs")
    first_wins = data.draw(st.booleans(), label="first_wins")
    compiled = built(compiled_params(), name).collect(pairs, first_wins)
    expected = built(pure_params, name).collect(pairs, first_wins)
    assert typed(compiled) == typed(expected)
    assert list(compiled) == list(expected)  # the order a model sees its keys in
    headers = [(key.encode("latin-1", "replace"), value.encode("utf-8")) for key, value in pairs]
    compiled = built(compiled_params(), name).collect_headers(headers)
    assert typed(compiled) == typed(built(pure_params, name).collect_headers(headers))


@compiled_only
@DIFFERENTIAL
@given(data=st.data())
def test_cores_agree_on_resolve(data):
    name = data.draw(st.sampled_from(sorted(GROUPS)), label="group")
    raw = data.draw(raw_dicts(GROUPS[name], anything=True), label="raw")
    compiled = outcome(built(compiled_params(), name).resolve, dict(raw))
    assert compiled == outcome(built(pure_params, name).resolve, dict(raw))


@compiled_only
@DIFFERENTIAL
@given(data=st.data())
def test_cores_agree_on_json_body(data):
    name, strict, body, content_type = data.draw(requests_for_bodies(also_odd_types=True))
    compiled = outcome(built(compiled_params(), name, strict).resolve, body, content_type)
    assert compiled == outcome(built(pure_params, name, strict).resolve, body, content_type)


# -- (b) each core against an oracle -----------------------------------------------------


@CHEAP
@given(query_string=query_strings)
def test_parse_query_is_parse_qsl(params, query_string):
    expected = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    assert params.parse_query(query_string) == expected


@CHEAP
@given(header=cookie_headers)
def test_parse_cookies_is_starlettes(params, header):
    assert params.parse_cookies(header) == cookie_parser(header)


KIND_TYPES = {"AS_STR": str, "AS_INT": int, "AS_FLOAT": float, "AS_BOOL": bool}
KIND_ADAPTERS = {name: TypeAdapter(kind_type) for name, kind_type in KIND_TYPES.items()}


@CHEAP
@given(kind=st.sampled_from(sorted(KIND_TYPES)), text=texts)
def test_native_values_are_pydantics(params, kind, text):
    native = params.coerce(getattr(params, kind), text)
    if native is params.NOT_NATIVE:
        event("left to Pydantic")
        return
    event("native")
    assert typed(native) == typed(KIND_ADAPTERS[kind].validate_python(text))


@DIFFERENTIAL
@given(data=st.data())
def test_resolve_is_the_slow_path(params, data):
    name = data.draw(st.sampled_from(sorted(GROUPS)), label="group")
    raw = data.draw(raw_dicts(GROUPS[name]), label="raw")
    errors, arguments = outcome(built(params, name).resolve, dict(raw))
    event("valid" if errors == typed(None) else "invalid")
    assert (errors, arguments) == slow_oracle(GROUPS[name], raw)


@DIFFERENTIAL
@given(query_string=query_for(QUERY))
def test_query_string_end_to_end(params, query_string):
    """parse_query + collect + resolve, against Starlette's QueryParams and FastAPI's rules."""
    group = built(params, "query")
    raw_pairs = params.parse_query(query_string)
    got = outcome(group.resolve, group.collect(raw_pairs, False))
    query = QueryParams(query_string)
    raw = {}
    for param in QUERY.params:
        if param.many:
            raw[param.key] = query.getlist(param.key)
        elif param.key in query:
            raw[param.key] = query[param.key]  # the last value
    event("valid" if got[0] == typed(None) else "invalid")
    assert got == slow_oracle(QUERY, raw)


@DIFFERENTIAL
@given(headers=header_lists(HEADER))
def test_headers_end_to_end(params, headers):
    """collect_headers + resolve, against Starlette's Headers (the first value, or all)."""
    group = built(params, "header")
    got = outcome(group.resolve, group.collect_headers(headers))
    received = Headers(raw=headers)
    raw = {}
    for param in HEADER.params:
        if param.many:
            raw[param.key] = received.getlist(param.key)
        elif param.key in received:
            raw[param.key] = received[param.key]
    event("valid" if got[0] == typed(None) else "invalid")
    assert got == slow_oracle(HEADER, raw)


@DIFFERENTIAL
@given(data=st.data())
def test_json_body_is_the_slow_path(params, data):
    name, strict, body, content_type = data.draw(requests_for_bodies())
    got = outcome(built(params, name, strict).resolve, body, content_type)
    event("valid" if got[0] == typed(None) else "invalid")
    assert got == body_oracle(BODIES[name], body, content_type, strict)


def test_oracle_floats_compare_by_repr():
    """The comparison itself: NaN equals NaN, -0.0 differs from 0.0."""
    assert typed(math.nan) == typed(float("nan"))
    assert typed(-0.0) != typed(0.0)
    assert typed([1]) != typed([1.0]) != typed([True])
