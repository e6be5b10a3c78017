"""Every fuzz target by name: one harness module each, in the order the runner runs them.

A harness module has ``NAME``, ``SEEDS`` (readable inputs, replayed by
``tests/test_fuzz_harnesses.py``), ``DICTIONARY`` (tokens the fuzzer splices
in) and ``check(data, subject, oracle)``, which raises ``compare.Finding``
for a bug and returns for a good input. Every harness first expands
``(text)*N`` in its input (``wire.expand``), so that short inputs can reach
deep templates, long paths and long values.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

TARGETS = ("routes", "templates", "query", "headers", "cookies", "plan", "body")


def load(name: str) -> ModuleType:
    if name not in TARGETS:
        raise KeyError(f"unknown fuzz target {name!r}; known: {', '.join(TARGETS)}")
    return import_module(f"tests.fuzz.target_{name}")
