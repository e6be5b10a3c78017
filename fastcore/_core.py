"""Pick the request-path core once, at import: compiled Cython or pure Python.

``FASTCORE_PURE_PYTHON=1`` (or ``true``/``yes``, any case) selects the
pure-Python mirror in ``fastcore_py``; otherwise the compiled ``fastcore._NAME``
modules are used, and if any of them is missing (installed without a compiler)
all of them fall back to ``fastcore_py``, so the two cores are never mixed.
The rest of fastcore imports the core only from here::

    from fastcore._core import routing
"""

from __future__ import annotations

import os
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = ("ACTIVE_MODULES", "COMPILED", "CORE_MODULES", "REASON", "deps", "params", "routing")

# One entry per core module: fastcore/_NAME.pyx, mirrored by fastcore_py/NAME.py.
# Adding one means naming it here and in the TYPE_CHECKING import below.
CORE_MODULES = ("routing", "params", "deps")

_TRUTHY = ("1", "true", "yes")
PURE_PYTHON_REQUESTED = os.environ.get("FASTCORE_PURE_PYTHON", "").strip().lower() in _TRUTHY


def _load(template: str) -> dict[str, ModuleType]:
    return {name: import_module(template.format(name)) for name in CORE_MODULES}


#: The active module for each name in CORE_MODULES.
ACTIVE_MODULES: dict[str, ModuleType] = {}
#: True when the compiled Cython modules are the active core.
COMPILED = False
#: Why this core is active, for ``python -m fastcore info``.
REASON = "FASTCORE_PURE_PYTHON is set"
if not PURE_PYTHON_REQUESTED:
    try:
        ACTIVE_MODULES = _load("fastcore._{}")
        COMPILED, REASON = True, "extension modules found"
    except ImportError as exc:  # built without a compiler, or the .so cannot load
        REASON = f"compiled extension not available: {exc}"
if not COMPILED:
    ACTIVE_MODULES = _load("fastcore_py.{}")

if TYPE_CHECKING:
    # Type checkers read the pure modules, whose API the .pyx files mirror.
    from fastcore_py import deps, params, routing
else:
    globals().update(ACTIVE_MODULES)
