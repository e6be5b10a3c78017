"""The functions users call in endpoint signatures: ``Query()``, ``Depends()``, ...

Each returns the matching declaration object from ``fastcore.params``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic_core import PydanticUndefined

from fastcore import params


def Path(default: Any = ..., **options: Any) -> Any:  # noqa: N802 - FastAPI's public name
    return params.Path(default, **options)


def Query(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.Query(default, **options)


def Header(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.Header(default, **options)


def Cookie(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.Cookie(default, **options)


def Body(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.Body(default, **options)


def Form(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.Form(default, **options)


def File(default: Any = PydanticUndefined, **options: Any) -> Any:  # noqa: N802
    return params.File(default, **options)


def Depends(  # noqa: N802
    dependency: Callable[..., Any] | None = None,
    *,
    use_cache: bool = True,
    scope: str | None = None,
    max_concurrency: int | None = None,
) -> Any:
    return params.Depends(
        dependency, use_cache=use_cache, scope=scope, max_concurrency=max_concurrency
    )


def Security(  # noqa: N802
    dependency: Callable[..., Any] | None = None,
    *,
    scopes: Sequence[str] | None = None,
    use_cache: bool = True,
) -> Any:
    return params.Security(dependency, scopes=scopes, use_cache=use_cache)
