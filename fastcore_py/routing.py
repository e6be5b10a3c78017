"""Route table: find the target registered for a request path and method.

Pure-Python mirror of ``fastcore/_routing.pyx``: the same names, in the same
order, with the same logic. Read the two side by side.

Path templates use Starlette's syntax, ``{name}`` or ``{name:convertor}``
with the convertors ``str``, ``int``, ``float``, ``uuid`` and ``path``.

How a path is matched:

* A template without parameters is a *static* path. After the table is
  built, a static request path is answered from a dict whose value lists,
  in registration order, every route that matches that exact path (static
  or not), so the common case is one dict lookup.
* Every template is also inserted into a *segment tree*: one node per
  ``/``-separated segment, literal segments in a dict, parameter segments
  in a short list, and a ``path`` parameter (which may span slashes) as a
  regular expression over the rest of the path. Matching walks the tree,
  so its cost follows the length of the path, not the number of routes.
  The walk recurses once per segment, so a template's first
  ``_MAX_DEPTH`` segments go into the tree and any further ones are
  matched like a ``path`` parameter's rest, by one regular expression (a
  deeper recursion would overflow Python's limit in the mirror and the C
  stack in the compiled core).
* Between overlapping routes, registration order decides, as in FastAPI:
  the first route whose path and method match wins; failing that, the
  first route whose path matches gives a 405.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

FOUND = 0
METHOD_NOT_ALLOWED = 1
REDIRECT = 2
NOT_FOUND = 3

_STR = 0
_INT = 1
_FLOAT = 2
_UUID = 3
_PATH = 4
_PATTERN = 5  # a segment mixing literal text and parameters

_CONVERTOR_KINDS = {"str": _STR, "int": _INT, "float": _FLOAT, "uuid": _UUID, "path": _PATH}
_CONVERTOR_REGEX = {
    _STR: "[^/]+",
    _INT: "[0-9]+",
    _FLOAT: r"[0-9]+(?:\.[0-9]+)?",
    _UUID: "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
    _PATH: ".*",
}
_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")
_DIGITS = frozenset("0123456789")
_FLOAT_SEGMENT = re.compile(_CONVERTOR_REGEX[_FLOAT])
_UUID_SEGMENT = re.compile(_CONVERTOR_REGEX[_UUID])
_NO_MATCH = object()
_NO_INDEX = 1 << 62
# Segments of a template held in the tree: the walk's recursion depth.
_MAX_DEPTH = 64


def _convert(kind: int, text: str) -> Any:
    """The typed value of an already matched parameter, or _NO_MATCH.

    Python refuses to parse integers longer than its digit limit; such a
    segment is treated as not matching rather than raising (a 404, not a 500).
    """
    if kind == _INT:
        try:
            return int(text)
        except ValueError:
            return _NO_MATCH
    if kind == _FLOAT:
        return float(text)
    if kind == _UUID:
        return uuid.UUID(text)
    return text


def _convert_segment(kind: int, segment: str) -> Any:
    """Match a whole segment against one convertor: its value, or _NO_MATCH."""
    if not segment:
        return _NO_MATCH
    if kind == _STR:
        return segment
    if kind == _INT:
        if not _DIGITS.issuperset(segment):
            return _NO_MATCH
    elif kind == _FLOAT:
        if _FLOAT_SEGMENT.fullmatch(segment) is None:
            return _NO_MATCH
    elif _UUID_SEGMENT.fullmatch(segment) is None:
        return _NO_MATCH
    return _convert(kind, segment)


class _Pattern:
    """A compiled regular expression whose groups are typed parameters."""

    __slots__ = ("regex", "kinds")

    def __init__(self, source: str, kinds: list[int]) -> None:
        self.regex = re.compile(source)
        self.kinds = kinds

    def capture(self, text: str) -> list[Any] | None:
        found = self.regex.fullmatch(text)
        if found is None:
            return None
        values = []
        for kind, raw in zip(self.kinds, found.groups(), strict=True):
            value = _convert(kind, raw)
            if value is _NO_MATCH:
                return None
            values.append(value)
        return values


class _Edge:
    """A parameter segment leading to a child node: one convertor, or a pattern."""

    __slots__ = ("kind", "pattern", "node")

    def __init__(self, kind: int, pattern: _Pattern | None) -> None:
        self.kind = kind
        self.pattern = pattern
        self.node = _Node()

    def key(self) -> object:
        return self.kind if self.pattern is None else self.pattern.regex.pattern

    def capture(self, segment: str) -> list[Any] | None:
        if self.pattern is not None:
            return self.pattern.capture(segment)
        value = _convert_segment(self.kind, segment)
        return None if value is _NO_MATCH else [value]


class _Entry:
    """One registered route: its position, target, methods and parameter names."""

    __slots__ = ("index", "target", "methods", "names")

    def __init__(
        self, index: int, target: object, methods: frozenset[str] | None, names: tuple[str, ...]
    ) -> None:
        self.index = index
        self.target = target
        self.methods = methods
        self.names = names

    def accepts(self, method: str) -> bool:
        return not self.methods or method in self.methods

    def params(self, values: list[Any]) -> dict[str, Any]:
        """The matched parameters by name, from the values captured in template order."""
        return dict(zip(self.names, values, strict=True))


class _Tail:
    """The rest of a template from its first ``path`` parameter on."""

    __slots__ = ("pattern", "entry")

    def __init__(self, pattern: _Pattern, entry: _Entry) -> None:
        self.pattern = pattern
        self.entry = entry


class _Node:
    __slots__ = ("literals", "edges", "edge_keys", "tails", "ends", "min_index")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.edges: list[_Edge] = []
        self.edge_keys: dict[object, _Edge] = {}
        self.tails: list[_Tail] = []
        self.ends: list[_Entry] = []
        # The lowest entry index anywhere below: lets a search skip subtrees
        # that cannot beat the match it already has.
        self.min_index = _NO_INDEX


class _Search:
    """One walk of the tree for a path: keeps the best candidates it meets.

    With ``collect`` set it keeps every candidate instead, which is how the
    static-path answers are precomputed when the table is built.
    """

    __slots__ = (
        "method",
        "path",
        "segments",
        "full",
        "full_values",
        "partial",
        "partial_values",
        "collected",
    )

    def __init__(self, method: str, path: str, collect: bool = False) -> None:
        self.method = method
        self.path = path
        self.segments = path[1:].split("/")
        self.full: _Entry | None = None
        self.full_values: list[Any] = []
        self.partial: _Entry | None = None
        self.partial_values: list[Any] = []
        self.collected: list[tuple[_Entry, list[Any]]] | None = [] if collect else None

    def best_index(self) -> int:
        return _NO_INDEX if self.full is None else self.full.index

    def offer(self, entry: _Entry, values: list[Any]) -> None:
        if self.collected is not None:
            self.collected.append((entry, list(values)))
        elif entry.accepts(self.method):
            if self.full is None or entry.index < self.full.index:
                self.full = entry
                self.full_values = list(values)
        elif self.partial is None or entry.index < self.partial.index:
            self.partial = entry
            self.partial_values = list(values)

    def walk(self, node: _Node, depth: int, offset: int, values: list[Any]) -> None:
        """Visit ``node`` having consumed ``depth`` segments, ``offset`` chars."""
        if node.min_index >= self.best_index():
            return
        segments = self.segments
        if depth == len(segments):
            for entry in node.ends:
                self.offer(entry, values)
        else:
            segment = segments[depth]
            next_offset = offset + 1 + len(segment)
            child = node.literals.get(segment)
            if child is not None:
                self.walk(child, depth + 1, next_offset, values)
            for edge in node.edges:
                captured = edge.capture(segment)
                if captured is not None:
                    size = len(values)
                    values.extend(captured)
                    self.walk(edge.node, depth + 1, next_offset, values)
                    del values[size:]
        if node.tails:
            rest = self.path[offset:]
            for tail in node.tails:
                captured = tail.pattern.capture(rest)
                if captured is not None:
                    self.offer(tail.entry, values + captured)


def _split_template(template: str) -> tuple[list[str], list[str]]:
    """Check a template; return its segments and parameter names."""
    if not template.startswith("/"):
        raise ValueError(f"Route path {template!r} must start with '/'")
    names: list[str] = []
    for found in _PARAM.finditer(template):
        name, convertor = found.group(1), found.group(2) or "str"
        if convertor not in _CONVERTOR_KINDS:
            raise ValueError(f"Unknown path convertor {convertor!r} in route path {template!r}")
        if name in names:
            raise ValueError(f"Duplicated parameter name {name!r} in route path {template!r}")
        names.append(name)
    return template[1:].split("/"), names


def _spans_slashes(segment: str) -> bool:
    """Whether a template segment holds a ``path`` parameter, which may match ``/``."""
    return any(found.group(2) == "path" for found in _PARAM.finditer(segment))


def _pattern_of(text: str) -> _Pattern:
    """A regular expression for a piece of template: literals escaped, parameters grouped."""
    source = []
    kinds = []
    end = 0
    for found in _PARAM.finditer(text):
        kind = _CONVERTOR_KINDS[found.group(2) or "str"]
        source.append(re.escape(text[end : found.start()]))
        source.append("(" + _CONVERTOR_REGEX[kind] + ")")
        kinds.append(kind)
        end = found.end()
    source.append(re.escape(text[end:]))
    return _Pattern("".join(source), kinds)


class RouteTable:
    """Registered routes, matched by path and method.

    ``add`` registers a route; ``match`` answers a request with a tuple
    ``(outcome, target, params, redirect_path)``:

    * ``(FOUND, target, params, None)``: the route to run, with its typed
      path parameters.
    * ``(METHOD_NOT_ALLOWED, target, params, None)``: the path matched but no
      route accepts the method; ``target`` is the first route whose path
      matched (its methods make the ``Allow`` header).
    * ``(REDIRECT, None, None, path)``: nothing matched, but the path with its
      trailing slash added or removed does.
    * ``(NOT_FOUND, None, None, None)``.
    """

    def __init__(self, redirect_slashes: bool = True) -> None:
        self.redirect_slashes = redirect_slashes
        self._root = _Node()
        self._count = 0
        self._static_templates: list[str] = []
        # Built on the first match after a change: every static path's
        # candidates, in registration order.
        self._static: dict[str, list[tuple[_Entry, dict[str, Any]]]] | None = None

    def __len__(self) -> int:
        return self._count

    def add(self, template: str, methods: frozenset[str] | None, target: object) -> None:
        """Register ``target`` for ``template``; ``methods`` None accepts any method."""
        segments, names = _split_template(template)
        entry = _Entry(self._count, target, methods, tuple(names))
        node = self._root
        for position, segment in enumerate(segments):
            node.min_index = min(node.min_index, entry.index)
            if position == _MAX_DEPTH or _spans_slashes(segment):
                rest = "/" + "/".join(segments[position:])
                node.tails.append(_Tail(_pattern_of(rest), entry))
                break
            node = self._child(node, segment)
        else:
            node.min_index = min(node.min_index, entry.index)
            node.ends.append(entry)
            if not names:
                self._static_templates.append(template)
        self._count += 1
        self._static = None

    def match(
        self, method: str, path: str
    ) -> tuple[int, object, dict[str, Any] | None, str | None]:
        """Find the route for ``method`` and ``path``; see the class docstring."""
        outcome, target, params = self._lookup(method, path)
        if outcome != NOT_FOUND or not self.redirect_slashes or path == "/":
            return outcome, target, params, None
        other = path.rstrip("/") if path.endswith("/") else path + "/"
        if self._lookup(method, other)[0] != NOT_FOUND:
            return REDIRECT, None, None, other
        return NOT_FOUND, None, None, None

    def _lookup(self, method: str, path: str) -> tuple[int, object, dict[str, Any] | None]:
        if self._static is None:
            self._static = self._build_static()
        candidates = self._static.get(path)
        if candidates is not None:
            for entry, params in candidates:
                if entry.accepts(method):
                    return FOUND, entry.target, dict(params)
            entry, params = candidates[0]
            return METHOD_NOT_ALLOWED, entry.target, dict(params)
        if not path.startswith("/"):
            return NOT_FOUND, None, None
        search = _Search(method, path)
        search.walk(self._root, 0, 0, [])
        if search.full is not None:
            return FOUND, search.full.target, search.full.params(search.full_values)
        if search.partial is not None:
            entry = search.partial
            return METHOD_NOT_ALLOWED, entry.target, entry.params(search.partial_values)
        return NOT_FOUND, None, None

    def _child(self, node: _Node, segment: str) -> _Node:
        """The node one literal or parameter segment below ``node``, created if new."""
        if _PARAM.search(segment) is None:
            child = node.literals.get(segment)
            if child is None:
                child = node.literals[segment] = _Node()
            return child
        # Parameter segments with the same shape share a node whatever their
        # names: names are attached to entries, values are captured in order.
        whole = _PARAM.fullmatch(segment)
        if whole is not None:
            edge = _Edge(_CONVERTOR_KINDS[whole.group(2) or "str"], None)
        else:
            edge = _Edge(_PATTERN, _pattern_of(segment))
        key = edge.key()
        existing = node.edge_keys.get(key)
        if existing is not None:
            return existing.node
        node.edge_keys[key] = edge
        node.edges.append(edge)
        return edge.node

    def _build_static(self) -> dict[str, list[tuple[_Entry, dict[str, Any]]]]:
        static = {}
        for path in self._static_templates:
            if path in static:
                continue
            search = _Search("", path, collect=True)
            search.walk(self._root, 0, 0, [])
            found = search.collected or []
            found.sort(key=lambda candidate: candidate[0].index)
            static[path] = [(entry, entry.params(values)) for entry, values in found]
        return static
