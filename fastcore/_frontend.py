"""``app.frontend(path, directory=...)``: a built single-page frontend behind the API.

A frontend is served only for requests that nothing else answers: a router tries it
after its routes, after a 405 from one of them and after a ``redirect_slashes``
redirect, just before its 404. When several frontends could answer, the one with the
longest path wins. The files come from Starlette's ``StaticFiles``; what this module
adds is FastAPI 0.165's choice of answer:

- an existing file is served (a directory with an ``index.html`` is redirected to its
  ``/`` form, then served its ``index.html``);
- otherwise, with ``fallback="404.html"`` (or ``"auto"`` and a ``404.html`` in the
  directory), that page with status 404;
- otherwise, with ``fallback="index.html"`` (or ``"auto"`` and an ``index.html``),
  ``index.html`` with status 200, but only to a browser navigating (an ``Accept``
  header naming HTML): a missing script or image must stay a 404;
- otherwise a 404, and methods other than GET and HEAD get a 405 for an existing
  file, a 404 for anything else.

The dependencies of the router that declares the frontend (and of the routers and
``include_router`` calls it is reached through) run for each GET or HEAD it answers.

No ``from __future__ import annotations``: the endpoint below is analysed like a user's.
"""

import email.message
import errno
import os
import stat
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL, Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from fastcore._dispatch import route_path

Fallback = Literal["auto", "index.html", "404.html"] | None
FALLBACKS = ("auto", "index.html", "404.html", None)
# FastAPI's variable, read as FastAPI reads it: users (and ``fastapi dev``) already set it.
ENVIRONMENT_VARIABLE = "FASTAPI_ENV"
SERVED_METHODS = frozenset({"GET", "HEAD"})


def resolve_check_dir(
    directory: str | os.PathLike[str], check_dir: bool | Literal["auto"], stacklevel: int
) -> bool:
    """``check_dir="auto"``: check, except in development, where a missing directory
    (a frontend not built yet) only warns, at the caller's ``frontend(...)`` line."""
    if check_dir != "auto":
        return check_dir
    if os.environ.get(ENVIRONMENT_VARIABLE) != "development":
        return True
    if not os.path.isdir(directory):
        warnings.warn(_missing_directory(directory), stacklevel=stacklevel + 1)
    return False


def normalize_path(path: str) -> str:
    if not path:
        raise AssertionError("A frontend path cannot be empty")
    if not path.startswith("/"):
        raise AssertionError("A frontend path must start with '/'")
    return path if path == "/" else path.rstrip("/")


def join_paths(prefix: str, path: str) -> str:
    """``path`` under ``prefix``, where the frontend path ``"/"`` stands for the prefix itself."""
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def _missing_directory(directory: str | os.PathLike[str]) -> str:
    return (
        f"Frontend directory '{directory}' does not exist. "
        f"Resolved absolute path: '{os.path.realpath(os.fspath(directory))}'"
    )


class FrontendFiles(StaticFiles):
    """One frontend's directory, answering a path below the frontend's own path."""

    def __init__(
        self, directory: str | os.PathLike[str], fallback: Fallback, check_dir: bool
    ) -> None:
        if check_dir and not os.path.isdir(directory):
            raise RuntimeError(_missing_directory(directory))
        super().__init__(directory=directory, html=True, check_dir=check_dir)
        self.fallback = fallback
        if check_dir and fallback in ("index.html", "404.html"):
            self._fallback_file(fallback)  # fail now rather than at the first miss

    async def respond(self, relative: str, scope: Scope) -> Response:
        """The response for ``relative``, the request path below the frontend's path."""
        if not self.config_checked:
            await self.check_config()
            self.config_checked = True
        path = os.path.normpath(os.path.join(*relative.split("/")))
        if scope["method"] not in SERVED_METHODS:
            found = await self._find(path)
            raise HTTPException(status_code=404 if found is None else 405)
        found = await self._find(path)
        if found is not None:
            full_path, stat_result, is_index = found
            if is_index and not scope["path"].endswith("/"):
                url = URL(scope=scope)
                return RedirectResponse(url=url.replace(path=url.path + "/"))
            return self.file_response(full_path, stat_result, scope)
        if await self._offers("404.html"):
            full_path, stat_result = await run_in_threadpool(self._fallback_file, "404.html")
            return self.file_response(full_path, stat_result, scope, status_code=404)
        if await self._offers("index.html") and is_navigation(scope):
            full_path, stat_result = await run_in_threadpool(self._fallback_file, "index.html")
            return self.file_response(full_path, stat_result, scope)
        raise HTTPException(status_code=404)

    async def _offers(self, name: str) -> bool:
        """Whether ``name`` is the fallback for a miss (``"auto"``: if the file is there)."""
        if self.fallback == name:
            return True
        if self.fallback != "auto":
            return False
        _, stat_result = await run_in_threadpool(self.lookup_path, name)
        return stat_result is not None and stat.S_ISREG(stat_result.st_mode)

    def _fallback_file(self, name: str) -> tuple[str, os.stat_result]:
        full_path, stat_result = self.lookup_path(name)
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            resolved = os.path.realpath(os.fspath(self.directory or ""))
            raise RuntimeError(
                f"Frontend fallback file '{name}' does not exist in directory "
                f"'{self.directory}'. Resolved absolute directory: '{resolved}'"
            )
        return full_path, stat_result

    async def _find(self, path: str) -> tuple[str, os.stat_result, bool] | None:
        """The file for ``path``, or its ``index.html`` if it is a directory (then True)."""
        full_path, stat_result = await self._lookup(path)
        if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
            return full_path, stat_result, False
        if stat_result is not None and stat.S_ISDIR(stat_result.st_mode):
            full_path, stat_result = await self._lookup(os.path.join(path, "index.html"))
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return full_path, stat_result, True
        return None

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        """``lookup_path`` (which refuses paths escaping the directory), errors as 4xx."""
        try:
            return await run_in_threadpool(self.lookup_path, path)
        except PermissionError:
            raise HTTPException(status_code=401) from None
        except ValueError:  # a NUL byte in the path
            raise HTTPException(status_code=404) from None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise HTTPException(status_code=404) from None
            raise


def is_navigation(scope: Scope) -> bool:
    """Whether the request accepts HTML (``text/html`` or ``application/xhtml+xml``,
    any quality but 0): a browser loading a page, not a script fetching a file."""
    accept = Headers(scope=scope).get("accept", "")
    return any(
        media_type in ("text/html", "application/xhtml+xml") and quality != 0
        for media_type, quality in _accepted(accept)
    )


def _accepted(accept: str) -> Iterator[tuple[str, float]]:
    for item in accept.split(","):
        parsed = email.message.Message()
        parsed["content-type"] = item.strip()
        quality = parsed.get_param("q")
        try:
            value = float(quality) if isinstance(quality, str) else 1.0
        except ValueError:
            value = 1.0
        yield f"{parsed.get_content_maintype()}/{parsed.get_content_subtype()}", value


@dataclass(eq=False)
class Frontend:
    """A ``frontend()`` call: its path (under the declaring router's prefix), its files."""

    path: str
    files: FrontendFiles


@dataclass(eq=False)
class ServedFrontend:
    """A frontend as one router serves it: its full path there, and the dependencies
    that run before it answers (none: ``app`` is None and the files answer directly)."""

    path: str
    files: FrontendFiles
    app: ASGIApp | None
    specificity: int = field(init=False)

    def __post_init__(self) -> None:
        self.specificity = 0 if self.path == "/" else len(self.path)

    def relative(self, path: str) -> str | None:
        """The part of ``path`` below this frontend, or None when it is not below it."""
        if self.path == "/":
            return path.lstrip("/")
        if path == self.path:
            return ""
        if path.startswith(self.path + "/"):
            return path[len(self.path) + 1 :]
        return None

    async def respond(self, scope: Scope, receive: Receive, send: Send) -> None:
        relative = self.relative(route_path(scope))
        assert relative is not None
        response = await self.files.respond(relative, scope)
        await response(scope, receive, send)


def frontend_endpoint(frontend: ServedFrontend) -> Callable[..., Any]:
    """The endpoint of the hidden route that runs ``frontend``'s dependencies, then answers.

    Unlike a path operation returning a response, a frontend's answer carries the
    headers the dependencies set on ``response`` (FastAPI 0.165 adds them too).
    """

    async def serve_frontend(request: Request, response: Response) -> Response:
        relative = frontend.relative(route_path(request.scope))
        assert relative is not None
        answer = await frontend.files.respond(relative, request.scope)
        answer.headers.raw.extend(response.headers.raw)
        return answer

    return serve_frontend


def pick(candidates: list[ServedFrontend], scope: Scope) -> tuple[ServedFrontend | None, bool]:
    """The most specific frontend below the request path (the first declared on a tie),
    and whether the method is one frontends serve (GET, HEAD): if not, the frontend
    answers 405 or 404 without running its dependencies, as in FastAPI."""
    if scope["type"] != "http":
        return None, False
    path = route_path(scope)
    method_served = scope["method"] in SERVED_METHODS
    best: ServedFrontend | None = None
    for candidate in candidates:
        if candidate.relative(path) is None:
            continue
        if best is None or candidate.specificity > best.specificity:
            best = candidate
    return best, method_served
