"""Which core is active, as a user sees it from a fresh interpreter.

The choice is made once, at import, so each case runs in its own subprocess.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from fastcore._core import CORE_MODULES

ROOT = Path(__file__).resolve().parent.parent

# Stands in for an install made without a compiler: no compiled module can be found.
BLOCK_EXTENSIONS = f"""
import sys

class BlockCompiledCore:
    def find_spec(self, name, path=None, target=None):
        if name in {sorted(f"fastcore._{m}" for m in CORE_MODULES)!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

sys.meta_path.insert(0, BlockCompiledCore())
"""
RUN_CLI = "import runpy; runpy.run_module('fastcore', run_name='__main__')"


def python(*args: str, pure: str | None = None) -> str:
    """Run a fresh interpreter from the repo root; FASTCORE_PURE_PYTHON only if given."""
    env = {k: v for k, v in os.environ.items() if k != "FASTCORE_PURE_PYTHON"}
    if pure is not None:
        env["FASTCORE_PURE_PYTHON"] = pure
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def active_core(pure: str | None = None, prelude: str = "") -> str:
    code = prelude + "\nfrom fastcore import _core\nprint(_core.COMPILED, _core.REASON)"
    return python("-c", code, pure=pure).strip()


@pytest.mark.parametrize("value", ["1", "true", "yes", "TRUE", "Yes", " 1 "])
def test_env_var_selects_pure_core(value: str) -> None:
    assert active_core(pure=value) == "False FASTCORE_PURE_PYTHON is set"


@pytest.mark.compiled_only
@pytest.mark.parametrize("value", [None, "", "0", "false", "no"])
def test_compiled_core_otherwise(value: str | None) -> None:
    assert active_core(pure=value) == "True extension modules found"


def test_pure_core_comes_from_fastcore_py() -> None:
    code = "from fastcore._core import routing; print(routing.__name__)"
    assert python("-c", code, pure="1").strip() == "fastcore_py.routing"


@pytest.mark.compiled_only
def test_compiled_core_comes_from_the_extension() -> None:
    code = "from fastcore._core import routing; print(routing.__name__, routing.__file__)"
    name, path = python("-c", code).split()
    assert name == "fastcore._routing"
    assert not path.endswith(".py")


def test_missing_extension_falls_back_to_pure() -> None:
    out = active_core(prelude=BLOCK_EXTENSIONS)
    assert out.startswith("False compiled extension not available")
    assert "fastcore._" in out

    code = BLOCK_EXTENSIONS + "from fastcore._core import routing; print(routing.__name__)"
    assert python("-c", code).strip() == "fastcore_py.routing"


@pytest.mark.compiled_only
def test_info_reports_compiled_core_and_versions() -> None:
    out = python("-m", "fastcore", "info")
    assert "core:      compiled (extension modules found)" in out
    assert f"starlette: {version('starlette')}" in out
    assert f"pydantic:  {version('pydantic')}" in out
    assert f"python:    {sys.version_info.major}.{sys.version_info.minor}." in out
    assert "fastcore:  " in out
    cython = next(line for line in out.splitlines() if line.startswith("cython:"))
    assert cython.split()[1][0].isdigit(), cython  # the Cython that built the extension


def test_info_reports_pure_core_and_why() -> None:
    out = python("-m", "fastcore", "info", pure="yes")
    assert "core:      pure Python (FASTCORE_PURE_PYTHON is set)" in out
    assert f"pydantic:  {version('pydantic')}" in out
    assert "cython:" not in out

    out = python("-c", BLOCK_EXTENSIONS + RUN_CLI, "info")
    assert "core:      pure Python (compiled extension not available" in out


def test_core_fixture_hands_out_each_implementation(core) -> None:
    expected = {"compiled": "fastcore._routing", "pure": "fastcore_py.routing"}
    assert core.routing.__name__ == expected[core.name]


@pytest.mark.compiled_only
def test_compiled_only_runs_on_the_compiled_param_only(core) -> None:
    assert core.name == "compiled"
    assert not core.routing.__file__.endswith(".py")


def imported_names(source: str) -> set[str]:
    """Every module and ``from`` name a Python file imports, relative ones with their dots."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            joiner = "" if base.endswith(".") else "."
            names.add(base)
            names.update(f"{base}{joiner}{alias.name}" for alias in node.names)
    return names


def test_only_the_selector_imports_a_core_directly() -> None:
    """Everything but fastcore/_core.py goes through it, so FASTCORE_PURE_PYTHON always works."""
    private = {f"_{name}" for name in CORE_MODULES}
    offenders = []
    for path in sorted((ROOT / "fastcore").rglob("*.py")):
        if path == ROOT / "fastcore" / "_core.py":
            continue
        for name in imported_names(path.read_text()):
            parts = name.lstrip(".").split(".")
            if parts[0] == "fastcore_py" or private & set(parts):
                offenders.append(f"{path.relative_to(ROOT)}: imports {name}")
    assert not offenders, "use `from fastcore._core import ...` instead:\n" + "\n".join(offenders)


def test_no_subcommand_prints_help() -> None:
    out = python("-m", "fastcore")
    assert out.startswith("usage: python -m fastcore")
    assert "info" in out
