"""Turn parameter descriptions into the params core's plan for reading a request.

Built once per route. ``plan_params`` gives, for one callable (the endpoint
or a dependency), a core ``ParamGroup`` per place parameters are read from,
in the order FastAPI reports errors (path, query, header, cookie).
``plan_body`` gives, for the whole route (the body parameters of every
dependency and of the endpoint together, as FastAPI reads one body for
all), a core ``JsonBody`` or a ``FormBody`` read through Starlette's form
parser, filling values under ``body_value_key``.
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, PydanticUserError, TypeAdapter, WrapValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, SchemaValidator, ValidationError, core_schema

from fastcore._core import params as core
from fastcore._signature import (
    BODY,
    COOKIE,
    FORM,
    HEADER,
    PATH,
    QUERY,
    RequestParam,
    sequence_item,
)
from fastcore.exceptions import FastAPIError

_NATIVE_KINDS = {str: core.AS_STR, int: core.AS_INT, float: core.AS_FLOAT, bool: core.AS_BOOL}
_IMMUTABLE_DEFAULTS = (type(None), str, int, float, bool, bytes, tuple, frozenset)
# Errors name the place a value came from; a form's fields are in the body.
_ERROR_LOCATION = {PATH: "path", QUERY: "query", HEADER: "header", COOKIE: "cookie", FORM: "body"}
# The key under which a model declared as a group of parameters sits in its
# group's validator. It is never looked up among the values sent (the model
# takes them all), so it only has to differ from the group's other keys.
_GROUP_KEY = "\x00{}"


@dataclass(frozen=True, slots=True)
class FormBody:
    """The form fields and files of a route, and the limits for parsing them."""

    group: Any  # core ParamGroup
    file_keys: frozenset[str]  # keys whose uploads are read into bytes before validation
    limits: dict[str, Any]  # max_files / max_fields / max_part_size for request.form()


@dataclass(frozen=True, slots=True)
class ParamGroups:
    """How to read one callable's path, query, header and cookie parameters."""

    path: Any  # core ParamGroup, or None when there is nothing to read there
    query: Any
    header: Any
    cookie: Any
    # Errors name headers as declared, though they are looked up in lower case,
    # and a header model's fields by their header spelling, not their name.
    header_error_keys: dict[str, str]


@dataclass(frozen=True, slots=True)
class BodyPlan:
    """How to read a route's body: as JSON, as a form, or not at all."""

    json_body: Any  # core JsonBody, or None
    form_body: FormBody | None


def is_body(param: RequestParam) -> bool:
    return param.location in (BODY, FORM)


def plan_params(request_params: tuple[RequestParam, ...]) -> ParamGroups:
    """The core's groups for the parameters of one callable that are not in the body."""
    by_location: dict[str, list[RequestParam]] = {}
    for param in request_params:
        by_location.setdefault(param.location, []).append(param)
    return ParamGroups(
        path=_group(PATH, by_location.get(PATH, [])),
        query=_group(QUERY, by_location.get(QUERY, [])),
        header=_group(HEADER, by_location.get(HEADER, [])),
        cookie=_group(COOKIE, by_location.get(COOKIE, [])),
        header_error_keys=_header_error_keys(by_location.get(HEADER, [])),
    )


def body_value_key(param: RequestParam) -> str:
    """Where a body parameter's value is found among the route's body values."""
    return _GROUP_KEY.format(param.name) if param.group else param.key


def plan_body(
    body_params: list[RequestParam],
    strict_content_type: bool,
    form_limits: Mapping[str, Any] | None,
) -> BodyPlan:
    """The core's plan for a route's body parameters, gathered from all its callables.

    A parameter declared by several callables (the same key) is read once.
    """
    unique: dict[str, RequestParam] = {}
    for param in body_params:
        key = body_value_key(param)
        unique.setdefault(key, dataclasses.replace(param, name=key))
    json_params = [param for param in unique.values() if param.location == BODY]
    form_params = [param for param in unique.values() if param.location == FORM]
    return BodyPlan(
        json_body=_json_body(json_params, strict_content_type),
        form_body=_form_body(form_params, form_limits or {}),
    )


def _header_error_keys(request_params: list[RequestParam]) -> dict[str, str]:
    renamed = {}
    for param in request_params:
        if param.group:
            renamed.update({name: key for key, name, _ in model_fields(param) if name != key})
        elif param.key != param.key.lower():
            renamed[param.key.lower()] = param.key
    return renamed


def _group(location: str, request_params: list[RequestParam]) -> Any:
    if not request_params:
        return None
    specs = tuple(_spec(param) for param in request_params)
    many_keys: set[str] = set()
    group_fields: list[tuple[str, str]] = []
    for param in request_params:
        if param.group:
            for key, name, is_sequence in model_fields(param):
                # ASGI header names are lower case; HTTP compares them without case.
                lookup = key.lower() if location == HEADER else key
                group_fields.append((lookup, name))
                if is_sequence and location != COOKIE:
                    many_keys.add(lookup)
        elif sequence_item(param.annotation) is not None and location != COOKIE:
            many_keys.add(_lookup_key(param))
    return core.ParamGroup(
        _ERROR_LOCATION[location],
        specs,
        _validator([spec for spec in specs if spec.kind == core.AS_OTHER]),
        frozenset(many_keys),
        location == FORM,
        tuple(group_fields),
    )


def _spec(param: RequestParam, in_json: bool = False) -> Any:
    """The core's ``ParamSpec`` for one parameter (``in_json``: values are JSON, not text)."""
    info = param.field_info
    item = sequence_item(param.annotation)
    # Cookies have one value each: a list of them is a list only if Pydantic makes one.
    many = item is not None and not param.group and param.location not in (BODY, COOKIE)
    kind = core.AS_OTHER
    if not in_json and not param.group and not _constrained(info):
        kind = _NATIVE_KINDS.get(_without_none(item if many else param.annotation), core.AS_OTHER)
        if many and typing.get_origin(_without_none(param.annotation)) is not list:
            kind = core.AS_OTHER  # sets and tuples: Pydantic builds them
    validated: Any = Annotated[param.annotation, _validation_info(info)]
    if param.group:
        validated = _read_model_group(param, validated)
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(validated)
    except PydanticUserError as error:
        raise FastAPIError(
            f"parameter {param.name!r}: Pydantic cannot validate its type "
            f"{param.annotation!r} ({error})"
        ) from error
    default, factory = _default(info, adapter)
    return core.ParamSpec(
        param.name,
        _GROUP_KEY.format(param.name) if param.group else _lookup_key(param),
        kind,
        many,
        param.group,
        info.is_required(),
        default,
        factory,
        adapter,
    )


def _lookup_key(param: RequestParam) -> str:
    # ASGI header names are lower case; HTTP compares them without case.
    return param.key.lower() if param.location == HEADER else param.key


def _constrained(info: FieldInfo) -> bool:
    """Whether validation needs Pydantic beyond the type: constraints, strictness, validators."""
    return bool(info.metadata)


def _without_none(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if args and type(None) in args and len(args) == 2:
        return next(arg for arg in args if arg is not type(None))
    return annotation


def _default(info: FieldInfo, adapter: TypeAdapter[Any] | None) -> tuple[Any, Any]:
    """(default, factory): a factory when each request needs its own default.

    That is, a mutable default (copied, as FastAPI copies it), a
    ``default_factory``, or a default declared with ``validate_default=True``
    (validated by ``adapter``, when given).
    """
    if info.default_factory is not None:
        return None, info.default_factory
    default = info.default
    if default is PydanticUndefined:
        return default, None
    if info.validate_default and adapter is not None:
        return None, lambda: adapter.validate_python(default)
    if isinstance(default, _IMMUTABLE_DEFAULTS):
        return default, None
    return None, lambda: copy.deepcopy(default)


def _validation_info(info: FieldInfo) -> FieldInfo:
    """The parts of ``info`` that validate a value: its constraints, not its default or alias."""
    return FieldInfo.merge_field_infos(
        info, default=PydanticUndefined, default_factory=None, alias=None, validation_alias=None
    )


def _read_model_group(param: RequestParam, validated: Any) -> Any:
    """``validated``, first doing what FastAPI does with a model group's values.

    A form's blank value for a field of one value is no value (the field's
    default applies, or it is missing). An optional model (``Model | None``)
    is read when any of its fields is sent, blank or not, or, for a model that
    takes other keys too (``extra="allow"`` or ``"forbid"``), anything at all;
    otherwise the parameter takes its default, or, required, is missing as a whole.
    """
    fields = model_fields(param)
    names = tuple(name for _, name, _ in fields)
    takes_any_key = param.annotation.model_config.get("extra") in ("allow", "forbid")
    blank_names = tuple(name for _, name, many in fields if not many)
    if param.location != FORM:
        blank_names = ()
    if not (param.optional or blank_names):
        return validated
    info = param.field_info
    required = info.is_required()
    default, factory = _default(info, None)  # taken as it is, as FastAPI takes it

    def read(raw: Any, handler: Any) -> Any:
        if (
            param.optional
            and type(raw) is dict
            and not (raw if takes_any_key else any(name in raw for name in names))
        ):
            if required:
                raise ValidationError.from_exception_data(
                    "Missing", [{"type": "missing", "loc": (), "input": None}]
                )
            return default if factory is None else factory()
        if blank_names and type(raw) is dict:
            blank = [name for name in blank_names if raw.get(name) == ""]
            if blank:
                raw = {key: value for key, value in raw.items() if key not in blank}
        return handler(raw)

    return Annotated[validated, WrapValidator(read)]


def _validator(specs: list[Any]) -> Any:
    """One Pydantic validator for a dict of the raw values of ``specs``, by key.

    A type that Pydantic describes with shared definitions (a model with a
    title or a description on top, a recursive one) brings them along; they
    are given once for all the fields, as Pydantic refuses a ref defined twice.
    """
    if not specs:
        return None
    definitions: dict[str, Any] = {}
    fields = {}
    for spec in specs:
        schema = spec.adapter.core_schema
        if schema["type"] == "definitions":
            for definition in schema["definitions"]:
                definitions.setdefault(definition["ref"], definition)
            schema = schema["schema"]
        fields[spec.key] = core_schema.typed_dict_field(schema, required=False)
    validated: Any = core_schema.typed_dict_schema(fields)
    if definitions:
        validated = core_schema.definitions_schema(validated, list(definitions.values()))
    return SchemaValidator(validated)


def model_fields(param: RequestParam) -> list[tuple[str, str, bool]]:
    """``(wire key, field name, is a sequence)`` for each field of a model group.

    The field name is the key the model validates by (its alias, if any);
    in headers the wire key has hyphens for underscores, unless the
    declaration says ``convert_underscores=False``.
    """
    model: type[BaseModel] = param.annotation
    converts = param.location == HEADER and getattr(param.field_info, "convert_underscores", True)
    fields = []
    for field_name, field in model.model_fields.items():
        alias = field.validation_alias
        name = alias if isinstance(alias, str) else field.alias or field_name
        key = name.replace("_", "-") if converts else name
        fields.append((key, name, sequence_item(field.annotation) is not None))
    return fields


def _json_body(request_params: list[RequestParam], strict: bool) -> Any:
    if not request_params:
        return None
    if len(request_params) == 1 and not request_params[0].embed:
        spec = _spec(request_params[0], in_json=True)
        return core.JsonBody(spec, None, strict, _reads_json_alike(spec.adapter))
    specs = tuple(_spec(param, in_json=True) for param in request_params)
    group = core.ParamGroup("body", specs, _validator(list(specs)), frozenset(), False, ())
    return core.JsonBody(None, group, strict, False)


def _reads_json_alike(adapter: TypeAdapter[Any]) -> bool:
    """Whether Pydantic validates JSON text for ``adapter`` as it validates parsed JSON.

    Strict fields accept only native types from Python (no ISO string for a
    datetime) but JSON's own spellings from JSON text, and a decimal from
    JSON text keeps the digits as written; for those FastAPI's way, parsing
    first, is the only one that gives FastAPI's results.
    """
    schema = repr(adapter.core_schema)
    return "'strict': True" not in schema and "'decimal'" not in schema


def _form_body(request_params: list[RequestParam], limits: Mapping[str, Any]) -> FormBody | None:
    group = _group(FORM, request_params)
    if group is None:
        return None
    file_keys = frozenset(param.key for param in request_params if _reads_bytes(param.annotation))
    return FormBody(group=group, file_keys=file_keys, limits=dict(limits))


def _reads_bytes(annotation: Any) -> bool:
    """``bytes`` form fields get an upload's content, as in FastAPI."""
    item = sequence_item(annotation)
    return _without_none(item if item is not None else annotation) is bytes
