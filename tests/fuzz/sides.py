"""The two sides a harness compares: a core's routing and params modules, by name.

``compiled()`` is the subject when fuzzing, ``pure()`` the oracle. Tests pass
their own (``tests/conftest.py``'s ``Core`` has the same attributes), or an
oracle made wrong on purpose to prove a harness notices.

Harnesses build route tables and parameter groups once per module, not per
input: ``per_module`` keeps what a builder made for each module it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol, TypeVar

Built = TypeVar("Built")


class Side(Protocol):
    """What a harness needs of a core."""

    @property
    def name(self) -> str: ...
    @property
    def routing(self) -> Any: ...
    @property
    def params(self) -> Any: ...


@dataclass(frozen=True)
class Core:
    name: str
    routing: Any
    params: Any


def compiled() -> Core:
    """The compiled core (the instrumented build, when the fuzz engine loaded one first)."""
    return Core("compiled", import_module("fastcore._routing"), import_module("fastcore._params"))


def pure() -> Core:
    return Core("pure", import_module("fastcore_py.routing"), import_module("fastcore_py.params"))


def per_module(build: Callable[[Any], Built]) -> Callable[[Any], Built]:
    """``build(module)``, made once for each module (kept alive with what was built)."""
    made: dict[int, tuple[Any, Built]] = {}

    def cached(module: Any) -> Built:
        entry = made.get(id(module))
        if entry is None:
            entry = made[id(module)] = (module, build(module))
        return entry[1]

    return cached
