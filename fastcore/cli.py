"""The ``fastcore`` command line: ``info``, and ``run``/``dev`` to serve an app with uvicorn.

``run`` and ``dev`` behave like ``fastapi run`` and ``fastapi dev``: given the path of
a Python file or package (or nothing: a few usual file names are tried), they work
out the import string of the app, print it with the URLs to open, and hand that
string (never the app object) to uvicorn, so that worker processes and the
reloader can import the app themselves.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import sys
import tomllib
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module, metadata
from importlib.util import find_spec
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, NoReturn

from fastcore import _core
from fastcore.applications import FastAPI

# Tried in this order, relative to the working directory, when no path is given.
DEFAULT_FILES = ("main.py", "app.py", "api.py", "app/main.py", "app/app.py", "app/api.py")
# Names tried, in this order, before falling back to the first FastAPI instance.
DEFAULT_APP_NAMES = ("app", "api")
DEFAULT_PORT = 8000

# Cython-generated modules register their shared types in a module named
# after the Cython release that generated them, so the name is in the binary.
_CYTHON_ABI = re.compile(rb"_cython_(\d+)_(\d+)_(\d+)")


class CLIError(Exception):
    """A problem the user can fix: printed as one line, without a traceback, exit status 1."""


# -- info -------------------------------------------------------------------------------


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


def core_name() -> str:
    return "compiled" if _core.COMPILED else "pure Python"


def info_lines() -> list[str]:
    lines = [
        f"fastcore:  {_version('fastcore')}",
        f"core:      {core_name()} ({_core.REASON})",
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


# -- finding the app --------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleLocation:
    """Where a module file lives and the dotted name it is imported by from ``root``."""

    root: Path
    module: str
    file: Path


@dataclass(frozen=True)
class Target:
    """The app to serve: uvicorn's import string, where it came from, and the app itself."""

    import_string: str
    root: Path
    app: Any


def module_location(file: Path) -> ModuleLocation:
    """Name ``file`` by walking up through the package directories (those with __init__.py).

    The first directory without ``__init__.py`` is the one that goes on ``sys.path``.
    """
    file = file.resolve()
    parts = [] if file.name == "__init__.py" else [file.stem]
    directory = file.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.append(directory.name)
        directory = directory.parent
    if not parts:
        raise CLIError(f"{file} is an __init__.py outside any package")
    return ModuleLocation(root=directory, module=".".join(reversed(parts)), file=file)


def locate_module(path: str | None, cwd: Path) -> ModuleLocation:
    """The module to import for PATH (a .py file or a package directory), or a default file."""
    if path is None:
        for candidate in DEFAULT_FILES:
            if (cwd / candidate).is_file():
                return module_location(cwd / candidate)
        raise CLIError(
            f"no app file given and none of {', '.join(DEFAULT_FILES)} exists in {cwd}; "
            "pass the path of the file that creates the app"
        )
    given = cwd / path
    if given.is_dir():
        if not (given / "__init__.py").is_file():
            raise CLIError(
                f"{path} is a directory without __init__.py; pass the file that creates "
                f"the app instead, e.g. {Path(path) / 'main.py'}"
            )
        return module_location(given / "__init__.py")
    if not given.exists():
        raise CLIError(f"path does not exist: {path}")
    if given.suffix != ".py":
        raise CLIError(f"not a Python file: {path}")
    return module_location(given)


def import_from(location: ModuleLocation) -> ModuleType:
    """Import the module with its root first on sys.path (workers inherit sys.path)."""
    root = str(location.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        module = import_module(location.module)
    except Exception as exc:
        traceback.print_exc()
        raise CLIError(f"importing {location.module} from {root} failed: {exc!r}") from exc
    loaded = getattr(module, "__file__", None)
    if loaded is None or Path(loaded).resolve() != location.file:
        # Another module of that name (stdlib, installed, already imported) won.
        raise CLIError(
            f"the name {location.module!r} is taken by {loaded or 'another module'}, "
            f"not {location.file}; rename the file or use --entrypoint"
        )
    return module


def find_app_name(module: ModuleType, name: str | None = None) -> str:
    """The attribute holding the app: NAME, else ``app``, ``api``, else the first FastAPI."""
    module_name = module.__name__
    if name is not None:
        if not hasattr(module, name):
            raise CLIError(f"module {module_name} has no attribute {name!r}")
        value = getattr(module, name)
        if not isinstance(value, FastAPI):
            kind = type(value).__name__
            raise CLIError(f"{module_name}:{name} is a {kind}, not a FastAPI app")
        return name
    for candidate in DEFAULT_APP_NAMES:
        if isinstance(getattr(module, candidate, None), FastAPI):
            return candidate
    for attribute, value in vars(module).items():
        if isinstance(value, FastAPI):
            return attribute
    raise CLIError(
        f"no FastAPI app found in module {module_name} ({module.__file__}); "
        "name it `app`, or pass --app NAME"
    )


def load_entrypoint(entrypoint: str, cwd: Path) -> Target:
    """Check and import ``module:attribute`` the way uvicorn will, with CWD importable."""
    module_name, _, attribute = entrypoint.partition(":")
    if not module_name or not attribute:
        raise CLIError(f"an entrypoint looks like module.submodule:app, not {entrypoint!r}")
    root = str(cwd)
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        value: Any = import_module(module_name)
    except Exception as exc:
        traceback.print_exc()
        raise CLIError(f"importing {module_name} failed: {exc!r}") from exc
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise CLIError(f"{module_name} has no attribute {attribute!r}")
        value = getattr(value, part)
    if not callable(value):
        raise CLIError(f"{entrypoint} is a {type(value).__name__}, not an ASGI app")
    return Target(import_string=entrypoint, root=cwd, app=value)


def pyproject_entrypoint(cwd: Path) -> str | None:
    """``entrypoint`` from [tool.fastcore] (or [tool.fastapi], for migrated projects)."""
    try:
        with open(cwd / "pyproject.toml", "rb") as file:
            tool = tomllib.load(file).get("tool", {})
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"cannot read {cwd / 'pyproject.toml'}: {exc}") from exc
    for section in ("fastcore", "fastapi"):
        entrypoint = tool.get(section, {}).get("entrypoint")
        if entrypoint is not None:
            return str(entrypoint)
    return None


def find_target(path: str | None, app_name: str | None, entrypoint: str | None) -> Target:
    cwd = Path.cwd()
    if entrypoint is None and path is None and app_name is None:
        entrypoint = pyproject_entrypoint(cwd)
    if entrypoint is not None:
        return load_entrypoint(entrypoint, cwd)
    location = locate_module(path, cwd)
    module = import_from(location)
    name = find_app_name(module, app_name)
    return Target(f"{location.module}:{name}", location.root, getattr(module, name))


# -- serving ----------------------------------------------------------------------------


def uvicorn_implementations() -> dict[str, str]:
    """uvloop and httptools when installed (the ``standard`` extra), else uvicorn's pick."""
    return {
        "loop": "uvloop" if find_spec("uvloop") else "auto",
        "http": "httptools" if find_spec("httptools") else "auto",
    }


def resolve_port(port: int | None) -> int:
    if port is not None:
        return port
    from_env = os.environ.get("PORT", "").strip()
    if not from_env:
        return DEFAULT_PORT
    try:
        return int(from_env)
    except ValueError:
        raise CLIError(
            f"the PORT environment variable is not a port number: {from_env!r}"
        ) from None


def banner(args: argparse.Namespace, target: Target, port: int, settings: dict[str, str]) -> str:
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{port}"
    mode = "development" if args.command == "dev" else "production"
    lines = [
        f"fastcore {args.command}: {mode} mode, {core_name()} core",
        f"  app:     {target.import_string}  (importable from {target.root})",
        f"  serving: {url}",
    ]
    docs_url = getattr(target.app, "docs_url", None)
    if docs_url:
        lines.append(f"  docs:    {url}{docs_url}")
    server = f"uvicorn, loop {settings['loop']}, http {settings['http']}"
    if args.reload:
        server += ", reload on"
    elif args.workers and args.workers > 1:
        server += f", {args.workers} workers"
    lines.append(f"  server:  {server}")
    return "\n".join(lines)


def _stop_with_success(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def _serve(args: argparse.Namespace) -> int:
    if args.entrypoint is not None and (args.path is not None or args.app is not None):
        raise CLIError("--entrypoint names the app itself: drop PATH and --app")
    if args.reload and args.workers:
        raise CLIError("--workers cannot be combined with --reload")
    try:
        import uvicorn
    except ImportError as exc:
        raise CLIError("uvicorn is not installed: pip install 'fastcore[standard]'") from exc
    port = resolve_port(args.port)
    target = find_target(args.path, args.app, args.entrypoint)
    settings = uvicorn_implementations()
    print(banner(args, target, port, settings), flush=True)
    # uvicorn re-raises the SIGTERM it shut down gracefully on, which would kill this
    # process with that signal; like Ctrl-C (which uvicorn turns into a return), a
    # requested stop ends with status 0 instead.
    signal.signal(signal.SIGTERM, _stop_with_success)
    uvicorn.run(
        target.import_string,
        host=args.host,
        port=port,
        workers=args.workers,
        reload=args.reload,
        reload_dirs=args.reload_dir or None,
        root_path=args.root_path,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        loop=settings["loop"],
        http=settings["http"],
    )
    return 0


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1 is needed, not {text!r}")
    return number


def _add_serve_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str
) -> None:
    production = name == "run"
    if production:
        mode = "production: no reload, listens on 0.0.0.0"
    else:
        mode = "development: reload on code changes, listens on 127.0.0.1"
    command = commands.add_parser(
        name,
        help=f"serve an app with uvicorn ({mode})",
        description=(
            f"Serve a fastcore app with uvicorn, in {mode}. PATH is a Python file or a "
            f"package directory; without it {', '.join(DEFAULT_FILES)} are tried (or the "
            "`entrypoint` in pyproject.toml's [tool.fastcore]). The app is the variable "
            "named by --app, else `app`, else `api`, else the first FastAPI instance."
        ),
    )
    command.add_argument("path", nargs="?", metavar="PATH", help="file or package with the app")
    default_host = "0.0.0.0" if production else "127.0.0.1"
    command.add_argument("--host", default=default_host, help=f"default: {default_host}")
    command.add_argument("--port", type=int, help=f"default: $PORT if set, else {DEFAULT_PORT}")
    command.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=not production,
        help=f"restart when code changes (default: {'off' if production else 'on'})",
    )
    if production:
        command.add_argument(
            "--workers", type=_positive, help="number of worker processes (default: 1)"
        )
        command.set_defaults(reload_dir=None)
    else:
        command.add_argument(
            "--reload-dir",
            action="append",
            metavar="DIR",
            help="directory to watch (repeatable; default: the working directory)",
        )
        command.set_defaults(workers=None)
    command.add_argument("--root-path", default="", help="path prefix set by a proxy in front")
    command.add_argument("--app", help="name of the variable holding the app")
    command.add_argument(
        "-e", "--entrypoint", metavar="MODULE:ATTR", help="import string of the app, for PATH"
    )
    command.add_argument(
        "--proxy-headers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="trust X-Forwarded-For/-Proto/-Port from --forwarded-allow-ips (default: on)",
    )
    command.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated addresses trusted for proxy headers, '*' for all "
        "(default: $FORWARDED_ALLOW_IPS, else 127.0.0.1)",
    )
    command.set_defaults(handler=_serve)


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="fastcore command line tools")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    info = commands.add_parser("info", help="show the active core (compiled or pure) and versions")
    info.set_defaults(handler=_info)
    _add_serve_command(commands, "run")
    _add_serve_command(commands, "dev")
    return parser


def _program_name() -> str:
    return "python -m fastcore" if Path(sys.argv[0]).name == "__main__.py" else "fastcore"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(_program_name())
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args))
    except CLIError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return 1
