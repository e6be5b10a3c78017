"""Turn arbitrary Python values into JSON-compatible data, as FastAPI's ``jsonable_encoder``.

Pydantic models are dumped by Pydantic itself (``model_dump(mode="json")``); everything
else is walked here. The order of the checks in :func:`jsonable_encoder` is part of the
behaviour: a user's ``custom_encoder`` wins over everything, an ``Enum`` member that is
also a ``str`` comes out as a plain ``str``, and so on.
"""

from __future__ import annotations

import dataclasses
import datetime
import sys
from collections import defaultdict, deque
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import Path, PurePath
from re import Pattern
from types import GeneratorType
from typing import Any, NamedTuple
from uuid import UUID

from pydantic import AnyUrl, BaseModel, NameEmail, SecretBytes, SecretStr
from pydantic.color import Color
from pydantic_core import PydanticUndefinedType, Url

from fastcore.exceptions import PydanticV1NotSupportedError
from fastcore.types import IncEx

try:
    from pydantic_extra_types.color import (  # type: ignore[import-not-found, unused-ignore]
        Color as PyExtraColor,
    )
except ImportError:  # optional package: a class no value can be an instance of

    class PyExtraColor:  # type: ignore[no-redef]
        pass


def isoformat(o: datetime.date | datetime.time) -> str:
    return o.isoformat()


def decimal_encoder(dec_value: Decimal) -> int | float:
    """A whole-number ``Decimal`` (exponent >= 0, e.g. ``1`` or ``1E+2``) becomes an ``int``;
    anything else (``1.0``, ``0.5``, NaN, infinities) becomes a ``float``."""
    exponent = dec_value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(dec_value)
    return float(dec_value)


# Exact-type lookup table, also what users extend. The order matters: it fixes the
# order in which ``encoders_by_class_tuples`` is searched for subclasses.
ENCODERS_BY_TYPE: dict[type[Any], Callable[[Any], Any]] = {
    bytes: lambda o: o.decode(),
    Color: str,
    PyExtraColor: str,
    datetime.date: isoformat,
    datetime.datetime: isoformat,
    datetime.time: isoformat,
    datetime.timedelta: lambda td: td.total_seconds(),
    Decimal: decimal_encoder,
    Enum: lambda o: o.value,
    frozenset: list,
    deque: list,
    GeneratorType: list,
    IPv4Address: str,
    IPv4Interface: str,
    IPv4Network: str,
    IPv6Address: str,
    IPv6Interface: str,
    IPv6Network: str,
    NameEmail: str,
    Path: str,
    Pattern: lambda o: o.pattern,
    SecretBytes: str,
    SecretStr: str,
    set: list,
    UUID: str,
    Url: str,
    AnyUrl: str,
}


def generate_encoders_by_class_tuples(
    type_encoder_map: dict[Any, Callable[[Any], Any]],
) -> dict[Callable[[Any], Any], tuple[Any, ...]]:
    """Group the types of ``type_encoder_map`` by encoder, for one ``isinstance`` per encoder."""
    grouped: dict[Callable[[Any], Any], tuple[Any, ...]] = defaultdict(tuple)
    for type_, encoder in type_encoder_map.items():
        grouped[encoder] += (type_,)
    return grouped


# Computed once: types added to ENCODERS_BY_TYPE later are found by exact type only.
encoders_by_class_tuples = generate_encoders_by_class_tuples(ENCODERS_BY_TYPE)


def is_pydantic_v1_model_instance(obj: Any) -> bool:
    # No v1 model can exist unless pydantic.v1 was imported, so never import it here.
    v1 = sys.modules.get("pydantic.v1")
    return v1 is not None and isinstance(obj, v1.BaseModel)


def jsonable_encoder(
    obj: Any,
    include: IncEx | None = None,
    exclude: IncEx | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: dict[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert ``obj`` into data that ``json.dumps`` accepts (dicts, lists, str, numbers, None).

    ``include``/``exclude`` filter the fields of models, dataclasses and plain objects, and
    the top-level keys of dicts. ``custom_encoder`` maps types to functions and is tried
    first. With ``sqlalchemy_safe``, dict keys starting with ``_sa`` are dropped.
    """
    options = _Options(
        by_alias,
        exclude_unset,
        exclude_defaults,
        exclude_none,
        custom_encoder or {},
        sqlalchemy_safe,
    )
    return _encode(obj, include, exclude, options)


class _Options(NamedTuple):
    """The settings every nested value is encoded with; include/exclude apply per level."""

    by_alias: bool
    exclude_unset: bool
    exclude_defaults: bool
    exclude_none: bool
    custom_encoder: dict[Any, Callable[[Any], Any]]
    sqlalchemy_safe: bool


# Values of exactly these types are returned as they are. Checked first, by exact type, as a
# shortcut; subclasses (an IntEnum member, say) take the full path below.
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
_SEQUENCES = (list, set, frozenset, GeneratorType, tuple, deque)


def _encode(obj: Any, include: Any, exclude: Any, options: _Options) -> Any:
    if options.custom_encoder:
        encoder = _find_custom_encoder(obj, options.custom_encoder)
        if encoder is not None:
            return encoder(obj)
    if include is not None and not isinstance(include, set | dict):
        include = set(include)
    if exclude is not None and not isinstance(exclude, set | dict):
        exclude = set(exclude)
    obj_type = type(obj)
    if obj_type in _JSON_SCALARS:
        return obj
    if isinstance(obj, dict):
        # Encoded here rather than in a helper, so that each level of a nested value
        # costs one stack frame: deeply nested request bodies come back in errors.
        allowed_keys = set(obj.keys())
        if include is not None:
            allowed_keys &= set(include)
        if exclude is not None:
            allowed_keys -= set(exclude)
        encoded = {}
        for key, value in obj.items():
            if options.sqlalchemy_safe and isinstance(key, str) and key.startswith("_sa"):
                continue  # SQLAlchemy's instance state, which is never JSON data
            if options.exclude_none and value is None:
                continue
            if key not in allowed_keys:
                continue
            # Keys go through the encoder too (a date key becomes its ISO string); neither
            # keys nor values see this level's include/exclude.
            encoded_key = _encode(key, None, None, options)  # keys first, as FastAPI fails
            encoded[encoded_key] = _encode(value, None, None, options)
        return encoded
    if isinstance(obj, BaseModel):
        dumped = obj.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=options.by_alias,
            exclude_unset=options.exclude_unset,
            exclude_none=options.exclude_none,
            exclude_defaults=options.exclude_defaults,
        )
        # Pydantic already produced JSON data; this pass only drops ``_sa`` keys and the
        # ``None`` values of nested dicts. The model's own serializers stay in charge,
        # so ``custom_encoder`` is deliberately not applied to its fields.
        return jsonable_encoder(
            dumped, exclude_none=options.exclude_none, sqlalchemy_safe=options.sqlalchemy_safe
        )
    if dataclasses.is_dataclass(obj):
        # A dataclass *class* is not data; FastAPI fails with a bare AssertionError here.
        if isinstance(obj, type):
            raise AssertionError()
        return _encode(dataclasses.asdict(obj), include, exclude, options)
    if isinstance(obj, Enum):
        return obj.value  # returned as is, even when the value itself is not JSON data
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, str | int | float):
        return obj  # subclasses of str/int/float are returned unchanged too
    if isinstance(obj, PydanticUndefinedType):
        return None
    if isinstance(obj, _SEQUENCES):
        # A loop, not a comprehension, which would be one more stack frame per level.
        items = []
        for item in obj:
            items.append(_encode(item, include, exclude, options))
        return items

    if obj_type in ENCODERS_BY_TYPE:
        return ENCODERS_BY_TYPE[obj_type](obj)
    for encoder, classes in encoders_by_class_tuples.items():
        if isinstance(obj, classes):
            return encoder(obj)
    if is_pydantic_v1_model_instance(obj):
        raise PydanticV1NotSupportedError(
            "pydantic.v1 models are no longer supported by fastcore. "
            f"Please update the model {obj!r}."
        )
    return _encode(_object_as_dict(obj), include, exclude, options)


def _find_custom_encoder(
    obj: Any, custom_encoder: dict[Any, Callable[[Any], Any]]
) -> Callable[[Any], Any] | None:
    """The encoder for ``type(obj)`` itself, else the first (in dict order) for a base class."""
    if type(obj) in custom_encoder:
        return custom_encoder[type(obj)]
    for type_, encoder in custom_encoder.items():
        if isinstance(obj, type_):
            return encoder
    return None


def _object_as_dict(obj: Any) -> dict[Any, Any]:
    """Last resort for unknown objects: a mapping or pairs (``dict(obj)``), else ``vars(obj)``.

    Fails with ``ValueError([error of dict(), error of vars()])``, like FastAPI.
    """
    errors: list[Exception] = []
    try:
        return dict(obj)
    except Exception as e:
        errors.append(e)
    try:
        return vars(obj)
    except Exception as e:
        errors.append(e)
        raise ValueError(errors) from e
