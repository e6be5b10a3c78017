"""Read an endpoint's signature, once, into parameter descriptions.

Each argument of an endpoint is one of:

* a *request parameter*: where it is read from (path, query, header,
  cookie, body, form), its wire key, its type and its ``FieldInfo``
  (constraints, alias, default), following FastAPI's rules: ``Query()``
  and friends as the default value or inside ``Annotated``; otherwise a
  name in the path template is a path parameter, an ``UploadFile`` a file,
  a plain scalar a query parameter, anything else (models, lists, dicts)
  the body. A plain pydantic ``Field()`` inside ``Annotated`` says nothing
  about the place: it adds its constraints and documentation to the
  parameter wherever that is read from;
* a *dependency*: ``Depends(call)`` as the default or inside
  ``Annotated`` (``Depends()`` alone: the annotation is the call);
* a *connection object* the framework passes in (``Request``,
  ``Response``, ``BackgroundTasks``, ``SecurityScopes``, ...).

Nothing here runs per request; ``fastcore._request_plan`` and
``fastcore._dependencies`` turn these descriptions into the core's plan.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, Json
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import HTTPConnection
from starlette.responses import Response

from fastcore import params
from fastcore.security.oauth2 import SecurityScopes

#: Values of ``RequestParam.location``.
PATH, QUERY, HEADER, COOKIE, BODY, FORM = "path", "query", "header", "cookie", "body", "form"

_LOCATION_OF_DECLARATION = (
    (params.File, FORM),
    (params.Form, FORM),
    (params.Body, BODY),
    (params.Path, PATH),
    (params.Query, QUERY),
    (params.Header, HEADER),
    (params.Cookie, COOKIE),
)
_SCALARS = (str, int, float, bool, bytes)
_SEQUENCES = (list, set, frozenset, tuple)
# What FastAPI counts as a declaration of the parameter's kind; a plain pydantic
# FieldInfo (``Field()``) is not one, only constraints and documentation.
_DECLARATIONS = (params.Param, params.Body, params.Depends)
# The pydantic attributes a plain ``Field()`` in ``Annotated`` gives a parameter
# (its default excepted: FastAPI takes that from the signature only).
_FIELD_ATTRIBUTES = tuple(
    name
    for name in FieldInfo.__slots__
    if not name.startswith("_") and name not in ("annotation", "default")
)


@dataclass(frozen=True, slots=True)
class RequestParam:
    """One endpoint argument read from the request."""

    name: str  # the argument's name
    location: str  # PATH, QUERY, HEADER, COOKIE, BODY or FORM
    key: str  # the name on the wire: alias, or the name (headers: with hyphens)
    annotation: Any  # the declared type, without the FieldInfo
    field_info: FieldInfo  # constraints, default, alias, documentation
    group: bool  # a Pydantic model whose fields are parameters of ``location``
    # A group declared ``Model | None`` (``annotation`` is then the model): when
    # none of its fields is sent, the parameter takes its default (or is missing).
    optional: bool = False

    @property
    def required(self) -> bool:
        return self.field_info.is_required()

    @property
    def embed(self) -> bool:
        return bool(getattr(self.field_info, "embed", False))


@dataclass(frozen=True, slots=True)
class DependencyParam:
    """One endpoint argument whose value a dependency computes."""

    name: str
    call: Callable[..., Any]
    declaration: params.Depends  # use_cache, scope, max_concurrency, Security scopes


@dataclass(frozen=True, slots=True)
class Signature:
    """What a callable takes: request parameters, dependencies and connection objects."""

    params: tuple[RequestParam, ...]
    dependencies: tuple[DependencyParam, ...]  # in declaration order
    connections: dict[str, type]  # argument name -> Request, Response, BackgroundTasks, ...


def read_signature(call: Callable[..., Any], path_names: set[str]) -> Signature:
    """Describe ``call``'s arguments; refuse, naming the argument, what cannot be served."""
    parameters = inspect.signature(call).parameters.values()
    # Annotations written as strings (``from __future__ import annotations``)
    # are evaluated where the callable is defined; others are used as given,
    # which keeps what a class's ``__signature__`` says (Pydantic models).
    written_as_text = any(isinstance(parameter.annotation, str) for parameter in parameters)
    hints = _type_hints(call) if written_as_text else {}
    found: list[RequestParam] = []
    dependencies: list[DependencyParam] = []
    connections: dict[str, type] = {}
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue  # FastAPI ignores *args and **kwargs
        annotation = parameter.annotation
        if annotation is inspect.Parameter.empty:
            annotation = Any
        elif isinstance(annotation, str):
            annotation = hints.get(parameter.name, Any)
        annotation, declared, fields = _split_annotated(annotation)
        default = parameter.default
        _check_declared_once(parameter.name, declared, fields, default)
        if isinstance(default, (FieldInfo, params.Depends)):
            # A plain Field() in Annotated does not apply then (as in FastAPI).
            declared, fields, default = default, (), inspect.Parameter.empty
        if isinstance(declared, params.Depends):
            dependency = declared.dependency if declared.dependency is not None else annotation
            if not callable(dependency):
                raise TypeError(
                    f"{describe(call)}: parameter {parameter.name!r} depends on "
                    f"{dependency!r}, which cannot be called"
                )
            dependencies.append(DependencyParam(parameter.name, dependency, declared))
            continue
        if declared is None and _is_connection(annotation):
            connections[parameter.name] = annotation
            continue
        found.append(
            _request_param(parameter.name, annotation, declared, fields, default, path_names)
        )
    return Signature(params=tuple(found), dependencies=tuple(dependencies), connections=connections)


def _type_hints(call: Callable[..., Any]) -> dict[str, Any]:
    """The evaluated annotations of what calling ``call`` runs.

    A class is called through its ``__init__``, a callable instance through
    its ``__call__``, a ``functools.partial`` through its function. A name
    that cannot be resolved is refused now, naming the callable, rather than
    misread as a query parameter.
    """
    target: Any = call
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.isclass(target):
        target = target.__init__
    elif not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = type(target).__call__  # a callable instance
    try:
        return typing.get_type_hints(target, include_extras=True)
    except NameError as error:
        annotations = getattr(target, "__annotations__", {})
        missing = error.name or "?"
        culprit = next((name for name, text in annotations.items() if missing in str(text)), "?")
        raise NameError(
            f"{describe(call)}: parameter {culprit!r} is annotated with {missing!r}, "
            "a name that cannot be resolved where the function is defined"
        ) from error


def _check_declared_once(
    name: str, in_annotated: Any, fields: tuple[FieldInfo, ...], default: Any
) -> None:
    """Refuse, as FastAPI does, a declaration both in ``Annotated`` and as the default,
    a default inside ``Annotated[..., Query(default)]`` (it belongs after ``=``), and a
    plain ``Field()`` as the default (it does not say where the value is read from)."""
    if isinstance(default, (FieldInfo, params.Depends)):
        if in_annotated is not None:
            raise AssertionError(
                f"parameter {name!r}: declared twice, with {type(in_annotated).__name__} in "
                "Annotated and as its default value; keep one"
            )
        if not isinstance(default, _DECLARATIONS):
            raise AssertionError(
                f"parameter {name!r}: a plain pydantic Field() as the default value does not "
                "say where the parameter is read from; declare it with Query(), Body(), ... or "
                "put the Field() inside Annotated"
            )
        return
    if not isinstance(in_annotated, FieldInfo):
        return  # a plain Field()'s default in Annotated is not used, as in FastAPI
    kind = type(in_annotated).__name__
    if any(field.default is not PydanticUndefined for field in fields):
        raise AssertionError(
            f"parameter {name!r}: a default inside Annotated[..., {kind}(...)] is not used; "
            f"write it after '=' instead"
        )


def _split_annotated(annotation: Any) -> tuple[Any, Any, tuple[FieldInfo, ...]]:
    """``Annotated[T, ..., Query()]`` -> (``Annotated[T, ...]`` or T, the declaration, fields).

    The declaration is the last ``Query()``, ``Body()``, ``Depends()``, ...
    (None without one); the fields are every ``FieldInfo`` in ``Annotated``,
    plain pydantic ``Field()`` ones too, in order: together they make the
    parameter's constraints and documentation.
    """
    if typing.get_origin(annotation) is not Annotated:
        return annotation, None, ()
    base, *extras = typing.get_args(annotation)
    taken = [extra for extra in extras if isinstance(extra, (FieldInfo, params.Depends))]
    if not taken:
        return annotation, None, ()
    others = [extra for extra in extras if not any(extra is item for item in taken)]
    kept = Annotated[(base, *others)] if others else base
    declarations = [extra for extra in taken if isinstance(extra, _DECLARATIONS)]
    fields = tuple(extra for extra in taken if isinstance(extra, FieldInfo))
    return kept, declarations[-1] if declarations else None, fields


def _is_connection(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(
        annotation, (HTTPConnection, Response, BackgroundTasks, SecurityScopes)
    )


def _request_param(
    name: str,
    annotation: Any,
    declared: FieldInfo | None,
    fields: tuple[FieldInfo, ...],
    default: Any,
    path_names: set[str],
) -> RequestParam:
    if declared is None:
        location = _implicit_location(name, annotation, path_names)
        field_info = _with_fields(_implicit_field_info(location, default), fields)
    else:
        field_info = _with_fields(declared, fields)
        if default is not inspect.Parameter.empty:
            # Annotated[int, Query()] = 3: the default comes from the signature.
            field_info.default = default
        location = _declared_location(declared)
    if field_info.default is not PydanticUndefined and field_info.default_factory is not None:
        raise TypeError(f"parameter {name!r}: cannot have both a default and a default_factory")
    model = _group_model(annotation) if location in (QUERY, HEADER, COOKIE, FORM) else None
    return RequestParam(
        name=name,
        location=location,
        key=_wire_key(name, location, field_info),
        annotation=annotation if model is None else model,
        field_info=field_info,
        group=model is not None,
        optional=model is not None and model is not annotation,
    )


def _with_fields(declaration: FieldInfo, fields: tuple[FieldInfo, ...]) -> FieldInfo:
    """A copy of ``declaration`` with what ``fields`` (every ``FieldInfo`` in
    ``Annotated``, in order, later ones winning) say, but its own default."""
    merged = copy.copy(declaration)
    if not fields or (len(fields) == 1 and fields[0] is declaration):
        return merged
    combined = FieldInfo.merge_field_infos(*fields) if len(fields) > 1 else fields[0]
    for attribute in _FIELD_ATTRIBUTES:
        setattr(merged, attribute, copy.copy(getattr(combined, attribute)))
    attributes_set = dict(combined._attributes_set)
    attributes_set.pop("default", None)
    if "default" in declaration._attributes_set:
        attributes_set["default"] = declaration._attributes_set["default"]
    merged._attributes_set = attributes_set
    return merged


def _implicit_location(name: str, annotation: Any, path_names: set[str]) -> str:
    if name in path_names:
        return PATH
    if _is_upload(annotation):
        return FORM
    return QUERY if _is_scalar(annotation) else BODY


def _implicit_field_info(location: str, default: Any) -> FieldInfo:
    if location == PATH:
        return params.Path()
    value = PydanticUndefined if default is inspect.Parameter.empty else default
    if location == FORM:
        return params.File(value)
    if location == BODY:
        return params.Body(value)
    return params.Query(value)


def _declared_location(declared: FieldInfo) -> str:
    for declaration_type, location in _LOCATION_OF_DECLARATION:
        if isinstance(declared, declaration_type):
            return location
    # A Param subclass of the application's own says where with ``in_``.
    return str(getattr(getattr(declared, "in_", None), "value", QUERY))


def _wire_key(name: str, location: str, field_info: FieldInfo) -> str:
    if isinstance(field_info.validation_alias, str):
        return field_info.validation_alias
    if field_info.alias is not None:
        return field_info.alias
    if location == HEADER and getattr(field_info, "convert_underscores", True):
        return name.replace("_", "-")
    return name


def _is_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _group_model(annotation: Any) -> type[BaseModel] | None:
    """The model of ``Model`` or ``Model | None``, read as a group of parameters; else None."""
    members = [member for member in _union_members(annotation) if member is not type(None)]
    if len(members) == 1 and _is_model(members[0]):
        return typing.cast(type[BaseModel], members[0])
    return None


def _is_upload(annotation: Any) -> bool:
    """``UploadFile``, optionally in a list or a union with None."""
    for candidate in _union_members(annotation):
        if typing.get_origin(candidate) in _SEQUENCES:
            candidate = next(iter(typing.get_args(candidate)), None)
        if inspect.isclass(candidate) and issubclass(candidate, StarletteUploadFile):
            return True
    return False


def _is_scalar(annotation: Any) -> bool:
    """Whether FastAPI reads a parameter of this type from the query string by default."""
    members = _union_members(annotation)
    return all(_is_scalar_member(member) for member in members)


def _is_scalar_member(annotation: Any) -> bool:
    if annotation is type(None) or annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _is_scalar(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return True
    if origin is not None:
        return False  # list[...], dict[...], ...: a body
    if not inspect.isclass(annotation):
        return True
    if dataclasses.is_dataclass(annotation):
        return False
    return not issubclass(annotation, (BaseModel, dict, *_SEQUENCES)) or issubclass(
        annotation, (str, bytes)
    )


def _union_members(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def sequence_item(annotation: Any) -> Any | None:
    """The item type when ``annotation``, or a member of its union, is a sequence.

    Such a parameter takes every value of its key, as in FastAPI. ``Json[...]``
    is one value (a JSON text), whatever it decodes to.
    """
    for member in _union_members(annotation):
        if typing.get_origin(member) is Annotated:
            member, *metadata = typing.get_args(member)
            if any(type(item) is Json for item in metadata):  # Json[X] is Annotated[X, Json()]
                continue
        if typing.get_origin(member) in _SEQUENCES or member in _SEQUENCES:
            args = typing.get_args(member)
            return args[0] if args else Any
    return None


def describe(call: Callable[..., Any]) -> str:
    """How errors name a callable: ``module.qualname()``."""
    name = getattr(call, "__qualname__", None) or type(call).__qualname__
    return f"{getattr(call, '__module__', '?')}.{name}()"
