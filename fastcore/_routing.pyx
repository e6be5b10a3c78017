# cython: language_level=3, binding=True, boundscheck=False, wraparound=False
# cython: annotation_typing=False
"""Route table: find the target registered for a request path and method.

Compiled twin of ``fastcore_py/routing.py``: the same names, in the same
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

# Type annotations are documentation here, exactly as in the mirror
# (annotation_typing=False above): public methods accept what the mirror
# accepts. C types are declared the Cython way, here and in _routing.pxd.

from __future__ import annotations

import re
import uuid
from typing import Any

cimport cython
from cpython.unicode cimport PyUnicode_FromObject

FOUND = 0
METHOD_NOT_ALLOWED = 1
REDIRECT = 2
NOT_FOUND = 3

cdef enum:
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


# The mirror's _DIGITS, _FLOAT_SEGMENT and _UUID_SEGMENT, as scans over the
# characters: each accepts exactly what the matching regex fullmatches.

cdef inline bint _is_digit(Py_UCS4 char) noexcept:
    return u"0" <= char <= u"9"


cdef inline bint _is_digits(str text) noexcept:
    """``text`` is made of ASCII digits only (the mirror's ``_DIGITS``)."""
    cdef Py_UCS4 char
    for char in text:
        if not _is_digit(char):
            return False
    return True


cdef inline bint _is_float(str text) noexcept:
    r"""``text`` fullmatches ``[0-9]+(?:\.[0-9]+)?`` (the mirror's ``_FLOAT_SEGMENT``)."""
    cdef Py_ssize_t size = len(text)
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t start
    while i < size and _is_digit(text[i]):
        i += 1
    if i == 0:
        return False
    if i == size:
        return True
    if text[i] != u".":
        return False
    i += 1
    start = i
    while i < size and _is_digit(text[i]):
        i += 1
    return i > start and i == size


cdef inline bint _is_hex(Py_UCS4 char) noexcept:
    return _is_digit(char) or u"a" <= char <= u"f" or u"A" <= char <= u"F"


cdef inline bint _is_uuid(str text) noexcept:
    """Hex in groups 8-4-4-4-12, each hyphen optional (the mirror's ``_UUID_SEGMENT``)."""
    cdef Py_ssize_t size = len(text)
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t end
    cdef int group
    cdef int[5] lengths = [8, 4, 4, 4, 12]
    for group in range(5):
        if group and i < size and text[i] == u"-":
            i += 1
        end = i + lengths[group]
        if end > size:
            return False
        while i < end:
            if not _is_hex(text[i]):
                return False
            i += 1
    return i == size


cdef extern from "Python.h":
    const Py_ssize_t PY_SSIZE_T_MAX

cdef object _NO_MATCH = object()
cdef Py_ssize_t _NO_INDEX = PY_SSIZE_T_MAX  # the mirror's 1 << 62: above any index
# Segments of a template held in the tree: the walk's recursion depth.
cdef Py_ssize_t _MAX_DEPTH = 64


cdef inline str _exact_str(object text):
    """``text`` as an exact ``str``: Cython's ``str`` type refuses subclasses, the mirror not."""
    return text if type(text) is str else PyUnicode_FromObject(text)


cdef inline object _convert(int kind, str text):
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


cdef inline object _convert_segment(int kind, str segment):
    """Match a whole segment against one convertor: its value, or _NO_MATCH."""
    if not segment:
        return _NO_MATCH
    if kind == _STR:
        return segment
    if kind == _INT:
        if not _is_digits(segment):
            return _NO_MATCH
    elif kind == _FLOAT:
        if not _is_float(segment):
            return _NO_MATCH
    elif not _is_uuid(segment):
        return _NO_MATCH
    return _convert(kind, segment)


cdef class _Pattern:
    """A compiled regular expression whose groups are typed parameters."""

    def __init__(self, str source, list kinds):
        self.regex = re.compile(source)
        self.kinds = kinds

    cdef list capture(self, str text):
        cdef list values
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


cdef class _Edge:
    """A parameter segment leading to a child node: one convertor, or a pattern."""

    def __init__(self, int kind, _Pattern pattern):
        self.kind = kind
        self.pattern = pattern
        self.node = _Node()

    cdef object key(self):
        return self.kind if self.pattern is None else self.pattern.regex.pattern

    cdef list capture(self, str segment):
        if self.pattern is not None:
            return self.pattern.capture(segment)
        value = _convert_segment(self.kind, segment)
        return None if value is _NO_MATCH else [value]


cdef class _Entry:
    """One registered route: its position, target, methods and parameter names."""

    def __init__(self, Py_ssize_t index, object target, object methods, tuple names):
        self.index = index
        self.target = target
        self.methods = methods
        self.names = names

    cdef bint accepts(self, object method) except -1:
        return not self.methods or method in self.methods

    cpdef dict params(self, list values):
        """The matched parameters by name, from the values captured in template order."""
        # The mirror's dict(zip(self.names, values, strict=True)), as a C loop.
        cdef dict params = {}
        cdef Py_ssize_t i
        if len(values) != len(self.names):
            raise ValueError("zip() arguments differ in length: names and captured values")
        for i in range(len(values)):
            params[self.names[i]] = values[i]
        return params


cdef class _Tail:
    """The rest of a template from its first ``path`` parameter on."""

    def __init__(self, _Pattern pattern, _Entry entry):
        self.pattern = pattern
        self.entry = entry


cdef class _Node:

    def __init__(self):
        self.literals = {}
        self.edges = []
        self.edge_keys = {}
        self.tails = []
        self.ends = []
        # The lowest entry index anywhere below: lets a search skip subtrees
        # that cannot beat the match it already has.
        self.min_index = _NO_INDEX


@cython.freelist(8)
cdef class _Search:
    """One walk of the tree for a path: keeps the best candidates it meets.

    With ``collect`` set it keeps every candidate instead, which is how the
    static-path answers are precomputed when the table is built.
    """

    def __init__(self, object method, str path, bint collect=False):
        self.method = method
        self.path = path
        self.segments = path[1:].split("/")
        self.full = None
        self.full_values = []
        self.partial = None
        self.partial_values = []
        self.collected = [] if collect else None

    cdef inline Py_ssize_t best_index(self) noexcept:
        return _NO_INDEX if self.full is None else self.full.index

    cdef int offer(self, _Entry entry, list values) except -1:
        if self.collected is not None:
            self.collected.append((entry, list(values)))
        elif entry.accepts(self.method):
            if self.full is None or entry.index < self.full.index:
                self.full = entry
                self.full_values = list(values)
        elif self.partial is None or entry.index < self.partial.index:
            self.partial = entry
            self.partial_values = list(values)
        return 0

    cdef int walk(self, _Node node, Py_ssize_t depth, Py_ssize_t offset, list values) except -1:
        """Visit ``node`` having consumed ``depth`` segments, ``offset`` chars."""
        cdef list segments
        cdef str segment
        cdef str rest
        cdef Py_ssize_t next_offset
        cdef Py_ssize_t size
        cdef _Entry entry
        cdef _Node child
        cdef _Edge edge
        cdef _Tail tail
        cdef list captured
        if node.min_index >= self.best_index():
            return 0
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
        return 0


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


cdef class RouteTable:
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
        self._static_templates = []
        # Built on the first match after a change: every static path's
        # candidates, in registration order.
        self._static = None

    def __len__(self) -> int:
        return self._count

    def add(self, template: str, methods: frozenset[str] | None, target: object) -> None:
        """Register ``target`` for ``template``; ``methods`` None accepts any method."""
        cdef list segments
        cdef Py_ssize_t position
        cdef str segment
        cdef _Entry entry
        cdef _Node node
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
                self._static_templates.append(_exact_str(template))
        self._count += 1
        self._static = None

    def match(
        self, method: str, path: str
    ) -> tuple[int, object, dict[str, Any] | None, str | None]:
        """Find the route for ``method`` and ``path``; see the class docstring."""
        outcome, target, params = self._lookup(method, _exact_str(path))
        if outcome != NOT_FOUND or not self.redirect_slashes or path == "/":
            return outcome, target, params, None
        other = path.rstrip("/") if path.endswith("/") else path + "/"
        if self._lookup(method, _exact_str(other))[0] != NOT_FOUND:
            return REDIRECT, None, None, other
        return NOT_FOUND, None, None, None

    cdef tuple _lookup(self, object method, str path):
        cdef list candidates
        cdef _Entry entry
        cdef dict params
        cdef _Search search
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

    cdef _Node _child(self, _Node node, str segment):
        """The node one literal or parameter segment below ``node``, created if new."""
        cdef _Node child
        cdef _Edge edge
        cdef _Edge existing
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

    cdef dict _build_static(self):
        cdef dict static = {}
        cdef _Search search
        cdef list found
        for path in self._static_templates:
            if path in static:
                continue
            search = _Search("", path, collect=True)
            search.walk(self._root, 0, 0, [])
            found = search.collected or []
            found.sort(key=lambda candidate: candidate[0].index)
            static[path] = [(entry, entry.params(values)) for entry, values in found]
        return static
