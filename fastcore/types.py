"""Type aliases shared across fastcore, with the names ``fastapi.types`` gives them."""

import types
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar, Union

from pydantic import BaseModel

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])

# ``int | str`` at runtime; kept under its ``fastapi.types`` name for code that imports it.
UnionType = getattr(types, "UnionType", Union)

# Names given to models and enums in the OpenAPI document.
ModelNameMap = dict[type[BaseModel] | type[Enum], str]

# Pydantic's include/exclude argument: a set of field names or indexes, or a mapping
# from those to a nested include/exclude (or ``True`` for "the whole field").
IncEx = set[int] | set[str] | dict[int, Any] | dict[str, Any]

# What a resolved dependency is cached under: (callable, security scopes, scope name).
DependencyCacheKey = tuple[Callable[..., Any] | None, tuple[str, ...], str]
