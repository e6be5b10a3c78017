# cython: language_level=3, binding=True, boundscheck=False, wraparound=False
# cython: annotation_typing=False
"""Parameter core: raw request values in, validated endpoint arguments out.

Compiled twin of ``fastcore_py/params.py``: the same names, in the same
order, with the same logic. Read the two side by side.

The declaration layer describes, once per route, every parameter read from
one place of the request (the query string, the headers, the cookies, the
path, a form, a JSON object) as a ``ParamGroup`` of ``ParamSpec`` objects.
Per request this module only:

* parses the query string and the cookie header into raw strings, exactly
  as Starlette does (``parse_qsl`` with blank values kept, Starlette's
  cookie parser);
* collects the raw values each group wants, by wire key (the last value of
  a repeated query key wins, the first of a repeated header, as in FastAPI;
  ``list`` parameters take them all);
* coerces plain ``str``/``int``/``float``/``bool`` values natively when the
  text is in a form whose meaning is certain, and hands everything else to
  Pydantic in one call per group.

Whenever anything is missing or does not validate, the group starts again
on the slow path, one Pydantic call per parameter, which reproduces FastAPI's
results and error list exactly (FastAPI validates with ``from_attributes``,
which decides some error types). Errors may be slow; success must be fast.
"""

# Type annotations are documentation here, exactly as in the mirror
# (annotation_typing=False above): public functions and methods accept what
# the mirror accepts and keep its signatures. Each public method the module
# also calls from C is a one-line wrapper around a typed C method declared in
# _params.pxd (``resolve`` and ``_resolve``), which holds the mirror's logic.

from __future__ import annotations

import json
from http.cookies import _unquote as _unquote_cookie
from typing import Any
from urllib.parse import unquote

from pydantic_core import ValidationError


# The kinds as C constants for the hot path; the public names below are the
# mirror's plain ints.
cdef enum:
    _AS_STR = 0
    _AS_INT = 1
    _AS_FLOAT = 2
    _AS_BOOL = 3
    _AS_OTHER = 4

AS_STR = _AS_STR
AS_INT = _AS_INT
AS_FLOAT = _AS_FLOAT
AS_BOOL = _AS_BOOL
AS_OTHER = _AS_OTHER  # validated by Pydantic

#: Returned by ``coerce`` when the text is not in a form it handles natively.
NOT_NATIVE: Any = type("NotNative", (), {"__repr__": lambda self: "NOT_NATIVE"})()
#: A missing value, distinct from every value a client can send.
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

# The sentinels again, as C globals: identity tests without a module lookup.
cdef object _NOT_NATIVE = NOT_NATIVE
cdef object _MISSING = MISSING

# Pydantic accepts more spellings of a boolean (any case, for one); those
# fall through to it. These are the ones whose meaning is certain.
cdef dict _BOOL_WORDS = {
    "1": True, "on": True, "t": True, "true": True, "y": True, "yes": True,
    "0": False, "off": False, "f": False, "false": False, "n": False, "no": False,
}  # fmt: skip
# Python's int() refuses longer strings by default; Pydantic decides those.
cdef Py_ssize_t _MAX_NATIVE_DIGITS = 4000


cdef inline object _decode_latin1(object data):
    """``data.decode("latin-1")``, without a method lookup for exact ``bytes``."""
    if type(data) is bytes:
        return (<bytes>data).decode("latin-1")
    return data.decode("latin-1")


def parse_query(query_string: bytes) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of a raw query string, as Starlette's ``QueryParams`` sees them.

    Equal to ``parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)``:
    pairs split on ``&``, empty pairs skipped, a pair without ``=`` has a
    blank value, ``+`` is a space, percent-escapes decode as UTF-8 with
    replacement characters for invalid bytes.
    """
    cdef list pairs = []
    cdef str text
    cdef str chunk
    cdef Py_ssize_t equals
    if not query_string:
        return pairs
    text = _decode_latin1(query_string)
    for chunk in text.split("&"):
        if not chunk:
            continue
        # The mirror's chunk.partition("="), without building the 3-tuple.
        equals = chunk.find("=")
        if equals < 0:
            pairs.append((_unquote_plus(chunk), ""))
        else:
            pairs.append((_unquote_plus(chunk[:equals]), _unquote_plus(chunk[equals + 1:])))
    return pairs


cdef inline str _unquote_plus(str text):
    if "+" in text:
        text = text.replace("+", " ")
    if "%" in text:
        return unquote(text, "utf-8", "replace")
    return text


def parse_cookies(cookie_header: str) -> dict[str, str]:
    """Cookies of a ``Cookie`` header, as Starlette's ``request.cookies`` reads them.

    Pairs split on ``;``; a chunk without ``=`` is a value with an empty
    name; names and values are stripped; the last of a repeated name wins;
    quoted values are unquoted the way ``http.cookies`` does.
    """
    cdef dict cookies = {}
    cdef str chunk
    cdef str name
    cdef str value
    cdef Py_ssize_t equals
    for chunk in cookie_header.split(";"):
        equals = chunk.find("=")
        if equals >= 0:
            name, value = chunk[:equals], chunk[equals + 1:]
        else:
            name, value = "", chunk
        name = name.strip()
        value = value.strip()
        if name or value:
            cookies[name] = _unquote_cookie(value) if _is_quoted(value) else value
    return cookies


cdef inline bint _is_quoted(str value) noexcept:
    """Whether ``http.cookies._unquote`` would change ``value``: it returns others as they are."""
    cdef Py_ssize_t size = len(value)
    return size >= 2 and value[0] == u'"' and value[size - 1] == u'"'


def coerce(kind: int, raw: Any) -> Any:
    """``raw`` as a value of ``kind`` when its text is unambiguous, else ``NOT_NATIVE``.

    Only spellings that Pydantic reads the same way are handled here
    (``-12``, ``3.25``, ``true``); anything else (``+1``, ``1e3``, `` 7``,
    ``YES``, a non-string) is left to Pydantic, which decides and words any
    error.
    """
    return _coerce(kind, raw)


cdef object _coerce(int kind, object raw):
    cdef str text
    if type(raw) is not str:
        return _NOT_NATIVE
    text = <str>raw
    if kind == _AS_STR:
        return text
    if kind == _AS_BOOL:
        return _BOOL_WORDS.get(text, _NOT_NATIVE)
    if kind == _AS_INT:
        return int(text) if _is_integer(text) else _NOT_NATIVE
    if kind == _AS_FLOAT:
        return float(text) if _is_decimal(text) else _NOT_NATIVE
    return _NOT_NATIVE


# The mirror's _DIGITS set and its slices, as scans over the characters of
# ``text[start:end]``: no substring is built.

cdef inline bint _is_digits(str text, Py_ssize_t start, Py_ssize_t end) noexcept:
    """Whether ``text[start:end]`` is 1 to _MAX_NATIVE_DIGITS ASCII digits."""
    cdef Py_ssize_t i
    cdef Py_UCS4 char
    if not 0 < end - start <= _MAX_NATIVE_DIGITS:
        return False
    for i in range(start, end):
        char = text[i]
        if not u"0" <= char <= u"9":
            return False
    return True


cdef inline bint _is_signed_digits(str text, Py_ssize_t start, Py_ssize_t end) noexcept:
    if start < end and text[start] == u"-":
        start += 1
    return _is_digits(text, start, end)


cdef inline bint _is_integer(str text) noexcept:
    """Whether ``text`` is an optional ``-`` and then only ASCII digits."""
    return _is_signed_digits(text, 0, len(text))


cdef inline bint _is_decimal(str text) noexcept:
    """Whether ``text`` is an integer, or one followed by ``.`` and more digits."""
    cdef Py_ssize_t size = len(text)
    cdef Py_ssize_t dot = 0
    while dot < size and text[dot] != u".":
        dot += 1
    if dot == size:
        return _is_signed_digits(text, 0, size)
    return _is_signed_digits(text, 0, dot) and _is_digits(text, dot + 1, size)


cdef class ParamSpec:
    """One parameter: its argument name, wire key, native kind, default and validator.

    ``name`` is the endpoint argument; ``key`` the name on the wire (the
    alias; header keys in lower case). ``many`` parameters take every value
    of their key as a list. A ``whole`` parameter (a Pydantic model
    declared as a group of parameters) takes all the group's raw values as
    one dict. ``adapter`` is the parameter's own Pydantic ``TypeAdapter``,
    used on the slow path; ``factory``, when set, makes a fresh default per
    request (for mutable defaults).
    """

    def __init__(
        self,
        name: str,
        key: str,
        kind: int,
        many: bool,
        whole: bool,
        required: bool,
        default: Any,
        factory: Any,
        adapter: Any,
    ) -> None:
        self.name = name
        self.key = key
        self.kind = kind
        self.many = many
        self.whole = whole
        self.required = required
        self.default = default
        self.factory = factory
        self.adapter = adapter

    def default_value(self) -> Any:
        """The value used when the request does not carry this parameter."""
        return self._default_value()

    cdef object _default_value(self):
        if self.factory is not None:
            return self.factory()
        return self.default


cdef class ParamGroup:
    """The parameters read from one place of the request, and how to validate them.

    ``location`` starts every error's ``loc`` (``"query"``, ``"header"``,
    ...). ``validator`` is a Pydantic validator for a dict of the raw
    values of the ``AS_OTHER`` parameters, keyed by wire key, built at
    start-up so that those parameters cost one Pydantic call together.
    ``many_keys`` are the keys whose every value is wanted;
    ``blank_is_missing`` treats an empty string as absent (FastAPI does so
    for form fields). ``model_fields``, in field order, are the ``(wire
    key, field name)`` pairs of a model declared as a group of parameters
    (empty when there is none): such a model is validated from every key
    sent, its own fields first, under their names.
    """

    def __init__(
        self,
        location: str,
        params: tuple[ParamSpec, ...],
        validator: Any,
        many_keys: frozenset[str],
        blank_is_missing: bool,
        model_fields: tuple[tuple[str, str], ...],
    ) -> None:
        self.location = location
        self.params = params
        self.validator = validator
        self.many_keys = many_keys
        self.blank_is_missing = blank_is_missing
        self.model_fields = model_fields
        # Other keys sent that spell a model field are not passed on twice.
        self.model_spellings = frozenset(spelling for pair in model_fields for spelling in pair)
        self.keys = frozenset(param.key for param in params if not param.whole)
        self.wants_all = any(param.whole for param in params)

    def collect(self, pairs: Any, first_wins: bool) -> dict[str, Any]:
        """The raw values this group reads from ``(key, value)`` pairs.

        A repeated key keeps its last value (query strings, forms) or its
        first (``first_wins``: headers); keys in ``many_keys`` keep a list.
        """
        return self._collect(pairs, first_wins)

    cdef dict _collect(self, object pairs, bint first_wins):
        cdef dict raw
        cdef frozenset many_keys
        cdef frozenset keys
        cdef list values
        if self.wants_all:
            return self._collect_for_model(pairs, first_wins)
        raw = {}
        many_keys = self.many_keys
        keys = self.keys
        for key, value in pairs:
            if key in many_keys:
                values = raw.get(key)
                if values is None:
                    raw[key] = [value]
                else:
                    values.append(value)
            elif key in keys and not (first_wins and key in raw):
                raw[key] = value
        return raw

    cdef dict _collect_for_model(self, object pairs, bint first_wins):
        """The dict a model group is validated from, shaped as FastAPI shapes it.

        The model's fields come first, in field order, under their names;
        then every other key sent that does not spell a field, a repeated
        one as a list.
        """
        cdef dict sent = {}
        cdef dict raw = {}
        cdef frozenset spellings
        cdef list values
        cdef Py_ssize_t last
        for key, value in pairs:
            values = sent.get(key)
            if values is None:
                sent[key] = [value]
            else:
                values.append(value)
        for key, name in self.model_fields:
            values = sent.get(key)
            if values is not None:
                # values[-1] spelled out: wraparound is off in this module.
                last = len(values) - 1
                raw[name] = values if key in self.many_keys else values[0 if first_wins else last]
        spellings = self.model_spellings
        for key, values in sent.items():
            if key not in raw and key not in spellings:
                raw[key] = values[0] if len(values) == 1 else values
        return raw

    def collect_headers(self, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
        """The raw values this group reads from an ASGI scope's ``headers``."""
        # A list where the mirror has a generator: the same pairs, built inline.
        return self._collect(
            [(_decode_latin1(name), _decode_latin1(value)) for name, value in headers], True
        )

    def resolve(self, raw: dict[str, Any], arguments: dict[str, Any]) -> list[Any] | None:
        """Validate ``raw`` into ``arguments``; FastAPI's error list on failure, else None."""
        return self._resolve(raw, arguments)

    cdef list _resolve(self, dict raw, dict arguments):
        cdef dict pending = None
        cdef ParamSpec param
        for param in self.params:
            if param.whole:
                value = raw
            else:
                value = raw.get(param.key, _MISSING)
                if self._absent(param, value):
                    if param.required:
                        return self._resolve_slowly(raw, arguments)
                    arguments[param.name] = param._default_value()
                    continue
            if param.kind != _AS_OTHER:
                if param.many:
                    native = _coerce_each(param.kind, value)
                else:
                    native = _coerce(param.kind, value)
                if native is _NOT_NATIVE:
                    return self._resolve_slowly(raw, arguments)
                arguments[param.name] = native
            else:
                if pending is None:
                    pending = {}
                pending[param.key] = value
        if pending is not None:
            try:
                validated = self.validator.validate_python(pending)
            except ValidationError:
                return self._resolve_slowly(raw, arguments)
            for param in self.params:
                if param.key in validated:
                    arguments[param.name] = validated[param.key]
        return None

    def resolve_slowly(self, raw: dict[str, Any], arguments: dict[str, Any]) -> list[Any] | None:
        """Validate each parameter on its own, collecting FastAPI-shaped errors."""
        return self._resolve_slowly(raw, arguments)

    cdef list _resolve_slowly(self, dict raw, dict arguments):
        cdef list errors = []
        cdef ParamSpec param
        for param in self.params:
            if param.whole:
                value = raw
            else:
                value = raw.get(param.key, _MISSING)
                if self._absent(param, value):
                    if param.required:
                        errors.append(missing_error((self.location, param.key)))
                    else:
                        arguments[param.name] = param._default_value()
                    continue
            try:
                arguments[param.name] = param.adapter.validate_python(value, from_attributes=True)
            except ValidationError as error:
                where = (self.location,) if param.whole else (self.location, param.key)
                errors.extend(located_errors(error, where))
        return errors or None

    cdef bint _absent(self, ParamSpec param, object value) except -1:
        if value is _MISSING:
            return True
        if param.many:
            return not value
        return self.blank_is_missing and value == ""


cdef object _coerce_each(int kind, object values):
    cdef list coerced = []
    for value in values:
        native = _coerce(kind, value)
        if native is _NOT_NATIVE:
            return _NOT_NATIVE
        coerced.append(native)
    return coerced


cdef class JsonBody:
    """A request body read as JSON into one parameter, or a group of them.

    ``param`` is set when the body is a single parameter's value (FastAPI's
    non-embedded body); ``group`` when the body is an object whose keys are
    parameters (several bodies, or ``embed=True``). ``strict`` (FastAPI's
    ``strict_content_type``) reads a body without a ``Content-Type`` as raw
    bytes, not as JSON. ``from_bytes`` lets the single parameter validate
    the raw bytes with Pydantic's ``validate_json``; it is off for types that
    Pydantic reads differently from JSON text than from parsed JSON (strict
    fields, decimals), which FastAPI validates after ``json.loads``.
    """

    def __init__(
        self, param: ParamSpec | None, group: ParamGroup | None, strict: bool, from_bytes: bool
    ) -> None:
        self.param = param
        self.group = group
        self.strict = strict
        self.from_bytes = from_bytes

    def is_json(self, content_type: str | None) -> bool:
        """Whether a body of this ``Content-Type`` is parsed as JSON."""
        return self._is_json(content_type)

    cdef bint _is_json(self, object content_type) except -1:
        cdef str media_type
        cdef str main
        cdef str sub
        if not content_type:
            return not self.strict
        media_type = content_type.partition(";")[0].strip().lower()
        main, _, sub = media_type.partition("/")
        return main == "application" and "/" not in sub and (sub == "json" or sub.endswith("+json"))

    def resolve(
        self, body: bytes, content_type: str | None, arguments: dict[str, Any]
    ) -> list[Any] | None:
        """Validate ``body`` into ``arguments``; FastAPI's error list on failure, else None.

        Raises ``ValueError`` for bytes that are not UTF-8, -16 or -32, and
        ``RecursionError`` for JSON nested deeper than Python's recursion
        limit: FastAPI answers both with a 400, not with validation errors.
        """
        cdef ParamSpec param
        if not body:
            return self._resolve_value(_MISSING, arguments)
        if not self._is_json(content_type):
            return self._resolve_value(body, arguments)
        param = self.param
        if param is not None and self.from_bytes:
            try:
                arguments[param.name] = param.adapter.validate_json(body)
                return None
            except ValidationError:
                pass
        try:
            value = json.loads(body)
        except json.JSONDecodeError as error:
            return [json_error(error)]
        # Any other error propagates (see the docstring).
        return self._resolve_value(value, arguments)

    cdef list _resolve_value(self, object value, dict arguments):
        cdef ParamSpec param = self.param
        cdef ParamGroup group
        cdef ParamSpec field
        if param is None:
            group = self.group
            if group is None:  # the mirror's AttributeError, not a crash
                raise AttributeError("'NoneType' object has no attribute 'resolve'")
            if value is _MISSING or type(value) is bytes:  # no body, or one not read as JSON
                return group._resolve({}, arguments)
            if type(value) is not dict:  # FastAPI then finds no field, optional or not
                return [missing_error(("body", field.key)) for field in group.params]
            return group._resolve(value, arguments)
        if value is _MISSING:
            if param.required:
                return [missing_error(("body",))]
            arguments[param.name] = param._default_value()
            return None
        try:
            arguments[param.name] = param.adapter.validate_python(value, from_attributes=True)
        except ValidationError as error:
            return located_errors(error, ("body",))
        return None


def missing_error(loc: tuple[Any, ...]) -> dict[str, Any]:
    """FastAPI's error for a required parameter the request lacks."""
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def located_errors(error: ValidationError, where: tuple[Any, ...]) -> list[Any]:
    """Pydantic's errors, each ``loc`` prefixed with where the value came from."""
    errors = error.errors(include_url=False)
    for detail in errors:
        detail["loc"] = (*where, *detail["loc"])
    return errors


def json_error(error: json.JSONDecodeError) -> dict[str, Any]:
    """FastAPI's error for a body that is not valid JSON."""
    return {
        "type": "json_invalid",
        "loc": ("body", error.pos),
        "msg": "JSON decode error",
        "input": {},
        "ctx": {"error": error.msg},
    }
