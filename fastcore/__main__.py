"""Command line: ``python -m fastcore info`` (``run`` and ``dev`` come later)."""

from __future__ import annotations

import argparse
import platform
import re
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from fastcore import _core

# Cython-generated modules register their shared types in a module named
# after the Cython release that generated them, so the name is in the binary.
_CYTHON_ABI = re.compile(rb"_cython_(\d+)_(\d+)_(\d+)")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def cython_version() -> str:
    """The Cython release that built the active compiled core, as well as known."""
    for module in _core.ACTIVE_MODULES.values():
        try:
            found = _CYTHON_ABI.search(Path(module.__file__ or "").read_bytes())
        except OSError:
            continue
        if found:
            return ".".join(part.decode() for part in found.groups()) + " (built with)"
    try:
        import Cython
    except ImportError:
        return "unknown"
    return f"{Cython.__version__} (installed; build version unknown)"


def info_lines() -> list[str]:
    core = "compiled" if _core.COMPILED else "pure Python"
    lines = [
        f"fastcore:  {_version('fastcore')}",
        f"core:      {core} ({_core.REASON})",
    ]
    for name, module in _core.ACTIVE_MODULES.items():
        lines.append(f"  {name}: {module.__name__} from {getattr(module, '__file__', '?')}")
    lines.append(f"starlette: {_version('starlette')}")
    lines.append(f"pydantic:  {_version('pydantic')}")
    if _core.COMPILED:
        lines.append(f"cython:    {cython_version()}")
    lines.append(f"python:    {platform.python_version()} ({platform.python_implementation()})")
    return lines


def _info(args: argparse.Namespace) -> int:
    print("\n".join(info_lines()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m fastcore", description="fastcore command line tools"
    )
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    info = commands.add_parser("info", help="show the active core (compiled or pure) and versions")
    info.set_defaults(handler=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
