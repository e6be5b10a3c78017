"""``fastcore.encoders.jsonable_encoder``: outputs pinned to what FastAPI 0.165 returns, then
the same inputs (and random ones) fed to FastAPI's encoder and ours side by side."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import enum
import math
import pathlib
import re
import uuid
import warnings
from decimal import Decimal
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from types import GeneratorType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    NameEmail,
    RootModel,
    SecretBytes,
    SecretStr,
    computed_field,
    field_serializer,
    model_serializer,
)
from pydantic_core import PydanticSerializationError, PydanticUndefined

from fastcore import encoders
from fastcore.encoders import ENCODERS_BY_TYPE, jsonable_encoder
from fastcore.exceptions import PydanticV1NotSupportedError

UTC = dt.UTC
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


# --- types used by the cases ------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"
    TWO = 2
    DAY = dt.date(2020, 1, 1)


class Level(enum.IntEnum):
    LOW = 1


class Kind(enum.StrEnum):
    A = "a"


class Str(str):
    pass


class Int(int):
    pass


class Inner(BaseModel):
    x: int = 1
    when: dt.datetime = dt.datetime(2020, 1, 1)
    span: dt.timedelta = dt.timedelta(seconds=90)
    price: Decimal = Decimal("1.5")
    raw: bytes = b"hi"


class Outer(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(alias="Name")
    inner: Inner = Inner()
    opt: int | None = None
    tags: set[int] = set()
    color: Color = Color.RED
    secret: SecretStr = SecretStr("pw")


class SAModel(BaseModel):
    state: int = Field(default=1, alias="_sa_instance_state")
    data: dict[str, Any] = {"a": None, "_sa_k": 1, "b": {"c": None}}
    items: list[Any] = [None]


# ``json_encoders`` is deprecated in Pydantic but still honoured, by Pydantic itself.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)

    class WithSerializers(BaseModel):
        model_config = ConfigDict(json_encoders={dt.datetime: lambda d: "encoded"})

        when: dt.datetime = dt.datetime(2020, 1, 1)
        n: int = 1

        @field_serializer("n")
        def times_ten(self, n: int) -> int:
            return n * 10


class WholeSerializer(BaseModel):
    x: int = 1

    @model_serializer
    def dump(self) -> dict[str, Any]:
        return {"custom": self.x, "day": dt.date(2020, 1, 1)}


class Computed(BaseModel):
    a: int = 1

    @computed_field
    @property
    def double(self) -> int:
        return self.a * 2


class Base(BaseModel):
    a: int = 1


class Sub(Base):
    b: int = 2


class Holder(BaseModel):
    item: Base


class Unknown:
    pass


class Arbitrary(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    thing: Unknown


@dataclasses.dataclass
class Point:
    x: int
    day: dt.date = dt.date(2020, 1, 1)
    tags: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Wrapper:
    point: Point


class PlainObject:
    def __init__(self) -> None:
        self.a = 1
        self._b = dt.date(2020, 1, 1)
        self._sa_instance_state = "sqlalchemy"


class Pairs:
    def __iter__(self):
        return iter([("a", 1), ("b", 2)])


class Slotted:
    __slots__ = ("a",)

    def __init__(self) -> None:
        self.a = 1


class MyDate(dt.date):
    def isoformat(self) -> str:
        return "my-iso"


# --- pinned outputs ---------------------------------------------------------------------

OUTER_FULL = {
    "Name": "n",
    "inner": {
        "x": 1,
        "when": "2020-01-01T00:00:00",
        "span": "PT1M30S",
        "price": "1.5",
        "raw": "hi",
    },
    "opt": None,
    "tags": [],
    "color": "red",
    "secret": "**********",
}

# (input, keyword arguments, expected output). The type of the output is checked too.
CASES: list[tuple[Any, dict[str, Any], Any]] = [
    # datetimes: isoformat; timedelta: float seconds (outside models)
    (dt.datetime(2024, 1, 2, 3, 4, 5), {}, "2024-01-02T03:04:05"),
    (dt.datetime(2024, 1, 2, 3, 4, 5, 123456), {}, "2024-01-02T03:04:05.123456"),
    (dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), {}, "2024-01-02T03:04:05+00:00"),
    (dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=IST), {}, "2024-01-02T03:04:05+05:30"),
    (dt.date(2024, 1, 2), {}, "2024-01-02"),
    (dt.time(3, 4, 5), {}, "03:04:05"),
    (dt.time(3, 4, 5, 7, tzinfo=UTC), {}, "03:04:05.000007+00:00"),
    (MyDate(2020, 1, 1), {}, "my-iso"),
    (dt.timedelta(days=1, seconds=3, microseconds=5), {}, 86403.000005),
    (dt.timedelta(seconds=-1), {}, -1.0),
    (dt.timedelta(0), {}, 0.0),
    # Decimal: int when the exponent is >= 0, float otherwise
    (Decimal("1"), {}, 1),
    (Decimal("1E+2"), {}, 100),
    (Decimal("-0"), {}, 0),
    (Decimal("123456789012345678901234567890"), {}, 123456789012345678901234567890),
    (Decimal("1.0"), {}, 1.0),
    (Decimal("1.50"), {}, 1.5),
    (Decimal("0.01"), {}, 0.01),
    (Decimal("Infinity"), {}, math.inf),
    (Decimal("-Infinity"), {}, -math.inf),
    # simple types made strings
    (uuid.UUID(int=5), {}, "00000000-0000-0000-0000-000000000005"),
    (b"abc", {}, "abc"),
    (pathlib.Path("/a/b"), {}, "/a/b"),
    (pathlib.PurePosixPath("a/b"), {}, "a/b"),
    (pathlib.PureWindowsPath("c:/x"), {}, "c:\\x"),
    (IPv4Address("1.2.3.4"), {}, "1.2.3.4"),
    (IPv6Address("::1"), {}, "::1"),
    (IPv4Network("10.0.0.0/8"), {}, "10.0.0.0/8"),
    (IPv6Network("::/0"), {}, "::/0"),
    (IPv4Interface("1.2.3.4/24"), {}, "1.2.3.4/24"),
    (IPv6Interface("::1/64"), {}, "::1/64"),
    (re.compile("a+b"), {}, "a+b"),
    (re.compile(b"x"), {}, b"x"),
    (SecretStr("s"), {}, "**********"),
    (SecretBytes(b"s"), {}, "b'**********'"),
    (NameEmail("n", "e@x.com"), {}, "n <e@x.com>"),
    (AnyUrl("http://x.com"), {}, "http://x.com/"),
    (PydanticUndefined, {}, None),
    # enums give their value, without encoding it further
    (Color.RED, {}, "red"),
    (Color.TWO, {}, 2),
    (Color.DAY, {}, dt.date(2020, 1, 1)),
    (Level.LOW, {}, 1),
    (Kind.A, {}, "a"),
    # JSON data and subclasses of str/int come back unchanged
    (None, {}, None),
    (True, {}, True),
    (1.5, {}, 1.5),
    (Str("x"), {}, Str("x")),
    (Int(3), {}, Int(3)),
    # containers
    ({1, 2}, {}, [1, 2]),
    (frozenset({dt.date(2020, 1, 1)}), {}, ["2020-01-01"]),
    ((1, (2, {3})), {}, [1, [2, [3]]]),
    ((i for i in [(1, 2)]), {}, [[1, 2]]),
    (collections.deque([dt.date(2020, 1, 1)]), {}, ["2020-01-01"]),
    (collections.OrderedDict(a=1), {}, {"a": 1}),
    (collections.Counter("aa"), {}, {"a": 2}),
    (collections.UserList([1]), {}, {"data": [1]}),
    ({"a": 1}.items(), {}, {"a": 1}),
    # dict keys are encoded as well; _sa keys and (with exclude_none) None values dropped
    (
        {dt.date(2020, 1, 1): 1, uuid.UUID(int=1): 2, b"k": 3, Color.RED: 4, None: 5},
        {},
        {"2020-01-01": 1, "00000000-0000-0000-0000-000000000001": 2, "k": 3, "red": 4, None: 5},
    ),
    ({"_sa_x": 1, "sa_y": 2, "_sa_instance_state": 3, 1: "one"}, {}, {"sa_y": 2, 1: "one"}),
    ({"_sa_x": 1}, {"sqlalchemy_safe": False}, {"_sa_x": 1}),
    (
        {"a": {"b": None}, "c": [None, {"d": None}]},
        {"exclude_none": True},
        {"a": {}, "c": [None, {}]},
    ),
    # include/exclude on dicts: top-level keys only; any iterable of keys works
    ({"k": {"a": 1, "b": 2}}, {"include": {"k": {"a"}}}, {"k": {"a": 1, "b": 2}}),
    ({"a": 1, "b": 2}, {"include": {"a", "b"}, "exclude": {"b"}}, {"a": 1}),
    ({"a": 1, "b": 2}, {"exclude": {"a": {"x"}}}, {"b": 2}),
    ({"a": 1, "b": 2}, {"include": "ab"}, {"a": 1, "b": 2}),
    ({"a": 1, "b": 2}, {"include": ["a"]}, {"a": 1}),
    ({"a": 1, "b": 2}, {"include": set()}, {}),
    ({"a": 1, "b": 2}, {"exclude": {}}, {"a": 1, "b": 2}),
    ([{"a": 1, "b": 2}], {"include": {"a"}}, [{"a": 1}]),
    # models: Pydantic's JSON mode (so timedelta is ISO 8601 and Decimal a string)
    (Outer(Name="n"), {}, OUTER_FULL),
    (
        Outer(Name="n"),
        {"by_alias": False},
        {"name": "n", **{k: OUTER_FULL[k] for k in OUTER_FULL if k != "Name"}},
    ),
    (Outer(Name="n"), {"exclude_unset": True}, {"Name": "n"}),
    (Outer(Name="n"), {"exclude_defaults": True}, {"Name": "n"}),
    (Outer(Name="n"), {"exclude_none": True}, {k: v for k, v in OUTER_FULL.items() if k != "opt"}),
    (Outer(Name="n"), {"include": {"name"}}, {"Name": "n"}),
    (Outer(Name="n"), {"include": ["name"]}, {"Name": "n"}),
    (Outer(Name="n"), {"include": {"inner": {"x"}}}, {"inner": {"x": 1}}),
    (Outer(Name="n"), {"include": {}}, {}),
    ([Outer(Name="n")], {"include": {"name"}}, [{"Name": "n"}]),
    ({"k": Outer(Name="n")}, {"include": {"k"}}, {"k": OUTER_FULL}),
    ({"k": Outer(Name="n")}, {"exclude_unset": True}, {"k": {"Name": "n"}}),
    (SAModel(), {}, {"data": {"a": None, "b": {"c": None}}, "items": [None]}),
    (SAModel(), {"exclude_none": True}, {"data": {"b": {}}, "items": [None]}),
    (WithSerializers(), {}, {"when": "encoded", "n": 10}),
    (WholeSerializer(), {}, {"custom": 1, "day": "2020-01-01"}),
    (Computed(), {}, {"a": 1, "double": 2}),
    (Computed(), {"exclude_unset": True}, {"double": 2}),
    (Holder(item=Sub()), {}, {"item": {"a": 1}}),
    (RootModel[list[int]]([1, 2]), {}, [1, 2]),
    (RootModel[dict[str, dt.timedelta]]({"a": dt.timedelta(days=1)}), {}, {"a": "P1D"}),
    # dataclasses: asdict(), then encoded here (so timedelta would be seconds again)
    (Point(1), {}, {"x": 1, "day": "2020-01-01", "tags": []}),
    (Point(1), {"include": {"x"}}, {"x": 1}),
    (Point(1, None), {"exclude_none": True}, {"x": 1, "tags": []}),
    (Wrapper(Point(1)), {"exclude": {"point": {"x"}}}, {}),
    # other objects: dict(obj), else vars(obj)
    (PlainObject(), {}, {"a": 1, "_b": "2020-01-01"}),
    (
        PlainObject(),
        {"sqlalchemy_safe": False},
        {"a": 1, "_b": "2020-01-01", "_sa_instance_state": "sqlalchemy"},
    ),
    (PlainObject(), {"exclude": {"a"}}, {"_b": "2020-01-01"}),
    (Pairs(), {}, {"a": 1, "b": 2}),
]


def _shape(value: Any) -> Any:
    """Value plus exact types, nested, with NaN equal to itself: what a user gets back."""
    if isinstance(value, dict):
        return ("dict", [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_shape(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _case_id(case: tuple[Any, dict[str, Any], Any]) -> str:
    value, kwargs, _ = case
    return f"{type(value).__name__}{kwargs or ''}"[:60]


@pytest.mark.parametrize("value,kwargs,expected", CASES, ids=[_case_id(c) for c in CASES])
def test_pinned_output(value: Any, kwargs: dict[str, Any], expected: Any) -> None:
    assert _shape(jsonable_encoder(value, **kwargs)) == _shape(expected)


def test_nan_float_and_decimal_stay_nan() -> None:
    assert math.isnan(jsonable_encoder(float("nan")))
    assert math.isnan(jsonable_encoder(Decimal("NaN")))


def test_custom_encoder_wins_over_everything() -> None:
    def tag(label: str):
        return lambda _value: label

    assert jsonable_encoder(None, custom_encoder={object: tag("obj")}) == "obj"
    assert jsonable_encoder({"a": 1}, custom_encoder={dict: tag("dict")}) == "dict"
    assert jsonable_encoder(Outer(Name="n"), custom_encoder={BaseModel: tag("model")}) == "model"
    assert jsonable_encoder(Point(1), custom_encoder={Point: tag("point")}) == "point"
    # the exact type first, then the first base class in the mapping's order
    assert jsonable_encoder(True, custom_encoder={int: tag("int"), bool: tag("bool")}) == "bool"
    assert jsonable_encoder(Sub(), custom_encoder={object: tag("obj"), Base: tag("base")}) == "obj"
    # a subclass is caught by a base's encoder, not the other way round
    assert jsonable_encoder(dt.datetime(2020, 1, 1), custom_encoder={dt.date: tag("d")}) == "d"
    assert jsonable_encoder(dt.date(2020, 1, 1), custom_encoder={dt.datetime: tag("dt")}) == (
        "2020-01-01"
    )
    # what the encoder returns is not encoded again
    assert jsonable_encoder(1, custom_encoder={int: lambda _: (1,)}) == (1,)


def test_custom_encoder_reaches_keys_and_nested_values() -> None:
    to_s = {str: lambda _: "S", int: lambda _: "I"}
    assert jsonable_encoder({"x": 1, "y": "v"}, custom_encoder=to_s) == {"S": "S"}
    assert jsonable_encoder(Point(1), custom_encoder={dt.date: lambda _: "D"}) == {
        "x": 1,
        "day": "D",
        "tags": [],
    }


def test_custom_encoder_does_not_reach_model_fields() -> None:
    # Pydantic serializes the fields; custom_encoder is not handed to it.
    model = Inner()
    out = jsonable_encoder(model, custom_encoder={dt.datetime: lambda _: "X", str: lambda _: "S"})
    assert out["when"] == "2020-01-01T00:00:00"
    with pytest.raises(PydanticSerializationError):
        jsonable_encoder(Arbitrary(thing=Unknown()), custom_encoder={Unknown: lambda _: "u"})


def test_encoders_by_type_is_extensible_by_exact_type(monkeypatch: pytest.MonkeyPatch) -> None:
    class Money:
        def __init__(self) -> None:
            self.cents = 5

    class Euro(Money):
        pass

    monkeypatch.setitem(ENCODERS_BY_TYPE, Money, lambda m: f"{m.cents}c")
    assert jsonable_encoder(Money()) == "5c"
    # subclasses are matched through the tuples computed at import, which predate Money
    assert jsonable_encoder(Euro()) == {"cents": 5}


def test_helpers() -> None:
    assert encoders.decimal_encoder(Decimal("2")) == 2
    assert isinstance(encoders.decimal_encoder(Decimal("2.0")), float)
    assert encoders.isoformat(dt.time(1, 2)) == "01:02:00"
    grouped = encoders.generate_encoders_by_class_tuples({int: str, float: str, bool: repr})
    assert dict(grouped) == {str: (int, float), repr: (bool,)}
    assert encoders.encoders_by_class_tuples[str][:2] == (encoders.Color, encoders.PyExtraColor)


def test_unknown_object_error_lists_both_attempts() -> None:
    with pytest.raises(ValueError) as info:
        jsonable_encoder(object())
    errors = info.value.args[0]
    assert [type(e) for e in errors] == [TypeError, TypeError]
    assert str(info.value) == (
        "[TypeError(\"'object' object is not iterable\"), "
        "TypeError('vars() argument must have __dict__ attribute')]"
    )
    with pytest.raises(ValueError, match="not iterable"):
        jsonable_encoder({"a": [Slotted()]})
    with pytest.raises(ValueError):
        jsonable_encoder(range(3))


@pytest.mark.parametrize(
    "value,error",
    [
        ({(1, 2): "tuple keys become lists"}, TypeError),
        (b"\xff", UnicodeDecodeError),
        (Decimal("sNaN"), ValueError),
        (Point, AssertionError),
        (Arbitrary(thing=Unknown()), PydanticSerializationError),
    ],
    ids=["tuple-key", "bad-utf8", "snan", "dataclass-class", "unserializable-field"],
)
def test_errors(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        jsonable_encoder(value)


def test_pydantic_v1_models_are_rejected() -> None:
    v1 = pytest.importorskip("pydantic.v1")

    class Old(v1.BaseModel):
        x: int = 1

    with pytest.raises(PydanticV1NotSupportedError, match="pydantic.v1 models"):
        jsonable_encoder({"a": Old()})
    assert jsonable_encoder(Old(), custom_encoder={Old: lambda _: "ok"}) == "ok"


# --- side by side with FastAPI --------------------------------------------------------


@pytest.fixture(scope="module")
def reference():
    return pytest.importorskip("fastapi.encoders").jsonable_encoder


def _outcome(encoder, value: Any, kwargs: dict[str, Any]) -> Any:
    """The encoder's output (as a shape), or the type and text of what it raised."""
    try:
        return _shape(encoder(value, **kwargs))
    except Exception as exc:
        return ("raised", type(exc), str(exc))


EXTRA_INPUTS: list[Any] = [
    range(2),
    object(),
    Slotted(),
    complex(1, 2),
    {complex(1): object()},
    b"\xff",
    Decimal("sNaN"),
    Point,
    {"a": Color.RED, Color.RED: 1, Level.LOW: 3, True: "t"},
    [Sub(), Holder(item=Sub())],
    Arbitrary(thing=Unknown()),
    Str("x"),
    {Str("k"): Int(1)},
]


@pytest.mark.parametrize(
    "value,kwargs",
    # one-shot generators are left to test_generators_same_as_fastapi
    [(value, kwargs) for value, kwargs, _ in CASES if not isinstance(value, GeneratorType)]
    + [(value, {}) for value in EXTRA_INPUTS],
)
def test_same_as_fastapi(reference, value: Any, kwargs: dict[str, Any]) -> None:
    assert _outcome(jsonable_encoder, value, kwargs) == _outcome(reference, value, kwargs)


def test_generators_same_as_fastapi(reference) -> None:
    def make():
        return (item for item in [(1, dt.date(2020, 1, 1)), {"a": {2}}, Color.RED])

    assert _outcome(jsonable_encoder, make(), {}) == _outcome(reference, make(), {})


class Item(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    label: str | None = Field(default=None, alias="Label")
    when: dt.datetime | None = None
    price: Decimal | None = None
    kind: Kind = Kind.A


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.binary(max_size=4),
    st.datetimes(timezones=st.none() | st.just(UTC) | st.just(IST)),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.decimals(),
    st.sampled_from(list(Color) + list(Level) + list(Kind)),
)
keys = st.one_of(
    st.sampled_from(["a", "b", "_sa_x", "Label", "id"]),
    st.integers(-2, 2),
    st.dates(),
    st.uuids(),
    st.sampled_from(list(Kind)),
    st.none(),
)
hashable = st.one_of(
    st.integers(), st.text(max_size=3), st.dates(), st.uuids(), st.decimals(allow_nan=False)
)
items = st.builds(
    Item,
    id=st.integers(),
    Label=st.none() | st.text(max_size=5),
    when=st.none() | st.datetimes(),
    price=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
    kind=st.sampled_from(list(Kind)),
)
values = st.recursive(
    leaves | items,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(keys, children, max_size=4),
        st.sets(hashable, max_size=4),
        st.frozensets(hashable, max_size=4),
    ),
    max_leaves=12,
)
field_names = st.none() | st.sets(st.sampled_from(["a", "b", "id", "label", "Label", "when"]))
options = st.fixed_dictionaries(
    {},
    optional={
        "include": field_names,
        "exclude": field_names,
        "by_alias": st.booleans(),
        "exclude_unset": st.booleans(),
        "exclude_defaults": st.booleans(),
        "exclude_none": st.booleans(),
        "sqlalchemy_safe": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None)
@given(value=values, kwargs=options)
def test_random_values_same_as_fastapi(reference, value: Any, kwargs: dict[str, Any]) -> None:
    assert _outcome(jsonable_encoder, value, kwargs) == _outcome(reference, value, kwargs)
