# Pydantic marks FieldInfo as final for type checkers, but subclassing it is
# what FastAPI does and what keeps these declarations Pydantic fields.
# mypy: disable-error-code="misc"
"""Parameter declarations: where an endpoint argument comes from, and its constraints.

``Query()``, ``Path()``, ``Body()`` and the others (see ``param_functions``)
return these objects. They are Pydantic ``FieldInfo`` objects, so every
constraint Pydantic knows (``gt``, ``max_length``, ``pattern``, ...) is
declared the same way, plus where the value is read from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined


def _pydantic_arguments(declaration: FieldInfo, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` as ``FieldInfo`` takes them, with FastAPI's older spellings.

    ``regex`` is FastAPI's former name for ``pattern``; ``example`` (one
    value) is kept on the declaration for the OpenAPI document.
    """
    regex = options.pop("regex", None)
    if regex is not None and options.get("pattern") is None:
        options["pattern"] = regex
    declaration.example = options.pop("example", PydanticUndefined)  # type: ignore[attr-defined]
    return options


class ParamTypes(Enum):
    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


class Param(FieldInfo):
    """A parameter read from the request line or headers."""

    in_: ParamTypes

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        include_in_schema: bool = True,
        openapi_examples: dict[str, Any] | None = None,
        **constraints: Any,
    ) -> None:
        self.include_in_schema = include_in_schema
        self.openapi_examples = openapi_examples
        super().__init__(default=default, **_pydantic_arguments(self, constraints))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.default})"


class Path(Param):
    in_ = ParamTypes.path

    def __init__(self, default: Any = ..., **options: Any) -> None:
        if default is not ...:
            raise AssertionError("Path parameters cannot have a default value")
        super().__init__(default, **options)


class Query(Param):
    in_ = ParamTypes.query


class Header(Param):
    in_ = ParamTypes.header

    def __init__(
        self, default: Any = PydanticUndefined, *, convert_underscores: bool = True, **options: Any
    ) -> None:
        self.convert_underscores = convert_underscores
        super().__init__(default, **options)


class Cookie(Param):
    in_ = ParamTypes.cookie


class Body(FieldInfo):
    """A value read from the request body."""

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        embed: bool | None = None,
        media_type: str = "application/json",
        include_in_schema: bool = True,
        openapi_examples: dict[str, Any] | None = None,
        **constraints: Any,
    ) -> None:
        self.embed = embed
        self.media_type = media_type
        self.include_in_schema = include_in_schema
        self.openapi_examples = openapi_examples
        super().__init__(default=default, **_pydantic_arguments(self, constraints))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.default})"


class Form(Body):
    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        media_type: str = "application/x-www-form-urlencoded",
        **options: Any,
    ) -> None:
        super().__init__(default, media_type=media_type, **options)


class File(Form):
    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        media_type: str = "multipart/form-data",
        **options: Any,
    ) -> None:
        super().__init__(default, media_type=media_type, **options)


class Depends:
    """A value computed by calling ``dependency`` for the request.

    ``max_concurrency`` limits how many calls of this declaration run at
    once (a ``yield`` dependency counts until its teardown ends); each
    ``Depends()`` object has its own limit.
    """

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        use_cache: bool = True,
        scope: str | None = None,
        *,
        max_concurrency: int | None = None,
    ) -> None:
        if scope not in (None, "function", "request"):
            raise ValueError(f"scope must be 'function' or 'request', not {scope!r}")
        if max_concurrency is not None and max_concurrency < 1:
            raise ValueError("max_concurrency must be a positive integer")
        self.dependency = dependency
        self.use_cache = use_cache
        self.scope = scope
        self.max_concurrency = max_concurrency
        self.scopes: list[str] = []

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__)
        cache = "" if self.use_cache else ", use_cache=False"
        return f"{type(self).__name__}({name}{cache})"


class Security(Depends):
    """A dependency that also declares the OAuth2 scopes it requires."""

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        use_cache: bool = True,
        scope: str | None = None,
        scopes: Sequence[str] | None = None,
        *,
        max_concurrency: int | None = None,
    ) -> None:
        super().__init__(dependency, use_cache, scope, max_concurrency=max_concurrency)
        self.scopes = list(scopes or [])
