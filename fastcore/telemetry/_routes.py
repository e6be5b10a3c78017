"""The route template (``http.route``) of a request, from the route the router chose.

After routing, ``scope["route"]`` holds the chosen route, but not always
under its full template: a route served through ``include_router`` shows up
as the route object of the router it was declared in (without the prefixes
it was included under), and a route of a mounted app without the mount's
path. So the app's route tree is walked once, recording for each route
object every full template it is served under; a request then costs one
dict lookup, plus a regular-expression match in the rare case of a route
served under several templates (a router included twice).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.routing import Host, Mount, compile_path


class _Template:
    __slots__ = ("text", "raw", "_regex")

    def __init__(self, text: str, raw: str) -> None:
        self.text = text  # as reported: "/items/{item_id}"
        self.raw = raw  # as declared, with convertors: "/items/{item_id:int}"
        self._regex: re.Pattern[str] | None = None

    def matches(self, path: str) -> bool:
        if self._regex is None:
            self._regex = compile_path(self.raw)[0]
        return self._regex.match(path) is not None


def _format(path: str) -> str:
    return compile_path(path)[1] if "{" in path else path


_Found = dict[int, tuple[Any, list[_Template]]]


def _walk(routes: Any, raw: str, text: str, found: _Found, depth: int = 0) -> None:
    if depth > 32:  # an app mounted inside itself
        return
    for route in routes or ():
        seen = getattr(route, "included_from", route)  # what routing puts in the scope
        if isinstance(route, Mount):
            whole = _Template(text + route.path_format, raw + route.path + "/{path:path}")
            _add(found, seen, whole)
            _walk(route.routes, raw + route.path, text + _format(route.path), found, depth + 1)
        elif isinstance(route, Host):
            _walk(route.routes, raw, text, found, depth + 1)
        else:
            path = getattr(route, "path", None)
            path_format = getattr(route, "path_format", None)
            if isinstance(path, str) and isinstance(path_format, str):
                _add(found, seen, _Template(text + path_format, raw + path))


def _add(found: _Found, route: Any, template: _Template) -> None:
    entry = found.setdefault(id(route), (route, []))
    if all(known.text != template.text for known in entry[1]):
        entry[1].append(template)


class RouteTemplates:
    """Route object -> full template(s), for one application's route tree."""

    def __init__(self, router: Any) -> None:
        self._router = router
        self._size = -1
        # id(route) -> (route, its templates); the route is kept so that its id stays its own.
        self._found: _Found = {}

    def template(self, route: Any, path: str) -> str | None:
        """The template ``route`` served ``path`` (relative to the app's root) under."""
        routes = self._router.routes
        if len(routes) != self._size:
            self._found = {}
            self._size = len(routes)
        entry = self._found.get(id(route))
        if entry is None or entry[0] is not route:
            entry = self._learn(route)
        templates = entry[1]
        if len(templates) == 1:
            return templates[0].text
        for template in templates:
            if template.matches(path):
                return template.text
        return templates[0].text if templates else None

    def _learn(self, route: Any) -> tuple[Any, list[_Template]]:
        """Walk the route tree again (routes may have been added since)."""
        found: _Found = {}
        _walk(self._router.routes, "", "", found)
        entry = found.get(id(route))
        if entry is None:
            # Not in this app's tree (a route object from elsewhere): its own template, if any.
            path_format = getattr(route, "path_format", None)
            path = getattr(route, "path", path_format)
            own = []
            if isinstance(path_format, str) and isinstance(path, str):
                own.append(_Template(path_format, path))
            entry = (route, own)
            found[id(route)] = entry
        self._found = found
        return entry
