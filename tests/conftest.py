"""Shared test set-up: check the active core, and run core tests against both cores.

The whole suite runs twice (``make test``): once on the compiled core and once
with ``FASTCORE_PURE_PYTHON=1``. Core unit tests additionally take the ``core``
fixture, which hands them each implementation in turn within one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_PARAMS = ("compiled", "pure")
TRUTHY = ("1", "true", "yes")  # FASTCORE_PURE_PYTHON values that ask for the pure core
MODULE_PREFIX = {"compiled": "fastcore._", "pure": "fastcore_py."}


@dataclass(frozen=True)
class Core:
    """One implementation of the core: ``compiled`` (Cython) or ``pure`` (Python)."""

    name: str
    routing: ModuleType
    params: ModuleType
    deps: ModuleType

    def __str__(self) -> str:
        return self.name


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-compiled",
        action="store_true",
        help="no compiled core on this machine: expect the pure core, skip compiled-core tests",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once when the active core is not the one this run asked for."""
    if config.getoption("help") or config.getoption("version"):
        return
    from fastcore import _core

    pure_requested = os.environ.get("FASTCORE_PURE_PYTHON", "").strip().lower() in TRUTHY
    expect_compiled = not pure_requested and not config.getoption("--no-compiled")
    if _core.COMPILED == expect_compiled:
        check_compiled_core_is_fresh()
        return
    if expect_compiled:
        problem = "this run expects the compiled core but the pure-Python core is active"
        hint = (
            "build the extension (`pip install -e .` with a C compiler), or, on a machine "
            "without one, run with FASTCORE_PURE_PYTHON=1 or --no-compiled"
        )
    elif pure_requested:
        problem = "FASTCORE_PURE_PYTHON is set but the compiled core is active"
        hint = "fastcore._core must honour the variable"
    else:
        problem = "--no-compiled was given but the compiled core is active"
        hint = "drop --no-compiled, or also set FASTCORE_PURE_PYTHON=1"
    raise pytest.UsageError(f"fastcore: {problem} ({_core.REASON}); {hint}.")


def check_compiled_core_is_fresh() -> None:
    """Refuse to test a compiled module older than its .pyx or .pxd: rebuild first."""
    from fastcore._core import CORE_MODULES

    for name in CORE_MODULES:
        try:
            module = import_module(MODULE_PREFIX["compiled"] + name)
        except ImportError:
            continue  # a missing extension is reported by the active-core check
        built = Path(module.__file__ or "").stat().st_mtime
        for source in (ROOT / "fastcore" / f"_{name}.pyx", ROOT / "fastcore" / f"_{name}.pxd"):
            if source.exists() and source.stat().st_mtime > built:
                raise pytest.UsageError(
                    f"fastcore: {source.relative_to(ROOT)} is newer than {module.__file__}; "
                    "rebuild the compiled core with `pip install -e .` (`make test` does)."
                )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    no_compiled = config.getoption("--no-compiled")
    for item in items:
        params = getattr(item, "callspec", None)
        name = params.params.get("core") if params else None
        if no_compiled and (name == "compiled" or item.get_closest_marker("compiled_only")):
            item.add_marker(pytest.mark.skip(reason="--no-compiled: compiled core not tested"))
        elif name == "pure" and item.get_closest_marker("compiled_only"):
            item.add_marker(pytest.mark.skip(reason="compiled_only test"))


@pytest.fixture(scope="session", params=CORE_PARAMS)
def core(request: pytest.FixtureRequest) -> Core:
    """Each core in turn, whichever one ``fastcore._core`` selected for the app."""
    name = request.param
    try:
        modules = {
            module: import_module(MODULE_PREFIX[name] + module)
            for module in ("routing", "params", "deps")
        }
    except ImportError as exc:
        pytest.fail(f"{name} core not importable ({exc}); use --no-compiled to skip it")
    return Core(name=name, **modules)


@pytest.fixture(scope="session")
def routing(core: Core) -> ModuleType:
    """The routing module of the core under test."""
    return core.routing


@pytest.fixture(scope="session")
def params(core: Core) -> ModuleType:
    """The params module of the core under test."""
    return core.params


@pytest.fixture(scope="session")
def deps(core: Core) -> ModuleType:
    """The deps module of the core under test."""
    return core.deps
