"""The compiled core and its pure-Python mirror define the same public names.

For each ``fastcore/_NAME.pyx`` and ``fastcore_py/NAME.py``, the public
module-level names and the public methods of each class must match.

Two checks, because each sees something the other cannot:

* ``test_source_parity`` reads both files as text, so it runs everywhere,
  even without a compiler, and compares what a reader sees side by side.
  The ``.py`` side is parsed with ``ast``. The ``.pyx`` side is read with a
  line-based scanner rather than Cython's own parser: Cython's parser is an
  internal API that changes between releases and needs Cython installed at
  test time, while the few statement shapes that define public names
  (``def``, ``cpdef``, ``class``/``cdef class``, ``cpdef enum``, plain
  assignments at column 0) are easy to recognise once strings are blanked.
* ``test_runtime_parity`` imports the built extension and checks what Python
  code can actually reach, which catches a name that exists in the .pyx
  source but is invisible at run time (``cdef int FOUND = 0``, a ``cdef``
  method). It goes from the pure module's source names to the compiled
  module's attributes, and from the compiled module's own functions and
  classes back, because ``dir()`` alone cannot tell a module's own
  constants from names it imported.
"""

from __future__ import annotations

import ast
import inspect
import re
from importlib import import_module
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPILED_DIR = ROOT / "fastcore"
PURE_DIR = ROOT / "fastcore_py"

Names = dict[str, set[str]]  # "" -> module-level names; class name -> its method names

_TRIPLE_QUOTED = re.compile(r"(?s)(\"\"\"|''').*?\1")
_CLASS = re.compile(r"(?:cdef\s+(?:(?:public|api|final|readonly)\s+)*)?class\s+(\w+)")
# def / async def / cpdef with an optional C return type; never a plain cdef function.
_FUNCTION = re.compile(
    r"(?:async\s+def|def|cpdef(?:\s+inline)?(?:\s+[\w.\[\]*, ]+?)??)\s+\*?(\w+)\s*\("
)
_CPDEF_ENUM = re.compile(r"cpdef\s+enum\s+(\w+)")
_ASSIGN = re.compile(r"([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)")


def _is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def pyx_names(source: str) -> Names:
    """Public module-level names and class methods visible from Python, from Cython source."""
    # Keep line numbers, drop docstrings that could hold text looking like code.
    source = _TRIPLE_QUOTED.sub(lambda m: "None" + "\n" * m.group(0).count("\n"), source)
    names: Names = {"": set()}
    scope: str | None = None  # class being read, or "<enum>" inside a cpdef enum
    body_indent: int | None = None
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "@")):
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            scope = body_indent = None
            if found := _CPDEF_ENUM.match(stripped):
                names[""].add(found.group(1))
                scope = "<enum>"
            elif found := _CLASS.match(stripped):
                scope = found.group(1)
                names[""].add(scope)
                names[scope] = set()
            elif found := _FUNCTION.match(stripped):
                names[""].add(found.group(1))
            elif (found := _ASSIGN.match(stripped)) and not stripped.startswith("DEF "):
                names[""].add(found.group(1))
            continue
        if scope is None:
            continue
        body_indent = body_indent or indent
        if indent != body_indent:
            continue  # inside a method body
        if scope == "<enum>":
            names[""].update(re.findall(r"(\w+)\s*(?:=[^,]*)?(?:,|$)", stripped))
        elif found := _FUNCTION.match(stripped):
            names[scope].add(found.group(1))
    return names


def py_names(source: str) -> Names:
    """Public module-level names and class methods, from Python source."""
    names: Names = {"": set()}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[""].add(node.name)
        elif isinstance(node, ast.ClassDef):
            names[""].add(node.name)
            names[node.name] = {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        elif isinstance(node, ast.Assign):
            names[""].update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[""].add(node.target.id)
    return names


def differences(compiled: Names, pure: Names, left: str, right: str) -> list[str]:
    """Lines naming each public name that one side has and the other lacks."""
    problems = []
    scopes = [""] + sorted(s for s in compiled.keys() & pure.keys() if s and _is_public(s))
    for scope in scopes:
        where = f"class {scope}" if scope else "module"
        a = {n for n in compiled[scope] if _is_public(n)}
        b = {n for n in pure[scope] if _is_public(n)}
        problems += [f"{right}: {where} lacks {n} (in {left})" for n in sorted(a - b)]
        problems += [f"{left}: {where} lacks {n} (in {right})" for n in sorted(b - a)]
    return problems


def core_module_names() -> list[str]:
    compiled = {p.stem[1:] for p in COMPILED_DIR.glob("_*.pyx")}
    pure = {p.stem for p in PURE_DIR.glob("*.py") if not p.stem.startswith("_")}
    return sorted(compiled | pure)


@pytest.mark.parametrize("name", core_module_names())
def test_source_parity(name: str) -> None:
    pyx, mirror = COMPILED_DIR / f"_{name}.pyx", PURE_DIR / f"{name}.py"
    missing = [str(p.relative_to(ROOT)) for p in (pyx, mirror) if not p.exists()]
    assert not missing, f"a core module needs both sides; missing: {missing}"
    problems = differences(
        pyx_names(pyx.read_text()),
        py_names(mirror.read_text()),
        str(pyx.relative_to(ROOT)),
        str(mirror.relative_to(ROOT)),
    )
    assert not problems, "public names differ:\n" + "\n".join(problems)


@pytest.mark.compiled_only
@pytest.mark.parametrize("name", core_module_names())
def test_runtime_parity(name: str) -> None:
    compiled = import_module(f"fastcore._{name}")
    pure = py_names((PURE_DIR / f"{name}.py").read_text())
    label, problems = compiled.__name__, []
    for attr in sorted(filter(_is_public, pure[""])):
        if not hasattr(compiled, attr):
            problems.append(f"{label}: {attr} is not reachable from Python")
    for cls_name in sorted(filter(_is_public, pure.keys() - {""})):
        cls = getattr(compiled, cls_name, None)
        if cls is None:
            continue  # reported above
        missing = [m for m in sorted(filter(_is_public, pure[cls_name])) if not hasattr(cls, m)]
        problems += [f"{label}: {cls_name}.{m} is not reachable from Python" for m in missing]
    for attr, value in vars(compiled).items():
        if attr.startswith("_") or getattr(value, "__module__", None) != compiled.__name__:
            continue  # private, a constant, or imported from elsewhere
        if attr not in pure[""]:
            problems.append(f"fastcore_py/{name}.py lacks {attr} (in {label})")
        elif inspect.isclass(value):
            own = {m for m, v in vars(value).items() if m[0] != "_" and inspect.isroutine(v)}
            problems += [
                f"fastcore_py/{name}.py: class {attr} lacks {m} (in {label})"
                for m in sorted(own - pure.get(attr, set()))
            ]
    assert not problems, "public names differ at run time:\n" + "\n".join(problems)
